// mfaenv's entry point: hardens the process, runs the command line (cli/run.cc) and turns its Error,
// if any, into one line on stderr and an exit code (README.md: 0 ok, 1 error, 2 usage,
// 3 MFA code needed, 4 AWS refused, 5 STS unreachable, 6 configuration invalid).
#include <cstdio>

#include <fmt/format.h>

#include "cli/run.h"
#include "util/hardening.h"
#include "util/warnings.h"

namespace {

// The terminal end of util/warnings.h: library code says what people should read, main prints it.
class StderrSink : public mfaenv::WarningSink {
 public:
  void notice(mfaenv::NoticeLevel level, std::string_view message) override {
    fmt::print(stderr, "mfaenv: {}{}\n", level == mfaenv::NoticeLevel::kWarning ? "warning: " : "", message);
  }
};

}  // namespace

int main(int argc, char** argv) {
  mfaenv::harden_process();
  static StderrSink sink;
  mfaenv::set_warning_sink(&sink);
  const mfaenv::Status status = mfaenv::run_command_line(argc, argv);
  std::fflush(stdout);
  if (status.ok()) return 0;
  if (!status.error().message.empty()) fmt::print(stderr, "mfaenv: {}\n", status.error().message);
  return status.error().exit_code();
}
