// The file backend through the KeyStore interface (0700 folder, 0600 file, nothing overwritten on
// a wrong passphrase), the key record, and removing plaintext keys from a credentials file with
// every other byte kept.
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "keys/key_record.h"
#include "keys/key_store.h"
#include "support/temp_dir.h"

namespace mfaenv {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

Credentials sample() {
  Credentials c;
  c.access_key_id = "AKIAEXAMPLE000000001";
  c.secret_access_key = "s3cr3t/EXAMPLE0123456789abcdefghijklmnop";
  return c;
}

TEST(KeyRecord, RoundTripAndChecks) {
  auto r = decode_key_record(encode_key_record(sample(), TimePoint(Seconds(1796000000))), "here");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->keys.secret_access_key, sample().secret_access_key);
  EXPECT_EQ(key_hint("AKIAEXAMPLE000000001"), "AKIA…0001");
  Credentials session = sample();
  session.access_key_id = "ASIAEXAMPLE000000001";
  EXPECT_FALSE(check_long_term_keys(session).ok());
  auto bad = decode_key_record("{\"Version\":1,\"AccessKeyId\":\"x\"}", "the entry");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("the entry"), std::string::npos);
}

TEST(FileStore, PutGetListRemove) {
  const testing_support::TempDir scratch("mfaenv-keys-test");
  const std::string& data = scratch.path();
  setenv("XDG_DATA_HOME", data.c_str(), 1);
  setenv("MFAENV_FILE_PASSPHRASE", "test passphrase", 1);
  auto store = open_key_store(KeyBackend::kFile, KeyStoreOptions{KeyPrompt::kNever, nullptr, nullptr});
  ASSERT_TRUE(store->put("dev", sample()).ok());
  struct stat st {};
  ASSERT_EQ(stat((data + "/mfaenv/keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(stat((data + "/mfaenv/keys/dev.keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto got = store->get("dev");
  ASSERT_TRUE(got.ok() && *got) << (got.ok() ? "" : got.error().message);
  EXPECT_EQ((*got)->secret_access_key, sample().secret_access_key);
  auto none = store->get("other");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  auto listed = store->list();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].key_hint, "AKIA…0001");

  // Wrong passphrase: an error, and the file is byte for byte what it was.
  const std::string before = read_all(data + "/mfaenv/keys/dev.keys");
  setenv("MFAENV_FILE_PASSPHRASE", "wrong", 1);
  auto wrong = store->get("dev");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("wrong passphrase"), std::string::npos);
  EXPECT_EQ(read_all(data + "/mfaenv/keys/dev.keys"), before);

  // No passphrase under kNever: exit 3 saying what to set.
  unsetenv("MFAENV_FILE_PASSPHRASE");
  auto locked = store->get("dev");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().kind, ErrorKind::kMfaCodeNeeded);
  EXPECT_NE(locked.error().message.find("MFAENV_FILE_PASSPHRASE"), std::string::npos);

  ASSERT_TRUE(store->remove("dev").ok());
  EXPECT_TRUE(store->remove("dev").ok());
  EXPECT_FALSE(check_profile_name_for_store("../etc").ok());
  unsetenv("XDG_DATA_HOME");
}

TEST(CredentialsFile, RemovingKeysKeepsEveryOtherByte) {
  const testing_support::TempDir scratch("mfaenv-keys-test");
  const std::string& dir = scratch.path();
  const std::string path = dir + "/credentials";
  const std::string text =
      "# my keys\r\n[default]\r\naws_access_key_id = AKIADEFAULT000000001\r\naws_secret_access_key = d\r\n\r\n"
      "[dev]\r\n; comment\r\naws_access_key_id=AKIAEXAMPLE000000001\r\nregion = eu-west-1\r\n"
      "aws_secret_access_key = s3cr3t\r\n  continued\r\nother = x\r\n";
  {
    std::ofstream f(path, std::ios::binary);
    f << text;
  }
  chmod(path.c_str(), 0640);
  auto removed = remove_config_keys(path, "dev", {"aws_access_key_id", "aws_secret_access_key"});
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(*removed, 3);
  EXPECT_EQ(read_all(path),
            "# my keys\r\n[default]\r\naws_access_key_id = AKIADEFAULT000000001\r\naws_secret_access_key = d\r\n\r\n"
            "[dev]\r\n; comment\r\nregion = eu-west-1\r\nother = x\r\n");
  struct stat st {};
  stat(path.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(*remove_config_keys(path, "dev", {"aws_access_key_id"}), 0);
}

}  // namespace
}  // namespace mfaenv
