// mfaenv hook direnv|bash|zsh|fish: prints the shell code that loads mfaenv sessions (the texts and
// what they do are in src/output/hook_scripts.cc and docs/shells.md).
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "output/hook_scripts.h"

namespace mfaenv {

void add_hook_command(CLI::App& app, CommandAction& run) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("hook");
  cmd->add_option("SHELL", *shell)->required();
  cmd->callback([shell, &run] {
    run = [shell]() -> Status {
      const HookShell which = MFAENV_TRY(parse_hook_shell(*shell));
      const std::string text = hook_script(which);
      std::fwrite(text.data(), 1, text.size(), stdout);
      return {};
    };
  });
}

}  // namespace mfaenv
