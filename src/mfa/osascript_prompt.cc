// The `osascript` driver: an AppleScript dialog on macOS. Built and unit-tested for its script
// text only: no macOS machine runs mfaenv's tests (docs/prompts.md).
#include "mfa/prompt_drivers.h"

namespace mfaenv {

namespace {

// An AppleScript string literal: backslash and double quote escaped, line breaks made spaces.
std::string applescript_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' || c == '\r' ? ' ' : c;
  }
  return out + "\"";
}

class OsascriptPrompt : public DialogPrompt {
 public:
  using DialogPrompt::DialogPrompt;

 protected:
  std::vector<std::string> command(const std::string& message) const override {
    // Cancel makes osascript exit 1 ("User canceled. (-128)"); giving up after 300 s returns "".
    return {path(), "-e",
            "display dialog " + applescript_string(message) +
                " default answer \"\" with title \"mfaenv: MFA code\" buttons {\"Cancel\", \"OK\"} default button \"OK\" "
                "cancel button \"Cancel\" giving up after 300",
            "-e", "text returned of result"};
  }
};

}  // namespace

std::unique_ptr<MfaCodeSource> make_osascript_prompt(PromptContext context) {
  std::string program = find_program("osascript");
  if (program.empty()) return nullptr;
  return std::make_unique<OsascriptPrompt>("osascript", std::move(program), std::move(context));
}

}  // namespace mfaenv
