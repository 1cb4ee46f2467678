// How a command plugs into main: each src/cli/<command>.cc defines one add_*_command that declares
// its subcommand and flags on the CLI11 app, parses them into its own options struct, and leaves
// in `run` the function to call. main.cc runs it and is the only place an Error becomes an exit code.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "util/result.h"

namespace mfaenv {

using CommandAction = std::function<Status()>;

// Called by main for every command, before parsing. `run` is set when the command is selected.
void add_config_command(CLI::App& app, CommandAction& run);
void add_hook_command(CLI::App& app, CommandAction& run);
void add_login_command(CLI::App& app, CommandAction& run);
void add_env_command(CLI::App& app, CommandAction& run);
void add_exec_command(CLI::App& app, CommandAction& run);
void add_serve_command(CLI::App& app, CommandAction& run);
void add_credential_process_command(CLI::App& app, CommandAction& run);
void add_whoami_command(CLI::App& app, CommandAction& run);
void add_status_command(CLI::App& app, CommandAction& run);
void add_logout_command(CLI::App& app, CommandAction& run);
void add_policy_command(CLI::App& app, CommandAction& run);

// The words after the first "--" on the command line, which main keeps away from the parser: the
// command that `exec` runs.
const std::vector<std::string>& trailing_arguments();

// The profile a command acts on (DESIGN.md §2): the argument, else --profile, else AWS_PROFILE,
// else AWS_DEFAULT_PROFILE, else "default".
std::string choose_profile(const std::string& argument, const std::string& flag);

}  // namespace mfaenv
