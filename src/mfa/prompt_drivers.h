// The prompt drivers of `mfaenv_prompt` and what they share: finding a program, running it without
// the AWS secrets in its environment, and reading the code it prints. Internal to src/mfa.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mfa/code_source.h"
#include "util/subprocess.h"

namespace mfaenv {

// The full path of `program` on PATH, or "" when it is not there.
std::string find_program(const std::string& program);

// Whether a graphical session is there for a dialog (DISPLAY or WAYLAND_DISPLAY set).
bool has_display();

// Where the dialog program `name` is, or "" when it is missing or there is no display to show it on.
std::string dialog_program(const char* name);

// Runs `argv` (quoted for /bin/sh, never through a shell's word splitting) with this process's
// environment less the AWS secrets, plus `extra` ("NAME=value"); stdin is /dev/null.
Result<CommandOutput> run_prompt_program(const std::vector<std::string>& argv, const std::vector<std::string>& extra = {});

// A dialog's answer: exit 0 and six digits -> the code; exit 1 (or `cancel_status`) -> cancelled.
// `retype` is set when the person typed something that is not a code.
Result<std::string> dialog_answer(const char* program, const CommandOutput& run, bool* retype);

// The graphical dialogs: nullptr when the program is missing or there is no display to show it on.
std::unique_ptr<MfaCodeSource> make_zenity_prompt(PromptContext context);
std::unique_ptr<MfaCodeSource> make_kdialog_prompt(PromptContext context);
std::unique_ptr<MfaCodeSource> make_osascript_prompt(PromptContext context);
// `ykman oath accounts code --single ACCOUNT` (YKMAN_OATH_DEVICE_SERIAL as --device): nullptr when
// ykman is not on PATH. An empty account means the MFA device's serial (aws-vault's convention).
std::unique_ptr<MfaCodeSource> make_ykman_source(PromptContext context, std::string account);

}  // namespace mfaenv

namespace mfaenv {

// Variables no prompt program or mfa_process may see: the AWS secrets and credentials.
bool is_aws_secret_variable(std::string_view entry);

// A graphical dialog asking for the code: re-asks (up to 3 times) when what was typed is not six
// digits; a cancelled or timed-out dialog is kMfaCodeNeeded (exit 3). Subclasses say how to run it.
class DialogPrompt : public MfaCodeSource {
 public:
  // `program`: its name, for messages; `path`: where it is (see dialog_program).
  DialogPrompt(const char* program, std::string path, PromptContext context)
      : program_(program), path_(std::move(path)), context_(std::move(context)) {}
  Result<std::string> code(const std::string& serial, CodeRetry retry) override;
  int max_attempts() const override { return 3; }
  bool can_wait_for_next_code() const override { return true; }
  std::string name() const override { return program_; }

 protected:
  // The program and its arguments showing `message` (one line, already worded).
  virtual std::vector<std::string> command(const std::string& message) const = 0;
  const std::string& path() const { return path_; }

 private:
  const char* program_;
  std::string path_;
  PromptContext context_;
};

}  // namespace mfaenv
