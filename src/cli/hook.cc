// mfaenv hook direnv|bash|zsh|fish: prints the shell code that loads mfaenv sessions (the texts and
// what they do are in src/output/hook_scripts.cc and docs/shells.md).
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "output/hook_scripts.h"

namespace mfaenv {

void add_hook_command(CLI::App& app, CommandAction& run) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("hook", "Print shell code to install: direnv, bash, zsh or fish");
  cmd->add_option("shell", *shell, "direnv, bash, zsh or fish")->required();
  cmd->footer(
      "Install:\n"
      "  direnv: mfaenv hook direnv > \"${XDG_CONFIG_HOME:-$HOME/.config}/direnv/lib/mfaenv.sh\"\n"
      "          then 'use mfaenv PROFILE' in an .envrc\n"
      "  bash:   eval \"$(mfaenv hook bash)\"   in ~/.bashrc\n"
      "  zsh:    eval \"$(mfaenv hook zsh)\"    in ~/.zshrc\n"
      "  fish:   mfaenv hook fish | source    in ~/.config/fish/config.fish");
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
