// Tests for the typed profile model: every key parsed once, errors with FILE:LINE, misspelt keys
// warned about, inheritance down source_profile, and the one wording of "profile not found".
#include "aws/profile_settings.h"

#include <gtest/gtest.h>

#include "support/recorded_warnings.h"

namespace mfaenv {
namespace {

using testing_support::RecordedWarnings;

const ConfigPaths kPaths{"/t/config", "/t/credentials"};

struct Loaded {
  AwsConfig config;
  std::unique_ptr<ProfileLoader> loader;
};

std::unique_ptr<Loaded> read(std::string_view config, std::string_view credentials = "") {
  auto l = std::make_unique<Loaded>();
  auto parsed = AwsConfig::parse(config, credentials, kPaths);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  if (parsed.ok()) l->config = std::move(*parsed);
  l->loader = std::make_unique<ProfileLoader>(l->config);
  return l;
}

TEST(ProfileSettings, EveryKeyIsTyped) {
  auto l = read(
      "[profile p]\n"
      "mfa_serial = arn:aws:iam::123456789012:mfa/p\nmfa_process = ykman oath accounts code -s p\n"
      "role_arn = arn:aws:iam::123456789012:role/R\nsource_profile = p\nexternal_id = ext\nrole_session_name = me\n"
      "duration_seconds = 2h\nregion = eu-west-1\ncredential_source = Environment\n"
      "endpoint_url = https://sts.example\nservices = s\nca_bundle = ~/ca.pem\nsts_regional_endpoints = legacy\n"
      "use_fips_endpoint = TRUE\nuse_dualstack_endpoint = false\nignore_configured_endpoint_urls = true\n"
      "credential_process = mfaenv credential-process q\n"
      "mfaenv_session_duration = 1h30m\nmfaenv_mfa_max_age = 3600\nmfaenv_refresh_margin = 5m\n"
      "mfaenv_mfa_per_role = true\nmfaenv_keyring = secret-service\nmfaenv_passphrase_process = pass show x\n"
      "mfaenv_prompt = ykman, zenity terminal\nmfaenv_ykman_account = AWS:p\nmfaenv_session = none\n",
      "[p]\naws_access_key_id = AKIAP\naws_secret_access_key = secret\n");
  RecordedWarnings warnings;
  auto s = l->loader->load("p");
  ASSERT_TRUE(s.ok()) << s.error().message;
  const ProfileSettings& p = **s;
  EXPECT_EQ(p.access_key_id, "AKIAP");
  EXPECT_EQ(p.secret_access_key, "secret");
  EXPECT_EQ(p.session_token, std::nullopt);
  EXPECT_EQ(p.mfa_serial, "arn:aws:iam::123456789012:mfa/p");
  EXPECT_EQ(p.mfa_process, "ykman oath accounts code -s p");
  EXPECT_EQ(p.role_arn, "arn:aws:iam::123456789012:role/R");
  EXPECT_EQ(p.source_profile, "p");
  EXPECT_EQ(p.external_id, "ext");
  EXPECT_EQ(p.role_session_name, "me");
  EXPECT_EQ(p.duration_seconds, Seconds(7200));
  EXPECT_EQ(p.region, "eu-west-1");
  EXPECT_EQ(p.credential_source, CredentialSource::kEnvironment);
  EXPECT_EQ(p.endpoint_url, "https://sts.example");
  EXPECT_EQ(p.services, "s");
  EXPECT_EQ(p.ca_bundle, "~/ca.pem");
  EXPECT_EQ(p.sts_regional_endpoints, StsRegionalEndpoints::kLegacy);
  EXPECT_EQ(p.use_fips_endpoint, true);
  EXPECT_EQ(p.use_dualstack_endpoint, false);
  EXPECT_EQ(p.ignore_configured_endpoint_urls, true);
  EXPECT_EQ(p.credential_process, "mfaenv credential-process q");
  EXPECT_EQ(p.session_duration, Seconds(5400));
  EXPECT_EQ(p.mfa_max_age, Seconds(3600));
  EXPECT_EQ(p.refresh_margin, Seconds(300));
  EXPECT_EQ(p.mfa_per_role, true);
  EXPECT_EQ(p.keyring, KeyringBackend::kSecretService);
  EXPECT_EQ(p.passphrase_process, "pass show x");
  EXPECT_EQ(p.prompt, (std::vector<PromptDriver>{PromptDriver::kYkman, PromptDriver::kZenity, PromptDriver::kTerminal}));
  EXPECT_EQ(p.ykman_account, "AWS:p");
  EXPECT_EQ(p.session, SessionMode::kNone);
  EXPECT_EQ(p.where("mfa_serial"), "/t/config:2");
  EXPECT_EQ(p.where("aws_access_key_id"), "/t/credentials:2");
  EXPECT_TRUE(warnings.lines.empty()) << warnings.text();
}

TEST(ProfileSettings, EmptyValuesAreUnset) {
  auto l = read("[profile p]\nregion =\nmfa_serial =   \nmfaenv_mfa_max_age =\n");
  auto s = l->loader->load("p");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE((*s)->region);
  EXPECT_FALSE((*s)->mfa_serial);
  EXPECT_FALSE((*s)->mfa_max_age);
}

// Each bad value: one line naming FILE:LINE, the profile, the key and what is accepted.
TEST(ProfileSettings, BadValuesNameFileLineAndTheFix) {
  struct Case {
    std::string line;
    std::string expected;
  } cases[] = {
      {"mfaenv_mfa_max_age = soon", "/t/config:3: profile 'p': mfaenv_mfa_max_age = 'soon' is not a duration"},
      {"mfaenv_session_duration = 37h", "/t/config:3: profile 'p': mfaenv_session_duration = '37h' is outside 15m to 36h"},
      {"duration_seconds = 1d", "/t/config:3: profile 'p': duration_seconds = '1d' is outside 15m to 12h"},
      {"mfaenv_keyring = vault", "mfaenv_keyring = 'vault' is not one of: secret-service, pass, file, credentials-file"},
      {"mfaenv_prompt = terminal, dialog", "mfaenv_prompt = 'terminal, dialog' names 'dialog', which is not one of: "
                                           "terminal, zenity, kdialog, osascript, ykman"},
      {"mfaenv_mfa_per_role = yes", "mfaenv_mfa_per_role = 'yes' is not true or false"},
      {"credential_source = Env", "credential_source = 'Env' is not one of: Environment, Ec2InstanceMetadata, EcsContainer"},
      {"sts_regional_endpoints = global", "sts_regional_endpoints = 'global' is not one of: regional, legacy"},
      // What STS would refuse only after the code was spent on the request below (defect 13).
      {"region = eu west 1", "/t/config:3: profile 'p': region = 'eu west 1' is not a region name"},
      {"region = eu-west-1;", "region = 'eu-west-1;' is not a region name"},
      {"region = -eu", "region = '-eu' is not a region name"},
      {"role_arn = arn:aws:iam:123456789012:role/Admin", "role_arn = 'arn:aws:iam:123456789012:role/Admin' is not a role ARN"},
      {"role_arn = arn:aws:iam::12345:role/Admin", "is not a role ARN"},
      {"role_arn = arn:aws:iam::123456789012:user/alice", "is not a role ARN"},
      {"role_arn = arn:aws:iam::123456789012:role/", "is not a role ARN"},
      {"role_arn = arn:aws:iam::123456789012:role/Admin Role", "is not a role ARN"},
      {"role_arn = Admin", "is not a role ARN"},
      {"role_session_name = alice smith", "role_session_name = 'alice smith' is not what STS accepts: 2 to 64 characters"},
      {"role_session_name = x", "is not what STS accepts: 2 to 64"},
      {"role_session_name = " + std::string(65, 'n'), "is not what STS accepts: 2 to 64"},
      {"external_id = ext id!", "external_id = 'ext id!' is not what STS accepts: 2 to 1224 characters"},
      {"external_id = " + std::string(1225, 'e'), "is not what STS accepts: 2 to 1224"},
      {"mfa_serial = arn:x", "mfa_serial = 'arn:x' is not what STS accepts: 9 to 256 characters"},
      {"mfa_serial = arn:aws:iam::123456789012:mfa/alice smith", "is not what STS accepts: 9 to 256"},
  };
  for (const auto& c : cases) {
    auto l = read("[profile p]\noutput = json\n" + c.line + "\n");
    auto s = l->loader->load("p");
    ASSERT_FALSE(s.ok()) << c.line;
    EXPECT_EQ(s.error().kind, ErrorKind::kConfigInvalid);
    EXPECT_NE(s.error().message.find(c.expected), std::string::npos) << s.error().message;
    EXPECT_EQ(s.error().message.find("own line"), std::string::npos) << s.error().message;
  }
}

TEST(ProfileSettings, ValuesStsAcceptsAreRead) {
  auto l = read(
      "[profile p]\nregion = cn-north-1\nmfa_serial = GAHT12345678\n"
      "role_arn = arn:aws-cn:iam::123456789012:role/ops/team/Deploy_1+=,.@-\n"
      "role_session_name = a.b@c=d,e+f-g_h\nexternal_id = urn:x/y@z\n"
      "[profile q]\nrole_arn = arn:aws-us-gov:iam::123456789012:role/R\nmfa_serial = arn:aws:iam::123456789012:mfa/q\n");
  for (const char* name : {"p", "q"}) {
    auto s = l->loader->load(name);
    EXPECT_TRUE(s.ok()) << s.error().message;
  }
  EXPECT_TRUE(is_region_name("us-gov-west-1"));
  EXPECT_FALSE(is_region_name(std::string(64, 'a')));
  EXPECT_FALSE(is_region_name("eu-west-1-"));
}

TEST(ProfileSettings, AnInlineCommentThatBreaksAValueSaysCommentsGoOnTheirOwnLine) {
  auto l = read("[profile p]\nmfaenv_mfa_max_age = 1h   # the policy's limit\n");
  auto s = l->loader->load("p");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("/t/config:2: profile 'p': mfaenv_mfa_max_age = '1h   # the policy's limit' is not a "
                                   "duration"),
            std::string::npos)
      << s.error().message;
  EXPECT_NE(s.error().message.find("put comments on a line of their own"), std::string::npos) << s.error().message;
}

TEST(ProfileSettings, ALineBreakInARegionIsRefused) {
  auto l = read("[profile p]\nregion = eu-west-1\n  evil\n");
  auto s = l->loader->load("p");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("/t/config:2: profile 'p': region holds a NUL byte or a line break"), std::string::npos)
      << s.error().message;
}

