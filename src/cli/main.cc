// mfaenv's entry point: hardens the process, runs the command line (cli/run.cc) and turns its Error,
// if any, into one line on stderr and an exit code (README.md: 0 ok, 1 error, 2 usage,
// 3 MFA code needed, 4 AWS refused, 5 STS unreachable, 6 configuration invalid).
#include <system_error>

#include "cli/run.h"
#include "util/hardening.h"
#include "util/printable.h"
#include "util/secret_environment.h"
#include "util/time.h"

namespace {

// fmt::print to stdout throws when the stream fails (a full disk, a closed stdout); that is the
// product failing to reach its reader: exit 1 like any other failure, never an abort.
mfaenv::Status run_guarded(int argc, char** argv) {
  try {
    MFAENV_CHECK(mfaenv::check_fake_now());
    return mfaenv::run_command_line(argc, argv);
  } catch (const std::system_error& e) {
    return mfaenv::make_error(mfaenv::ErrorKind::kGeneric, "could not write the output: {}", e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  mfaenv::harden_process();
  mfaenv::open_standard_streams();
  mfaenv::take_secret_variables();  // before anything can start a child (docs/keys.md)
  mfaenv::Status status = run_guarded(argc, argv);
  if (mfaenv::Status written = mfaenv::finish_stdout(); status.ok() && !written.ok()) status = std::move(written);
  if (status.ok()) return 0;
  if (!status.error().message.empty()) mfaenv::tell(status.error().message);
  return status.error().exit_code();
}
