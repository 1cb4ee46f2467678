// posix_spawn of /bin/sh -c, with stdout read through a pipe until the child exits, the time runs
// out or the output is too large.
#include "util/subprocess.h"

#include "util/hardening.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "util/strings.h"

namespace mfaenv {

namespace {

// A descriptor that becomes readable when the child exits (Linux 5.3), or -1: then the loop below
// looks every 50 ms. Either way a grandchild that keeps the pipe open cannot keep us waiting.
int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

// Reads what the pipe holds now (it is non-blocking); false at end of file.
bool drain(int fd, std::string& out, size_t max_output, bool& too_large) {
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return true;  // EAGAIN: nothing more for now
    if (n == 0) return false;
    const size_t room = max_output - out.size();
    out.append(buffer, std::min(static_cast<size_t>(n), room));
    if (static_cast<size_t>(n) > room) {
      too_large = true;
      return false;
    }
  }
}

// Stops `pid` and everything it started (its shell may have forked `sleep 3600` rather than exec'd
// it). The tree is found in /proc while the child is still alive, so that its children have not
// yet been handed to init; each process is stopped before its children are looked for, so none
// can start new ones meanwhile. Only on the rare timeout or size-cap path.
void kill_process_tree(pid_t root) {
  std::vector<pid_t> found{root};
  ::kill(root, SIGSTOP);
  for (size_t next = 0; next < found.size(); ++next) {
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) break;
    while (const dirent* entry = ::readdir(proc)) {
      const auto pid = parse_int(entry->d_name);
      if (!pid || *pid <= 1) continue;
      char path[64];
      std::snprintf(path, sizeof path, "/proc/%lld/stat", *pid);
      FILE* f = std::fopen(path, "re");
      if (f == nullptr) continue;
      char line[512] = {};
      const bool read = std::fgets(line, sizeof line, f) != nullptr;
      std::fclose(f);
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so look after the last ')'.
      const char* close = read ? std::strrchr(line, ')') : nullptr;
      char state = 0;
      long long parent = 0;
      if (close == nullptr || std::sscanf(close + 1, " %c %lld", &state, &parent) != 2) continue;
      const pid_t child = static_cast<pid_t>(*pid);
      if (parent == found[next] && std::find(found.begin(), found.end(), child) == found.end()) {
        ::kill(child, SIGSTOP);
        found.push_back(child);
      }
    }
    ::closedir(proc);
  }
  for (const pid_t pid : found) ::kill(pid, SIGKILL);
}

}  // namespace

Result<Seconds> process_timeout() {
  auto value = env("MFAENV_PROCESS_TIMEOUT");
  if (!value || value->empty()) return kDefaultProcessTimeout;
  auto parsed = parse_duration(*value);
  if (!parsed || parsed->count() <= 0)
    return make_error(ErrorKind::kUsage,
                      "MFAENV_PROCESS_TIMEOUT = '{}' is not a duration above zero (use seconds or 30s, 2m)", *value);
  return *parsed;
}

std::string stopped_helper_reason(CommandEnd end, const CommandLimits& limits, std::string_view must_print) {
  if (end == CommandEnd::kTimedOut)
    return fmt::format("did not finish within {} and was stopped; raise MFAENV_PROCESS_TIMEOUT if it needs longer",
                       format_duration(limits.timeout));
  return fmt::format("printed more than {} bytes and was stopped; it must print {}", limits.max_output, must_print);
}

std::string program_name(std::string_view command) {
  command = trim(command);
  const size_t end = command.find_first_of(" \t\n");
  std::string_view first = command.substr(0, end);
  if (const size_t slash = first.rfind('/'); slash != std::string_view::npos) first.remove_prefix(slash + 1);
  std::string name;
  for (char c : first.substr(0, 64))
    if (c != '\'' && c != '"') name += c;
  return name.empty() ? std::string("?") : name;
}

Result<CommandOutput> run_shell_command(const std::string& command, const std::vector<std::string>& environment,
                                        ChildStdin stdin_mode, const CommandLimits& limits) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return make_error(ErrorKind::kGeneric, "cannot make a pipe: {}", std::strerror(errno));
  std::vector<std::string> env_strings = environment;
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  if (stdin_mode == ChildStdin::kDevNull) posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  const SpawnSignalDefaults signal_defaults;
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/bin/sh", &actions, signal_defaults.get(), const_cast<char**>(argv), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    return make_error(ErrorKind::kGeneric, "cannot run /bin/sh: {}", std::strerror(rc));
  }
  const int out_fd = pipe_fds[0];
  ::fcntl(out_fd, F_SETFL, O_NONBLOCK);
  const int pid_fd = open_pidfd(pid);

  CommandOutput result;
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  bool open = true;
  bool too_large = false;
  bool exited = false;
  int status = 0;
  while (true) {
    if (open) open = drain(out_fd, result.out, limits.max_output, too_large);
    if (too_large) break;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      // What the child wrote before it exited is in the pipe already; a grandchild's later
      // output is not waited for.
      if (open) drain(out_fd, result.out, limits.max_output, too_large);
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {pid_fd, POLLIN, 0}};
    int wait_ms = static_cast<int>(std::min<long long>(left.count(), pid_fd >= 0 ? 60000 : 50));
    if (!open) fds[0].fd = -1;  // end of file seen: only the exit is left to wait for
    if (pid_fd < 0) fds[1].fd = -1;
    ::poll(fds, 2, wait_ms);
  }
  ::close(out_fd);
  if (pid_fd >= 0) ::close(pid_fd);
  if (!exited) {
    kill_process_tree(pid);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.end = too_large ? CommandEnd::kOutputTooLarge : CommandEnd::kTimedOut;
  }
  if (too_large) result.end = CommandEnd::kOutputTooLarge;
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return result;
}

}  // namespace mfaenv
