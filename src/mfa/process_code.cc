// mfa_process: a program of the user's that prints the code (aws-vault's and the AWS CLI v2's name).
#include "mfa/code_source.h"
#include "mfa/prompt_drivers.h"
#include "util/strings.h"

namespace mfaenv {

namespace {

class ProcessCodeSource : public MfaCodeSource {
 public:
  explicit ProcessCodeSource(std::string command) : command_(std::move(command)) {}

  Result<std::string> code(const std::string& serial, CodeRetry) override {
    std::vector<std::string> environment = current_environment_without(is_aws_secret_variable);
    environment.push_back("MFAENV_MFA_SERIAL=" + serial);
    auto run = run_shell_command(command_, environment, ChildStdin::kDevNull, 4096);
    if (!run) return make_error(ErrorKind::kGeneric, "mfa_process: {}", run.error().message);
    if (run->exit_status != 0) {
      return make_error(ErrorKind::kMfaCodeNeeded, "mfa_process '{}' failed (exit status {}); run it by hand to see why",
                        command_, run->exit_status);
    }
    std::string code(trim(run->out));
    if (!is_valid_code(code)) {
      return make_error(ErrorKind::kMfaCodeNeeded,
                        "mfa_process '{}' printed {} characters, not a six-digit code; it must print only the code",
                        command_, code.size());
    }
    return code;
  }
  int max_attempts() const override { return 2; }
  bool can_wait_for_next_code() const override { return true; }

 private:
  std::string command_;
};

}  // namespace

std::unique_ptr<MfaCodeSource> make_process_code_source(std::string command) {
  return std::make_unique<ProcessCodeSource>(std::move(command));
}

}  // namespace mfaenv
