// Reading, atomic writing, locking and permission checks.
#include "util/file.h"

#include "util/strings.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace mfaenv {

namespace {

Error io_error(std::string_view what, const std::string& path, int err) {
  return make_error(ErrorKind::kGeneric, "cannot {} {}: {}", what, path, std::strerror(err));
}

}  // namespace

std::string dirname_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

FileType file_type(const std::string& path, Symlinks links) {
  struct stat st {};
  const int rc = links == Symlinks::kRefuse ? lstat(path.c_str(), &st) : stat(path.c_str(), &st);
  if (rc != 0) return FileType::kMissing;
  if (S_ISLNK(st.st_mode)) return FileType::kSymlink;
  if (S_ISREG(st.st_mode)) return FileType::kRegular;
  if (S_ISDIR(st.st_mode)) return FileType::kDirectory;
  return FileType::kOther;
}

Result<std::optional<std::string>> read_file(const std::string& path, Symlinks links, size_t max_bytes,
                                             struct stat* st_out) {
  // O_NONBLOCK: opening a FIFO planted in place of a file must not hang.
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
  if (links == Symlinks::kRefuse) flags |= O_NOFOLLOW;
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    if (errno == ELOOP) return make_error(ErrorKind::kGeneric, "{} is a symbolic link; refusing to follow it", path);
    return io_error("open", path, errno);
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return io_error("stat", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(ErrorKind::kGeneric, "{} is not a regular file", path);
  }
  if (static_cast<size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return make_error(ErrorKind::kGeneric, "{} is too large ({} bytes; the limit is {})", path, st.st_size, max_bytes);
  }
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (true) {
    if (done == data.size()) {
      if (data.size() >= max_bytes) break;
      data.resize(std::min(max_bytes, data.size() * 2 + 4096));  // the file grew while we read it
    }
    const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return io_error("read", path, err);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  data.resize(done);
  if (st_out != nullptr) *st_out = st;
  return std::optional<std::string>(std::move(data));
}

Result<AtomicFile> AtomicFile::open(std::string path, mode_t mode) {
  std::string tmp = path + ".tmp";
  // A leftover from a crash (or something planted) is removed, never written through.
  if (::unlink(tmp.c_str()) != 0 && errno != ENOENT) return io_error("remove", tmp, errno);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return io_error("create", tmp, errno);
  if (::fchmod(fd, mode) != 0) {  // the umask must not widen or narrow what the caller asked for
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return io_error("set the mode of", tmp, err);
  }
  return AtomicFile(std::move(path), std::move(tmp), fd);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)), tmp_path_(std::move(other.tmp_path_)), fd_(other.fd_) {
  other.fd_ = -1;
  other.tmp_path_.clear();
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!tmp_path_.empty()) ::unlink(tmp_path_.c_str());
}

Status AtomicFile::write(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", tmp_path_, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Status AtomicFile::commit() {
  if (::fsync(fd_) != 0) return io_error("flush", tmp_path_, errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return io_error("close", tmp_path_, errno);
  if (::rename(tmp_path_.c_str(), path_.c_str()) != 0) return io_error("replace", path_, errno);
  tmp_path_.clear();
  return sync_directory(dirname_of(path_));
}

Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode) {
  auto file = MFAENV_TRY(AtomicFile::open(path, mode));
  MFAENV_CHECK(file.write(data));
  return file.commit();
}

Status sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) return io_error("flush", dir, err);
  return {};
}

Result<LockFile> LockFile::acquire(const std::string& path, Seconds timeout, const std::function<void()>& on_slow_wait) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("open the lock file", path, errno);
  const auto start = std::chrono::steady_clock::now();
  bool told = false;
  auto pause = std::chrono::milliseconds(2);
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int err = errno;
      ::close(fd);
      return io_error("lock", path, err);
    }
    const auto waited = std::chrono::steady_clock::now() - start;
    if (waited >= timeout) {
      ::close(fd);
      return make_error(ErrorKind::kGeneric,
                        "gave up after {} waiting for another mfaenv holding {}; if no mfaenv is running, delete that file",
                        format_duration(std::chrono::duration_cast<Seconds>(waited)), path);
    }
    if (!told && waited >= std::chrono::seconds(1)) {
      told = true;
      if (on_slow_wait) on_slow_wait();
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  return LockFile(fd);
}

LockFile::~LockFile() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

Status ensure_private_dir(const std::string& path, CreateMissing create) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT || create == CreateMissing::kNo) return io_error("use the folder", path, errno);
    const std::string parent = dirname_of(path);
    if (parent != path && file_type(parent) == FileType::kMissing) {
      // Parents are ordinary folders (~/.cache): the umask decides.
      std::string prefix;
      for (const auto& part : split(parent, '/')) {
        prefix += part;
        if (!prefix.empty()) ::mkdir(prefix.c_str(), 0755);
        prefix += '/';
      }
    }
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) return io_error("create the folder", path, errno);
    if (::lstat(path.c_str(), &st) != 0) return io_error("use the folder", path, errno);
  }
  if (S_ISLNK(st.st_mode))
    return make_error(ErrorKind::kGeneric, "{} is a symbolic link; mfaenv keeps secrets only in a real folder: remove the link", path);
  if (!S_ISDIR(st.st_mode)) return make_error(ErrorKind::kGeneric, "{} is not a folder: remove it or set MFAENV_CACHE_DIR", path);
  if (st.st_uid != ::geteuid())
    return make_error(ErrorKind::kGeneric, "{} belongs to user id {}, not to you ({}): remove it or set MFAENV_CACHE_DIR",
                      path, st.st_uid, ::geteuid());
  if ((st.st_mode & 077) != 0)
    return make_error(ErrorKind::kGeneric, "{} is accessible by other users (mode {:o}): run 'chmod 700 {}'", path,
                      st.st_mode & 07777, path);
  return {};
}

Status check_private_file(const struct stat& st, const std::string& path) {
  if (!S_ISREG(st.st_mode)) return make_error(ErrorKind::kGeneric, "{} is not a regular file", path);
  if (st.st_uid != ::geteuid())
    return make_error(ErrorKind::kGeneric, "{} belongs to user id {}, not to you ({})", path, st.st_uid, ::geteuid());
  if ((st.st_mode & 077) != 0)
    return make_error(ErrorKind::kGeneric, "{} is accessible by other users (mode {:o}): run 'chmod 600 {}'", path,
                      st.st_mode & 07777, path);
  return {};
}

}  // namespace mfaenv
