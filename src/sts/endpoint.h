// Where STS requests go and which region signs them (docs/design.md §5, decisions in docs/sts.md):
// AWS_ENDPOINT_URL_STS > AWS_ENDPOINT_URL > the profile's [services] `sts.endpoint_url` > the
// profile's `endpoint_url` > the partition's regional (or FIPS / dual-stack / legacy global) host.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws/profile_settings.h"
#include "util/result.h"

namespace mfaenv {

enum class EndpointVariant { kStandard, kFips };
enum class IpStack { kIpv4, kDualStack };

// Everything endpoint resolution reads, already picked from the environment and the profile.
// `*_origin` fields say where a value came from, for messages ("AWS_REGION", "profile 'dev'").
struct StsEndpointSettings {
  std::optional<std::string> configured_url;  // the first configured endpoint URL, if any
  std::string configured_url_origin;
  std::string configured_url_where;           // FILE:LINE when a profile set it (for messages)
  std::optional<std::string> region;
  std::string region_origin;
  StsRegionalEndpoints regional_endpoints = StsRegionalEndpoints::kRegional;
  EndpointVariant variant = EndpointVariant::kStandard;
  IpStack ip_stack = IpStack::kIpv4;
};

enum class UrlScheme { kHttps, kHttp };

struct StsEndpoint {
  std::string url;             // for messages: "https://sts.eu-west-1.amazonaws.com"
  UrlScheme scheme = UrlScheme::kHttps;
  std::string host;            // the Host header: "host" or "host:port" (default ports dropped)
  std::string path = "/";      // as given in a configured URL, else "/"
  std::string signing_region;  // SigV4 credential scope region
  std::string origin;          // what chose it: "AWS_ENDPOINT_URL_STS", "regional endpoint of eu-west-1"
  std::string warning;         // non-empty when the user should be told something (plain http)
};

// Reads an environment variable (nullopt when unset); tests pass a map instead of the process's.
using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;
EnvironmentLookup process_environment();

// A setting and where it came from ("AWS_ENDPOINT_URL_IAM", "region in profile 'dev'").
struct ConfiguredValue {
  std::string value;
  std::string origin;
  std::string where;  // FILE:LINE of the setting when a config file holds it; empty for a variable
};

// The configured endpoint URL of service `service_id` ("sts", "iam"), first non-empty of
// AWS_ENDPOINT_URL_<ID>, AWS_ENDPOINT_URL, the profile's [services NAME] `<id> = endpoint_url = …`,
// the profile's endpoint_url; none when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS /
// ignore_configured_endpoint_urls is true. A `services` name without its section is kConfigInvalid.
Result<std::optional<ConfiguredValue>> configured_endpoint_url(const ProfileSettings* profile,
                                                               const EnvironmentLookup& env,
                                                               std::string_view service_id);
// AWS_REGION > AWS_DEFAULT_REGION > the profile's region; empty values count as unset.
std::optional<ConfiguredValue> configured_region(const ProfileSettings* profile, const EnvironmentLookup& env);
// botocore's partition of a region: "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b".
std::string_view partition_name(std::string_view region);

// Collects the settings from `env` and `profile` (may be null: no profile). Errors, of kind
// kConfigInvalid: a `services` name without its [services NAME] section, an invalid
// AWS_STS_REGIONAL_ENDPOINTS value (the profile's values were checked when it was read).
Result<StsEndpointSettings> sts_endpoint_settings(const ProfileSettings* profile, const EnvironmentLookup& env);

// Turns settings into the endpoint. Errors (kConfigInvalid): an unusable endpoint URL, a region
// name that cannot be a host name, dual-stack asked for in a partition that has none.
Result<StsEndpoint> resolve_sts_endpoint(const StsEndpointSettings& settings);

// Splits a configured endpoint URL ("https://host:8443/base") into scheme, host and path.
// `origin` names the setting in error messages, which start with `where` when it is not empty.
Result<StsEndpoint> parse_endpoint_url(std::string_view url, std::string_view origin, std::string_view where = {});

}  // namespace mfaenv
