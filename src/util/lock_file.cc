// LockFile: waiting for the flock, refusing what is not our lock file, naming who holds it.
#include "util/lock_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "util/file.h"
#include "util/strings.h"

namespace mfaenv {

namespace {

// Who holds the flock on the file `st` describes, from /proc/locks: "process 1234 (mfaenv)", or a
// description when it cannot be seen (another PID namespace). Read only after a lock timeout.
std::string lock_holder(const struct stat& st) {
  const std::string id = fmt::format("{:02x}:{:02x}:{}", major(st.st_dev), minor(st.st_dev), st.st_ino);
  FILE* locks = std::fopen("/proc/locks", "re");
  long long pid = -1;
  if (locks != nullptr) {
    char line[256];
    while (pid < 0 && std::fgets(line, sizeof line, locks) != nullptr) {
      const std::vector<std::string> fields = split(trim(line), ' ');
      std::vector<std::string_view> words;
      for (const auto& f : fields)
        if (!f.empty()) words.push_back(f);
      // "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" ("->" marks a waiter: skipped)
      if (words.size() >= 6 && words[1] == "FLOCK" && words[5] == id) pid = parse_int(words[4]).value_or(-1);
    }
    std::fclose(locks);
  }
  if (pid <= 0) return "a process this system does not show (another container?)";
  std::string name = "?";
  if (auto comm = read_file(fmt::format("/proc/{}/comm", pid), Symlinks::kFollow, 64); comm.ok() && *comm) name = std::string(trim(**comm));
  return fmt::format("process {} ({})", pid, name);
}

}  // namespace

Result<LockFile> LockFile::acquire(const std::string& path, Seconds timeout, const std::function<void()>& on_slow_wait) {
  return acquire_at(AT_FDCWD, path, path, timeout, on_slow_wait);
}

Result<LockFile> LockFile::acquire_at(int dir_fd, const std::string& name, const std::string& path, Seconds timeout,
                                      const std::function<void()>& on_slow_wait) {
  // O_NOFOLLOW: a planted link must not make us create or lock its target; O_NONBLOCK: a FIFO
  // there must not hang the open.
  const int fd = ::openat(dir_fd, name.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == ELOOP)
      return make_error(ErrorKind::kGeneric, "{} is a symbolic link, not mfaenv's lock file: remove it", path);
    if (errno == EISDIR) return make_error(ErrorKind::kGeneric, "{} is a folder, not mfaenv's lock file: remove it", path);
    if (errno == ENXIO) return make_error(ErrorKind::kGeneric, "{} is a socket, not mfaenv's lock file: remove it", path);
    return io_error("open the lock file", path, errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return io_error("stat", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(ErrorKind::kGeneric, "{} is {}, not mfaenv's lock file: remove it", path, file_kind(st.st_mode));
  }
  if (st.st_uid != ::geteuid()) {
    ::close(fd);
    return make_error(ErrorKind::kGeneric, "{} belongs to user id {}, not to you ({}): remove it", path, st.st_uid,
                      ::geteuid());
  }
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
      const std::string holder = lock_holder(st);
      ::close(fd);
      // Never "delete the lock file": the holder keeps its lock on the old file, and a second
      // refresh would then ask for a second MFA code.
      return make_error(ErrorKind::kGeneric,
                        "gave up after {} waiting for {}, which holds the lock {} while it refreshes this session; "
                        "let it finish, or stop it if it is stuck, then try again",
                        format_duration(std::chrono::duration_cast<Seconds>(waited)), holder, path);
    }
    if (!told && waited >= std::chrono::seconds(1)) {
      told = true;
      if (on_slow_wait) on_slow_wait();
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  // The lock is ours only if the name still leads to the file we locked: `logout` removes lock
  // files it no longer needs (holding the lock), so a waiter may get the lock of a removed file.
  // Then it tries again on the new file, so two processes never both believe they hold the lock.
  struct stat named {};
  if (::fstatat(dir_fd, name.c_str(), &named, AT_SYMLINK_NOFOLLOW) != 0 || named.st_ino != st.st_ino ||
      named.st_dev != st.st_dev) {
    ::close(fd);
    const auto left = timeout - std::chrono::duration_cast<Seconds>(std::chrono::steady_clock::now() - start);
    return acquire_at(dir_fd, name, path, std::max(left, Seconds(0)), on_slow_wait);
  }
  return LockFile(fd);
}

LockFile::~LockFile() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

}  // namespace mfaenv
