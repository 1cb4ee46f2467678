// JSON string escaping with UTF-8 validation (Unicode §3.9, table 3-7: well-formed byte sequences).
#include "output/json_string.h"

namespace mfaenv {
namespace {

// Length of the well-formed UTF-8 sequence at the start of `s`, or, when it is ill-formed, minus
// the length of its maximal subpart (the bytes to replace by one U+FFFD; at least 1).
int utf8_sequence(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = b(0);
  if (lead < 0x80) return 1;
  int length;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;    // no overlong forms
    if (lead == 0xED) high = 0x9F;   // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;    // no overlong forms
    if (lead == 0xF4) high = 0x8F;   // nothing above U+10FFFF
  } else {
    return -1;  // 0x80..0xC1, 0xF5..0xFF never start a character
  }
  for (int i = 1; i < length; ++i) {
    const size_t at = static_cast<size_t>(i);
    const unsigned char lo = i == 1 ? low : 0x80, hi = i == 1 ? high : 0xBF;
    if (at >= s.size() || b(at) < lo || b(at) > hi) return -i;
  }
  return length;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  while (!bytes.empty()) {
    const int n = utf8_sequence(bytes);
    if (n < 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void append_json_string(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  while (!bytes.empty()) {
    const auto c = static_cast<unsigned char>(bytes[0]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      out += static_cast<char>(c);
      bytes.remove_prefix(1);
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
          break;
        }
        const int n = utf8_sequence(bytes);
        if (n > 0) {
          out.append(bytes.substr(0, static_cast<size_t>(n)));
          bytes.remove_prefix(static_cast<size_t>(n));
        } else {
          out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
          bytes.remove_prefix(static_cast<size_t>(-n));
        }
        continue;
    }
    bytes.remove_prefix(1);
  }
  out += '"';
}

}  // namespace mfaenv
