// Running a program directly (no shell) with bytes on its stdin and its stdout and stderr captured,
// for the `pass` backend: secrets go through the pipes, never through argv or the environment.
#pragma once

#include <string>
#include <vector>

#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

struct ChildResult {
  std::string out;
  std::string err;
  int exit_status = 0;  // 128 + signal when killed
};

// `argv[0]` is looked up in PATH. `timeout`: the child is killed (SIGKILL) after it, and the
// result is an Error. An Error also when it cannot be started.
Result<ChildResult> run_child(const std::vector<std::string>& argv, const std::string& input, Seconds timeout,
                              const std::vector<std::string>& extra_env = {});

}  // namespace mfaenv
