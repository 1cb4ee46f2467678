// Core dumps off, ptrace off, SIGXFSZ and SIGPIPE ignored; and back again for programs mfaenv starts.
#include "util/hardening.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

namespace mfaenv {

namespace {
rlimit g_caller_core_limit{};
bool g_hardened = false;
bool g_stdout_was_closed = false;
}  // namespace

void harden_process() {
  if (getrlimit(RLIMIT_CORE, &g_caller_core_limit) == 0) {
    rlimit none = g_caller_core_limit;
    none.rlim_cur = 0;
    setrlimit(RLIMIT_CORE, &none);
    g_hardened = true;
  }
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  std::signal(SIGXFSZ, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
}

SpawnSignalDefaults::SpawnSignalDefaults() {
  posix_spawnattr_init(&attributes_);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGXFSZ);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes_, &defaults);
  posix_spawnattr_setflags(&attributes_, POSIX_SPAWN_SETSIGDEF);
}

SpawnSignalDefaults::~SpawnSignalDefaults() { posix_spawnattr_destroy(&attributes_); }

void restore_for_exec() {
  if (g_hardened) setrlimit(RLIMIT_CORE, &g_caller_core_limit);
  std::signal(SIGXFSZ, SIG_DFL);
  std::signal(SIGPIPE, SIG_DFL);
  // The program gets the standard streams it was given: a closed stdout stays closed.
  if (g_stdout_was_closed) ::close(STDOUT_FILENO);
}

void open_standard_streams() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    // open() returns the lowest free descriptor, which is `fd`: the ones below are open by now.
    const int opened = fd == STDOUT_FILENO ? ::open("/dev/full", O_WRONLY | O_NOCTTY)
                                           : ::open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY | O_NOCTTY);
    if (opened != fd) {
      // /dev is missing (a bare chroot): a session file must still never become fd 0-2.
      if (opened >= 0) ::close(opened);
      std::_Exit(1);
    }
    if (fd == STDOUT_FILENO) g_stdout_was_closed = true;
  }
}

Status finish_stdout() {
  errno = 0;
  const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (!failed) return {};
  const int err = errno;
  if (err == EPIPE) return Error{ErrorKind::kGeneric, ""};
  if (g_stdout_was_closed)
    return make_error(ErrorKind::kGeneric, "standard output is closed, so the output was not written; run the "
                                           "command with stdout open (a file or a pipe)");
  return make_error(ErrorKind::kGeneric, "could not write to standard output: {}; the output is incomplete, "
                                         "run the command again with room to write it",
                    err != 0 ? std::strerror(err) : "write error");
}

}  // namespace mfaenv
