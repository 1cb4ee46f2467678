// mfaenv config: get, set, list and profiles (placeholder until the config reader lands).
#include "cli/command.h"

namespace mfaenv {

void add_config_command(CLI::App& app, CommandAction& run) {
  auto* cmd = app.add_subcommand("config", "Read and change settings in the AWS config files");
  cmd->require_subcommand(1);
  (void)run;
}

}  // namespace mfaenv
