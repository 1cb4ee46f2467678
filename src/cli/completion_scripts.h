// Shell completion scripts generated from the command table (`mfaenv completion bash|zsh|fish`):
// commands, subcommands, flags, flag values (--format's), profile names (from the hidden, fast
// `mfaenv __complete-profiles`) and files where a command takes a file.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace mfaenv {

enum class CompletionShell { kBash, kZsh, kFish };

Result<CompletionShell> parse_completion_shell(std::string_view name);
std::string completion_script(CompletionShell shell);

}  // namespace mfaenv
