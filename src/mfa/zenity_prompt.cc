// The `zenity` driver: a GTK entry dialog (GNOME and most Linux desktops).
#include "mfa/prompt_drivers.h"

namespace mfaenv {

namespace {

class ZenityPrompt : public DialogPrompt {
 public:
  using DialogPrompt::DialogPrompt;

 protected:
  std::vector<std::string> command(const std::string& message) const override {
    // --timeout: a dialog nobody answers ends (exit 5) and frees the session's lock.
    return {path(), "--entry", "--title=mfaenv: MFA code", "--text=" + message, "--width=460", "--timeout=300"};
  }
};

}  // namespace

std::unique_ptr<MfaCodeSource> make_zenity_prompt(PromptContext context) {
  std::string path = dialog_program("zenity");
  if (path.empty()) return nullptr;
  return std::make_unique<ZenityPrompt>("zenity", std::move(path), std::move(context));
}

}  // namespace mfaenv
