// The key file format: what is sealed opens with the passphrase and only with it; any change to any
// byte, and any truncation, is refused with one line (never a crash, never the plaintext).
#include "keys/sealed_file.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

const std::string kPlain = R"({"Version":1,"AccessKeyId":"AKIAEXAMPLE000000001","SecretAccessKey":"s3cr3t/EXAMPLE0123456789abcdefghijklmnop"})";
const SealedFileInfo kInfo{"dev", "AKIA…0001", "2026-12-03T10:00:00Z"};

std::string sealed() {
  auto s = seal_key_file(kPlain, "correct horse", kInfo, KdfCost::minimum());
  EXPECT_TRUE(s.ok()) << s.error().message;
  return *s;
}

TEST(SealedFile, RoundTripAndHeader) {
  const std::string file = sealed();
  EXPECT_EQ(file.substr(0, 9), "MFAENVKEY");
  EXPECT_EQ(file.find("s3cr3t"), std::string::npos);
  EXPECT_EQ(file.find("AKIAEXAMPLE000000001"), std::string::npos);
  auto plain = open_key_file(file, "correct horse", "dev.keys");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(*plain, kPlain);
  auto info = read_key_file_info(file, "dev.keys");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->profile, "dev");
  EXPECT_EQ(info->key_hint, "AKIA…0001");
  // Two seals of the same text differ (fresh salt and nonce).
  EXPECT_NE(sealed(), file);
}

TEST(SealedFile, WrongPassphrase) {
  auto plain = open_key_file(sealed(), "wrong horse", "/k/dev.keys");
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().message,
            "cannot open /k/dev.keys: wrong passphrase, or the file was changed since mfaenv wrote it");
  EXPECT_EQ(plain.error().message.find('\n'), std::string::npos);
}

TEST(SealedFile, EveryByteFlippedIsRefused) {
  const std::string file = sealed();
  for (size_t i = 0; i < file.size(); ++i) {
    std::string bad = file;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    auto plain = open_key_file(bad, "correct horse", "dev.keys");
    ASSERT_FALSE(plain.ok()) << "byte " << i;
    EXPECT_EQ(plain.error().message.find("s3cr3t"), std::string::npos);
    EXPECT_EQ(plain.error().message.find('\n'), std::string::npos);
  }
}

TEST(SealedFile, EveryTruncationIsRefused) {
  const std::string file = sealed();
  for (size_t n = 0; n < file.size(); ++n) {
    auto plain = open_key_file(file.substr(0, n), "correct horse", "dev.keys");
    ASSERT_FALSE(plain.ok()) << "length " << n;
  }
  auto longer = open_key_file(file + "x", "correct horse", "dev.keys");
  EXPECT_FALSE(longer.ok());
}

TEST(SealedFile, HostileCostsAreRefusedBeforeUse) {
  std::string file = sealed();
  // memlimit (bytes 15..18) set to 4 TiB: refused without trying to allocate it.
  file[18] = static_cast<char>(0xff);
  auto plain = open_key_file(file, "correct horse", "dev.keys");
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.error().message.find("cost is out of range"), std::string::npos) << plain.error().message;
  auto other = open_key_file("not a key file at all", "x", "dev.keys");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("does not start with MFAENVKEY"), std::string::npos);
}

}  // namespace
}  // namespace mfaenv
