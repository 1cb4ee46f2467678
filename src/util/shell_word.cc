// Quoting words for a POSIX shell (see shell_word.h).
#include "util/shell_word.h"

namespace mfaenv {

void append_sh_quoted(std::string& out, std::string_view value) {
  out += '\'';
  for (char c : value) {
    if (c == '\'') {
      out += "'\\''";  // close the quote, an escaped quote, reopen
    } else {
      out += c;
    }
  }
  out += '\'';
}

namespace {

bool is_plain_word_byte(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

}  // namespace

std::string sh_word(std::string_view word) {
  bool plain = !word.empty();
  for (char c : word) plain = plain && is_plain_word_byte(c);
  if (plain) return std::string(word);
  std::string out;
  append_sh_quoted(out, word);
  return out;
}

std::string suggested_command(std::string_view command, std::initializer_list<std::string_view> words) {
  std::string out = "mfaenv ";
  out += command;
  for (std::string_view word : words) {
    out += ' ';
    out += sh_word(word);
  }
  return out;
}

}  // namespace mfaenv
