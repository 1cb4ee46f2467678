// Quoting for sh, fish, PowerShell and dotenv (rules in docs/shells.md).
#include "output/quote.h"

namespace mfaenv {

void append_fish_quoted(std::string& out, std::string_view value) {
  out += '\'';
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
}

void append_powershell_quoted(std::string& out, std::string_view value) {
  out += '\'';
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\'') {
      out += "''";
      continue;
    }
    // U+2018..U+201B are E2 80 98..9B in UTF-8; inside '...' PowerShell drops the first of two
    // consecutive quote characters and keeps the second, so doubling the same character is exact.
    if (value[i] == '\xE2' && i + 2 < value.size() && value[i + 1] == '\x80' &&
        static_cast<unsigned char>(value[i + 2]) >= 0x98 && static_cast<unsigned char>(value[i + 2]) <= 0x9B) {
      out.append(value.substr(i, 3));
      out.append(value.substr(i, 3));
      i += 2;
      continue;
    }
    out += value[i];
  }
  out += '\'';
}

namespace {

// Bytes every dotenv reader (and `docker run --env-file`, which knows no quotes) takes literally
// in an unquoted value: no whitespace, quotes, '#', '$', '\' or anything a reader might expand.
bool is_bare_dotenv_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || c == '.' || c == ',' || c == ':' || c == '/' || c == '@' ||
         c == '%' || c == '+' || c == '=';
}

// Inside '...', direnv reads every byte literally but cannot span lines; python-dotenv decodes the
// escapes \\ and \' and expands ${VAR} even there. Values free of those can be single-quoted.
bool fits_single_quotes(std::string_view value) {
  for (char c : value) {
    if (c == '\'' || c == '\n' || c == '\r') return false;
  }
  return value.find("${") == std::string_view::npos && value.find("\\\\") == std::string_view::npos &&
         !value.ends_with('\\');
}

}  // namespace

bool append_dotenv_value(std::string& out, std::string_view value) {
  bool bare = true;
  for (char c : value) bare = bare && is_bare_dotenv_byte(c);
  if (bare) {
    out.append(value);
    return true;
  }
  // Inside '...' sh expands nothing, so `set -a; . file` is as inert as the readers. A value that
  // needs double quotes has no form that is both inert in sh and read back exactly by every
  // reader (python-dotenv has no escape for '$' or '`' there): it is refused.
  if (!fits_single_quotes(value)) return false;
  out += '\'';
  out.append(value);
  out += '\'';
  return true;
}

}  // namespace mfaenv
