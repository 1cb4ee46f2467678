// Recursive-descent JSON reader with positions. Strict: no comments, no trailing commas, no
// leading zeros, no control characters in strings; nesting is capped so hostile input cannot
// exhaust the stack.
#include "policy/json_reader.h"

#include <cstdint>
#include <tuple>

#include "util/utf8.h"

namespace mfaenv {

const JsonMember* JsonValue::find(std::string_view key) const {
  for (const auto& m : members)
    if (m.key == key) return &m;
  return nullptr;
}

const char* JsonValue::type_name() const {
  switch (type) {
    case Type::kNull: return "null";
    case Type::kBool: return "a boolean";
    case Type::kNumber: return "a number";
    case Type::kString: return "a string";
    case Type::kArray: return "a list";
    case Type::kObject: return "an object";
  }
  return "a value";
}

namespace {

constexpr int kMaxDepth = 64;

class Reader {
 public:
  Reader(std::string_view text, std::string_view name) : text_(text), name_(name) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;  // a UTF-8 byte-order mark, as editors write
  }

  Result<JsonValue> document() {
    skip_space();
    if (at_end()) return fail(pos(), "the file is empty; expected a JSON object");
    JsonValue value;
    MFAENV_CHECK(parse_value(value, 0));
    skip_space();
    if (!at_end()) return fail(pos(), "unexpected {} after the end of the JSON document", describe_here());
    return value;
  }

 private:
  bool at_end() const { return i_ >= text_.size(); }
  char peek() const { return text_[i_]; }
  SourcePos pos() const { return {line_, column_}; }

