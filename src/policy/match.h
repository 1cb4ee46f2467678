// Wildcards and policy variables as IAM applies them to actions, resources and StringLike values:
// '*' matches any run of characters (also none), '?' exactly one; ${aws:username} is replaced from
// the request context (2012-10-17 policies only), ${*} ${?} ${$} stand for those characters.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfaenv {

// The request's condition keys. Key names are case-insensitive (IAM's rule); values are kept as given.
class RequestContext {
 public:
  void set(std::string_view key, std::string value);
  void erase(std::string_view key);
  // nullptr when the key is absent.
  const std::string* find(std::string_view key) const;
  // (key as first given, value), sorted by key.
  std::vector<std::pair<std::string, std::string>> entries() const;

 private:
  struct Entry {
    std::string key;
    std::string value;
  };
  std::map<std::string, Entry> entries_;  // by lower-cased key
};

enum class CaseRule { kSensitive, kInsensitive };

// A pattern after variable expansion: characters that came from ${...} are literal, never wildcards.
struct Pattern {
  std::string text;
  std::vector<bool> literal;  // one flag per byte of text
};

Pattern plain_pattern(std::string_view text);

enum class Variables { kLiteral, kExpand };

// nullopt when the text names a variable the context lacks and gives no default ('${k, 'x'}'),
// in which case IAM treats the element as not matching.
std::optional<Pattern> expand_variables(std::string_view text, const RequestContext& context, Variables mode);

bool wildcard_match(const Pattern& pattern, std::string_view text, CaseRule rule);
inline bool wildcard_match(std::string_view pattern, std::string_view text, CaseRule rule) {
  return wildcard_match(plain_pattern(pattern), text, rule);
}

}  // namespace mfaenv
