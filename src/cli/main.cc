// mfaenv's entry point: hardens the process, runs the command line (cli/run.cc) and turns its Error,
// if any, into one line on stderr and an exit code (README.md: 0 ok, 1 error, 2 usage,
// 3 MFA code needed, 4 AWS refused, 5 STS unreachable, 6 configuration invalid).
#include <cstdio>

#include <fmt/format.h>

#include "cli/run.h"
#include "util/hardening.h"

int main(int argc, char** argv) {
  mfaenv::harden_process();
  const mfaenv::Status status = mfaenv::run_command_line(argc, argv);
  std::fflush(stdout);
  if (status.ok()) return 0;
  if (!status.error().message.empty()) fmt::print(stderr, "mfaenv: {}\n", status.error().message);
  return status.error().exit_code();
}
