// The shell code that `mfaenv hook SHELL` prints: a `use mfaenv` function for direnv, and prompt
// hooks for bash, zsh and fish that pick up a newer session from the cache and warn before the one
// in the environment expires. What each does on a prompt is in docs/shells.md.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace mfaenv {

enum class HookShell { kDirenv, kBash, kZsh, kFish };

// "direnv", "bash", "zsh", "fish"; else a usage error.
Result<HookShell> parse_hook_shell(std::string_view name);

std::string hook_script(HookShell shell);

}  // namespace mfaenv
