// mfaenv completion bash|zsh|fish: prints the completion script made from the command table
// (completion_scripts.cc), for packages to install and users to load.
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/completion_scripts.h"

namespace mfaenv {

void add_completion_command(CLI::App& app, CommandAction& run) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("completion");
  cmd->add_option("SHELL", *shell)->required();
  cmd->callback([shell, &run] {
    run = [shell]() -> Status {
      const CompletionShell which = MFAENV_TRY(parse_completion_shell(*shell));
      const std::string text = completion_script(which);
      std::fwrite(text.data(), 1, text.size(), stdout);
      return {};
    };
  });
}

}  // namespace mfaenv
