// Wildcard matching (linear backtracking on the last '*', no recursion) and ${...} expansion.
#include "policy/match.h"

#include <cctype>

#include "util/strings.h"

namespace mfaenv {

void RequestContext::set(std::string_view key, std::string value) {
  entries_[to_lower(key)] = Entry{std::string(key), std::move(value)};
}

void RequestContext::erase(std::string_view key) { entries_.erase(to_lower(key)); }

const std::string* RequestContext::find(std::string_view key) const {
  const auto it = entries_.find(to_lower(key));
  return it == entries_.end() ? nullptr : &it->second.value;
}

std::vector<std::pair<std::string, std::string>> RequestContext::entries() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [lower, e] : entries_) out.emplace_back(e.key, e.value);
  return out;
}

Pattern plain_pattern(std::string_view text) { return Pattern{std::string(text), std::vector<bool>(text.size(), false)}; }

std::optional<Pattern> expand_variables(std::string_view text, const RequestContext& context, Variables mode) {
  if (mode == Variables::kLiteral || text.find("${") == std::string_view::npos) return plain_pattern(text);
  Pattern out;
  auto append = [&](std::string_view s, bool literal) {
    out.text += s;
    out.literal.insert(out.literal.end(), s.size(), literal);
  };
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find("${", i);
    if (open == std::string_view::npos) {
      append(text.substr(i), false);
      break;
    }
    const size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) {  // not a variable: IAM keeps the text as it is
      append(text.substr(i), false);
      break;
    }
    append(text.substr(i, open - i), false);
    std::string_view inner = text.substr(open + 2, close - open - 2);
    i = close + 1;
    if (inner == "*" || inner == "?" || inner == "$") {
      append(inner, true);
      continue;
    }
    std::optional<std::string_view> fallback;
    if (const auto comma = inner.find(','); comma != std::string_view::npos) {
      std::string_view def = trim(inner.substr(comma + 1));
      if (def.size() >= 2 && def.front() == '\'' && def.back() == '\'') fallback = def.substr(1, def.size() - 2);
      inner = trim(inner.substr(0, comma));
    }
    if (const std::string* value = context.find(trim(inner))) {
      append(*value, true);
    } else if (fallback) {
      append(*fallback, true);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool wildcard_match(const Pattern& pattern, std::string_view text, CaseRule rule) {
  const std::string& p = pattern.text;
  auto is_star = [&](size_t k) { return p[k] == '*' && !pattern.literal[k]; };
  auto same = [&](size_t k, char c) {
    if (p[k] == '?' && !pattern.literal[k]) return true;
    if (rule == CaseRule::kInsensitive)
      return std::tolower(static_cast<unsigned char>(p[k])) == std::tolower(static_cast<unsigned char>(c));
    return p[k] == c;
  };
  size_t pi = 0, ti = 0;
  size_t star = std::string::npos, mark = 0;
  while (ti < text.size()) {
    if (pi < p.size() && is_star(pi)) {
      star = pi++;
      mark = ti;
    } else if (pi < p.size() && same(pi, text[ti])) {
      ++pi;
      ++ti;
    } else if (star != std::string::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && is_star(pi)) ++pi;
  return pi == p.size();
}

}  // namespace mfaenv
