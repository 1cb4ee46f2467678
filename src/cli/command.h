// How a CLI11 command plugs in: each src/cli/<command>.cc defines one add_*_command that declares
// its subcommand and flags on the CLI11 app (names as in command_table_data.cc, which supplies the
// help texts), parses them into its own options struct, and leaves in `run` the function to call.
// run.cc runs it; main.cc turns its Error into an exit code. The fast commands: fast_commands.h.
#pragma once

#include <functional>
#include <memory>

#include "cli/cli11.h"

#include "cli/fast_commands.h"
#include "util/result.h"

namespace mfaenv {

using CommandAction = std::function<Status()>;

// Called by main for every command, before parsing. `run` is set when the command is selected.
void add_config_command(CLI::App& app, CommandAction& run);
void add_hook_command(CLI::App& app, CommandAction& run);
void add_login_command(CLI::App& app, CommandAction& run);
void add_serve_command(CLI::App& app, CommandAction& run);
void add_whoami_command(CLI::App& app, CommandAction& run);
void add_status_command(CLI::App& app, CommandAction& run);
void add_logout_command(CLI::App& app, CommandAction& run);
void add_policy_command(CLI::App& app, CommandAction& run);
void add_keys_command(CLI::App& app, CommandAction& run);
void add_completion_command(CLI::App& app, CommandAction& run);
void add_console_command(CLI::App& app, CommandAction& run);
void add_mfa_command(CLI::App& app, CommandAction& run);

// The whole command tree, every command of the table (the fast ones for their --help only), with
// the table's help texts applied. `run` is set when a command is selected.
std::unique_ptr<CLI::App> build_app(CommandAction& run);

}  // namespace mfaenv
