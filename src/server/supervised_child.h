// The command `mfaenv exec --server` runs: started with fork+exec (mfaenv must stay, to serve), its
// signals forwarded, and its exit status made mfaenv's.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "util/result.h"

namespace mfaenv {

// The signals mfaenv takes over while it supervises: blocked in every thread (so they are waited for
// with sigwaitinfo, never delivered to a server thread) and forwarded to the child.
sigset_t supervised_signals();

// Starts `argv` (PATH searched) with exactly `environment`; the child gets `child_mask` as its signal
// mask and the caller's core limit and SIGPIPE/SIGXFSZ dispositions back.
Result<pid_t> start_child(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                          const sigset_t& child_mask);

// Waits for the child, forwarding every signal in `signals` that it did not get already: the terminal
// sends Ctrl-C (SIGINT), SIGQUIT, SIGWINCH and hang-ups to the whole foreground process group, the
// child included, so those are not sent twice (a second SIGINT means "abort now" to terraform).
// Returns the child's wait status.
int wait_forwarding_signals(pid_t child, const sigset_t& signals);

// Ends mfaenv the way the child ended: the same exit code, or killed by the same signal.
[[noreturn]] void exit_like(int wait_status);

}  // namespace mfaenv
