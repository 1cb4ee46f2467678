// Process settings for a program that holds secrets in memory: no core dumps, no ptrace by other
// processes of the same user, and a file-size limit that fails a write instead of killing the
// process halfway through it.
#pragma once

#include <spawn.h>

#include "util/result.h"

namespace mfaenv {

// Called first thing in main. Core dumps are turned off twice over: the soft RLIMIT_CORE goes to 0
// (the hard limit is kept, so a child can be given the caller's limit back) and the process is made
// non-dumpable, which also keeps other processes of the user from reading its memory through /proc or
// ptrace. SIGXFSZ is ignored so that `ulimit -f` makes write() fail with EFBIG, and SIGPIPE so that
// a reader that went away (`| head`, a closed stderr pipe) makes write() fail with EPIPE instead of
// killing mfaenv between STS's answer and the saving of the session it paid a code for.
void harden_process();

// A posix_spawn attribute set that gives the child the default SIGPIPE and SIGXFSZ back (ignored
// signals survive exec). Every program mfaenv starts is spawned with it.
class SpawnSignalDefaults {
 public:
  SpawnSignalDefaults();
  ~SpawnSignalDefaults();
  SpawnSignalDefaults(const SpawnSignalDefaults&) = delete;
  SpawnSignalDefaults& operator=(const SpawnSignalDefaults&) = delete;
  const posix_spawnattr_t* get() const { return &attributes_; }

 private:
  posix_spawnattr_t attributes_;
};

// Undoes harden_process just before `mfaenv exec` replaces itself with the user's program, which
// gets the caller's core limit and default SIGPIPE and SIGXFSZ back (execve itself restores dumpability).
// mfa_process and credential_process children keep core dumps off: they handle secrets too.
void restore_for_exec();

// Called next in main: a descriptor 0, 1 or 2 that the caller closed is opened again (one fcntl
// each when they are open, the usual case), so that no file mfaenv opens later (a session file)
// can become its stdin, stdout or stderr. stdin and stderr become /dev/null; stdout becomes
// /dev/full, so that a command whose product cannot be delivered fails (finish_stdout) instead of
// losing it silently, while commands that print nothing on stdout still work.
void open_standard_streams();

// Called after the command: flushes stdout. An Error (exit 1) when what the command printed there
// could not all be written: stdout closed, a full disk (`>/dev/full`), an I/O error. A reader that
// left (EPIPE) is exit 1 without a message: it stopped reading on purpose.
Status finish_stdout();

}  // namespace mfaenv
