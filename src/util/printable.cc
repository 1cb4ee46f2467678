// Escaping text for people, and the two ways mfaenv prints it.
#include "util/printable.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace mfaenv {

namespace {

// The length of the UTF-8 sequence at `s`, or 0 when it is not valid UTF-8 (overlong forms,
// surrogates and values past U+10FFFF included).
size_t utf8_length(std::string_view s, char32_t& code_point) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = b(0);
  size_t n = 0;
  char32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) n = 2, code_point = lead & 0x1F, min = 0x80;
  else if (lead >= 0xE0 && lead <= 0xEF) n = 3, code_point = lead & 0x0F, min = 0x800;
  else if (lead >= 0xF0 && lead <= 0xF4) n = 4, code_point = lead & 0x07, min = 0x10000;
  else return 0;
  if (s.size() < n) return 0;
  for (size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (b(i) & 0x3F);
  }
  if (code_point < min || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return 0;
  return n;
}

// Characters that change how a terminal shows what follows: C1 controls, and the bidirectional
// embeddings, overrides and isolates (text that reads differently from what it is).
bool is_invisible_control(char32_t c) {
  return (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

std::string printable(std::string_view text, size_t max_bytes) {
  std::string out;
  const std::string_view shown = text.substr(0, max_bytes);
  out.reserve(shown.size() + 16);
  for (size_t i = 0; i < shown.size();) {
    const unsigned char c = static_cast<unsigned char>(shown[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    switch (c) {
      case '\n': out += "\\n"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      default: break;
    }
    char32_t code_point = 0;
    const size_t n = c >= 0x80 ? utf8_length(shown.substr(i), code_point) : 0;
    if (n == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
    } else if (is_invisible_control(code_point)) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(code_point));
      i += n;
    } else {
      out.append(shown.substr(i, n));
      i += n;
    }
  }
  if (text.size() > shown.size()) out += fmt::format("... ({} more bytes)", text.size() - shown.size());
  return out;
}

void tell(std::string_view message) {
  // write(2) rather than stdio: nothing is buffered, and a failure is simply ignored.
  write_all(STDERR_FILENO, "mfaenv: " + printable(message, kMaxLineText) + "\n");
}

void print_line(std::string_view line) {
  const std::string text = printable(line, kMaxLineText) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace mfaenv
