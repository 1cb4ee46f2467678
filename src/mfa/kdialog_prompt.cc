// The `kdialog` driver: a KDE input box.
#include "mfa/prompt_drivers.h"

namespace mfaenv {

namespace {

class KdialogPrompt : public DialogPrompt {
 public:
  KdialogPrompt(std::string program, PromptContext context) : DialogPrompt("kdialog", std::move(context)), program_(std::move(program)) {}

 protected:
  std::vector<std::string> command(const std::string& message) const override {
    return {program_, "--title", "mfaenv: MFA code", "--inputbox", message};
  }

 private:
  std::string program_;
};

}  // namespace

std::unique_ptr<MfaCodeSource> make_kdialog_prompt(PromptContext context) {
  std::string program = find_program("kdialog");
  if (program.empty() || !has_display()) return nullptr;
  return std::make_unique<KdialogPrompt>(std::move(program), std::move(context));
}

}  // namespace mfaenv
