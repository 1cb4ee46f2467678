// JSON string escaping with UTF-8 validation (Unicode §3.9, table 3-7: well-formed byte sequences).
#include "output/json_string.h"

#include "util/utf8.h"

namespace mfaenv {
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
