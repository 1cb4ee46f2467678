// Core dumps off, ptrace off, SIGXFSZ ignored; and back again for programs mfaenv starts.
#include "util/hardening.h"

#include <csignal>
#include <sys/prctl.h>
#include <sys/resource.h>

namespace mfaenv {

namespace {
rlimit g_caller_core_limit{};
bool g_hardened = false;
}  // namespace

void harden_process() {
  if (getrlimit(RLIMIT_CORE, &g_caller_core_limit) == 0) {
    rlimit none = g_caller_core_limit;
    none.rlim_cur = 0;
    setrlimit(RLIMIT_CORE, &none);
    g_hardened = true;
  }
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  std::signal(SIGXFSZ, SIG_IGN);
}

void restore_for_exec() {
  if (g_hardened) setrlimit(RLIMIT_CORE, &g_caller_core_limit);
  std::signal(SIGXFSZ, SIG_DFL);
}

}  // namespace mfaenv
