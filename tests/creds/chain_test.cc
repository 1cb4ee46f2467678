// Tests for working out a profile's chain from the config.
#include "creds/chain.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

const ConfigPaths kPaths{"/test/config", "/test/credentials"};

// The config and its loader stay alive for the chain that points into them.
struct Planned {
  AwsConfig config;
  std::unique_ptr<ProfileLoader> loader;
};

Result<Chain> plan(std::string_view config, std::string_view credentials, const std::string& profile,
                   const ChainOptions& options = {}) {
  static std::vector<std::unique_ptr<Planned>> kept;
  auto parsed = AwsConfig::parse(config, credentials, kPaths);
  if (!parsed) return std::move(parsed).error();
  auto planned = std::make_unique<Planned>();
  planned->config = std::move(*parsed);
  planned->loader = std::make_unique<ProfileLoader>(planned->config);
  kept.push_back(std::move(planned));
  return plan_chain(*kept.back()->loader, ProfileName{profile, ProfileOrigin::kArgument, {}}, options);
}

constexpr std::string_view kCredentials =
    "[alice]\naws_access_key_id = AKIAALICE\naws_secret_access_key = alice-secret\n";

TEST(Chain, UserWithMfaIsOneSession) {
  auto c = plan("[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n", kCredentials, "alice");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->links.size(), 1u);
  EXPECT_EQ(c->links[0].kind, LinkKind::kMfaSession);
  EXPECT_EQ(c->links[0].duration, Seconds(43200));
  EXPECT_EQ(c->region, "eu-west-1");
  EXPECT_EQ(c->source.access_key_id, "AKIAALICE");
  EXPECT_EQ(c->links[0].cache_key.substr(0, 4), "mfa-");
}

TEST(Chain, NoMfaSerialMeansASessionWithoutMfa) {
  auto c = plan("", kCredentials, "alice");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->links.size(), 1u);
  EXPECT_EQ(c->links[0].kind, LinkKind::kSession);
  EXPECT_TRUE(c->links[0].mfa_serial.empty());
  EXPECT_EQ(c->links[0].duration, kDefaultSessionDuration);
  EXPECT_EQ(c->links[0].cache_key.substr(0, 8), "session-");
  EXPECT_FALSE(c->long_term_by_choice);
  // Its cache key is not the MFA session's of the same keys.
  auto mfa = plan("[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/x\n", kCredentials, "alice");
  ASSERT_TRUE(mfa.ok());
  EXPECT_NE(mfa->links[0].cache_key, c->links[0].cache_key);
}

TEST(Chain, LongTermKeysOnlyWhenAsked) {
  auto none = plan("[profile alice]\nmfaenv_session = none\n", kCredentials, "alice");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->links.empty());
  EXPECT_TRUE(none->long_term_by_choice);
  auto flag = plan("", kCredentials, "alice", ChainOptions{std::nullopt, SessionMode::kNone});
  ASSERT_TRUE(flag.ok());
  EXPECT_TRUE(flag->links.empty());
  EXPECT_TRUE(flag->long_term_by_choice);
  // A chain with an MFA device keeps its session whatever mfaenv_session says.
  auto mfa = plan("[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/x\nmfaenv_session = none\n", kCredentials, "alice");
  ASSERT_TRUE(mfa.ok());
  EXPECT_EQ(mfa->links.size(), 1u);
  // Keys that are a session already (aws_session_token) are handed on as they are.
  auto temporary = plan("", "[t]\naws_access_key_id = ASIAT\naws_secret_access_key = s\naws_session_token = tok\n", "t");
  ASSERT_TRUE(temporary.ok());
  EXPECT_TRUE(temporary->links.empty());
  EXPECT_FALSE(temporary->long_term_by_choice);
  // A bad value names its line.
  auto bad = plan("[profile alice]\nmfaenv_session = off\n", kCredentials, "alice");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("/test/config:2: profile 'alice': mfaenv_session = 'off' is not one of: session, none"),
            std::string::npos)
      << bad.error().message;
}

TEST(Chain, MaxAgeShortensTheRequestAndSaysWhy) {
  auto c = plan("[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/x\nmfaenv_mfa_max_age = 1h\n", kCredentials, "alice");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->links[0].duration, Seconds(3600));
  EXPECT_EQ(c->limits.mfa_max_age, Seconds(3600));
  ASSERT_EQ(c->links[0].notes.size(), 1u);
  EXPECT_NE(c->links[0].notes[0].find("mfaenv_mfa_max_age"), std::string::npos);
}

