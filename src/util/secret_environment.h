// Environment variables that hold a secret mfaenv reads but never hands on. MFAENV_FILE_PASSPHRASE
// unlocks the file backend's key files, so it is as good as the long-term keys: no mfa_process,
// credential_process, mfaenv_passphrase_process, prompt program or `exec` / `exec --server` child
// may inherit it (docs/keys.md). Knows nothing of AWS.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mfaenv {

// Called first thing in main: each such variable is copied into this process's memory and removed
// from its environment, so that every child, however its environment is built (a copy of environ,
// execvp), starts without it. One unsetenv per variable when it is set: nothing on the warm path.
void take_secret_variables();

// The value of such a variable: the one taken at start, or (when take_secret_variables was not
// called, as in unit tests) the environment's. nullopt when unset.
std::optional<std::string> secret_variable(std::string_view name);

}  // namespace mfaenv
