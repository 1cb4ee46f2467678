// The `ykman` driver: the code from a YubiKey's OATH applet, `ykman oath accounts code --single
// ACCOUNT`, with YKMAN_OATH_DEVICE_SERIAL as `--device` when several keys are plugged in. A touch-
// required account waits for the touch: mfaenv says so first (ykman's own line follows on stderr).
#include <fmt/format.h>

#include "mfa/prompt_drivers.h"
#include "util/strings.h"
#include "util/warnings.h"

namespace mfaenv {

namespace {

class YkmanSource : public MfaCodeSource {
 public:
  YkmanSource(std::string program, PromptContext context, std::string account)
      : program_(std::move(program)), context_(std::move(context)), account_(std::move(account)) {}

  Result<std::string> code(const std::string& serial, CodeRetry retry) override {
    const std::string account = account_.empty() ? serial : account_;
    std::vector<std::string> argv{program_};
    if (auto device = env("YKMAN_OATH_DEVICE_SERIAL"); device && !device->empty()) {
      argv.push_back("--device");
      argv.push_back(*device);
    }
    for (const char* word : {"oath", "accounts", "code", "--single"}) argv.emplace_back(word);
    argv.push_back(account);
    if (retry == CodeRetry::kAlreadyUsed) note("that code was already used; asking the YubiKey for the next one");
    note(fmt::format("reading the MFA code for {} from YubiKey account '{}': touch your YubiKey if it flashes",
                     describe_request(serial, context_), account));
    auto run = run_prompt_program(argv);
    if (!run.ok()) return make_error(ErrorKind::kMfaCodeNeeded, "cannot run ykman: {}", run.error().message);
    if (run->exit_status != 0) {
      return make_error(ErrorKind::kMfaCodeNeeded,
                        "ykman could not give a code for account '{}' (exit status {}): is the YubiKey plugged in, and "
                        "is the account there ('ykman oath accounts list')? set mfaenv_ykman_account to its name",
                        account, run->exit_status);
    }
    // --single prints the code alone; older ykman prints "ACCOUNT  CODE": the last word is the code.
    std::string_view out = trim(run->out);
    const size_t space = out.find_last_of(" \t\n");
    std::string code(space == std::string_view::npos ? out : out.substr(space + 1));
    if (!is_valid_code(code)) {
      return make_error(ErrorKind::kMfaCodeNeeded, "ykman printed no six-digit code for account '{}' (is it a TOTP "
                        "account with 6 digits?)", account);
    }
    return code;
  }
  int max_attempts() const override { return 2; }
  bool can_wait_for_next_code() const override { return true; }
  std::string name() const override { return "ykman"; }

 private:
  std::string program_;
  PromptContext context_;
  std::string account_;
};

}  // namespace

std::unique_ptr<MfaCodeSource> make_ykman_source(PromptContext context, std::string account) {
  std::string program = find_program("ykman");
  if (program.empty()) return nullptr;
  return std::make_unique<YkmanSource>(std::move(program), std::move(context), std::move(account));
}

}  // namespace mfaenv
