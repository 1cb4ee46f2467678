// For tests: running a child process to completion with its output captured, in the background
// with pipes (the HTTPS server fixture), or a function in a forked child (locks, races).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace mfaenv::testing_support {

struct ProcessOutcome {
  bool exited = false;  // false when killed by a signal
  int exit_code = -1;
  std::string output;   // stdout and stderr together
};

enum class BaseEnvironment { kInherit, kEmpty };

// Runs argv[0] (a path) with the current environment (or none) plus `extra_env` ("NAME=value"),
// stdin from /dev/null.
ProcessOutcome run_process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {},
                           BaseEnvironment base = BaseEnvironment::kInherit);

// Runs `body` in a forked child and returns its exit code (`body`'s result), or 128 + the signal
// that killed it.
int run_in_child(const std::function<int()>& body);

// A child whose stdin and stdout are pipes to us; closing stdin tells it to stop.
class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::vector<std::string>& argv);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  bool started() const { return pid_ > 0; }
  // One line of the child's stdout, without the newline; "" at end of file.
  std::string read_line();

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
};

}  // namespace mfaenv::testing_support
