// Tests for the cache folder: trust checks, atomic writes, corrupt files, used codes.
#include "cache/session_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.h"

namespace mfaenv {
namespace {

class SessionCacheTest : public ::testing::Test {
 protected:
  testing_support::TempDir tmp_{"mfaenv-cache-test"};

  static CachedSession sample() {
    CachedSession s;
    s.issued = now();
    s.credentials.access_key_id = "ASIAEXAMPLE";
    s.credentials.secret_access_key = "secret";
    s.credentials.session_token = "token";
    s.credentials.expiration = now() + Seconds(3600);
    s.arn = "arn:aws:iam::123456789012:user/alice";
    return s;
  }
  const std::string root_ = tmp_.path();
  const std::string dir_ = root_ + "/mfaenv";
};

TEST_F(SessionCacheTest, CreatesAPrivateFolderAndPrivateFiles) {
  auto cache = SessionCache::open(dir_, CreateMissing::kYes);
  ASSERT_TRUE(cache.ok()) << cache.error().message;
  ASSERT_TRUE(cache->write("mfa-1", sample()).ok());
  struct stat st {};
  ASSERT_EQ(stat(dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(stat(cache->file_for("mfa-1").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto lookup = cache->read("mfa-1");
  ASSERT_TRUE(lookup.session.has_value()) << lookup.problem;
  EXPECT_EQ(lookup.session->arn, "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(cache->keys(), std::vector<std::string>{"mfa-1"});
}

TEST_F(SessionCacheTest, RefusesAFolderOthersCanRead) {
  ASSERT_EQ(mkdir(dir_.c_str(), 0755), 0);
  chmod(dir_.c_str(), 0755);
  auto cache = SessionCache::open(dir_, CreateMissing::kYes);
  ASSERT_FALSE(cache.ok());
  EXPECT_NE(cache.error().message.find("chmod 700"), std::string::npos);
}

TEST_F(SessionCacheTest, NeverTrustsABrokenOrExposedFile) {
  auto cache = SessionCache::open(dir_, CreateMissing::kYes);
  ASSERT_TRUE(cache.ok());
  const std::string file = cache->file_for("mfa-1");
  { std::ofstream(file) << "{\"version\": 1, \"kind\": \"mfa-sess"; }
  chmod(file.c_str(), 0600);
  auto lookup = cache->read("mfa-1");
  EXPECT_FALSE(lookup.session.has_value());
  EXPECT_NE(lookup.problem.find("not valid JSON"), std::string::npos);

  ASSERT_TRUE(cache->write("mfa-1", sample()).ok());
  chmod(file.c_str(), 0644);
  lookup = cache->read("mfa-1");
  EXPECT_FALSE(lookup.session.has_value());
  EXPECT_NE(lookup.problem.find("open to other users (mode 644)"), std::string::npos);
  EXPECT_NE(lookup.problem.find("a new session will replace it"), std::string::npos);

  std::filesystem::remove(file);
  ASSERT_EQ(symlink("/etc/hostname", file.c_str()), 0);
  lookup = cache->read("mfa-1");
  EXPECT_FALSE(lookup.session.has_value());
  EXPECT_NE(lookup.problem.find("symbolic link"), std::string::npos);

  // Replacing it works without manual cleanup.
  ASSERT_TRUE(cache->write("mfa-1", sample()).ok());
  EXPECT_TRUE(cache->read("mfa-1").session.has_value());
}

TEST_F(SessionCacheTest, MissingIsQuiet) {
  auto cache = SessionCache::open(dir_, CreateMissing::kYes);
  ASSERT_TRUE(cache.ok());
  auto lookup = cache->read("nothing");
  EXPECT_FALSE(lookup.session.has_value());
  EXPECT_TRUE(lookup.problem.empty());
  EXPECT_TRUE(cache->remove("nothing").ok());
}

TEST_F(SessionCacheTest, RemembersUsedCodesPerDevice) {
  auto cache = SessionCache::open(dir_, CreateMissing::kYes);
  ASSERT_TRUE(cache.ok());
  EXPECT_FALSE(cache->code_was_used("device-a", "123456"));
  ASSERT_TRUE(cache->remember_used_code("device-a", "123456").ok());
  EXPECT_TRUE(cache->code_was_used("device-a", "123456"));
  EXPECT_FALSE(cache->code_was_used("device-b", "123456"));
  EXPECT_FALSE(cache->code_was_used("device-a", "654321"));
  const long long later = (now() + Seconds(121)).time_since_epoch().count();
  setenv("MFAENV_FAKE_NOW", std::to_string(later).c_str(), 1);
  EXPECT_FALSE(cache->code_was_used("device-a", "123456"));
  unsetenv("MFAENV_FAKE_NOW");
}

TEST_F(SessionCacheTest, AFifoOrFolderInPlaceOfASessionIsIgnoredAndReplaced) {
  auto cache = SessionCache::open(dir_, CreateMissing::kYes);
  ASSERT_TRUE(cache.ok());
  const std::string file = cache->file_for("mfa-1");
  ASSERT_EQ(mkfifo(file.c_str(), 0600), 0);
  auto lookup = cache->read("mfa-1");  // must not hang
  EXPECT_FALSE(lookup.session.has_value());
  EXPECT_NE(lookup.problem.find("is a FIFO, not a regular file; a new session will replace it"), std::string::npos);
  ASSERT_TRUE(cache->write("mfa-1", sample()).ok());
  EXPECT_TRUE(cache->read("mfa-1").session.has_value());
  std::filesystem::remove(file);
  ASSERT_EQ(mkdir(file.c_str(), 0700), 0);
  lookup = cache->read("mfa-1");
  EXPECT_NE(lookup.problem.find("is a folder"), std::string::npos);
  ASSERT_TRUE(cache->write("mfa-1", sample()).ok());
  EXPECT_TRUE(cache->read("mfa-1").session.has_value());
}

TEST_F(SessionCacheTest, UsedCodesFromAnUntrustedFileAreNotCarriedOver) {
  auto cache = SessionCache::open(dir_, CreateMissing::kYes);
  ASSERT_TRUE(cache.ok());
  ASSERT_TRUE(cache->remember_used_code("device-a", "111111").ok());
  const std::string codes = dir_ + "/device-a.codes";
  chmod(codes.c_str(), 0666);
  EXPECT_FALSE(cache->code_was_used("device-a", "111111"));
  ASSERT_TRUE(cache->remember_used_code("device-a", "222222").ok());
  EXPECT_TRUE(cache->code_was_used("device-a", "222222"));
  EXPECT_FALSE(cache->code_was_used("device-a", "111111"));
  struct stat st {};
  ASSERT_EQ(lstat(codes.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace mfaenv
