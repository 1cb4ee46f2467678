// Words for a POSIX shell: the one sh quoter (used by `env --format sh` through output/quote.h) and
// the commands mfaenv suggests in its messages ("run 'mfaenv login alice'"). A profile name is
// data from a (possibly shared) config file: `[profile "dev; touch x"]` is legal, so a suggested
// command quotes it, or copying the advice would run shell code (docs/hardening.md, attack 2, F24).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace mfaenv {

// POSIX sh, bash, zsh: 'V', each ' written as '\''. Exact for every byte but NUL.
void append_sh_quoted(std::string& out, std::string_view value);

// `word` bare when every byte is one no shell treats specially (letters, digits, _ @ % + = : , . / -
// and not empty), so that people read `alice` as `alice`; otherwise sh-quoted.
std::string sh_word(std::string_view word);

// "mfaenv COMMAND WORD...", each word through sh_word: suggested_command("login", {profile}).
std::string suggested_command(std::string_view command, std::initializer_list<std::string_view> words);

}  // namespace mfaenv
