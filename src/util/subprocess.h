// Running a shell command and reading what it prints: for credential_process and mfa_process.
// Knows nothing of AWS; the caller chooses the child's environment.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace mfaenv {

struct CommandOutput {
  std::string out;     // stdout, at most the limit given
  int exit_status = 0; // the exit status, or 128 + signal number when killed
};

enum class ChildStdin { kInherit, kDevNull };

// Runs `/bin/sh -c command` with exactly `environment` ("NAME=value" strings); stderr is the
// caller's. An Error only when the command cannot be started.
Result<CommandOutput> run_shell_command(const std::string& command, const std::vector<std::string>& environment,
                                        ChildStdin stdin_mode, size_t max_output);

// This process's environment less the variables for which `drop` returns true.
template <typename Predicate>
std::vector<std::string> current_environment_without(Predicate drop);

}  // namespace mfaenv

extern char** environ;

template <typename Predicate>
std::vector<std::string> mfaenv::current_environment_without(Predicate drop) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e)
    if (!drop(std::string_view(*e))) out.emplace_back(*e);
  return out;
}
