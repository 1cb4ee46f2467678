// Tests for reading, atomic writing, locking and the private-folder checks.
#include "util/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace mfaenv {
namespace {

class FileTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return tmp_.path(name); }
  testing_support::TempDir tmp_{"mfaenv-file-test"};
  const std::string dir_ = tmp_.path();
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
  ASSERT_TRUE(PrivateDir::open(d, CreateMissing::kYes, "MFAENV_CACHE_DIR").ok());
  struct stat st {};
  ASSERT_EQ(lstat(d.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  chmod(d.c_str(), 0755);
  auto r = PrivateDir::open(d, CreateMissing::kYes, "MFAENV_CACHE_DIR");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("chmod 700"), std::string::npos);
  chmod(d.c_str(), 0700);
  ASSERT_EQ(symlink(d.c_str(), path("linked").c_str()), 0);
  for (const std::string& link : {path("linked"), path("linked/")}) {
    r = PrivateDir::open(link, CreateMissing::kYes, "MFAENV_CACHE_DIR");
    ASSERT_FALSE(r.ok()) << link;
    EXPECT_NE(r.error().message.find("symbolic link"), std::string::npos);
  }
  EXPECT_FALSE(PrivateDir::open(path("missing"), CreateMissing::kNo, "MFAENV_CACHE_DIR").ok());
  EXPECT_FALSE(std::filesystem::exists(path("missing")));
  ASSERT_EQ(mkfifo(path("fifo").c_str(), 0600), 0);
  r = PrivateDir::open(path("fifo"), CreateMissing::kYes, "MFAENV_CACHE_DIR");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("a FIFO, not a folder"), std::string::npos);
}

TEST_F(FileTest, PrivateDirOfAnotherUserIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  const std::string d = path("theirs");
  ASSERT_EQ(mkdir(d.c_str(), 0700), 0);
  ASSERT_EQ(chown(d.c_str(), 65534, 65534), 0);
  auto r = PrivateDir::open(d, CreateMissing::kYes, "MFAENV_CACHE_DIR");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("belongs to user id 65534"), std::string::npos);
}

// The folder checked is the folder used: swapping it for a link afterwards changes nothing.
TEST_F(FileTest, PrivateDirKeepsUsingTheFolderItChecked) {
  const std::string d = path("mine");
  auto dir = PrivateDir::open(d, CreateMissing::kYes, "MFAENV_CACHE_DIR");
  ASSERT_TRUE(dir.ok());
  ASSERT_EQ(rename(d.c_str(), path("moved").c_str()), 0);
  ASSERT_EQ(mkdir(path("attacker").c_str(), 0777), 0);
  ASSERT_EQ(symlink(path("attacker").c_str(), d.c_str()), 0);
  ASSERT_TRUE(dir->write_atomic("s.json", "secret", 0600).ok());
  EXPECT_TRUE(std::filesystem::exists(path("moved/s.json")));
  EXPECT_TRUE(std::filesystem::is_empty(path("attacker")));
  EXPECT_EQ(**dir->read("s.json", 100), "secret");
  EXPECT_EQ(dir->names(), std::vector<std::string>{"s.json"});
  EXPECT_EQ(dir->names(), std::vector<std::string>{"s.json"});  // again: its own directory offset
}

TEST_F(FileTest, PrivateDirNeverWritesThroughALink) {
  auto dir = PrivateDir::open(path("mine"), CreateMissing::kYes, "MFAENV_CACHE_DIR");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(write_file_atomic(path("target"), "planted", 0600).ok());
  ASSERT_EQ(symlink(path("target").c_str(), path("mine/s.json").c_str()), 0);
  auto r = dir->read("s.json", 100);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("symbolic link"), std::string::npos);
  ASSERT_TRUE(dir->write_atomic("s.json", "fresh", 0600).ok());
  EXPECT_EQ(**read_file(path("target")), "planted");
  EXPECT_EQ(file_type(path("mine/s.json"), Symlinks::kRefuse), FileType::kRegular);
  // remove() takes the link away, never its target.
  ASSERT_EQ(symlink(path("target").c_str(), path("mine/t.json").c_str()), 0);
  ASSERT_TRUE(dir->remove("t.json").ok());
  EXPECT_EQ(**read_file(path("target")), "planted");
  EXPECT_TRUE(dir->remove("t.json").ok());
}

TEST_F(FileTest, PrivateDirReplacesAnEmptyFolderButNotAFullOne) {
  auto dir = PrivateDir::open(path("mine"), CreateMissing::kYes, "MFAENV_CACHE_DIR");
  ASSERT_TRUE(dir.ok());
  ASSERT_EQ(mkdir(path("mine/empty.json").c_str(), 0700), 0);
  ASSERT_TRUE(dir->write_atomic("empty.json", "x", 0600).ok());
  EXPECT_EQ(file_type(path("mine/empty.json")), FileType::kRegular);
  ASSERT_EQ(mkdir(path("mine/full.json").c_str(), 0700), 0);
  ASSERT_TRUE(write_file_atomic(path("mine/full.json/keep"), "data", 0600).ok());
  auto r = dir->write_atomic("full.json", "x", 0600);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("move it away"), std::string::npos);
  EXPECT_EQ(**read_file(path("mine/full.json/keep")), "data");
  EXPECT_FALSE(std::filesystem::exists(path("mine/full.json.tmp")));
}

