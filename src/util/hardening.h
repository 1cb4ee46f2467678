// Process settings for a program that holds secrets in memory: no core dumps, no ptrace by other
// processes of the same user, and a file-size limit that fails a write instead of killing the
// process halfway through it.
#pragma once

namespace mfaenv {

// Called first thing in main. Core dumps are turned off twice over: the soft RLIMIT_CORE goes to 0
// (the hard limit is kept, so a child can be given the caller's limit back) and the process is made
// non-dumpable, which also keeps other processes of the user from reading its memory through /proc or
// ptrace. SIGXFSZ is ignored so that `ulimit -f` makes write() fail with EFBIG.
void harden_process();

// Undoes harden_process just before `mfaenv exec` replaces itself with the user's program, which
// gets the caller's core limit and default SIGXFSZ back (execve itself restores dumpability).
// mfa_process and credential_process children keep core dumps off: they handle secrets too.
void restore_for_exec();

}  // namespace mfaenv
