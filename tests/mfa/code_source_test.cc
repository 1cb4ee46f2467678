// Tests for the MFA code sources.
#include "mfa/code_source.h"

#include <gtest/gtest.h>
#include <cstdlib>

namespace mfaenv {
namespace {

TEST(MfaCode, SixDigitsExactly) {
  EXPECT_TRUE(is_valid_code("012345"));
  for (const char* bad : {"", "12345", "1234567", "12345a", " 12345", "１２３４５６"}) EXPECT_FALSE(is_valid_code(bad)) << bad;
}

TEST(MfaCode, FixedCodeIsCheckedLocally) {
  auto bad = make_fixed_code_source("12345");
  auto r = bad->code("arn:aws:iam::1:mfa/a", CodeRetry::kFirst);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  auto good = make_fixed_code_source("123456");
  EXPECT_EQ(*good->code("arn", CodeRetry::kFirst), "123456");
  EXPECT_EQ(good->max_attempts(), 1);
}

TEST(MfaCode, ProcessGetsTheSerialButNoSecrets) {
  setenv("AWS_SECRET_ACCESS_KEY", "very-secret", 1);
  setenv("AWS_SESSION_TOKEN", "very-token", 1);
  auto source = make_process_code_source(
      "test -z \"$AWS_SECRET_ACCESS_KEY$AWS_SESSION_TOKEN\" && test \"$MFAENV_MFA_SERIAL\" = arn:x && echo ' 654321 '", "dev");
  auto r = source->code("arn:x", CodeRetry::kFirst);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "654321");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  unsetenv("AWS_SESSION_TOKEN");
}

TEST(MfaCode, ProcessFailuresAreClearAndNeverEchoOutput) {
  auto failing = make_process_code_source("oathtool --totp -b JBSWY3DPEHPK3PXP >/dev/null 2>&1; echo oops >&2; exit 7", "dev");
  auto r = failing->code("arn:x", CodeRetry::kFirst);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("exit status 7"), std::string::npos);
  // The profile and the setting are named; the command, which may hold a TOTP seed, never is.
  EXPECT_NE(r.error().message.find("mfa_process of profile 'dev'"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("JBSWY3DPEHPK3PXP"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("oathtool"), std::string::npos) << r.error().message;
  auto chatty = make_process_code_source("echo your code is $((123000 + 456))", "dev");
  r = chatty->code("arn:x", CodeRetry::kFirst);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find("123456"), std::string::npos);
}

TEST(MfaCode, NoPromptMeansExitThree) {
  auto r = choose_code_source(std::nullopt, std::string("echo 123456"), Prompting::kNever, "dev");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kMfaCodeNeeded);
  EXPECT_NE(r.error().message.find("mfaenv login dev"), std::string::npos);
  EXPECT_TRUE(choose_code_source(std::string("123456"), std::nullopt, Prompting::kNever, "dev").ok());
}

}  // namespace
}  // namespace mfaenv
