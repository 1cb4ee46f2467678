// STS endpoint resolution: the precedence of configured URLs, region sources, and the table of
// regional / legacy-global / FIPS / dual-stack hosts per partition (checked against botocore).
#include "sts/endpoint.h"

#include <map>

#include <gtest/gtest.h>

#include "aws/config.h"

namespace mfaenv {
namespace {

EnvironmentLookup fake_env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const char* name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

// Profile "dev" with `values`, read as mfaenv reads it.
struct DevProfile {
  AwsConfig config;
  std::unique_ptr<ProfileLoader> loader;
  Result<const ProfileSettings*> settings = Error{};
};

std::unique_ptr<DevProfile> read_dev(std::string_view text) {
  auto p = std::make_unique<DevProfile>();
  auto config = AwsConfig::parse(text, "", ConfigPaths{"config", "credentials"});
  EXPECT_TRUE(config.ok()) << config.error().message;
  if (config.ok()) p->config = std::move(*config);
  p->loader = std::make_unique<ProfileLoader>(p->config);
  p->settings = p->loader->load("dev");
  return p;
}

std::unique_ptr<DevProfile> profile(const std::map<std::string, std::string>& values) {
  std::string text = "[profile dev]\n";
  for (const auto& [k, v] : values) text += k + " = " + v + "\n";
  return read_dev(text);
}

struct EndpointCase {
  std::optional<std::string> region;
  StsRegionalEndpoints regional = StsRegionalEndpoints::kRegional;
  EndpointVariant variant = EndpointVariant::kStandard;
  IpStack stack = IpStack::kIpv4;
  std::string url;
  std::string signing_region;
};

TEST(StsEndpointTable, MatchesBotocoreAndTheDesign) {
  using R = StsRegionalEndpoints;
  using V = EndpointVariant;
  using S = IpStack;
  const std::vector<EndpointCase> cases = {
      // No region: the global endpoint, signed for us-east-1 (botocore and AWS CLI v2 agree).
      {std::nullopt, R::kRegional, V::kStandard, S::kIpv4, "https://sts.amazonaws.com", "us-east-1"},
      {"aws-global", R::kRegional, V::kStandard, S::kIpv4, "https://sts.amazonaws.com", "us-east-1"},
      {"us-west-2", R::kRegional, V::kStandard, S::kIpv4, "https://sts.us-west-2.amazonaws.com", "us-west-2"},
      {"us-east-1", R::kRegional, V::kStandard, S::kIpv4, "https://sts.us-east-1.amazonaws.com", "us-east-1"},
      {"eu-central-1", R::kRegional, V::kStandard, S::kIpv4, "https://sts.eu-central-1.amazonaws.com", "eu-central-1"},
      // legacy: global for botocore's legacy regions only.
      {"us-west-2", R::kLegacy, V::kStandard, S::kIpv4, "https://sts.amazonaws.com", "us-east-1"},
      {"us-east-1", R::kLegacy, V::kStandard, S::kIpv4, "https://sts.amazonaws.com", "us-east-1"},
      {"af-south-1", R::kLegacy, V::kStandard, S::kIpv4, "https://sts.af-south-1.amazonaws.com", "af-south-1"},
      {std::nullopt, R::kLegacy, V::kStandard, S::kIpv4, "https://sts.amazonaws.com", "us-east-1"},
      // Variants never use the global host.
      {"us-west-2", R::kRegional, V::kFips, S::kIpv4, "https://sts-fips.us-west-2.amazonaws.com", "us-west-2"},
      {"us-east-1", R::kLegacy, V::kFips, S::kIpv4, "https://sts-fips.us-east-1.amazonaws.com", "us-east-1"},
      {"us-west-2", R::kRegional, V::kStandard, S::kDualStack, "https://sts.us-west-2.api.aws", "us-west-2"},
      {"us-west-2", R::kLegacy, V::kStandard, S::kDualStack, "https://sts.us-west-2.api.aws", "us-west-2"},
      {"us-west-2", R::kRegional, V::kFips, S::kDualStack, "https://sts-fips.us-west-2.api.aws", "us-west-2"},
      {std::nullopt, R::kRegional, V::kFips, S::kIpv4, "https://sts-fips.us-east-1.amazonaws.com", "us-east-1"},
      // Other partitions.
      {"cn-north-1", R::kRegional, V::kStandard, S::kIpv4, "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"},
      {"cn-north-1", R::kLegacy, V::kStandard, S::kIpv4, "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"},
      {"cn-north-1", R::kRegional, V::kStandard, S::kDualStack,
       "https://sts.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1"},
      {"us-gov-west-1", R::kRegional, V::kStandard, S::kIpv4, "https://sts.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
      {"us-gov-west-1", R::kRegional, V::kFips, S::kIpv4, "https://sts.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
      {"us-iso-east-1", R::kRegional, V::kStandard, S::kIpv4, "https://sts.us-iso-east-1.c2s.ic.gov", "us-iso-east-1"},
      {"us-iso-east-1", R::kRegional, V::kFips, S::kIpv4, "https://sts-fips.us-iso-east-1.c2s.ic.gov", "us-iso-east-1"},
      {"us-isob-east-1", R::kRegional, V::kStandard, S::kIpv4, "https://sts.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1"},
      // An unknown but well-formed name goes to the aws partition, as in botocore.
      {"mars-1", R::kRegional, V::kStandard, S::kIpv4, "https://sts.mars-1.amazonaws.com", "mars-1"},
  };
  for (const EndpointCase& c : cases) {
    StsEndpointSettings s;
    s.region = c.region;
    s.region_origin = "AWS_REGION";
    s.regional_endpoints = c.regional;
    s.variant = c.variant;
    s.ip_stack = c.stack;
    auto e = resolve_sts_endpoint(s);
    const std::string label = c.region.value_or("(none)") + " " + c.url;
    ASSERT_TRUE(e.ok()) << label << ": " << e.error().message;
    EXPECT_EQ(e->url, c.url) << label;
    EXPECT_EQ(e->host, c.url.substr(8)) << label;
    EXPECT_EQ(e->path, "/") << label;
    EXPECT_EQ(e->scheme, UrlScheme::kHttps) << label;
    EXPECT_EQ(e->signing_region, c.signing_region) << label;
    EXPECT_TRUE(e->warning.empty()) << label;
  }
}

TEST(StsEndpointTable, DualStackInAPartitionWithoutItIsAConfigError) {
  StsEndpointSettings s;
  s.region = "us-iso-east-1";
  s.ip_stack = IpStack::kDualStack;
  auto e = resolve_sts_endpoint(s);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_NE(e.error().message.find("dual-stack"), std::string::npos);
}

TEST(StsEndpointTable, RegionThatCannotBeAHostNameIsAConfigError) {
  for (const char* bad : {"bad region!", "-us-east-1", "us_east_1/x", "a.b"}) {
    StsEndpointSettings s;
    s.region = bad;
    s.region_origin = "region in profile 'dev'";
    auto e = resolve_sts_endpoint(s);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.error().kind, ErrorKind::kConfigInvalid);
    EXPECT_NE(e.error().message.find("region in profile 'dev'"), std::string::npos) << e.error().message;
  }
}

TEST(StsEndpointTable, ConfiguredUrlWinsOverVariantsAndSignsWithTheRegion) {
  StsEndpointSettings s;
  s.configured_url = "https://127.0.0.1:8443";
  s.configured_url_origin = "AWS_ENDPOINT_URL_STS";
  s.region = "eu-west-1";
  s.variant = EndpointVariant::kFips;
  s.regional_endpoints = StsRegionalEndpoints::kLegacy;
  auto e = resolve_sts_endpoint(s);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->host, "127.0.0.1:8443");
  EXPECT_EQ(e->url, "https://127.0.0.1:8443");
  EXPECT_EQ(e->signing_region, "eu-west-1");
  EXPECT_EQ(e->origin, "AWS_ENDPOINT_URL_STS");

  s.region.reset();
  auto no_region = resolve_sts_endpoint(s);
  ASSERT_TRUE(no_region.ok());
  EXPECT_EQ(no_region->signing_region, "us-east-1");
}

struct UrlCase {
  std::string url;
  UrlScheme scheme;
  std::string host;
  std::string path;
  bool warns;
};

TEST(StsEndpointUrl, SplitsSchemeHostPortAndPath) {
  const std::vector<UrlCase> cases = {
      {"https://sts.example.com", UrlScheme::kHttps, "sts.example.com", "/", false},
      {"https://sts.example.com/", UrlScheme::kHttps, "sts.example.com", "/", false},
      {"https://sts.example.com:443", UrlScheme::kHttps, "sts.example.com", "/", false},
      {"https://sts.example.com:8443/", UrlScheme::kHttps, "sts.example.com:8443", "/", false},
      {"HTTPS://STS.Example.COM/base/path", UrlScheme::kHttps, "sts.example.com", "/base/path", false},
      {"https://[::1]:8443/x/", UrlScheme::kHttps, "[::1]:8443", "/x/", false},
      {"http://localhost:4566", UrlScheme::kHttp, "localhost:4566", "/", false},
      {"http://127.0.0.1:80", UrlScheme::kHttp, "127.0.0.1", "/", false},
      {"http://[::1]:4566", UrlScheme::kHttp, "[::1]:4566", "/", false},
  };
  // Issue 13: plain http to another computer sends the MFA code in clear: refused unless opted in.
  unsetenv("MFAENV_ALLOW_HTTP");
  auto refused = parse_endpoint_url("http://sts.internal.example:8080", "AWS_ENDPOINT_URL");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_NE(refused.error().message.find("MFAENV_ALLOW_HTTP=1"), std::string::npos) << refused.error().message;
  setenv("MFAENV_ALLOW_HTTP", "1", 1);
  auto allowed = parse_endpoint_url("http://sts.internal.example:8080", "AWS_ENDPOINT_URL");
  unsetenv("MFAENV_ALLOW_HTTP");
  ASSERT_TRUE(allowed.ok());
  EXPECT_FALSE(allowed->warning.empty());
  // Attack 2: names that only look like loopback addresses are other computers.
  for (const char* remote : {"http://127.0.0.1.evil.example", "http://127.evil.example", "http://127.0.0.1evil.example",
                             "http://127.0.0.1.:80", "http://127.1", "http://0x7f000001", "http://localhost.evil.example",
                             "http://1270.0.0.1", "http://127.0.0.0001"}) {
    auto e = parse_endpoint_url(remote, "AWS_ENDPOINT_URL");
    EXPECT_FALSE(e.ok()) << remote;
  }
  for (const char* local : {"http://127.0.0.1", "http://127.255.0.9:8080", "http://LOCALHOST:1"})
    EXPECT_TRUE(parse_endpoint_url(local, "AWS_ENDPOINT_URL").ok()) << local;
  for (const UrlCase& c : cases) {
    auto e = parse_endpoint_url(c.url, "AWS_ENDPOINT_URL");
    ASSERT_TRUE(e.ok()) << c.url << ": " << e.error().message;
    EXPECT_EQ(e->scheme, c.scheme) << c.url;
    EXPECT_EQ(e->host, c.host) << c.url;
    EXPECT_EQ(e->path, c.path) << c.url;
    EXPECT_EQ(!e->warning.empty(), c.warns) << c.url << ": " << e->warning;
  }
}

TEST(StsEndpointUrl, RejectsWhatCannotBeAnEndpointNamingTheSetting) {
  for (const char* bad : {"sts.example.com", "ftp://sts.example.com", "https://", "https://:8443",
                          "https://h:99999", "https://h:0", "https://h:abc", "https://h:-1",
                          "https://user:pw@h", "https://h/?Action=x", "https://h/#f", "https://h /x",
                          "https://[::1", "https://[::1]x"}) {
    auto e = parse_endpoint_url(bad, "endpoint_url in profile 'dev'");
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.error().kind, ErrorKind::kConfigInvalid) << bad;
    EXPECT_NE(e.error().message.find("endpoint_url in profile 'dev'"), std::string::npos) << e.error().message;
  }
}

// -- settings: where each value comes from ------------------------------------------------------

TEST(StsEndpointSettings, EndpointUrlPrecedence) {
  auto p = read_dev(
      "[profile dev]\nservices = local\nendpoint_url = https://profile.example\n\n"
      "[services local]\nsts =\n  endpoint_url = https://services.example\n");
  ASSERT_TRUE(p->settings.ok());
  const ProfileSettings* dev = *p->settings;

  auto resolve = [&](std::map<std::string, std::string> env) {
    auto s = sts_endpoint_settings(dev, fake_env(std::move(env)));
    EXPECT_TRUE(s.ok());
    return *s;
  };
  auto all = resolve({{"AWS_ENDPOINT_URL_STS", "https://sts-env.example"},
                      {"AWS_ENDPOINT_URL", "https://global-env.example"}});
  EXPECT_EQ(all.configured_url, "https://sts-env.example");
  EXPECT_EQ(all.configured_url_origin, "AWS_ENDPOINT_URL_STS");

  auto global = resolve({{"AWS_ENDPOINT_URL_STS", ""}, {"AWS_ENDPOINT_URL", "https://global-env.example"}});
  EXPECT_EQ(global.configured_url, "https://global-env.example");

  auto services = resolve({});
  EXPECT_EQ(services.configured_url, "https://services.example");
  EXPECT_NE(services.configured_url_origin.find("[services local]"), std::string::npos);

  auto ignored = resolve({{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"},
                          {"AWS_ENDPOINT_URL_STS", "https://sts-env.example"}});
  EXPECT_FALSE(ignored.configured_url.has_value());
}

TEST(StsEndpointSettings, ProfileEndpointUrlWhenServicesHasNoStsBlock) {
  auto p = read_dev(
      "[profile dev]\nservices = local\nendpoint_url = https://profile.example\n\n"
      "[services local]\ns3 =\n  endpoint_url = https://s3.example\n");
  ASSERT_TRUE(p->settings.ok());
  auto s = sts_endpoint_settings(*p->settings, fake_env({}));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->configured_url, "https://profile.example");
  EXPECT_EQ(s->configured_url_origin, "endpoint_url in profile 'dev'");
}

TEST(StsEndpointSettings, AProfilesBadEndpointUrlNamesFileLine) {
  for (const char* url : {"sts.example.com", "ftp://sts.example", "https://sts example", "http://sts.example.com"}) {
    auto p = read_dev(std::string("[profile dev]\nregion = eu-west-1\nendpoint_url = ") + url + "\n");
    ASSERT_TRUE(p->settings.ok()) << url;
    auto s = sts_endpoint_settings(*p->settings, fake_env({}));
    ASSERT_TRUE(s.ok()) << url;
    auto e = resolve_sts_endpoint(*s);
    ASSERT_FALSE(e.ok()) << url;
    EXPECT_EQ(e.error().kind, ErrorKind::kConfigInvalid);
    EXPECT_EQ(e.error().message.rfind("config:3: endpoint_url in profile 'dev' = '", 0), 0u) << e.error().message;
  }
}

TEST(StsEndpointSettings, MissingServicesSectionIsAConfigError) {
  auto p = read_dev("[profile dev]\nservices = nowhere\n");
  ASSERT_TRUE(p->settings.ok());
  auto s = sts_endpoint_settings(*p->settings, fake_env({}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_NE(s.error().message.find("[services nowhere]"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("config:2:"), std::string::npos) << s.error().message;
}

TEST(StsEndpointSettings, RegionPrecedenceEnvOverProfileEmptyMeansUnset) {
  auto p = profile({{"region", "eu-west-1"}});
  ASSERT_TRUE(p->settings.ok());
  auto region_of = [&](std::map<std::string, std::string> env) {
    auto s = sts_endpoint_settings(*p->settings, fake_env(std::move(env)));
    EXPECT_TRUE(s.ok());
    return std::pair{s->region, s->region_origin};
  };
  EXPECT_EQ(region_of({{"AWS_REGION", "us-west-2"}, {"AWS_DEFAULT_REGION", "ap-south-1"}}).first, "us-west-2");
  EXPECT_EQ(region_of({{"AWS_DEFAULT_REGION", "ap-south-1"}}).second, "AWS_DEFAULT_REGION");
  EXPECT_EQ(region_of({{"AWS_REGION", ""}}).first, "eu-west-1");
  EXPECT_EQ(region_of({}).second, "region in profile 'dev'");

  auto none = sts_endpoint_settings(nullptr, fake_env({}));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->region.has_value());
}

TEST(StsEndpointSettings, RegionalEndpointsFipsAndDualStackFromEnvOrProfile) {
  auto p = profile({{"sts_regional_endpoints", "legacy"}, {"use_fips_endpoint", "true"},
                    {"use_dualstack_endpoint", "TRUE"}});
  ASSERT_TRUE(p->settings.ok());
  auto s = sts_endpoint_settings(*p->settings, fake_env({}));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->regional_endpoints, StsRegionalEndpoints::kLegacy);
  EXPECT_EQ(s->variant, EndpointVariant::kFips);
  EXPECT_EQ(s->ip_stack, IpStack::kDualStack);

  // The environment wins, even when it says false (botocore's ensure_boolean: only "true" is true).
  auto env = sts_endpoint_settings(*p->settings, fake_env({{"AWS_STS_REGIONAL_ENDPOINTS", "regional"},
                                                     {"AWS_USE_FIPS_ENDPOINT", "false"},
                                                     {"AWS_USE_DUALSTACK_ENDPOINT", "yes"}}));
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->regional_endpoints, StsRegionalEndpoints::kRegional);
  EXPECT_EQ(env->variant, EndpointVariant::kStandard);
  EXPECT_EQ(env->ip_stack, IpStack::kIpv4);
}

TEST(StsEndpointSettings, InvalidStsRegionalEndpointsNamesItsSource) {
  // The profile's value is checked when the profile is read, naming FILE:LINE.
  auto p = profile({{"sts_regional_endpoints", "global"}});
  ASSERT_FALSE(p->settings.ok());
  EXPECT_EQ(p->settings.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_NE(p->settings.error().message.find("config:2: profile 'dev': sts_regional_endpoints = 'global'"),
            std::string::npos)
      << p->settings.error().message;
  EXPECT_NE(p->settings.error().message.find("regional, legacy"), std::string::npos);
  // The environment's value is checked when it is used.
  auto s = sts_endpoint_settings(nullptr, fake_env({{"AWS_STS_REGIONAL_ENDPOINTS", "global"}}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("AWS_STS_REGIONAL_ENDPOINTS is 'global'"), std::string::npos);
}

TEST(StsEndpointSettings, EndToEndFromProfile) {
  auto p = profile({{"region", "eu-north-1"}, {"use_fips_endpoint", "true"}});
  ASSERT_TRUE(p->settings.ok());
  auto s = sts_endpoint_settings(*p->settings, fake_env({}));
  ASSERT_TRUE(s.ok());
  auto e = resolve_sts_endpoint(*s);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "https://sts-fips.eu-north-1.amazonaws.com");
  EXPECT_EQ(e->signing_region, "eu-north-1");
}

}  // namespace
}  // namespace mfaenv
