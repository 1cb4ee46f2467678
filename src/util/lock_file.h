// LockFile: an exclusive flock(2) between mfaenv processes, held by an RAII object. The one-prompt
// guarantee rests on it (two refreshes of one session must not both ask for a code), so it checks
// that the file it locked is still the one named. Knows nothing of AWS.
#pragma once

#include <functional>
#include <string>

#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

// An exclusive flock(2) on `path` (created 0600), held until destruction. Waits up to `timeout`;
// `on_slow_wait` runs once after the first second of waiting (to say so on stderr). The lock file
// must be a regular file of the current user: a link, FIFO or folder there is refused (replacing
// it could let two processes hold "the" lock at once).
class LockFile {
 public:
  static Result<LockFile> acquire(const std::string& path, Seconds timeout,
                                  const std::function<void()>& on_slow_wait = {});
  LockFile(LockFile&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  LockFile& operator=(LockFile&&) = delete;
  ~LockFile();

 private:
  friend class PrivateDir;
  static Result<LockFile> acquire_at(int dir_fd, const std::string& name, const std::string& path, Seconds timeout,
                                     const std::function<void()>& on_slow_wait);
  explicit LockFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace mfaenv
