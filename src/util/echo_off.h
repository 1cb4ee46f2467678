// Echo turned off on a terminal while a secret is typed, and turned back on however the read ends.
#pragma once

#include <termios.h>
#include <unistd.h>

namespace mfaenv {

class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
  }
  // The Enter that ended the line was not echoed either: the newline is written for it.
  ~EchoOff() {
    if (!active_) return;
    ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    (void)!::write(fd_, "\n", 1);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

}  // namespace mfaenv
