// /dev/tty input with echo turned off for secrets (restored even when reading fails).
#include "keys/tty_input.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "aws/credentials.h"
#include "util/echo_off.h"

namespace mfaenv {
namespace {

class TtyFd {
 public:
  TtyFd() : fd_(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) {}
  ~TtyFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  TtyFd(const TtyFd&) = delete;
  TtyFd& operator=(const TtyFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Result<std::string> ask_on_tty(std::string_view prompt, TtyEcho echo, std::string_view without_tty) {
  TtyFd tty;
  if (tty.get() < 0) return make_error(ErrorKind::kMfaCodeNeeded, "no terminal to ask on: {}", without_tty);
  (void)!::write(tty.get(), prompt.data(), prompt.size());
  std::string line;
  {
    std::optional<EchoOff> quiet;
    if (echo == TtyEcho::kHide) quiet.emplace(tty.get());
    char c = 0;
    for (;;) {
      const ssize_t n = ::read(tty.get(), &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        wipe(line);
        return make_error(ErrorKind::kGeneric, "the terminal closed before an answer was typed");
      }
      if (c == '\n') break;
      if (line.size() > 4096) {
        wipe(line);
        return make_error(ErrorKind::kUsage, "the answer is too long");
      }
      line += c;
    }
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace mfaenv
