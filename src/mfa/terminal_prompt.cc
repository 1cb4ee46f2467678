// The `terminal` driver: asks on /dev/tty, so it works when stdin and stdout are pipes.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "mfa/code_source.h"

namespace mfaenv {

namespace {

class TtyCodeSource : public MfaCodeSource {
 public:
  TtyCodeSource(int fd, PromptContext context) : fd_(fd), context_(std::move(context)) {}
  ~TtyCodeSource() override { ::close(fd_); }

  Result<std::string> code(const std::string& serial, CodeRetry retry) override {
    if (retry == CodeRetry::kRejected) say("AWS rejected that code.\n");
    if (retry == CodeRetry::kAlreadyUsed) say("That code was already used; wait for the next one.\n");
    for (int typo = 0; typo < 3; ++typo) {
      say("Enter MFA code for " + describe_request(serial, context_) + ": ");
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
  std::string name() const override { return "the code typed at the terminal"; }

 private:
  void say(std::string_view text) {
    while (!text.empty()) {
      const ssize_t n = ::write(fd_, text.data(), text.size());
      if (n <= 0) return;
      text.remove_prefix(static_cast<size_t>(n));
    }
  }
  int fd_;
  PromptContext context_;
};

}  // namespace

std::unique_ptr<MfaCodeSource> make_tty_code_source(PromptContext context) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return nullptr;
  return std::make_unique<TtyCodeSource>(fd, std::move(context));
}

}  // namespace mfaenv
