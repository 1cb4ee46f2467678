// Partitions, destinations, the endpoint override and the login URL of src/signin. The HTTP side
// (getSigninToken against the emulator's federation endpoint) is tests/integration/test_console.py.
#include <cstdlib>

#include <gtest/gtest.h>

#include "signin/federation.h"
#include "signin/partition.h"

namespace mfaenv {
namespace {

SigninPartition partition(const char* arn) {
  auto p = signin_partition_of_arn(arn);
  EXPECT_TRUE(p.ok()) << arn;
  return *p;
}

TEST(SigninPartition, FromTheRoleArn) {
  const auto aws = partition("arn:aws:sts::123456789012:assumed-role/Admin/s");
  EXPECT_EQ(aws.signin_host, "signin.aws.amazon.com");
  EXPECT_EQ(aws.console_host, "console.aws.amazon.com");
  const auto cn = partition("arn:aws-cn:sts::123456789012:assumed-role/Admin/s");
  EXPECT_EQ(cn.signin_host, "signin.amazonaws.cn");
  EXPECT_EQ(cn.console_host, "console.amazonaws.cn");
  const auto gov = partition("arn:aws-us-gov:sts::123456789012:assumed-role/Admin/s");
  EXPECT_EQ(gov.signin_host, "signin.amazonaws-us-gov.com");
  EXPECT_EQ(gov.console_host, "console.amazonaws-us-gov.com");
  auto iso = signin_partition_of_arn("arn:aws-iso:sts::123456789012:assumed-role/Admin/s");
  ASSERT_FALSE(iso.ok());
  EXPECT_NE(iso.error().message.find("MFAENV_SIGNIN_ENDPOINT"), std::string::npos);
  EXPECT_FALSE(signin_partition_of_arn("Admin").ok());
}

TEST(SigninPartition, ConsoleHostsIncludeRegionalOnes) {
  const auto aws = partition("arn:aws:iam::123456789012:role/x");
  EXPECT_TRUE(is_console_host(aws, "console.aws.amazon.com"));
  EXPECT_TRUE(is_console_host(aws, "eu-west-1.console.aws.amazon.com"));
  EXPECT_FALSE(is_console_host(aws, "console.aws.amazon.com.evil.example"));
  EXPECT_FALSE(is_console_host(aws, "evilconsole.aws.amazon.com"));
  EXPECT_FALSE(is_console_host(aws, "console.amazonaws.cn"));
}

TEST(ConsoleDestination, ServiceRegionOrUrl) {
  const auto aws = partition("arn:aws:iam::123456789012:role/x");
  EXPECT_EQ(*console_destination(aws, std::nullopt, std::nullopt, std::nullopt), "https://console.aws.amazon.com/");
  EXPECT_EQ(*console_destination(aws, std::nullopt, "eu-west-1", std::nullopt),
            "https://console.aws.amazon.com/console/home?region=eu-west-1");
  EXPECT_EQ(*console_destination(aws, "s3", "us-east-2", std::nullopt),
            "https://console.aws.amazon.com/s3/home?region=us-east-2");
  const auto cn = partition("arn:aws-cn:iam::123456789012:role/x");
  EXPECT_EQ(*console_destination(cn, "ec2", std::nullopt, std::nullopt), "https://console.amazonaws.cn/ec2/home");
  EXPECT_EQ(*console_destination(cn, std::nullopt, std::nullopt, "https://console.amazonaws.cn/iam/home"),
            "https://console.amazonaws.cn/iam/home");
  // Another partition's console, plain http, other hosts and odd service names are refused.
  EXPECT_FALSE(console_destination(cn, std::nullopt, std::nullopt, "https://console.aws.amazon.com/").ok());
  EXPECT_FALSE(console_destination(aws, std::nullopt, std::nullopt, "http://console.aws.amazon.com/").ok());
  EXPECT_FALSE(console_destination(aws, std::nullopt, std::nullopt, "https://user@console.aws.amazon.com/").ok());
  auto bad = console_destination(aws, "s3/../../x", std::nullopt, std::nullopt);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUsage);
}

TEST(FederationEndpoint, PartitionHostOrTheTestOverride) {
  const auto gov = partition("arn:aws-us-gov:iam::123456789012:role/x");
  unsetenv("MFAENV_SIGNIN_ENDPOINT");
  EXPECT_EQ(federation_endpoint(gov)->url(), "https://signin.amazonaws-us-gov.com/federation");
  setenv("MFAENV_SIGNIN_ENDPOINT", "https://127.0.0.1:8443/federation", 1);
  auto e = federation_endpoint(gov);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "127.0.0.1:8443");
  EXPECT_EQ(e->origin, "MFAENV_SIGNIN_ENDPOINT");
  setenv("MFAENV_SIGNIN_ENDPOINT", "http://127.0.0.1:8080", 1);
  EXPECT_EQ(federation_endpoint(gov)->url(), "http://127.0.0.1:8080/federation");
  for (const char* bad : {"http://signin.example.com/federation", "ftp://x", "https://h/f?x=1", "nonsense"}) {
    setenv("MFAENV_SIGNIN_ENDPOINT", bad, 1);
    auto r = federation_endpoint(gov);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kConfigInvalid);
  }
  unsetenv("MFAENV_SIGNIN_ENDPOINT");
}

TEST(LoginUrl, EncodesDestinationAndToken) {
  FederationEndpoint e;
  e.host = "signin.aws.amazon.com";
  EXPECT_EQ(login_url(e, "https://console.aws.amazon.com/s3/home?region=eu-west-1", "a+b/c="),
            "https://signin.aws.amazon.com/federation?Action=login&Issuer=mfaenv&Destination="
            "https%3A%2F%2Fconsole.aws.amazon.com%2Fs3%2Fhome%3Fregion%3Deu-west-1&SigninToken=a%2Bb%2Fc%3D");
}

TEST(GetSigninToken, RefusesLongTermKeysBeforeSendingAnything) {
  FederationEndpoint e;
  e.host = "127.0.0.1:1";
  Credentials keys;
  keys.access_key_id = "AKIAEXAMPLE";
  keys.secret_access_key = "secret";
  auto r = get_signin_token(e, {}, keys, std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("temporary"), std::string::npos);
}

}  // namespace
}  // namespace mfaenv
