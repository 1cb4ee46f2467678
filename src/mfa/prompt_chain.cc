// Choosing the code source: --token-code, mfa_process, then the drivers of mfaenv_prompt in order
// (docs/prompts.md). A driver is skipped when it cannot work here (no terminal, no display, program
// not installed); the first usable one is asked, and its failure (a cancelled dialog) is final.
#include <fmt/format.h>

#include "mfa/prompt_drivers.h"
#include "util/strings.h"
#include "util/shell_word.h"

namespace mfaenv {

namespace {

// Why `driver` cannot be used here, or "" when it can (then *source holds it).
std::string try_driver(PromptDriver driver, const CodeSourceSettings& s, std::unique_ptr<MfaCodeSource>* source) {
  switch (driver) {
    case PromptDriver::kTerminal:
      if (s.terminal == TerminalPrompt::kForbidden) return "the terminal belongs to the command 'exec --server' runs";
      *source = make_tty_code_source(s.context);
      return *source ? "" : "no terminal";
    case PromptDriver::kZenity:
      *source = make_zenity_prompt(s.context);
      return *source ? "" : !has_display() ? "no DISPLAY" : "not installed";
    case PromptDriver::kKdialog:
      *source = make_kdialog_prompt(s.context);
      return *source ? "" : !has_display() ? "no DISPLAY" : "not installed";
    case PromptDriver::kOsascript:
      *source = make_osascript_prompt(s.context);
      return *source ? "" : "not installed (macOS only)";
    case PromptDriver::kYkman:
      *source = make_ykman_source(s.context, s.ykman_account.value_or(""));
      return *source ? "" : "ykman is not installed";
  }
  return "unknown";
}

}  // namespace

Result<std::unique_ptr<MfaCodeSource>> choose_code_source(const CodeSourceSettings& s) {
  if (s.token_code) return make_fixed_code_source(*s.token_code);
  const std::string& profile = s.context.profile;
  if (s.prompting == Prompting::kNever)
    return make_error(ErrorKind::kMfaCodeNeeded, "no valid session for profile '{}'; run '{}'", profile,
                      suggested_command("login", {profile}));
  if (s.mfa_process && !trim(*s.mfa_process).empty()) return make_process_code_source(*s.mfa_process, s.context.profile);
  const bool configured = s.prompts.has_value() && !s.prompts->empty();
  std::vector<PromptDriver> drivers{PromptDriver::kTerminal, PromptDriver::kZenity, PromptDriver::kKdialog};
  if (configured) drivers = *s.prompts;
  std::string reasons;
  for (PromptDriver d : drivers) {
    std::unique_ptr<MfaCodeSource> source;
    const std::string why = try_driver(d, s, &source);
    if (why.empty()) return source;
    reasons += fmt::format("{}{}: {}", reasons.empty() ? "" : "; ", prompt_driver_name(d), why);
  }
  if (!configured && s.terminal == TerminalPrompt::kAllowed) {
    return make_error(ErrorKind::kMfaCodeNeeded,
                      "profile '{}' needs an MFA code and there is no terminal to ask on; run '{}' in a "
                      "terminal, or set mfa_process or mfaenv_prompt in the profile",
                      profile, suggested_command("login", {profile}));
  }
  return make_error(ErrorKind::kMfaCodeNeeded,
                    "profile '{}' needs an MFA code and no prompt can ask for it ({}); run '{}' in a "
                    "terminal, or set mfa_process or mfaenv_prompt in the profile",
                    profile, reasons, suggested_command("login", {profile}));
}

Result<std::unique_ptr<MfaCodeSource>> choose_code_source(const std::optional<std::string>& token_code,
                                                          const std::optional<std::string>& mfa_process,
                                                          Prompting prompting, std::string_view profile) {
  CodeSourceSettings settings;
  settings.token_code = token_code;
  settings.mfa_process = mfa_process;
  settings.prompting = prompting;
  settings.context.profile = std::string(profile);
  return choose_code_source(settings);
}

}  // namespace mfaenv
