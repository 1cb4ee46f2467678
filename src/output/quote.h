// Quoting a value so that a shell or a dotenv reader reads back exactly its bytes. The rules per
// reader, and why, are in docs/shells.md; tests/output/roundtrip_test.cc checks them with real shells.
#pragma once

#include <string>
#include <string_view>

#include "util/shell_word.h"  // append_sh_quoted: POSIX sh, bash, zsh

namespace mfaenv {

// fish: 'V' with \ and ' escaped by a backslash, the only escapes fish knows inside single quotes.
void append_fish_quoted(std::string& out, std::string_view value);

// PowerShell: 'V' with every single quote doubled, including the typographic ones (U+2018..U+201B)
// that PowerShell's tokenizer also takes for quotes.
void append_powershell_quoted(std::string& out, std::string_view value);

// dotenv: bare when every byte is harmless, else 'V' (literal in sh, direnv's dotenv and
// python-dotenv alike). false, with nothing appended, for a value that needs double quotes (a
// quote, a line break, `${`, a backslash pair or a trailing backslash): no double-quoted form is
// both inert when sourced by sh and read back exactly by the dotenv readers.
bool append_dotenv_value(std::string& out, std::string_view value);

}  // namespace mfaenv
