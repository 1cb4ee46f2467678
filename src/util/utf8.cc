// UTF-8 validation and encoding.
#include "util/utf8.h"

#include <algorithm>

namespace mfaenv {

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

bool is_valid_utf8(std::string_view bytes) { return invalid_utf8_offset(bytes) == std::string_view::npos; }

size_t invalid_utf8_offset(std::string_view text, size_t* detected_at) {
  size_t i = 0;
  while (i < text.size()) {
    const int n = utf8_sequence(text.substr(i));
    if (n > 0) {
      i += static_cast<size_t>(n);
      continue;
    }
    if (detected_at != nullptr) {
      const auto lead = static_cast<unsigned char>(text[i]);
      const bool lead_ok = lead >= 0xC2 && lead <= 0xF4;
      // A good lead: the decoder notices at the first byte after the maximal subpart (or the end).
      *detected_at = lead_ok ? std::min(text.size(), i + static_cast<size_t>(-n)) : i;
    }
    return i;
  }
  return std::string_view::npos;
}

void append_utf8(std::string& s, uint32_t cp) {
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace mfaenv
