// Reading, atomic writing, the private folder, and permission checks.
#include "util/file.h"

#include "util/strings.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/sysmacros.h>
#include <thread>
#include <unistd.h>

namespace mfaenv {

Error io_error(std::string_view what, const std::string& path, int err) {
  return make_error(ErrorKind::kGeneric, "cannot {} {}: {}", what, path, std::strerror(err));
}

namespace {

Error not_regular_error(const std::string& path, mode_t mode) {
  return make_error(ErrorKind::kGeneric, "{} is {}, not a regular file", path, file_kind(mode));
}

// The rest of read_file once `fd` is open: fstat on the descriptor, the size limit, the reading.
Result<std::optional<std::string>> read_open_file(int fd, const std::string& path, size_t max_bytes,
                                                  struct stat* st_out) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return io_error("stat", path, errno);
  if (st_out != nullptr) *st_out = st;  // also on the errors below: callers tell them apart by it
  if (!S_ISREG(st.st_mode)) return not_regular_error(path, st.st_mode);
  const auto too_large = [&](size_t size) {
    return make_error(ErrorKind::kGeneric, "{} is too large ({} bytes; the limit is {})", path, size, max_bytes);
  };
  if (static_cast<size_t>(st.st_size) > max_bytes) return too_large(static_cast<size_t>(st.st_size));
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (true) {
    if (done == data.size()) {
      // The file grew while we read it (or is a /proc file of size 0): one byte past the limit
      // tells "too large" from "exactly at the limit", so a grown file is never cut silently.
      data.resize(std::min(max_bytes + 1, data.size() * 2 + 4096));
    }
    const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("read", path, errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
    if (done > max_bytes) return too_large(done);
  }
  data.resize(done);
  return std::optional<std::string>(std::move(data));
}

// Reads `name` relative to `dir_fd`; O_NONBLOCK so that a FIFO planted in place of a file cannot
// hang the open.
Result<std::optional<std::string>> read_at(int dir_fd, const std::string& name, const std::string& path,
                                           Symlinks links, size_t max_bytes, struct stat* st_out) {
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  if (links == Symlinks::kRefuse) flags |= O_NOFOLLOW;
  const int fd = ::openat(dir_fd, name.c_str(), flags);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    if (errno == ELOOP && links == Symlinks::kRefuse)
      return make_error(ErrorKind::kGeneric, "{} is a symbolic link, which mfaenv does not follow here", path);
    if (errno == ENXIO) return make_error(ErrorKind::kGeneric, "{} is a socket or device, not a regular file", path);
    return io_error("open", path, errno);
  }
  auto result = read_open_file(fd, path, max_bytes, st_out);
  ::close(fd);
  return result;
}

// Removes whatever is at `name` (a file, a link, a FIFO, an empty folder); a folder with something
// in it is left alone and named in the error.
Status remove_at(int dir_fd, const std::string& name, const std::string& path) {
  if (::unlinkat(dir_fd, name.c_str(), 0) == 0 || errno == ENOENT) return {};
  const int err = errno;
  if (err != EISDIR && err != EPERM) return io_error("remove", path, err);  // POSIX says EPERM, Linux EISDIR
  if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT) return {};
  if (errno == ENOTDIR) return io_error("remove", path, err);
  if (errno == ENOTEMPTY || errno == EEXIST)
    return make_error(ErrorKind::kGeneric, "{} is a folder with files in it, where mfaenv needs to write a file: "
                      "move it away", path);
  return io_error("remove", path, errno);
}

}  // namespace

std::string_view file_kind(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

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
  return read_at(AT_FDCWD, path, path, links, max_bytes, st_out);
}

Result<AtomicFile> AtomicFile::open(std::string path, mode_t mode) {
  std::string name = path;
  return open_at(AT_FDCWD, std::move(name), std::move(path), mode);
}

