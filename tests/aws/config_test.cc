// Tests for AwsConfig: profiles as botocore's Session gives them, the files it reads, and its errors.
#include "aws/config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/temp_dir.h"

namespace mfaenv {
namespace {

const ConfigPaths kNames{"/cfg", "/creds"};

AwsConfig parse_ok(std::string_view config, std::string_view credentials = "") {
  auto c = AwsConfig::parse(config, credentials, kNames);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  return c.ok() ? std::move(c).value() : AwsConfig{};
}

TEST(AwsConfig, ProfilesFromBothFilesInBotocoreOrder) {
  const AwsConfig c = parse_ok("[profile b]\n[default]\n[profile a]\n[other]\n", "[c]\n[a]\n[default]\n");
  EXPECT_EQ(c.profile_names(), (std::vector<std::string_view>{"b", "default", "a", "c"}));
  EXPECT_FALSE(c.profile("other"));
  EXPECT_FALSE(c.has_profile("other"));
  EXPECT_TRUE(c.profile("c"));
  EXPECT_TRUE(c.has_profile("c"));
}

TEST(AwsConfig, CredentialsWinPerKey) {
  const AwsConfig c = parse_ok("[profile dev]\nregion = eu-west-1\naws_access_key_id = OLD\ns3 =\n  a = 1\n",
                               "[dev]\naws_access_key_id = AKIA\naws_secret_access_key = s\ns3 = flat\n");
  const std::optional<Profile> p = c.profile("dev");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->get("region"), "eu-west-1");
  EXPECT_EQ(p->get("aws_access_key_id"), "AKIA");
  EXPECT_EQ(p->get("aws_secret_access_key"), "s");
  EXPECT_EQ(p->get("s3"), "flat");
  EXPECT_TRUE(p->nested.empty());
  EXPECT_EQ(p->get("missing"), std::nullopt);
}

TEST(AwsConfig, QuotedNamesAndIgnoredHeaders) {
  const AwsConfig c = parse_ok(
      "[profile \"my dev\"]\nk = 1\n[profile 'single']\n[profile  spaced]\n[profile]\n[profilea]\n"
      "[profile a b]\n[ profile c ]\n[profilex d]\n");
  EXPECT_EQ(c.profile_names(), (std::vector<std::string_view>{"my dev", "single", "spaced", "d"}));
  // People are told about the sections that botocore drops or reads oddly.
  EXPECT_GE(c.warnings().size(), 4u);
}

TEST(AwsConfig, LaterSectionOfAProfileReplacesTheEarlierOne) {
  const AwsConfig c = parse_ok("[default]\nregion = one\n[profile default]\noutput = two\n");
  const std::optional<Profile> p = c.profile("default");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->get("region"), std::nullopt);
  EXPECT_EQ(p->get("output"), "two");
  ASSERT_EQ(c.warnings().size(), 1u);
  EXPECT_NE(c.warnings()[0].find("/cfg:3:"), std::string::npos);
}

TEST(AwsConfig, NestedSsoSessionAndServices) {
  const AwsConfig c = parse_ok(
      "[profile dev]\nservices = local\ns3 =\n  addressing_style = path\n  Key = a=b\n"
      "[sso-session corp]\nsso_region = us-east-1\n[services local]\nsts =\n  endpoint_url = http://localhost:1\n");
  const std::optional<Profile> p = c.profile("dev");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->nested.at("s3").at("addressing_style"), "path");
  EXPECT_EQ(p->nested.at("s3").at("Key"), "a=b");  // nested keys keep their case
  EXPECT_EQ(p->get("s3"), std::nullopt);
  ASSERT_TRUE(c.sso_session("corp"));
  EXPECT_EQ(c.sso_session("corp")->values.at("sso_region"), "us-east-1");
  ASSERT_TRUE(c.services("local"));
  EXPECT_EQ(c.services("local")->nested.at("sts").at("endpoint_url"), "http://localhost:1");
}

TEST(AwsConfig, DefaultSectionIsInheritedByEverySection) {
  const AwsConfig c = parse_ok("[DEFAULT]\nregion = everywhere\n[default]\n[profile a]\nregion = own\n");
  EXPECT_EQ(c.profile("default")->get("region"), "everywhere");
  EXPECT_EQ(c.profile("a")->get("region"), "own");
}

TEST(AwsConfig, EmptyValueIsEmptyString) {
  const AwsConfig c = parse_ok("[default]\nregion =\n");
  EXPECT_EQ(c.profile("default")->get("region"), "");
}

