// Files as mfaenv needs them: reading without following links where it matters, writing atomically
// (AtomicFile), and a private folder (PrivateDir) whose files are all reached through the folder's
// own descriptor, so that what was checked is what is used. Locks are in util/lock_file.h.
// Knows nothing of AWS.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/lock_file.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

enum class Symlinks { kFollow, kRefuse };
enum class FileType { kMissing, kRegular, kDirectory, kSymlink, kOther };

// What is at `path`, without following a final symlink when `links` is kRefuse.
FileType file_type(const std::string& path, Symlinks links = Symlinks::kFollow);

// Reads a whole regular file. nullopt when it does not exist. Anything but a regular file (a
// directory, FIFO, device; a symlink with kRefuse) is an error, and so is a file over max_bytes.
// Opened O_NONBLOCK (a FIFO must not hang us) and checked with fstat on the open descriptor; with
// kRefuse also O_NOFOLLOW. `st_out` gets the fstat of the open file, also when its type or size is
// the error (st_mode stays 0 when nothing could be opened).
Result<std::optional<std::string>> read_file(const std::string& path, Symlinks links = Symlinks::kFollow,
                                             size_t max_bytes = 16 << 20, struct stat* st_out = nullptr);

// Writes `path` all-or-nothing: `path`.tmp is written, fsynced, renamed over `path`, and the folder
// is fsynced, so a crash at any point leaves the old file or the new one, never half of either.
// Whatever is at `path`.tmp (a leftover, a link, a FIFO, an empty folder) is removed, never written
// through.
class AtomicFile {
 public:
  static Result<AtomicFile> open(std::string path, mode_t mode);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  ~AtomicFile();  // not committed: the temporary file is removed

  Status write(std::string_view data);
  Status commit();

 private:
  friend class PrivateDir;
  // `name` is relative to dir_fd (AT_FDCWD: the working directory); `path` is for messages.
  static Result<AtomicFile> open_at(int dir_fd, std::string name, std::string path, mode_t mode);
  AtomicFile(int dir_fd, std::string name, std::string path, int fd)
      : dir_fd_(dir_fd), name_(std::move(name)), tmp_name_(name_ + ".tmp"), path_(std::move(path)), fd_(fd) {}
  int dir_fd_;  // not owned
  std::string name_;
  std::string tmp_name_;  // empty once renamed (or moved from)
  std::string path_;
  int fd_ = -1;
};

// One call for the common case.
Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode);

// fsync of a folder, so that a rename in it is durable.
Status sync_directory(const std::string& dir);

enum class CreateMissing { kNo, kYes };

// For a folder of mfaenv's own under HOME (`what`: "session cache folder"): an Error when HOME is set
// but empty (the folder would be /.cache/...) or relative (it would depend on the current folder),
// saying to set HOME, or `moved_by`, the variable that places the folder elsewhere.
Status check_home(std::string_view what, std::string_view moved_by);

// A folder only its owner can use, opened once (O_NOFOLLOW | O_DIRECTORY) and checked with fstat on
// that descriptor: a real directory (not a symlink), owned by the current user, with no group or
// world permissions. Every file in it is then reached with openat/renameat/unlinkat on the
// descriptor and never through a symlink, so swapping the folder or a file for a link after the
// check changes nothing. Links above the folder (~/.cache on another disk) are followed.
class PrivateDir {
 public:
  // With kYes the folder (and its parents) are created, the folder itself 0700. `moved_by` is the
  // variable that places the folder elsewhere (MFAENV_CACHE_DIR, XDG_DATA_HOME): the advice when it
  // cannot be used.
  static Result<PrivateDir> open(std::string path, CreateMissing create, std::string_view moved_by);
  PrivateDir(PrivateDir&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) { other.fd_ = -1; }
  PrivateDir& operator=(PrivateDir&& other) noexcept;
  ~PrivateDir();

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view name) const { return path_ + "/" + std::string(name); }

  // read_file with Symlinks::kRefuse, for a name in this folder.
  Result<std::optional<std::string>> read(const std::string& name, size_t max_bytes, struct stat* st_out = nullptr) const;
  // Atomic replace of `name` (mode `mode`). What is at `name` is replaced, never written through:
  // a file, a link (the link itself, not its target), a FIFO, an empty folder.
  Status write_atomic(const std::string& name, std::string_view data, mode_t mode) const;
  // Removes `name` (a link itself, never its target); a missing one is not an error.
  Status remove(const std::string& name) const;
  // Removes the lock file `name` unless another process holds it (then it is in use and stays).
  Status remove_lock(const std::string& name) const;
  // The names of the entries in the folder.
  std::vector<std::string> names() const;
  // LockFile::acquire for a name in this folder.
  Result<LockFile> lock(const std::string& name, Seconds timeout, const std::function<void()>& on_slow_wait) const;

 private:
  PrivateDir(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// A file read through a descriptor: it must be a regular file owned by the current user and not
// readable or writable by group or others. The Error says what is wrong, without advice: callers
// differ (a cache file is replaced; a key file is refused until fixed).
Status check_private_file(const struct stat& st, const std::string& path);

// "cannot WHAT PATH: strerror(err)", the one wording of a failed system call on a file.
Error io_error(std::string_view what, const std::string& path, int err);

// "a folder", "a FIFO", "a symbolic link", ...: what a non-regular file is, for messages.
std::string_view file_kind(mode_t mode);

std::string dirname_of(const std::string& path);

}  // namespace mfaenv
