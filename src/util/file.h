// Files as mfaenv needs them: reading without following links where it matters, writing atomically
// (AtomicFile), locking between processes (LockFile), and the ownership/permission checks that keep
// a cache of secrets private. Knows nothing of AWS.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

enum class Symlinks { kFollow, kRefuse };
enum class FileType { kMissing, kRegular, kDirectory, kSymlink, kOther };

// What is at `path`, without following a final symlink when `links` is kRefuse.
FileType file_type(const std::string& path, Symlinks links = Symlinks::kFollow);

// Reads a whole regular file. nullopt when it does not exist. Anything but a regular file (a
// directory, FIFO, device; a symlink with kRefuse) is an error, and so is a file over max_bytes.
// With kRefuse the file is opened O_NOFOLLOW and checked with fstat on the open descriptor.
Result<std::optional<std::string>> read_file(const std::string& path, Symlinks links = Symlinks::kFollow,
                                             size_t max_bytes = 16 << 20, struct stat* st_out = nullptr);

// Writes `path` all-or-nothing: `path`.tmp is written, fsynced, renamed over `path`, and the folder
// is fsynced, so a crash at any point leaves the old file or the new one, never half of either.
class AtomicFile {
 public:
  static Result<AtomicFile> open(std::string path, mode_t mode);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  ~AtomicFile();  // not committed: the temporary file is removed

  Status write(std::string_view data);
  Status commit();

 private:
  AtomicFile(std::string path, std::string tmp_path, int fd) : path_(std::move(path)), tmp_path_(std::move(tmp_path)), fd_(fd) {}
  std::string path_;
  std::string tmp_path_;
  int fd_ = -1;
};

// One call for the common case.
Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode);

// fsync of a folder, so that a rename in it is durable.
Status sync_directory(const std::string& dir);

// An exclusive flock(2) on `path` (created 0600), held until destruction. Waits up to `timeout`;
// `on_slow_wait` runs once after the first second of waiting (to say so on stderr).
class LockFile {
 public:
  static Result<LockFile> acquire(const std::string& path, Seconds timeout,
                                  const std::function<void()>& on_slow_wait = {});
  LockFile(LockFile&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  LockFile& operator=(LockFile&&) = delete;
  ~LockFile();

 private:
  explicit LockFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

enum class CreateMissing { kNo, kYes };

// A folder only its owner can use: a real directory (not a symlink), owned by the current user,
// with no group or world permissions. With kYes it (and its parents) are created, the last 0700.
Status ensure_private_dir(const std::string& path, CreateMissing create);

// A file read through a descriptor: it must be a regular file owned by the current user and not
// readable or writable by group or others.
Status check_private_file(const struct stat& st, const std::string& path);

std::string dirname_of(const std::string& path);

}  // namespace mfaenv
