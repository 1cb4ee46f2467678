// Running a shell command and reading what it prints: for credential_process and mfa_process.
// Knows nothing of AWS; the caller chooses the child's environment. Each run is bounded in time and
// in output, and never waits for the child's own children (docs/design.md §4, docs/hardening.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

// How the command ended. Past the time or output limit the child is killed (SIGKILL); its own
// children are not waited for, whatever they hold open.
enum class CommandEnd { kExited, kTimedOut, kOutputTooLarge };

struct CommandOutput {
  std::string out;     // stdout, at most the limit given
  int exit_status = 0; // the exit status, or 128 + signal number when killed
  CommandEnd end = CommandEnd::kExited;
};

enum class ChildStdin { kInherit, kDevNull };

struct CommandLimits {
  size_t max_output = 4096;
  Seconds timeout{60};
};

// The default time a helper may take, and MFAENV_PROCESS_TIMEOUT, which overrides it.
inline constexpr Seconds kDefaultProcessTimeout{60};
Result<Seconds> process_timeout();

// Runs `/bin/sh -c command` with exactly `environment` ("NAME=value" strings); stderr is the
// caller's. An Error only when the command cannot be started.
Result<CommandOutput> run_shell_command(const std::string& command, const std::vector<std::string>& environment,
                                        ChildStdin stdin_mode, const CommandLimits& limits);

// Why mfaenv stopped a helper whose run did not end by itself (`end` is kTimedOut or
// kOutputTooLarge), to follow "the SETTING of profile 'P' ": "did not finish within 60s and was
// stopped; raise MFAENV_PROCESS_TIMEOUT if it needs longer" or "printed more than N bytes and was
// stopped; it must print MUST_PRINT". One wording for every helper (docs/hardening.md, defect 4).
std::string stopped_helper_reason(CommandEnd end, const CommandLimits& limits, std::string_view must_print);

// The program a command line runs, without its folder or arguments ("oathtool" for
// "/usr/bin/oathtool --totp -b SEED"): all that debug lines may say of a command, since the rest
// may hold a secret.
std::string program_name(std::string_view command);

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
