// harden_process: core dumps off (soft limit 0 and not dumpable), SIGXFSZ ignored; restore_for_exec
// gives the caller's core limit and SIGXFSZ back. Each check runs in a forked child, so the test
// binary itself is not changed.
#include "util/hardening.h"

#include <csignal>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/subprocess.h"

namespace mfaenv {
namespace {

// Runs `check` in a child; the child's exit status is the number of failed checks.
int in_child(int (*check)()) { return testing_support::run_in_child(check); }

int core_limit_is(rlim_t value) {
  rlimit r{};
  getrlimit(RLIMIT_CORE, &r);
  return r.rlim_cur == value ? 0 : 1;
}

int sigxfsz_handler_is(void (*handler)(int)) {
  struct sigaction current {};
  sigaction(SIGXFSZ, nullptr, &current);
  return current.sa_handler == handler ? 0 : 1;
}

int hardened_child() {
  rlimit start{1 << 20, RLIM_INFINITY};
  setrlimit(RLIMIT_CORE, &start);
  harden_process();
  return core_limit_is(0) + (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 ? 0 : 1) + sigxfsz_handler_is(SIG_IGN);
}

int restored_child() {
  rlimit start{1 << 20, RLIM_INFINITY};
  setrlimit(RLIMIT_CORE, &start);
  harden_process();
  restore_for_exec();
  return core_limit_is(1 << 20) + sigxfsz_handler_is(SIG_DFL);
}

TEST(Hardening, NoCoreDumpsNoPtraceAndWritesFailInsteadOfKilling) { EXPECT_EQ(in_child(hardened_child), 0); }

TEST(Hardening, TheProgramThatExecRunsGetsTheCallersSettingsBack) { EXPECT_EQ(in_child(restored_child), 0); }

}  // namespace
}  // namespace mfaenv
