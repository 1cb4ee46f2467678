// mfa_process: a program of the user's that prints the code (aws-vault's and the AWS CLI v2's name).
#include <string.h>

#include <fmt/format.h>

#include "mfa/code_source.h"
#include "mfa/prompt_drivers.h"
#include "util/debug_log.h"
#include "util/strings.h"

namespace mfaenv {

namespace {

// A code or what printed it is overwritten before the memory is freed (docs/hardening.md).
void erase_text(std::string& text) { explicit_bzero(text.data(), text.size()); }

class ProcessCodeSource : public MfaCodeSource {
 public:
  ProcessCodeSource(std::string command, std::string profile) : command_(std::move(command)), profile_(std::move(profile)) {}

  // Messages name the profile and the setting, never the command: it may hold a TOTP seed
  // (`oathtool --totp -b SEED`), and errors end up in SDK logs.
  Result<std::string> code(const std::string& serial, CodeRetry) override {
    // The child learns which profiles are being resolved (MFAENV_RESOLVING, creds/source.h), so that
    // an mfaenv inside it asked for the same profile refuses at once instead of waiting for the
    // lock this process holds until the lock timeout.
    constexpr std::string_view kResolving = "MFAENV_RESOLVING=";
    std::string resolving = env("MFAENV_RESOLVING").value_or("");
    resolving += (resolving.empty() ? "" : "\n") + profile_;
    std::vector<std::string> environment = current_environment_without(
        [&](std::string_view entry) { return is_aws_secret_variable(entry) || starts_with(entry, kResolving); });
    environment.push_back(std::string(kResolving) + resolving);
    environment.push_back("MFAENV_MFA_SERIAL=" + serial);
    const CommandLimits limits{kMaxOutput, MFAENV_TRY(process_timeout())};
    debug("running mfa_process of profile '{}' (program {}), at most {}", profile_, program_name(command_),
          format_duration(limits.timeout));
    auto run = run_shell_command(command_, environment, ChildStdin::kDevNull, limits);
    if (!run) return make_error(ErrorKind::kGeneric, "mfa_process of profile '{}': {}", profile_, run.error().message);
    std::string& out = run->out;
    const auto failed = [&](std::string_view why) {
      erase_text(out);
      return make_error(ErrorKind::kMfaCodeNeeded, "the mfa_process of profile '{}' {}", profile_, why);
    };
    if (run->end != CommandEnd::kExited) return failed(stopped_helper_reason(run->end, limits, "only the six-digit code"));
    if (run->exit_status != 0)
      return failed(fmt::format("failed (exit status {}); run it by hand to see why", run->exit_status));
    std::string code(trim(out));
    erase_text(out);
    if (!is_valid_code(code)) {
      const size_t size = code.size();
      erase_text(code);
      return failed(fmt::format("printed {} characters, not a six-digit code; it must print only the code", size));
    }
    return code;
  }
  int max_attempts() const override { return 2; }
  bool can_wait_for_next_code() const override { return true; }
  std::string name() const override { return fmt::format("the mfa_process of profile '{}'", profile_); }

 private:
  static constexpr size_t kMaxOutput = 4096;
  std::string command_;
  std::string profile_;
};

}  // namespace

std::unique_ptr<MfaCodeSource> make_process_code_source(std::string command, std::string profile) {
  return std::make_unique<ProcessCodeSource>(std::move(command), std::move(profile));
}

}  // namespace mfaenv
