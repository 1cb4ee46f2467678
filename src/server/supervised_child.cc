// fork+exec, signal forwarding and the exit status of `exec --server`.
#include "server/supervised_child.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "util/hardening.h"

namespace mfaenv {

sigset_t supervised_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGALRM, SIGCHLD}) sigaddset(&set, s);
  return set;
}

Result<pid_t> start_child(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                          const sigset_t& child_mask) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : environment) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  int report[2];  // the child writes errno here when exec fails; close-on-exec tells success
  if (::pipe2(report, O_CLOEXEC) != 0)
    return make_error(ErrorKind::kGeneric, "cannot start '{}': {}", argv[0], std::strerror(errno));
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(report[0]);
    ::close(report[1]);
    return make_error(ErrorKind::kGeneric, "cannot start '{}': {}", argv[0], std::strerror(errno));
  }
  if (pid == 0) {
    ::close(report[0]);
    ::signal(SIGPIPE, SIG_DFL);
    restore_for_exec();
    ::sigprocmask(SIG_SETMASK, &child_mask, nullptr);
    ::execvpe(args[0], args.data(), envp.data());
    const int err = errno;
    (void)!::write(report[1], &err, sizeof err);
    ::_exit(127);
  }
  ::close(report[1]);
  int err = 0;
  ssize_t n;
  do n = ::read(report[0], &err, sizeof err);
  while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n == sizeof err) {
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return make_error(err == ENOENT ? ErrorKind::kUsage : ErrorKind::kGeneric, "cannot run '{}': {}", argv[0],
                      std::strerror(err));
  }
  return pid;
}

int wait_forwarding_signals(pid_t child, const sigset_t& signals) {
  for (;;) {
    siginfo_t info{};
    const int sig = ::sigwaitinfo(&signals, &info);
    if (sig < 0) continue;  // EINTR
    if (sig == SIGCHLD) {
      int status = 0;
      const pid_t r = ::waitpid(child, &status, WNOHANG);
      if (r == child && (WIFEXITED(status) || WIFSIGNALED(status))) return status;
      continue;
    }
    const bool from_terminal = info.si_code == SI_KERNEL && ::getpgid(child) == ::getpgrp();
    if (!from_terminal) ::kill(child, sig);
  }
}

void exit_like(int wait_status) {
  std::fflush(stdout);
  std::fflush(stderr);
  if (WIFSIGNALED(wait_status)) {
    const int sig = WTERMSIG(wait_status);
    ::signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    ::pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
    ::raise(sig);
    std::_Exit(128 + sig);
  }
  std::_Exit(WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 1);
}

}  // namespace mfaenv