TEST_F(FileTest, AtomicFileClearsWhateverIsAtTheTemporaryName) {
  ASSERT_EQ(mkfifo(path("a.tmp").c_str(), 0600), 0);
  ASSERT_TRUE(write_file_atomic(path("a"), "1", 0600).ok());
  ASSERT_EQ(mkdir(path("a.tmp").c_str(), 0700), 0);
  ASSERT_TRUE(write_file_atomic(path("a"), "2", 0600).ok());
  EXPECT_EQ(**read_file(path("a")), "2");
  ASSERT_EQ(mkdir(path("a.tmp").c_str(), 0700), 0);
  ASSERT_TRUE(write_file_atomic(path("a.tmp/keep"), "data", 0600).ok());
  auto r = write_file_atomic(path("a"), "3", 0600);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("a.tmp is a folder with files in it"), std::string::npos);
  EXPECT_EQ(**read_file(path("a.tmp/keep")), "data");
  EXPECT_EQ(**read_file(path("a")), "2");
}

TEST_F(FileTest, LockFileMustBeARegularFileOfOurs) {
  auto dir = PrivateDir::open(path("mine"), CreateMissing::kYes, "MFAENV_CACHE_DIR");
  ASSERT_TRUE(dir.ok());
  const auto refusal = [&](const std::string& name) -> std::string {
    auto r = dir->lock(name, Seconds(1), {});
    return r.ok() ? "locked" : r.error().message;
  };
  // A dangling link: its target must not be created.
  ASSERT_EQ(symlink(path("created-through-link").c_str(), path("mine/a.lock").c_str()), 0);
  EXPECT_NE(refusal("a.lock").find("is a symbolic link, not mfaenv's lock file: remove it"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path("created-through-link")));
  ASSERT_EQ(mkfifo(path("mine/b.lock").c_str(), 0600), 0);
  EXPECT_NE(refusal("b.lock").find("is a FIFO, not mfaenv's lock file"), std::string::npos);
  ASSERT_EQ(mkdir(path("mine/c.lock").c_str(), 0700), 0);
  EXPECT_NE(refusal("c.lock").find("is a folder, not mfaenv's lock file"), std::string::npos);
  EXPECT_EQ(refusal("d.lock"), "locked");
  if (geteuid() == 0) {
    ASSERT_EQ(chown(path("mine/d.lock").c_str(), 65534, 65534), 0);
    EXPECT_NE(refusal("d.lock").find("belongs to user id 65534"), std::string::npos);
  }
}

TEST_F(FileTest, AFileThatGrowsPastTheLimitIsAnErrorNotCutShort) {
  // /proc files say they are empty and then have text: the same path as a file growing while read.
  auto r = read_file("/proc/self/status", Symlinks::kFollow, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("too large"), std::string::npos);
  EXPECT_TRUE(read_file("/proc/self/status", Symlinks::kFollow, 1 << 20).ok());
}

TEST_F(FileTest, ReadGivesTheTypeOfWhatItRefused) {
  ASSERT_EQ(mkdir(path("d").c_str(), 0700), 0);
  struct stat st {};
  EXPECT_FALSE(read_file(path("d"), Symlinks::kFollow, 100, &st).ok());
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  ASSERT_TRUE(write_file_atomic(path("big"), std::string(200, 'x'), 0600).ok());
  st = {};
  EXPECT_FALSE(read_file(path("big"), Symlinks::kFollow, 100, &st).ok());
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_size, 200);
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
  EXPECT_EQ(testing_support::run_in_child([&] {
              bool told = false;
              auto r = LockFile::acquire(lock, Seconds(2), [&] { told = true; });
              return !r.ok() && told && r.error().message.find("gave up") != std::string::npos ? 0 : 1;
            }),
            0);
}

TEST_F(FileTest, LockIsReleasedOnDestruction) {
  const std::string lock = path("k.lock");
  { auto held = LockFile::acquire(lock, Seconds(1)); ASSERT_TRUE(held.ok()); }
  EXPECT_EQ(testing_support::run_in_child([&] { return LockFile::acquire(lock, Seconds(1)).ok() ? 0 : 1; }), 0);
}

}  // namespace
}  // namespace mfaenv

// attack 2, F12: the cache folder and the key store share one HOME check.
TEST(CheckHome, RefusesAnEmptyOrRelativeHomeNamingTheVariables) {
  const char* saved = std::getenv("HOME");
  const std::string before = saved != nullptr ? saved : "";
  for (const char* home : {"", "relhome"}) {
    setenv("HOME", home, 1);
    mfaenv::Status s = mfaenv::check_home("key store folder", "XDG_DATA_HOME");
    ASSERT_FALSE(s.ok()) << home;
    EXPECT_NE(s.error().message.find(std::string("HOME = '") + home + "' is not an absolute path"), std::string::npos);
    EXPECT_NE(s.error().message.find("no usable key store folder"), std::string::npos);
    EXPECT_NE(s.error().message.find("XDG_DATA_HOME"), std::string::npos);
  }
  setenv("HOME", "/home/someone", 1);
  EXPECT_TRUE(mfaenv::check_home("key store folder", "XDG_DATA_HOME").ok());
  unsetenv("HOME");
  EXPECT_TRUE(mfaenv::check_home("key store folder", "XDG_DATA_HOME").ok());  // the password database decides
  if (saved != nullptr) setenv("HOME", before.c_str(), 1);
}
