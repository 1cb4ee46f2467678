// posix_spawnp with three pipes and a poll loop (no deadlock however much the child prints).
#include "keys/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cstring>

#include "aws/credentials.h"
#include "util/hardening.h"

extern char** environ;

namespace mfaenv {
namespace {

struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
  void close_end(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
};

}  // namespace

Result<ChildResult> run_child(const std::vector<std::string>& argv, const std::string& input, Seconds timeout,
                              const std::vector<std::string>& extra_env) {
  Pipe in, out, err;
  if (pipe2(in.fd, O_CLOEXEC) != 0 || pipe2(out.fd, O_CLOEXEC) != 0 || pipe2(err.fd, O_CLOEXEC) != 0)
    return make_error(ErrorKind::kGeneric, "cannot run {}: {}", argv[0], std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) env_storage.emplace_back(*e);
  for (const auto& e : extra_env) env_storage.push_back(e);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  const SpawnSignalDefaults signal_defaults;
  const int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, signal_defaults.get(), args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return make_error(ErrorKind::kGeneric, "cannot run {}: {}", argv[0], std::strerror(rc));
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  signal(SIGPIPE, SIG_IGN);  // as main does (util/hardening.h); also when a test calls this directly

  ChildResult result;
  size_t written = 0;
  if (input.empty()) in.close_end(1);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  while (out.fd[0] >= 0 || err.fd[0] >= 0) {
    pollfd fds[3];
    int n = 0;
    if (in.fd[1] >= 0) fds[n++] = {in.fd[1], POLLOUT, 0};
    if (out.fd[0] >= 0) fds[n++] = {out.fd[0], POLLIN, 0};
    if (err.fd[0] >= 0) fds[n++] = {err.fd[0], POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    if (poll(fds, static_cast<nfds_t>(n), static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in.fd[1]) {
        const ssize_t w = ::write(in.fd[1], input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 || written == input.size()) in.close_end(1);
      } else {
        char buf[4096];
        const ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
        std::string& target = fds[i].fd == out.fd[0] ? result.out : result.err;
        if (r > 0 && target.size() < (1 << 20)) {
          target.append(buf, static_cast<size_t>(r));
        } else if (r <= 0 && !(r < 0 && errno == EINTR)) {
          if (fds[i].fd == out.fd[0]) out.close_end(0); else err.close_end(0);
        }
      }
    }
  }
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    wipe(result.out);
    return make_error(ErrorKind::kGeneric, "{} did not finish within {} s and was stopped", argv[0], timeout.count());
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace mfaenv