TEST(AwsConfig, ErrorsNameTheFileAndLine) {
  auto bad_config = AwsConfig::parse("[default]\nregion\n", "", kNames);
  ASSERT_FALSE(bad_config.ok());
  EXPECT_EQ(bad_config.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_EQ(bad_config.error().message.rfind("/cfg:2: ", 0), 0u);
  auto bad_nested = AwsConfig::parse("", "[a]\ns3 =\n  fine = 1\n  broken\n", kNames);
  ASSERT_FALSE(bad_nested.ok());
  EXPECT_EQ(bad_nested.error().message.rfind("/creds:4: the indented line under 's3'", 0), 0u);
}

TEST(AwsConfig, ProfilesAreReadFromTheirSectionsOnDemand) {
  // An escaped name is not spelt as is inside its header; a move keeps every view valid.
  AwsConfig moved = parse_ok("[profile \"a\\\"b\"]\nregion = r1\n[profile x]\nregion = r2\n[DEFAULT]\noutput = json\n",
                             "[x]\nregion = r3\n");
  const AwsConfig c = std::move(moved);
  EXPECT_EQ(c.profile_names(), (std::vector<std::string_view>{"a\"b", "x"}));
  EXPECT_TRUE(c.has_profile("a\"b"));
  EXPECT_EQ(c.profile("a\"b")->get("region"), "r1");
  EXPECT_EQ(c.profile("a\"b")->get("output"), "json");
  EXPECT_EQ(c.profile("x")->get("region"), "r3");
  EXPECT_EQ(c.where(*c.profile("x"), "region"), "/creds:2");
  EXPECT_EQ(c.where(*c.profile("x"), "output"), "/cfg:6");
}

TEST(AwsConfig, WarningsStopAfterTwentyPerFile) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "[odd" + std::to_string(i) + "]\n";
  const AwsConfig c = parse_ok(text, "[profile a]\n");
  ASSERT_EQ(c.warnings().size(), 22u);
  EXPECT_NE(c.warnings()[19].find("/cfg:20: section [odd19]"), std::string::npos);
  EXPECT_EQ(c.warnings()[20], "/cfg: 480 more warnings like the ones above are not shown; fix those first");
  EXPECT_NE(c.warnings()[21].find("/creds:1:"), std::string::npos);
}

TEST(AwsConfig, BadNestedBlocksFailInBotocoresOrder) {
  // Each section's own options, then the [DEFAULT] ones it does not set: the first bad block wins.
  const auto error = [](std::string_view config) {
    auto c = AwsConfig::parse(config, "", kNames);
    return c.ok() ? std::string("ok") : c.error().message.substr(0, c.error().message.find(' '));
  };
  EXPECT_EQ(error("[a]\ns3 = own\n[b]\n[DEFAULT]\ns3 =\n  bad\n"), "/cfg:6:");
  EXPECT_EQ(error("[a]\ns3 = own\n[DEFAULT]\ns3 =\n  bad\n"), "ok");
  EXPECT_EQ(error("[a]\nk =\n  own_bad\n[DEFAULT]\ns3 =\n  bad\n"), "/cfg:3:");
  EXPECT_EQ(error("[a]\n[b]\nk =\n  own_bad\n[DEFAULT]\ns3 =\n  bad\n"), "/cfg:7:");
}

class AwsConfigFiles : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) { return tmp_.write(name, text); }
  testing_support::TempDir tmp_{"mfaenv-config-test"};
  const std::string dir_ = tmp_.path();
};

TEST_F(AwsConfigFiles, MissingFilesAreEmpty) {
  auto c = AwsConfig::load({dir_ + "/nope", dir_ + "/nope2"});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->profile_names().empty());
  EXPECT_TRUE(c->warnings().empty());
}

TEST_F(AwsConfigFiles, DirectoryInPlaceOfAFileIsEmptyWithAWarning) {
  std::filesystem::create_directory(dir_ + "/config");
  auto c = AwsConfig::load({dir_ + "/config", write("credentials", "[a]\nk = v\n")});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->profile_names(), std::vector<std::string_view>{"a"});
  ASSERT_EQ(c->warnings().size(), 1u);
  EXPECT_NE(c->warnings()[0].find("is a directory"), std::string::npos);
}

TEST_F(AwsConfigFiles, PathsFromTheEnvironment) {
  setenv("AWS_CONFIG_FILE", (dir_ + "/c").c_str(), 1);
  unsetenv("AWS_SHARED_CREDENTIALS_FILE");
  setenv("HOME", dir_.c_str(), 1);
  ConfigPaths paths = config_paths_from_env();
  EXPECT_EQ(paths.config, dir_ + "/c");
  EXPECT_EQ(paths.credentials, dir_ + "/.aws/credentials");
  setenv("AWS_CONFIG_FILE", "", 1);  // botocore: set but empty names no file
  EXPECT_EQ(config_paths_from_env().config, "");
  unsetenv("AWS_CONFIG_FILE");
}

TEST_F(AwsConfigFiles, ExpandsVariablesAndTildeLikePython) {
  setenv("HOME", "/home/someone/", 1);
  setenv("MFAENV_TEST_DIR", "/x", 1);
  EXPECT_EQ(expand_config_path("~/.aws/config"), "/home/someone/.aws/config");
  EXPECT_EQ(expand_config_path("~"), "/home/someone");
  EXPECT_EQ(expand_config_path("$MFAENV_TEST_DIR/c"), "/x/c");
  EXPECT_EQ(expand_config_path("${MFAENV_TEST_DIR}c"), "/xc");
  EXPECT_EQ(expand_config_path("$MFAENV_UNSET_VAR/c"), "$MFAENV_UNSET_VAR/c");
  EXPECT_EQ(expand_config_path("a$"), "a$");
  EXPECT_EQ(expand_config_path("~root/x"), "/root/x");
  EXPECT_EQ(expand_config_path("~no_such_user_here/x"), "~no_such_user_here/x");
}

}  // namespace
}  // namespace mfaenv
