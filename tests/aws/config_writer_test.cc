// Tests for set_config_value / set_nested_config_value: one key changes, every other byte stays.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "aws/config.h"

#include "support/temp_dir.h"

namespace mfaenv {
namespace {

class ConfigWriter : public ::testing::Test {
 protected:
  void SetUp() override { path_ = dir_ + "/config"; }
  testing_support::TempDir tmp_{"mfaenv-writer-test"};

  void write(const std::string& text, mode_t mode = 0600) {
    std::ofstream(path_, std::ios::binary) << text;
    chmod(path_.c_str(), mode);
  }
  std::string read(const std::string& path = "") const {
    std::ifstream in(path.empty() ? path_ : path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  mode_t mode() const {
    struct stat st {};
    stat(path_.c_str(), &st);
    return st.st_mode & 07777;
  }
  void set(std::string_view profile, std::string_view key, std::string_view value,
           ConfigFileKind kind = ConfigFileKind::kConfig) {
    Status s = set_config_value(path_, profile, key, value, kind);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  const std::string dir_ = tmp_.path();
  std::string path_;
};

TEST_F(ConfigWriter, CreatesTheFileAndFolderPrivately) {
  path_ = dir_ + "/new/.aws/config";
  set("default", "region", "us-east-1");
  set("dev", "mfa_serial", "arn:aws:iam::1:mfa/a");
  EXPECT_EQ(read(), "[default]\nregion = us-east-1\n\n[profile dev]\nmfa_serial = arn:aws:iam::1:mfa/a\n");
  EXPECT_EQ(mode(), 0600u);
}

TEST_F(ConfigWriter, ReplacesOnlyTheValue) {
  write("# keep me\n[default]\n  Region\t=  old  \n; and me\noutput:json\n[profile x]\nregion = other\n", 0640);
  set("default", "region", "new");
  EXPECT_EQ(read(), "# keep me\n[default]\n  Region\t=  new  \n; and me\noutput:json\n[profile x]\nregion = other\n");
  EXPECT_EQ(mode(), 0640u);
  set("default", "output", "text");
  EXPECT_EQ(read(), "# keep me\n[default]\n  Region\t=  new  \n; and me\noutput:text\n[profile x]\nregion = other\n");
}

TEST_F(ConfigWriter, EmptyValuesBothWays) {
  write("[default]\na =\nb = x\n");
  set("default", "a", "filled");
  set("default", "b", "");
  EXPECT_EQ(read(), "[default]\na = filled\nb =\n");
}

TEST_F(ConfigWriter, AddsAKeyAfterTheLastSettingOfTheSection) {
  write("[default]\n  a = 1\n    continued\n\n# about x\n[profile x]\n");
  set("default", "b", "2");
  EXPECT_EQ(read(), "[default]\n  a = 1\n    continued\n  b = 2\n\n# about x\n[profile x]\n");
  set("x", "k", "v");
  EXPECT_EQ(read(), "[default]\n  a = 1\n    continued\n  b = 2\n\n# about x\n[profile x]\nk = v\n");
}

TEST_F(ConfigWriter, NewKeyInAnEmptySectionDoesNotSwallowAnIndentedHeader) {
  // "  [b]" after "[default]" is a header only while no setting is above it at a smaller indent.
  write("[default]\n  [b]\nk = 1\n");
  set("default", "x", "1");
  EXPECT_EQ(read(), "[default]\n  x = 1\n  [b]\nk = 1\n");
}

TEST_F(ConfigWriter, KeepsCrlfAndAMissingFinalNewline) {
  write("[default]\r\na = 1\r\n[profile x]\r\nb = 2");
  set("x", "c", "3");
  set("y", "d", "4");
  EXPECT_EQ(read(), "[default]\r\na = 1\r\n[profile x]\r\nb = 2\r\nc = 3\r\n\r\n[profile y]\r\nd = 4\r\n");
}

TEST_F(ConfigWriter, DropsTheOldContinuationLines) {
  write("[default]\nk = one\n  two\n\n  three\nj = x\n");
  set("default", "k", "single");
  EXPECT_EQ(read(), "[default]\nk = single\n\nj = x\n");
}

TEST_F(ConfigWriter, WritesTheSectionBotocoreReads) {
  write("[profile a]\nk = 1\n[profile \"a\"]\nk = 2\n[default]\n[profile default]\n");
  set("a", "k", "3");
  set("default", "r", "x");
  EXPECT_EQ(read(), "[profile a]\nk = 1\n[profile \"a\"]\nk = 3\n[default]\n[profile default]\nr = x\n");
}

TEST_F(ConfigWriter, QuotesProfileNamesThatNeedIt) {
  set("my dev", "k", "1");
  set("say \"hi\"", "k", "2");
  auto config = AwsConfig::load({path_, dir_ + "/none"});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->profile_names(), (std::vector<std::string_view>{"my dev", "say \"hi\""}));
  EXPECT_EQ(read(), "[profile \"my dev\"]\nk = 1\n\n[profile \"say \\\"hi\\\"\"]\nk = 2\n");
}

TEST_F(ConfigWriter, CredentialsFileSectionsAreBareNames) {
  write("[default]\naws_access_key_id = OLD\n");
  set("default", "aws_access_key_id", "AKIA", ConfigFileKind::kCredentials);
  set("dev", "aws_secret_access_key", "s3cr3t", ConfigFileKind::kCredentials);
  EXPECT_EQ(read(), "[default]\naws_access_key_id = AKIA\n\n[dev]\naws_secret_access_key = s3cr3t\n");
  EXPECT_FALSE(set_config_value(path_, "DEFAULT", "k", "v", ConfigFileKind::kCredentials).ok());
}

TEST_F(ConfigWriter, NestedValues) {
  write("[default]\ns3 =\n  addressing_style = virtual\nregion = x\n");
  ASSERT_TRUE(set_nested_config_value(path_, "default", "s3", "addressing_style", "path").ok());
  ASSERT_TRUE(set_nested_config_value(path_, "default", "s3", "signature_version", "s3v4").ok());
  ASSERT_TRUE(set_nested_config_value(path_, "default", "region", "sub", "v").ok());
  ASSERT_TRUE(set_nested_config_value(path_, "dev", "s3", "a", "b").ok());
  EXPECT_EQ(read(),
            "[default]\ns3 =\n  addressing_style = path\n  signature_version = s3v4\nregion =\n    sub = v\n\n"
            "[profile dev]\ns3 =\n    a = b\n");
  auto config = AwsConfig::load({path_, dir_ + "/none"});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->profile("default")->nested.at("region").at("sub"), "v");
}

TEST_F(ConfigWriter, LeavesAnInvalidFileAlone) {
  write("[default]\nnot a setting\n");
  Status s = set_config_value(path_, "default", "region", "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_EQ(s.error().message.rfind(path_ + ":2: ", 0), 0u);
  EXPECT_EQ(read(), "[default]\nnot a setting\n");
}

TEST_F(ConfigWriter, RefusesWhatWouldNotReadBackWithoutQuotingTheValue) {
  write("[default]\n");
  for (std::string_view value : {"line\nbreak", " leading", "trailing\t", "cr\rhere"}) {
    Status s = set_config_value(path_, "default", "aws_secret_access_key", value, ConfigFileKind::kCredentials);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind, ErrorKind::kUsage);
    EXPECT_EQ(s.error().message.find(value), std::string::npos);
  }
  for (std::string_view key : {"", "a=b", "a:b", "[x", "#x", " k", "k\n"}) {
    EXPECT_FALSE(set_config_value(path_, "default", key, "v").ok()) << key;
  }
  EXPECT_EQ(read(), "[default]\n");
}

TEST_F(ConfigWriter, WritesThroughASymlink) {
  const std::string target = dir_ + "/real-config";
  std::ofstream(target) << "[default]\n";
  chmod(target.c_str(), 0644);
  ASSERT_EQ(symlink(target.c_str(), path_.c_str()), 0);
  set("default", "region", "x");
  EXPECT_TRUE(std::filesystem::is_symlink(path_));
  EXPECT_EQ(read(target), "[default]\nregion = x\n");
  struct stat st {};
  stat(target.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(ConfigWriter, DirectoryInPlaceOfTheFileIsAnError) {
  std::filesystem::create_directory(path_);
  EXPECT_FALSE(set_config_value(path_, "default", "region", "x").ok());
}

}  // namespace
}  // namespace mfaenv
