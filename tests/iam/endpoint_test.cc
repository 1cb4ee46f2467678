// IAM endpoint choice: partitions, FIPS, and the configured-URL order botocore uses.
#include "iam/endpoint.h"

#include <map>

#include <gtest/gtest.h>

#include "aws/config.h"
#include "aws/profile_settings.h"

namespace mfaenv {
namespace {

EnvironmentLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// A config and the typed settings of one of its profiles (the loader keeps them alive).
struct Loaded {
  AwsConfig config;
  std::unique_ptr<ProfileLoader> loader;
  const ProfileSettings* load(std::string_view name) {
    auto p = loader->load(name);
    EXPECT_TRUE(p.ok()) << p.error().message;
    return p.ok() ? *p : nullptr;
  }
};

std::unique_ptr<Loaded> config_of(std::string_view text) {
  auto l = std::make_unique<Loaded>();
  auto c = AwsConfig::parse(text, "", ConfigPaths{"config", "credentials"});
  EXPECT_TRUE(c.ok()) << c.error().message;
  if (c.ok()) l->config = std::move(c).value();
  l->loader = std::make_unique<ProfileLoader>(l->config);
  return l;
}

TEST(IamEndpoint, GlobalByDefaultSignedForUsEast1) {
  auto c = iam_connection_for(nullptr, env_of({}));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->endpoint.url, "https://iam.amazonaws.com");
  EXPECT_EQ(c->endpoint.host, "iam.amazonaws.com");
  EXPECT_EQ(c->endpoint.signing_region, "us-east-1");
  // A region in the aws partition changes nothing: IAM is global.
  c = iam_connection_for(nullptr, env_of({{"AWS_REGION", "eu-west-1"}}));
  EXPECT_EQ(c->endpoint.host, "iam.amazonaws.com");
  EXPECT_EQ(c->endpoint.signing_region, "us-east-1");
}

TEST(IamEndpoint, Partitions) {
  auto cn = iam_connection_for(nullptr, env_of({{"AWS_REGION", "cn-northwest-1"}}));
  EXPECT_EQ(cn->endpoint.host, "iam.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(cn->endpoint.signing_region, "cn-north-1");
  auto gov = iam_connection_for(nullptr, env_of({{"AWS_DEFAULT_REGION", "us-gov-east-1"}}));
  EXPECT_EQ(gov->endpoint.host, "iam.us-gov.amazonaws.com");
  EXPECT_EQ(gov->endpoint.signing_region, "us-gov-west-1");
  auto fips = iam_connection_for(nullptr, env_of({{"AWS_USE_FIPS_ENDPOINT", "true"}}));
  EXPECT_EQ(fips->endpoint.host, "iam-fips.amazonaws.com");
  auto gov_fips = iam_connection_for(nullptr,
                                     env_of({{"AWS_REGION", "us-gov-west-1"}, {"AWS_USE_FIPS_ENDPOINT", "true"}}));
  EXPECT_EQ(gov_fips->endpoint.host, "iam.us-gov.amazonaws.com");
}

TEST(IamEndpoint, ConfiguredUrlOrder) {
  auto config = config_of(
      "[profile dev]\nservices = local\nendpoint_url = https://profile.example\n"
      "[services local]\niam =\n  endpoint_url = https://services.example:9443\n"
      "sts =\n  endpoint_url = https://sts.example\n");
  const ProfileSettings* dev = config->load("dev");
  ASSERT_NE(dev, nullptr);
  auto c = iam_connection_for(dev, env_of({}));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->endpoint.host, "services.example:9443");
  EXPECT_EQ(c->endpoint.signing_region, "us-east-1");
  c = iam_connection_for(dev, env_of({{"AWS_ENDPOINT_URL", "https://all.example"}}));
  EXPECT_EQ(c->endpoint.host, "all.example");
  c = iam_connection_for(dev, env_of({{"AWS_ENDPOINT_URL", "https://all.example"},
                                               {"AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:8080/iam"}}));
  EXPECT_EQ(c->endpoint.host, "127.0.0.1:8080");
  EXPECT_EQ(c->endpoint.path, "/iam");
  EXPECT_EQ(c->http.scheme, "http");
  EXPECT_EQ(c->endpoint.origin, "AWS_ENDPOINT_URL_IAM");
  // AWS_ENDPOINT_URL_STS is STS's only.
  c = iam_connection_for(dev, env_of({{"AWS_ENDPOINT_URL_STS", "https://x.example"}}));
  EXPECT_EQ(c->endpoint.host, "services.example:9443");
  c = iam_connection_for(dev, env_of({{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}}));
  EXPECT_EQ(c->endpoint.host, "iam.amazonaws.com");
}

TEST(IamEndpoint, ProfileEndpointUrlAndCaBundle) {
  // Any readable file will do here: its contents are checked when a request reads it.
  auto config = config_of("[profile p]\nendpoint_url = https://p.example\nca_bundle = /etc/passwd\n"
                          "[profile q]\nca_bundle = /nonexistent/ca.pem\n");
  auto c = iam_connection_for(config->load("p"), env_of({}));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->endpoint.host, "p.example");
  EXPECT_EQ(c->http.ca_bundle, "/etc/passwd");
  c = iam_connection_for(config->load("p"), env_of({{"AWS_CA_BUNDLE", "/etc/group"}}));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->http.ca_bundle, "/etc/group");
  // A bundle that cannot be read is found before any request (and any MFA code), naming its setting.
  c = iam_connection_for(config->load("q"), env_of({}));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_NE(c.error().message.find("config:5: profile 'q': ca_bundle = '/nonexistent/ca.pem' cannot be read"),
            std::string::npos)
      << c.error().message;
  c = iam_connection_for(config->load("p"), env_of({{"AWS_CA_BUNDLE", "/nonexistent/b.pem"}}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("AWS_CA_BUNDLE = '/nonexistent/b.pem' cannot be read"), std::string::npos);
}

TEST(IamEndpoint, Errors) {
  auto config = config_of("[profile p]\nservices = missing\n");
  auto c = iam_connection_for(config->load("p"), env_of({}));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_NE(c.error().message.find("[services missing]"), std::string::npos);
  c = iam_connection_for(nullptr, env_of({{"AWS_ENDPOINT_URL_IAM", "ftp://x"}}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("AWS_ENDPOINT_URL_IAM"), std::string::npos);
  c = iam_connection_for(nullptr, env_of({{"AWS_REGION", "eu west"}}));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kConfigInvalid);
}

}  // namespace
}  // namespace mfaenv
