// Finding the file backend's passphrase, in the order docs/keys.md gives.
#include "keys/passphrase.h"

#include "keys/tty_input.h"
#include "util/secret_environment.h"
#include "util/strings.h"
#include "util/subprocess.h"

namespace mfaenv {

Result<std::string> get_file_passphrase(const KeyStoreOptions& options, PassphraseUse use, std::string_view what) {
  if (auto p = secret_variable("MFAENV_FILE_PASSPHRASE"); p && !p->empty()) return std::move(*p);
  if (options.profile) {
    if (const auto& command = options.profile->passphrase_process; command && !trim(*command).empty()) {
      const CommandLimits limits{4096, MFAENV_TRY(process_timeout())};
      auto run = run_shell_command(std::string(trim(*command)), current_environment_without([](std::string_view e) {
                                     return starts_with(e, "AWS_SECRET_ACCESS_KEY=") || starts_with(e, "AWS_SESSION_TOKEN=");
                                   }),
                                   ChildStdin::kDevNull, limits);
      if (!run) return make_error(ErrorKind::kGeneric, "mfaenv_passphrase_process of profile '{}': {}", options.profile->name, run.error().message);
      std::string out = std::move(run->out);
      if (run->end != CommandEnd::kExited || run->exit_status != 0) {
        wipe(out);
        // A helper mfaenv stopped did not fail by itself: say why it was stopped (defect 4's wording).
        if (run->end != CommandEnd::kExited)
          return make_error(ErrorKind::kGeneric, "the mfaenv_passphrase_process of profile '{}' {}", options.profile->name,
                            stopped_helper_reason(run->end, limits, "only the passphrase"));
        return make_error(ErrorKind::kGeneric, "mfaenv_passphrase_process of profile '{}' failed (exit status {})",
                          options.profile->name, run->exit_status);
      }
      std::string line = out.substr(0, out.find('\n'));
      wipe(out);
      if (line.empty())
        return make_error(ErrorKind::kGeneric, "mfaenv_passphrase_process of profile '{}' printed no passphrase", options.profile->name);
      return line;
    }
  }
  const std::string without =
      fmt::format("{} needs the key file passphrase: set MFAENV_FILE_PASSPHRASE or mfaenv_passphrase_process, or run "
                  "mfaenv in a terminal",
                  what);
  if (options.prompt == KeyPrompt::kNever) return Error{ErrorKind::kMfaCodeNeeded, without};
  std::string first = MFAENV_TRY(ask_on_tty("Key file passphrase: ", TtyEcho::kHide, without));
  if (first.empty()) return make_error(ErrorKind::kUsage, "an empty passphrase protects nothing");
  if (use == PassphraseUse::kCreate) {
    std::string again = MFAENV_TRY(ask_on_tty("The same passphrase again: ", TtyEcho::kHide, without));
    const bool same = again == first;
    wipe(again);
    if (!same) {
      wipe(first);
      return make_error(ErrorKind::kUsage, "the two passphrases differ; nothing was stored");
    }
  }
  return first;
}

}  // namespace mfaenv
