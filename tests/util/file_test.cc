// Tests for reading, atomic writing, locking and the private-folder checks.
#include "util/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace mfaenv {
namespace {

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/mfaenv-file-test-XXXXXX";
    dir_ = mkdtemp(templ);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  std::string dir_;
};

TEST_F(FileTest, ReadsMissingAsNullopt) {
  auto r = read_file(path("nope"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_F(FileTest, AtomicWriteKeepsModeAndLeavesNoTemporary) {
  ASSERT_TRUE(write_file_atomic(path("a"), "hello", 0600).ok());
  struct stat st {};
  ASSERT_EQ(stat(path("a").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(**read_file(path("a")), "hello");
  EXPECT_FALSE(std::filesystem::exists(path("a.tmp")));
  ASSERT_TRUE(write_file_atomic(path("a"), "again", 0640).ok());
  EXPECT_EQ(**read_file(path("a")), "again");
}

TEST_F(FileTest, UncommittedAtomicFileLeavesTheOldContent) {
  ASSERT_TRUE(write_file_atomic(path("a"), "old", 0600).ok());
  {
    auto f = AtomicFile::open(path("a"), 0600);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE(f->write("new but abandoned").ok());
  }
  EXPECT_EQ(**read_file(path("a")), "old");
  EXPECT_FALSE(std::filesystem::exists(path("a.tmp")));
}

TEST_F(FileTest, AtomicFileReplacesAPlantedTemporarySymlink) {
  ASSERT_EQ(symlink("/etc/passwd", path("a.tmp").c_str()), 0);
  ASSERT_TRUE(write_file_atomic(path("a"), "safe", 0600).ok());
  EXPECT_EQ(**read_file(path("a")), "safe");
}

TEST_F(FileTest, RefusesSymlinksWhenAsked) {
  ASSERT_TRUE(write_file_atomic(path("real"), "x", 0600).ok());
  ASSERT_EQ(symlink(path("real").c_str(), path("link").c_str()), 0);
  EXPECT_TRUE(read_file(path("link"), Symlinks::kFollow).ok());
  auto r = read_file(path("link"), Symlinks::kRefuse);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("symbolic link"), std::string::npos);
}

TEST_F(FileTest, DirectoriesAndFifosAreNotFilesAndDoNotHang) {
  ASSERT_EQ(mkdir(path("d").c_str(), 0700), 0);
  EXPECT_FALSE(read_file(path("d")).ok());
  ASSERT_EQ(mkfifo(path("f").c_str(), 0600), 0);
  auto r = read_file(path("f"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not a regular file"), std::string::npos);
}

TEST_F(FileTest, SizeLimit) {
  ASSERT_TRUE(write_file_atomic(path("big"), std::string(1000, 'x'), 0600).ok());
  EXPECT_FALSE(read_file(path("big"), Symlinks::kFollow, 999).ok());
  EXPECT_TRUE(read_file(path("big"), Symlinks::kFollow, 1000).ok());
}

TEST_F(FileTest, PrivateDirIsCreatedAndChecked) {
  const std::string d = path("cache/mfaenv");
  ASSERT_TRUE(ensure_private_dir(d, CreateMissing::kYes).ok());
  struct stat st {};
  ASSERT_EQ(lstat(d.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  chmod(d.c_str(), 0755);
  auto r = ensure_private_dir(d, CreateMissing::kYes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("chmod 700"), std::string::npos);
  chmod(d.c_str(), 0700);
  ASSERT_EQ(symlink(d.c_str(), path("linked").c_str()), 0);
  r = ensure_private_dir(path("linked"), CreateMissing::kYes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("symbolic link"), std::string::npos);
}

TEST_F(FileTest, PrivateFileCheck) {
  ASSERT_TRUE(write_file_atomic(path("s"), "x", 0644).ok());
  struct stat st {};
  ASSERT_EQ(stat(path("s").c_str(), &st), 0);
  EXPECT_FALSE(check_private_file(st, path("s")).ok());
  chmod(path("s").c_str(), 0600);
  ASSERT_EQ(stat(path("s").c_str(), &st), 0);
  EXPECT_TRUE(check_private_file(st, path("s")).ok());
}

TEST_F(FileTest, LockExcludesOtherProcessesAndTimesOut) {
  const std::string lock = path("k.lock");
  auto held = LockFile::acquire(lock, Seconds(1));
  ASSERT_TRUE(held.ok());
  const pid_t child = fork();
  if (child == 0) {
    bool told = false;
    auto r = LockFile::acquire(lock, Seconds(2), [&] { told = true; });
    _exit(!r.ok() && told && r.error().message.find("gave up") != std::string::npos ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(FileTest, LockIsReleasedOnDestruction) {
  const std::string lock = path("k.lock");
  { auto held = LockFile::acquire(lock, Seconds(1)); ASSERT_TRUE(held.ok()); }
  const pid_t child = fork();
  if (child == 0) _exit(LockFile::acquire(lock, Seconds(1)).ok() ? 0 : 1);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace mfaenv
