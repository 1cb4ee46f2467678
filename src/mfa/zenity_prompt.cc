// The `zenity` driver: a GTK entry dialog (GNOME and most Linux desktops).
#include "mfa/prompt_drivers.h"

namespace mfaenv {

namespace {

class ZenityPrompt : public DialogPrompt {
 public:
  ZenityPrompt(std::string program, PromptContext context) : DialogPrompt("zenity", std::move(context)), program_(std::move(program)) {}

 protected:
  std::vector<std::string> command(const std::string& message) const override {
    // --timeout: a dialog nobody answers ends (exit 5) and frees the session's lock.
    return {program_, "--entry", "--title=mfaenv: MFA code", "--text=" + message, "--width=460", "--timeout=300"};
  }

 private:
  std::string program_;
};

}  // namespace

std::unique_ptr<MfaCodeSource> make_zenity_prompt(PromptContext context) {
  std::string program = find_program("zenity");
  if (program.empty() || !has_display()) return nullptr;
  return std::make_unique<ZenityPrompt>(std::move(program), std::move(context));
}

}  // namespace mfaenv
