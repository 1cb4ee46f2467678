// The `kdialog` driver: a KDE input box.
#include "mfa/prompt_drivers.h"

namespace mfaenv {

namespace {

class KdialogPrompt : public DialogPrompt {
 public:
  using DialogPrompt::DialogPrompt;

 protected:
  std::vector<std::string> command(const std::string& message) const override {
    return {path(), "--title", "mfaenv: MFA code", "--inputbox", message};
  }
};

}  // namespace

std::unique_ptr<MfaCodeSource> make_kdialog_prompt(PromptContext context) {
  std::string path = dialog_program("kdialog");
  if (path.empty()) return nullptr;
  return std::make_unique<KdialogPrompt>("kdialog", std::move(path), std::move(context));
}

}  // namespace mfaenv
