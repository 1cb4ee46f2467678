// The commands the command table marks Parsing::kFast: run straight from the fast parser's result
// (command_line.h), without CLI11, because they are on the warm path (env, exec,
// credential-process) or called by the completion scripts at every TAB. Each reads its flags from
// the CommandLine into its own options struct and calls its function, as the CLI11 commands do.
#pragma once

#include "cli/command_line.h"
#include "util/result.h"

namespace mfaenv {

Status env_command(const CommandLine& line);
Status exec_command(const CommandLine& line);
Status credential_process_command(const CommandLine& line);
Status complete_profiles_command(const CommandLine& line);
Status command_table_command(const CommandLine& line);

// The one above that runs `line.command` (a kFast command).
Status run_fast_command(const CommandLine& line);

// The profile names, one per line, written out as they are listed (__complete-profiles and `config
// profiles`): a config of 800k profiles is not copied into one string first.
class AwsConfig;
void print_profile_names(const AwsConfig& config);

// The profile `mfaenv config` acts on, as `aws configure` chooses it: the argument, else --profile,
// else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default". Session commands use
// choose_profile_name (cli/profile_options.h), which also knows MFAENV_PROFILE.
std::string choose_profile(const std::string& argument, const std::string& flag);

}  // namespace mfaenv