TEST(ProfileSettings, MisspeltKeysAreWarnedAboutWithTheFix) {
  auto l = read(
      "[profile p]\n"
      "mfa_serial arn:aws:iam::123456789012:mfa/p\n"  // no '=': key "mfa_serial arn"
      "role-arn = arn:aws:iam::123456789012:role/R\n"
      "mfa_serail = arn:x\n"
      "mfaenv_max_age = 1h\n"
      "output = json\ns3 =\n  addressing_style = path\ncli_pager =\nsso_region = eu-west-1\n");
  RecordedWarnings warnings;
  auto s = l->loader->load("p");
  ASSERT_TRUE(s.ok()) << s.error().message;
  const std::string text = warnings.text();
  EXPECT_EQ(warnings.lines.size(), 4u) << text;
  EXPECT_NE(text.find("warning: /t/config:2: profile 'p': this line sets a key named 'mfa_serial ...', not mfa_serial: "
                      "the line has no '=' before its first ':'; write 'mfa_serial = VALUE'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("/t/config:3: profile 'p': 'role-arn' is not a key the AWS CLI, SDKs or mfaenv read; write "
                      "'role_arn' (with '_')"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("/t/config:4: profile 'p': 'mfa_serail' is not a key the AWS CLI, SDKs or mfaenv read; did you "
                      "mean 'mfa_serial'?"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("/t/config:5: profile 'p': mfaenv has no key 'mfaenv_max_age'"), std::string::npos) << text;
  // The secret-looking rest of a line is never echoed.
  EXPECT_EQ(text.find("123456789012"), std::string::npos) << text;
  EXPECT_FALSE((*s)->mfa_serial);
}

TEST(ProfileSettings, AProfileWithoutTheWordProfileInTheConfigFileIsWarnedAbout) {
  auto l = read("[alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/x\n[plugins]\ncli_legacy_plugin_path = /x\n[profile bob]\n");
  ASSERT_EQ(l->config.warnings().size(), 1u);
  EXPECT_EQ(l->config.warnings()[0],
            "/t/config:1: section [alice] is not a profile: the AWS CLI and SDKs ignore it in the config file; write "
            "[profile alice]");
}

TEST(ProfileSettings, OnlyTheProfilesAskedForAreParsed) {
  auto l = read("[profile good]\nregion = eu-west-1\n[profile bad]\nmfaenv_mfa_max_age = soon\n");
  EXPECT_TRUE(l->loader->load("good").ok());
  EXPECT_FALSE(l->loader->load("bad").ok());
}

TEST(ProfileLineage, SettingsAreInheritedDownSourceProfile) {
  auto l = read(
      "[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/x\nmfaenv_mfa_max_age = 1h\nregion = eu-west-1\n"
      "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = alice\nregion = us-east-2\n"
      "[profile plain]\nsource_profile = alice\n");
  auto admin = resolve_profile_settings(*l->loader, ProfileName{"admin", ProfileOrigin::kArgument, {}});
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  ASSERT_EQ(admin->profiles().size(), 2u);
  EXPECT_EQ(admin->top().name, "admin");
  EXPECT_EQ(admin->inherited(&ProfileSettings::mfa_max_age), Seconds(3600));
  EXPECT_EQ(admin->inherited_from(&ProfileSettings::mfa_max_age)->name, "alice");
  EXPECT_EQ(admin->inherited(&ProfileSettings::region), "us-east-2");  // the profile used wins
  EXPECT_FALSE(admin->inherited(&ProfileSettings::session_duration));
  // source_profile means nothing without role_arn (as in botocore).
  auto plain = resolve_profile_settings(*l->loader, ProfileName{"plain", ProfileOrigin::kArgument, {}});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->profiles().size(), 1u);
}

TEST(ProfileLineage, CyclesAndSelfSources) {
  auto l = read(
      "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = a\n"
      "[profile self]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = self\n",
      "[self]\naws_access_key_id = AKIAS\naws_secret_access_key = s\n");
  auto a = resolve_profile_settings(*l->loader, ProfileName{"a", ProfileOrigin::kArgument, {}});
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("/t/config:6: profiles form a cycle through source_profile: a -> b -> a"),
            std::string::npos)
      << a.error().message;
  auto self = resolve_profile_settings(*l->loader, ProfileName{"self", ProfileOrigin::kArgument, {}});
  ASSERT_TRUE(self.ok()) << self.error().message;
  EXPECT_EQ(self->profiles().size(), 1u);
}

