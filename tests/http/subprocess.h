// Running a child process for the HTTP tests: to completion with its output captured, or in the
// background with pipes (the HTTPS server fixture).
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace mfaenv {

struct ProcessOutcome {
  bool exited = false;  // false when killed by a signal
  int exit_code = -1;
  std::string output;   // stdout and stderr together
};

// Runs argv[0] (a path) with the current environment plus `extra_env` ("NAME=value"), stdin from
// /dev/null.
ProcessOutcome run_process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {});

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

}  // namespace mfaenv