  void advance(size_t n = 1) {
    for (size_t k = 0; k < n && i_ < text_.size(); ++k) {
      const auto c = static_cast<unsigned char>(text_[i_++]);
      if (c == '\n') {
        ++line_;
        column_ = 1;
      } else if ((c & 0xC0) != 0x80) {  // continuation bytes belong to the previous character
        ++column_;
      }
    }
  }

  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) advance();
  }

  std::string describe_here() const {
    if (at_end()) return "end of input";
    const auto c = static_cast<unsigned char>(peek());
    if (c < 0x20 || c >= 0x7F) return fmt::format("byte 0x{:02X}", c);
    return fmt::format("'{}'", static_cast<char>(c));
  }

  template <typename... Args>
  Error fail(SourcePos at, fmt::format_string<Args...> format, Args&&... args) const {
    return Error{ErrorKind::kConfigInvalid, fmt::format("{}:{}:{}: invalid JSON: {}", name_, at.line, at.column,
                                                        fmt::format(format, std::forward<Args>(args)...))};
  }

  Status parse_value(JsonValue& out, int depth) {
    if (depth > kMaxDepth) return fail(pos(), "nested deeper than {} levels", kMaxDepth);
    if (at_end()) return fail(pos(), "unexpected end of input; expected a value");
    out.pos = pos();
    const char c = peek();
    if (c == '{') return parse_object(out, depth);
    if (c == '[') return parse_array(out, depth);
    if (c == '"') {
      out.type = JsonValue::Type::kString;
      return parse_string(out.text);
    }
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number(out);
    for (const auto& [word, type, value] : {std::tuple{"true", JsonValue::Type::kBool, true},
                                           std::tuple{"false", JsonValue::Type::kBool, false},
                                           std::tuple{"null", JsonValue::Type::kNull, false}}) {
      const std::string_view w(word);
      if (text_.substr(i_, w.size()) == w) {
        out.type = type;
        out.boolean = value;
        advance(w.size());
        return {};
      }
    }
    if (c == '\'') return fail(pos(), "strings must be in double quotes, not single quotes");
    return fail(pos(), "unexpected {}; expected a value (object, list, string, number, true, false or null)",
                describe_here());
  }

  Status parse_object(JsonValue& out, int depth) {
    out.type = JsonValue::Type::kObject;
    advance();  // {
    skip_space();
    if (!at_end() && peek() == '}') {
      advance();
      return {};
    }
    while (true) {
      skip_space();
      if (at_end() || peek() != '"') {
        if (!at_end() && peek() == '}') return fail(pos(), "trailing comma before '}}'");
        return fail(pos(), "unexpected {}; expected a key in double quotes", describe_here());
      }
      JsonMember member;
      member.key_pos = pos();
      MFAENV_CHECK(parse_string(member.key));
      for (const auto& existing : out.members) {
        if (existing.key == member.key)
          return fail(member.key_pos, "duplicate key \"{}\" (first at line {}, column {}); JSON readers keep only one "
                                      "of them, so merge the two",
                      member.key, existing.key_pos.line, existing.key_pos.column);
      }
      skip_space();
      if (at_end() || peek() != ':') return fail(pos(), "unexpected {}; expected ':' after the key", describe_here());
      advance();
      skip_space();
      MFAENV_CHECK(parse_value(member.value, depth + 1));
      out.members.push_back(std::move(member));
      skip_space();
      if (at_end()) return fail(pos(), "unexpected end of input; expected ',' or '}}' (the object at line {}, "
                                       "column {} is not closed)", out.pos.line, out.pos.column);
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == '}') {
        advance();
        return {};
      }
      return fail(pos(), "unexpected {}; expected ',' or '}}'", describe_here());
    }
  }

  Status parse_array(JsonValue& out, int depth) {
    out.type = JsonValue::Type::kArray;
    advance();  // [
    skip_space();
    if (!at_end() && peek() == ']') {
      advance();
      return {};
    }
    while (true) {
      skip_space();
      if (!at_end() && peek() == ']') return fail(pos(), "trailing comma before ']'");
      JsonValue item;
      MFAENV_CHECK(parse_value(item, depth + 1));
      out.items.push_back(std::move(item));
      skip_space();
      if (at_end()) return fail(pos(), "unexpected end of input; expected ',' or ']' (the list at line {}, column {} "
                                       "is not closed)", out.pos.line, out.pos.column);
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == ']') {
        advance();
        return {};
      }
      return fail(pos(), "unexpected {}; expected ',' or ']'", describe_here());
    }
  }

  Status parse_number(JsonValue& out) {
    out.type = JsonValue::Type::kNumber;
    const size_t start = i_;
    const SourcePos at = pos();
    auto digits = [&] {
      size_t n = 0;
      while (!at_end() && peek() >= '0' && peek() <= '9') {
        advance();
        ++n;
      }
      return n;
    };
    if (peek() == '-') advance();
    if (!at_end() && peek() == '0') {
      advance();
      if (!at_end() && peek() >= '0' && peek() <= '9') return fail(at, "numbers must not have leading zeros");
    } else if (digits() == 0) {
      return fail(at, "a '-' must be followed by digits");
    }
    if (!at_end() && peek() == '.') {
      advance();
      if (digits() == 0) return fail(pos(), "expected digits after the decimal point");
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      advance();
      if (!at_end() && (peek() == '+' || peek() == '-')) advance();
      if (digits() == 0) return fail(pos(), "expected digits in the exponent");
    }
    out.text = std::string(text_.substr(start, i_ - start));
    return {};
  }

  Result<uint32_t> hex4() {
    const SourcePos at = pos();
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      if (at_end()) return fail(at, "unexpected end of input in a \\u escape");
      const char c = peek();
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
      else return fail(pos(), "a \\u escape needs four hex digits");
      advance();
    }
    return v;
  }

  Status parse_string(std::string& out) {
    const SourcePos start = pos();
    advance();  // "
    while (true) {
      if (at_end()) return fail(start, "string not closed: no '\"' before the end of input");
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"') {
        advance();
        return {};
      }
      if (c == '\n') return fail(start, "string not closed before the end of the line");
      if (c < 0x20) return fail(pos(), "control character (byte 0x{:02X}) in a string; write it as an escape", c);
      if (c != '\\') {
        out += static_cast<char>(c);
        advance();
        continue;
      }
      const SourcePos escape_pos = pos();
      advance();
      if (at_end()) return fail(escape_pos, "unexpected end of input after '\\'");
      const char e = peek();
      advance();
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = MFAENV_TRY(hex4());
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair encodes one character above U+FFFF
            if (text_.substr(i_, 2) != "\\u") return fail(escape_pos, "unpaired UTF-16 surrogate in a \\u escape");
            advance(2);
            const uint32_t low = MFAENV_TRY(hex4());
            if (low < 0xDC00 || low > 0xDFFF) return fail(escape_pos, "unpaired UTF-16 surrogate in a \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail(escape_pos, "unpaired UTF-16 surrogate in a \\u escape");
          }
          append_utf8(out, cp);
          break;
        }
        default:
          return fail(escape_pos, "invalid escape '\\{}' in a string", e);
      }
    }
  }

  std::string_view text_;
  std::string_view name_;
  size_t i_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

Result<JsonValue> parse_json(std::string_view text, std::string_view name) { return Reader(text, name).document(); }

}  // namespace mfaenv