TEST(Chain, SessionDurationIsValidated) {
  auto c = plan("[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/x\nmfaenv_session_duration = 37h\n", kCredentials, "alice");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kConfigInvalid);
  c = plan("[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/x\nmfaenv_session_duration = soon\n", kCredentials, "alice");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("mfaenv_session_duration"), std::string::npos);
  c = plan("[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/x\n", kCredentials, "alice", ChainOptions{Seconds(600), std::nullopt});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kUsage);
}

TEST(Chain, RolesOverOneUserShareOneMfaSession) {
  const std::string config =
      "[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/x\n"
      "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = alice\n"
      "[profile readonly]\nrole_arn = arn:aws:iam::123456789012:role/ReadOnly\nsource_profile = alice\n"
      "[profile viaserial]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = plain\nmfa_serial = arn:aws:iam::123456789012:mfa/x\n"
      "[profile plain]\n";
  const std::string creds = std::string(kCredentials) + "[plain]\naws_access_key_id = AKIAALICE\naws_secret_access_key = s\n";
  auto admin = plan(config, creds, "admin");
  auto readonly = plan(config, creds, "readonly");
  auto user = plan(config, creds, "alice");
  auto viaserial = plan(config, creds, "viaserial");
  ASSERT_TRUE(admin.ok() && readonly.ok() && user.ok() && viaserial.ok());
  ASSERT_EQ(admin->links.size(), 2u);
  EXPECT_EQ(admin->links[0].cache_key, user->links[0].cache_key);
  EXPECT_EQ(readonly->links[0].cache_key, user->links[0].cache_key);
  EXPECT_EQ(viaserial->links[0].cache_key, user->links[0].cache_key);
  EXPECT_NE(admin->links[1].cache_key, readonly->links[1].cache_key);
  EXPECT_EQ(admin->profiles, (std::vector<std::string>{"admin", "alice"}));
}

TEST(Chain, ChainedRolesAreCappedAtOneHourWithANote) {
  auto c = plan(
      "[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/x\n"
      "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = alice\n"
      "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/B\nsource_profile = a\n"
      "[profile c]\nrole_arn = arn:aws:iam::123456789012:role/C\nsource_profile = b\nduration_seconds = 43200\n",
      kCredentials, "c");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->links.size(), 4u);
  EXPECT_EQ(c->links[3].role.duration, Seconds(3600));
  ASSERT_EQ(c->links[3].notes.size(), 1u);
  EXPECT_NE(c->links[3].notes[0].find("role chaining"), std::string::npos);
}

TEST(Chain, CyclesAreNamed) {
  auto c = plan(
      "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = b\n"
      "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/B\nsource_profile = c\n"
      "[profile c]\nrole_arn = arn:aws:iam::123456789012:role/C\nsource_profile = a\n",
      "", "a");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_NE(c.error().message.find("a -> b -> c -> a"), std::string::npos) << c.error().message;
}

TEST(Chain, UnsupportedSourcesAreRefusedClearly) {
  auto c = plan("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/A\ncredential_source = Ec2InstanceMetadata\n", "", "r");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("Environment"), std::string::npos);
  c = plan("[profile s]\nsso_session = corp\nsso_account_id = 1\n", "", "s");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("SSO"), std::string::npos);
  c = plan("", "", "ghost");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("profile 'ghost' (from the PROFILE argument) is not in /test/config or /test/credentials"),
            std::string::npos)
      << c.error().message;
  c = plan("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = ghost\n", "", "r");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("profile 'ghost' (from source_profile of profile 'r' (/test/config:3))"),
            std::string::npos)
      << c.error().message;
}

TEST(Chain, SessionNamesAreSanitized) {
  EXPECT_EQ(role_session_name(std::string("alice smith/ops"), TimePoint{}), "alice_smith_ops");
  EXPECT_EQ(role_session_name(std::nullopt, TimePoint{Seconds(42)}), "mfaenv-session-42");
  EXPECT_EQ(role_session_name(std::string(100, 'x'), TimePoint{}).size(), 64u);
}

}  // namespace
}  // namespace mfaenv

namespace mfaenv {
namespace {

TEST(Chain, ARegionWithANulByteIsRefused) {
  const std::string config("[profile alice]\nregion = us\0east-1\n", 35);
  auto c = plan(config, kCredentials, "alice");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_NE(c.error().message.find("NUL byte"), std::string::npos) << c.error().message;
}

}  // namespace
}  // namespace mfaenv
