// Running the program behind a prompt driver (zenity, kdialog, osascript, ykman) and the dialog loop.
#include <unistd.h>

#include <fmt/format.h>

#include "mfa/prompt_drivers.h"
#include "util/strings.h"

namespace mfaenv {

bool is_aws_secret_variable(std::string_view entry) {
  for (std::string_view name : {"AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=", "AWS_SECURITY_TOKEN=",
                                "AWS_ACCESS_KEY_ID=", "AWS_CREDENTIAL_EXPIRATION=", "AWS_CONTAINER_AUTHORIZATION_TOKEN="})
    if (starts_with(entry, name)) return true;
  return false;
}

std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0 ? program : "";
  const std::string path = env("PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  for (const auto& folder : split(path, ':')) {
    const std::string candidate = (folder.empty() ? "." : folder) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

bool has_display() {
  return !env("DISPLAY").value_or("").empty() || !env("WAYLAND_DISPLAY").value_or("").empty();
}

std::string dialog_program(const char* name) { return has_display() ? find_program(name) : ""; }

namespace {

// 'it'\''s': a word /bin/sh reads back byte for byte, whatever it holds.
std::string sh_word(std::string_view word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

Result<CommandOutput> run_prompt_program(const std::vector<std::string>& argv, const std::vector<std::string>& extra) {
  std::string command = "exec";
  for (const auto& word : argv) command += " " + sh_word(word);
  std::vector<std::string> environment = current_environment_without(is_aws_secret_variable);
  environment.insert(environment.end(), extra.begin(), extra.end());
  // A person answers a dialog, or touches a YubiKey, within MFAENV_PROCESS_TIMEOUT (60 s by default).
  return run_shell_command(command, environment, ChildStdin::kDevNull, CommandLimits{4096, MFAENV_TRY(process_timeout())});
}

Result<std::string> dialog_answer(const char* program, const CommandOutput& run, bool* retype) {
  *retype = false;
  if (run.exit_status == 1) return make_error(ErrorKind::kMfaCodeNeeded, "the {} MFA prompt was cancelled", program);
  if (run.exit_status == 5) return make_error(ErrorKind::kMfaCodeNeeded, "the {} MFA prompt timed out", program);
  if (run.exit_status != 0)
    return make_error(ErrorKind::kMfaCodeNeeded, "{} could not show the MFA prompt (exit status {})", program,
                      run.exit_status);
  std::string code = normalize_code(run.out);
  if (is_valid_code(code)) return code;
  *retype = true;
  return make_error(ErrorKind::kMfaCodeNeeded, "no valid MFA code entered in the {} prompt", program);
}

Result<std::string> DialogPrompt::code(const std::string& serial, CodeRetry retry) {
  std::string message = prompt_message(serial, context_, retry);
  for (int typo = 0;; ++typo) {
    auto run = run_prompt_program(command(message));
    if (!run.ok()) return make_error(ErrorKind::kMfaCodeNeeded, "cannot run {}: {}", program_, run.error().message);
    bool retype = false;
    auto answer = dialog_answer(program_, *run, &retype);
    if (answer.ok() || !retype || typo >= 2) return answer;
    message = "An MFA code is six digits. " + prompt_message(serial, context_, CodeRetry::kFirst);
  }
}

}  // namespace mfaenv