Result<AtomicFile> AtomicFile::open_at(int dir_fd, std::string name, std::string path, mode_t mode) {
  const std::string tmp = name + ".tmp";
  const std::string tmp_path = path + ".tmp";
  // A leftover from a crash (or something planted) is removed, never written through.
  MFAENV_CHECK(remove_at(dir_fd, tmp, tmp_path));
  const int fd = ::openat(dir_fd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return io_error("create", tmp_path, errno);
  if (::fchmod(fd, mode) != 0) {  // the umask must not widen or narrow what the caller asked for
    const int err = errno;
    ::close(fd);
    ::unlinkat(dir_fd, tmp.c_str(), 0);
    return io_error("set the mode of", tmp_path, err);
  }
  return AtomicFile(dir_fd, std::move(name), std::move(path), fd);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : dir_fd_(other.dir_fd_), name_(std::move(other.name_)), tmp_name_(std::move(other.tmp_name_)),
      path_(std::move(other.path_)), fd_(other.fd_) {
  other.fd_ = -1;
  other.tmp_name_.clear();
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!tmp_name_.empty()) ::unlinkat(dir_fd_, tmp_name_.c_str(), 0);
}

Status AtomicFile::write(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", path_ + ".tmp", errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Status AtomicFile::commit() {
  if (::fsync(fd_) != 0) return io_error("flush", path_ + ".tmp", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return io_error("close", path_ + ".tmp", errno);
  if (::renameat(dir_fd_, tmp_name_.c_str(), dir_fd_, name_.c_str()) != 0) {
    if (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST)
      return make_error(ErrorKind::kGeneric, "{} is a folder, not a file: move it away", path_);
    return io_error("replace", path_, errno);
  }
  tmp_name_.clear();
  if (dir_fd_ != AT_FDCWD) {
    if (::fsync(dir_fd_) != 0 && errno != EINVAL) return io_error("flush", dirname_of(path_), errno);
    return {};
  }
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

namespace {

// Creates `path` 0700 (its missing parents are ordinary folders, like ~/.cache: the umask decides).
void create_private_dir(const std::string& path) {
  const std::string parent = dirname_of(path);
  if (parent != path && file_type(parent) == FileType::kMissing) {
    std::string prefix;
    for (const auto& part : split(parent, '/')) {
      prefix += part;
      if (!prefix.empty()) ::mkdir(prefix.c_str(), 0755);
      prefix += '/';
    }
  }
  ::mkdir(path.c_str(), 0700);  // an error shows when it is opened
}

Error not_yours_error(const std::string& path, uid_t owner, std::string_view moved_by) {
  return make_error(ErrorKind::kGeneric, "{} belongs to user id {}, not to you ({}): remove it or set {} "
                    "to a folder of yours", path, owner, ::geteuid(), moved_by);
}

}  // namespace

Status check_home(std::string_view what, std::string_view moved_by) {
  auto home = env("HOME");
  if (!home || (!home->empty() && (*home)[0] == '/')) return {};  // unset: expand_user asks the password database
  return make_error(ErrorKind::kGeneric,
                    "no usable {}: HOME = '{}' is not an absolute path; set HOME to your home folder, or {} to an "
                    "absolute folder",
                    what, *home, moved_by);
}

Result<PrivateDir> PrivateDir::open(std::string path, CreateMissing create, std::string_view moved_by) {
  // "dir/" would make open() follow a link named dir.
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::open(path.c_str(), flags);
  if (fd < 0 && errno == ENOENT && create == CreateMissing::kYes) {
    create_private_dir(path);
    fd = ::open(path.c_str(), flags);
  }
  if (fd < 0) {
    const int err = errno;
    struct stat st {};
    const bool known = ::lstat(path.c_str(), &st) == 0;
    if (known && S_ISLNK(st.st_mode))
      return make_error(ErrorKind::kGeneric, "{} is a symbolic link; mfaenv keeps its files only in a real folder of "
                        "yours: remove the link, or set {} to a real folder", path, moved_by);
    if (known && !S_ISDIR(st.st_mode))
      return make_error(ErrorKind::kGeneric, "{} is {}, not a folder: remove it or set {}", path,
                        file_kind(st.st_mode), moved_by);
    if (known && st.st_uid != ::geteuid()) return not_yours_error(path, st.st_uid, moved_by);
    return io_error("use the folder", path, err);
  }
  PrivateDir dir(fd, path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error("stat", path, errno);
  if (st.st_uid != ::geteuid()) return not_yours_error(path, st.st_uid, moved_by);
  if ((st.st_mode & 077) != 0)
    return make_error(ErrorKind::kGeneric, "{} is open to other users (mode {:o}): run 'chmod 700 {}'", path,
                      st.st_mode & 07777, path);
  return dir;
}

PrivateDir& PrivateDir::operator=(PrivateDir&& other) noexcept {
  std::swap(fd_, other.fd_);
  std::swap(path_, other.path_);
  return *this;
}

PrivateDir::~PrivateDir() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::optional<std::string>> PrivateDir::read(const std::string& name, size_t max_bytes, struct stat* st_out) const {
  return read_at(fd_, name, path_of(name), Symlinks::kRefuse, max_bytes, st_out);
}

Status PrivateDir::write_atomic(const std::string& name, std::string_view data, mode_t mode) const {
  // rename() replaces a file, link or FIFO but not a folder: an empty one goes first.
  struct stat st {};
  if (::fstatat(fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
    MFAENV_CHECK(remove_at(fd_, name, path_of(name)));
  auto file = MFAENV_TRY(AtomicFile::open_at(fd_, name, path_of(name), mode));
  MFAENV_CHECK(file.write(data));
  return file.commit();
}

Status PrivateDir::remove(const std::string& name) const {
  if (::unlinkat(fd_, name.c_str(), 0) != 0 && errno != ENOENT) return io_error("remove", path_of(name), errno);
  return {};
}

Status PrivateDir::remove_lock(const std::string& name) const {
  struct stat st {};
  if (::fstatat(fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return {};  // none (or unreadable): nothing to do
  // Held by a refresh in progress: it is still needed, leave it.
  auto lock = LockFile::acquire_at(fd_, name, path_of(name), Seconds(0), {});
  if (!lock) return {};
  return remove(name);  // while holding it: see acquire_at's re-check
}

std::vector<std::string> PrivateDir::names() const {
  std::vector<std::string> names;
  // A descriptor of its own: readdir moves the offset, which a dup() would share with fd_.
  const int fd = ::openat(fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return names;
  DIR* d = ::fdopendir(fd);
  if (d == nullptr) {
    ::close(fd);
    return names;
  }
  while (const dirent* entry = ::readdir(d)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(d);
  return names;
}

Result<LockFile> PrivateDir::lock(const std::string& name, Seconds timeout, const std::function<void()>& on_slow_wait) const {
  return LockFile::acquire_at(fd_, name, path_of(name), timeout, on_slow_wait);
}

Status check_private_file(const struct stat& st, const std::string& path) {
  if (!S_ISREG(st.st_mode)) return not_regular_error(path, st.st_mode);
  if (st.st_uid != ::geteuid())
    return make_error(ErrorKind::kGeneric, "{} belongs to user id {}, not to you ({})", path, st.st_uid, ::geteuid());
  if ((st.st_mode & 077) != 0)
    return make_error(ErrorKind::kGeneric, "{} is open to other users (mode {:o})", path, st.st_mode & 07777);
  return {};
}

}  // namespace mfaenv