TEST(ProfileNotFound, SaysWhereTheNameCameFrom) {
  auto l = read("[profile a]\n");
  auto message = [&](ProfileOrigin origin) {
    auto r = l->loader->load(ProfileName{"ghost", origin, "profile 'a' (/t/config:3)"});
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().message;
  };
  const std::string tail = " is not in /t/config or /t/credentials; check the name ('mfaenv config profiles' lists them)";
  EXPECT_EQ(message(ProfileOrigin::kArgument), "profile 'ghost' (from the PROFILE argument)" + tail);
  EXPECT_EQ(message(ProfileOrigin::kFlag), "profile 'ghost' (from --profile)" + tail);
  EXPECT_EQ(message(ProfileOrigin::kAwsProfile), "profile 'ghost' (from AWS_PROFILE)" + tail);
  EXPECT_EQ(message(ProfileOrigin::kAwsDefaultProfile), "profile 'ghost' (from AWS_DEFAULT_PROFILE)" + tail);
  EXPECT_EQ(message(ProfileOrigin::kMfaenvProfile), "profile 'ghost' (from MFAENV_PROFILE, set by mfaenv env/exec)" + tail);
  EXPECT_EQ(message(ProfileOrigin::kSourceProfile),
            "profile 'ghost' (from source_profile of profile 'a' (/t/config:3))" + tail);
  auto none = l->loader->load(ProfileName{"default", ProfileOrigin::kDefault, {}});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(none.error().message.rfind("no profile given: pass PROFILE or set AWS_PROFILE", 0), 0u) << none.error().message;
}

}  // namespace
}  // namespace mfaenv
