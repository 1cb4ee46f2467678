// The folder of cached sessions (docs/design.md §4): where it is, that only its owner can use it, one
// JSON file per session key, and the lock that makes many processes refresh a session only once.
// Every file is reached through the folder's descriptor (PrivateDir), never through a symlink.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cache/session.h"
#include "util/file.h"
#include "util/result.h"

namespace mfaenv {

// ${MFAENV_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/mfaenv}
std::string default_cache_dir();

// What reading a cache file found. A file that cannot be trusted is never an error: the session
// is simply not there, and `problem` says why (shown as a warning, then the file is replaced).
struct CacheLookup {
  std::optional<CachedSession> session;
  std::string problem;
};

class SessionCache {
 public:
  // Opens and checks (with kYes creates) the folder: a real directory of ours, mode 0700.
  static Result<SessionCache> open(const std::string& dir, CreateMissing create);

  const std::string& dir() const { return dir_.path(); }
  std::string file_for(const std::string& key) const { return dir_.path_of(key + ".json"); }

  // Reads without a lock (the hot path). Files that are corrupt, of another version, not regular,
  // symlinks, not ours or open to others are reported in `problem`, never trusted (and replaced
  // by the next write).
  CacheLookup read(const std::string& key) const;
  // Atomic replace: key.json.tmp, fsync, rename, fsync of the folder. Mode 0600. A link, FIFO or
  // empty folder at key.json is replaced, never written through.
  Status write(const std::string& key, const CachedSession& session) const;
  // Removes the session file and its lock file (unless a refresh holds it); a missing one is not an error.
  Status remove(const std::string& key) const;
  // Removes every lock file no process holds (logout --all: no session is left to refresh).
  Status remove_unused_locks() const;
  // The keys of every session file present.
  std::vector<std::string> keys() const;

  // The exclusive lock for refreshing `key` (key.lock). Says so on stderr after a second of waiting;
  // gives up after MFAENV_LOCK_TIMEOUT (default 120 s).
  Result<LockFile> lock(const std::string& key) const;

  // MFA codes already accepted for a device are remembered (as a hash, with the time) so that the
  // same code is never sent twice: AWS rejects reuse.
  bool code_was_used(const std::string& device_key, const std::string& code) const;
  Status remember_used_code(const std::string& device_key, const std::string& code) const;

 private:
  explicit SessionCache(PrivateDir dir) : dir_(std::move(dir)) {}
  // A file of the folder, only if it is ours and private (else the error says why); nullopt: missing.
  Result<std::optional<std::string>> read_private(const std::string& name) const;
  nlohmann::json used_codes(const std::string& device_key) const;
  PrivateDir dir_;
};

}  // namespace mfaenv
