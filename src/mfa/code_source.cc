// The three MFA code sources and the choice between them.
#include "mfa/code_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "util/strings.h"
#include "util/subprocess.h"

namespace mfaenv {

bool is_valid_code(std::string_view code) {
  if (code.size() != 6) return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string normalize_code(std::string_view typed) {
  std::string code(trim(typed));
  code.erase(std::remove(code.begin(), code.end(), ' '), code.end());  // "123 456" as some apps show it
  return code;
}

namespace {

class FixedCodeSource : public MfaCodeSource {
 public:
  explicit FixedCodeSource(std::string code) : code_(normalize_code(code)) {}
  Result<std::string> code(const std::string&, CodeRetry) override {
    if (!is_valid_code(code_)) return make_error(ErrorKind::kUsage, "--token-code must be the six digits your MFA device shows");
    return code_;
  }
  int max_attempts() const override { return 1; }
  bool can_wait_for_next_code() const override { return false; }

 private:
  std::string code_;
};

// Variables that must not reach mfa_process: secrets, and the AWS credentials it has no use for.
bool is_secret_variable(std::string_view entry) {
  for (std::string_view name : {"AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=", "AWS_SECURITY_TOKEN=",
                                "AWS_ACCESS_KEY_ID=", "AWS_CREDENTIAL_EXPIRATION="})
    if (starts_with(entry, name)) return true;
  return false;
}

class ProcessCodeSource : public MfaCodeSource {
 public:
  explicit ProcessCodeSource(std::string command) : command_(std::move(command)) {}

  Result<std::string> code(const std::string& serial, CodeRetry) override {
    std::vector<std::string> environment = current_environment_without(is_secret_variable);
    environment.push_back("MFAENV_MFA_SERIAL=" + serial);
    auto run = run_shell_command(command_, environment, ChildStdin::kDevNull, 4096);
    if (!run) return make_error(ErrorKind::kGeneric, "mfa_process: {}", run.error().message);
    if (run->exit_status != 0) {
      return make_error(ErrorKind::kMfaCodeNeeded, "mfa_process '{}' failed (exit status {}); run it by hand to see why",
                        command_, run->exit_status);
    }
    const std::string& out = run->out;
    std::string code(trim(out));
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

class TtyCodeSource : public MfaCodeSource {
 public:
  explicit TtyCodeSource(int fd) : fd_(fd) {}
  ~TtyCodeSource() override { ::close(fd_); }

  Result<std::string> code(const std::string& serial, CodeRetry retry) override {
    if (retry == CodeRetry::kRejected) say("AWS rejected that code.\n");
    if (retry == CodeRetry::kAlreadyUsed) say("That code was already used; wait for the next one.\n");
    for (int typo = 0; typo < 3; ++typo) {
      say(fmt::format("Enter MFA code for {}: ", serial));
      std::string line;
      char c;
      while (true) {
        const ssize_t n = ::read(fd_, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          say("\n");
          return make_error(ErrorKind::kMfaCodeNeeded, "no MFA code entered");
        }
        if (c == '\n') break;
        if (line.size() < 64) line.push_back(c);
      }
      std::string code = normalize_code(line);
      if (is_valid_code(code)) return code;
      say("An MFA code is six digits.\n");
    }
    return make_error(ErrorKind::kMfaCodeNeeded, "no valid MFA code entered");
  }
  int max_attempts() const override { return 3; }
  bool can_wait_for_next_code() const override { return true; }

 private:
  void say(std::string_view text) {
    while (!text.empty()) {
      const ssize_t n = ::write(fd_, text.data(), text.size());
      if (n <= 0) return;
      text.remove_prefix(static_cast<size_t>(n));
    }
  }
  int fd_;
};

}  // namespace

std::unique_ptr<MfaCodeSource> make_fixed_code_source(std::string code) {
  return std::make_unique<FixedCodeSource>(std::move(code));
}

std::unique_ptr<MfaCodeSource> make_process_code_source(std::string command) {
  return std::make_unique<ProcessCodeSource>(std::move(command));
}

std::unique_ptr<MfaCodeSource> make_tty_code_source() {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return nullptr;
  return std::make_unique<TtyCodeSource>(fd);
}

Result<std::unique_ptr<MfaCodeSource>> choose_code_source(const std::optional<std::string>& token_code,
                                                          const std::optional<std::string>& mfa_process,
                                                          Prompting prompting, std::string_view profile) {
  if (token_code) return make_fixed_code_source(*token_code);
  if (prompting == Prompting::kNever)
    return make_error(ErrorKind::kMfaCodeNeeded, "no valid session for profile '{}'; run 'mfaenv login {}'", profile,
                      profile);
  if (mfa_process && !trim(*mfa_process).empty()) return make_process_code_source(*mfa_process);
  if (auto tty = make_tty_code_source()) return tty;
  return make_error(ErrorKind::kMfaCodeNeeded,
                    "profile '{}' needs an MFA code and there is no terminal to ask on; run 'mfaenv login {}' in a "
                    "terminal, or set mfa_process in the profile",
                    profile, profile);
}

}  // namespace mfaenv
