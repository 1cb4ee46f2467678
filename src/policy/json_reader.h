// A strict JSON reader (RFC 8259) that remembers where every value and key starts, so that policy
// messages can say file:line:col. nlohmann-json parses fine but forgets positions; a small recursive
// reader is simpler and more robust than reconstructing them from its SAX callbacks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace mfaenv {

// 1-based line and column; columns count characters (UTF-8 sequences), a tab counts as one.
struct SourcePos {
  int line = 0;
  int column = 0;
};

struct JsonMember;

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type = Type::kNull;
  SourcePos pos;
  bool boolean = false;
  std::string text;                // a string's decoded value, or a number's literal text
  std::vector<JsonValue> items;    // kArray
  std::vector<JsonMember> members; // kObject, in file order; keys are unique

  // The member named `key` (exact match), or nullptr.
  const JsonMember* find(std::string_view key) const;
  // "a string", "an object", ... for messages.
  const char* type_name() const;
};

struct JsonMember {
  std::string key;
  SourcePos key_pos;
  JsonValue value;
};

// Parses a whole document. Errors are kConfigInvalid: "NAME:LINE:COL: what is wrong". Duplicate keys
// in one object are an error: JSON readers silently keep one of them, which hides half a policy.
Result<JsonValue> parse_json(std::string_view text, std::string_view name);

}  // namespace mfaenv
