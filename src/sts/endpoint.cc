// STS endpoint resolution. The partition table and the legacy-global region list are botocore's
// (partitions.json, args.py LEGACY_GLOBAL_STS_REGIONS); see docs/sts.md for each decision.
#include "sts/endpoint.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

#include "aws/config.h"
#include "util/strings.h"
#include "util/loopback.h"

namespace mfaenv {
namespace {

// Regions for which botocore's sts_regional_endpoints = legacy picks the global endpoint.
constexpr std::array<std::string_view, 16> kLegacyGlobalRegions = {
    "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global",
    "ca-central-1",   "eu-central-1", "eu-north-1",  "eu-west-1",      "eu-west-2",
    "eu-west-3",      "sa-east-1",  "us-east-1",     "us-east-2",      "us-west-1",
    "us-west-2"};

struct Partition {
  std::string_view name;
  std::string_view dns_suffix;
  std::string_view dual_stack_suffix;  // empty: the partition has no dual-stack endpoints
  bool regional_is_fips;               // GovCloud: the plain regional host is already FIPS
};

constexpr Partition kAws{"aws", "amazonaws.com", "api.aws", false};
constexpr Partition kAwsCn{"aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn", false};
constexpr Partition kAwsUsGov{"aws-us-gov", "amazonaws.com", "api.aws", true};
constexpr Partition kAwsIso{"aws-iso", "c2s.ic.gov", "", false};
constexpr Partition kAwsIsoB{"aws-iso-b", "sc2s.sgov.gov", "", false};

// "<prefix><word>-<digits>", the shape of partitions.json's regionRegex.
bool region_matches(std::string_view region, std::string_view prefix) {
  if (!starts_with(region, prefix)) return false;
  std::string_view rest = region.substr(prefix.size());
  size_t dash = rest.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == rest.size()) return false;
  std::string_view word = rest.substr(0, dash), digits = rest.substr(dash + 1);
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  return std::all_of(word.begin(), word.end(), is_word) &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const Partition& partition_of(std::string_view region) {
  if (region_matches(region, "cn-")) return kAwsCn;
  if (region_matches(region, "us-gov-")) return kAwsUsGov;
  if (region_matches(region, "us-iso-")) return kAwsIso;
  if (region_matches(region, "us-isob-")) return kAwsIsoB;
  return kAws;  // botocore, too, falls back to the aws partition for unknown names
}

// botocore's ensure_boolean: only "true" (any case) is true.
bool is_true(std::string_view value) { return iequals(trim(value), "true"); }

bool nonempty(const std::optional<std::string>& v) { return v && !trim(*v).empty(); }

// An environment variable wins even when empty (botocore's EnvironmentProvider); then the profile.
bool env_or_profile_flag(const EnvironmentLookup& env, const char* variable, const ProfileSettings* profile,
                         std::optional<bool> ProfileSettings::*field) {
  if (auto v = env(variable)) return is_true(*v);
  return profile != nullptr && (profile->*field).value_or(false);
}

}  // namespace

EnvironmentLookup process_environment() {
  return [](const char* name) { return env(name); };
}

Result<std::optional<ConfiguredValue>> configured_endpoint_url(const ProfileSettings* profile,
                                                               const EnvironmentLookup& env,
                                                               std::string_view service_id) {
  // botocore's ConfiguredEndpointProvider order; empty values are skipped.
  if (env_or_profile_flag(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", profile,
                          &ProfileSettings::ignore_configured_endpoint_urls))
    return std::optional<ConfiguredValue>();
  std::string env_name = "AWS_ENDPOINT_URL_";
  for (char c : service_id) env_name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (auto v = env(env_name.c_str()); nonempty(v))
    return std::optional(ConfiguredValue{std::string(trim(*v)), env_name, {}});
  if (auto g = env("AWS_ENDPOINT_URL"); nonempty(g))
    return std::optional(ConfiguredValue{std::string(trim(*g)), "AWS_ENDPOINT_URL", {}});
  if (!profile) return std::optional<ConfiguredValue>();
  if (const auto& name = profile->services) {
    const std::optional<Section> section = profile->config ? profile->config->services(*name) : std::nullopt;
    if (!section) {
      return make_error(ErrorKind::kConfigInvalid,
                        "{}: profile '{}' says services = {}, but there is no [services {}] section: add it or "
                        "remove the services line",
                        profile->where("services"), profile->name, *name, *name);
    }
    if (auto block = section->nested.find(std::string(service_id)); block != section->nested.end()) {
      if (auto url = block->second.find("endpoint_url");
          url != block->second.end() && !trim(url->second).empty()) {
        return std::optional(ConfiguredValue{std::string(trim(url->second)),
                                             fmt::format("{} endpoint_url in [services {}]", service_id, *name),
                                             profile->where("services")});
      }
    }
  }
  if (profile->endpoint_url)
    return std::optional(ConfiguredValue{*profile->endpoint_url,
                                         fmt::format("endpoint_url in profile '{}'", profile->name),
                                         profile->where("endpoint_url")});
  return std::optional<ConfiguredValue>();
}

std::optional<ConfiguredValue> configured_region(const ProfileSettings* profile, const EnvironmentLookup& env) {
  // AWS_REGION > AWS_DEFAULT_REGION > profile (AWS CLI v2's order); empty means unset.
  if (auto v = env("AWS_REGION"); nonempty(v)) return ConfiguredValue{std::string(trim(*v)), "AWS_REGION", {}};
  if (auto d = env("AWS_DEFAULT_REGION"); nonempty(d))
    return ConfiguredValue{std::string(trim(*d)), "AWS_DEFAULT_REGION", {}};
  if (profile && profile->region)
    return ConfiguredValue{*profile->region, fmt::format("region in profile '{}'", profile->name),
                           profile->where("region")};
  return std::nullopt;
}

std::string_view partition_name(std::string_view region) { return partition_of(region).name; }

Result<StsEndpointSettings> sts_endpoint_settings(const ProfileSettings* profile, const EnvironmentLookup& env) {
  StsEndpointSettings s;
  if (auto url = MFAENV_TRY(configured_endpoint_url(profile, env, "sts"))) {
    s.configured_url = std::move(url->value);
    s.configured_url_origin = std::move(url->origin);
    s.configured_url_where = std::move(url->where);
  }
  if (auto region = configured_region(profile, env)) {
    s.region = std::move(region->value);
    s.region_origin = std::move(region->origin);
  }

  if (auto v = env("AWS_STS_REGIONAL_ENDPOINTS")) {
    std::string value(trim(*v));
    if (value == "legacy") {
      s.regional_endpoints = StsRegionalEndpoints::kLegacy;
    } else if (value == "regional" || value.empty()) {
      s.regional_endpoints = StsRegionalEndpoints::kRegional;
    } else {
      return make_error(ErrorKind::kConfigInvalid,
                        "AWS_STS_REGIONAL_ENDPOINTS is '{}': the valid values are 'regional' and 'legacy'", value);
    }
  } else if (profile && profile->sts_regional_endpoints) {
    s.regional_endpoints = *profile->sts_regional_endpoints;
  }
  if (env_or_profile_flag(env, "AWS_USE_FIPS_ENDPOINT", profile, &ProfileSettings::use_fips_endpoint))
    s.variant = EndpointVariant::kFips;
  if (env_or_profile_flag(env, "AWS_USE_DUALSTACK_ENDPOINT", profile, &ProfileSettings::use_dualstack_endpoint))
    s.ip_stack = IpStack::kDualStack;
  return s;
}

Result<StsEndpoint> parse_endpoint_url(std::string_view url, std::string_view origin, std::string_view where) {
  const std::string at = where.empty() ? std::string() : std::string(where) + ": ";
  auto bad = [&](std::string_view why) {
    return make_error(ErrorKind::kConfigInvalid,
                      "{}{} = '{}' is not a usable endpoint URL: {} (expected e.g. "
                      "https://sts.eu-west-1.amazonaws.com or https://127.0.0.1:8443)",
                      at, origin, url, why);
  };
  StsEndpoint e;
  size_t colon = url.find("://");
  if (colon == std::string_view::npos) return bad("it has no scheme");
  std::string scheme = to_lower(url.substr(0, colon));
  if (scheme == "https") {
    e.scheme = UrlScheme::kHttps;
  } else if (scheme == "http") {
    e.scheme = UrlScheme::kHttp;
  } else {
    return bad("the scheme must be https or http");
  }
  std::string_view rest = url.substr(colon + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return bad("it has a query or fragment");
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "/" : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) return bad("it contains a user name");
  if (std::any_of(url.begin(), url.end(), [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || c == '\\' || c == '"' || c == 0x7f;
      }))
    return bad("it contains spaces or control characters");

  std::string_view host = authority, port;
  if (starts_with(authority, "[")) {  // IPv6 literal: [::1]:8443
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("its IPv6 address has no closing ']'");
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected text after the IPv6 address");
      port = after.substr(1);
    }
  } else if (size_t c = authority.rfind(':'); c != std::string_view::npos) {
    host = authority.substr(0, c);
    port = authority.substr(c + 1);
  }
  if (host.empty() || host == "[]") return bad("it has no host");
  std::string lower_host = to_lower(host);
  if (!port.empty()) {
    auto n = parse_int(port);
    if (!n || *n < 1 || *n > 65535 || port.front() == '+' || port.front() == '-')
      return bad("its port is not a number from 1 to 65535");
  }
  bool default_port = port.empty() || (e.scheme == UrlScheme::kHttps && port == "443") ||
                      (e.scheme == UrlScheme::kHttp && port == "80");
  e.host = default_port ? lower_host : fmt::format("{}:{}", lower_host, port);
  e.path = std::string(path);
  e.url = fmt::format("{}://{}{}", scheme, e.host, e.path == "/" ? "" : e.path);
  e.origin = std::string(origin);
  if (e.scheme == UrlScheme::kHttp && !is_loopback_host(lower_host)) {
    // The request carries the MFA code and the answer the session keys: in clear text only to this
    // computer, or when the user says so explicitly (a lab network).
    if (env("MFAENV_ALLOW_HTTP").value_or("") != "1")
      return make_error(ErrorKind::kConfigInvalid,
                        "{}{} = '{}' uses plain http to another computer: the MFA code and the credentials would cross "
                        "the network unencrypted; use https, or set MFAENV_ALLOW_HTTP=1 if you accept that",
                        at, origin, url);
    e.warning = fmt::format(
        "{} uses plain http (MFAENV_ALLOW_HTTP=1): MFA codes and credentials cross the network unencrypted", origin);
  }
  return e;
}

Result<StsEndpoint> resolve_sts_endpoint(const StsEndpointSettings& settings) {
  if (settings.region && !is_region_name(*settings.region)) {
    return make_error(ErrorKind::kConfigInvalid,
                      "{} = '{}' is not a region name (expected e.g. eu-west-1)",
                      settings.region_origin, *settings.region);
  }
  if (settings.configured_url) {
    StsEndpoint e = MFAENV_TRY(parse_endpoint_url(*settings.configured_url, settings.configured_url_origin,
                                                  settings.configured_url_where));
    e.signing_region = settings.region.value_or("us-east-1");
    return e;
  }

  bool fips = settings.variant == EndpointVariant::kFips;
  bool dual = settings.ip_stack == IpStack::kDualStack;
  std::string region = settings.region.value_or("");
  bool global_region = region.empty() || region == "aws-global";
  bool legacy_global =
      settings.regional_endpoints == StsRegionalEndpoints::kLegacy &&
      std::find(kLegacyGlobalRegions.begin(), kLegacyGlobalRegions.end(), region) !=
          kLegacyGlobalRegions.end();

  StsEndpoint e;
  if (!fips && !dual && (global_region || legacy_global)) {
    e.host = "sts.amazonaws.com";
    e.signing_region = "us-east-1";
    e.origin = global_region ? std::string("global endpoint (no region configured)")
                             : fmt::format("global endpoint (sts_regional_endpoints = legacy, "
                                           "{} = {})", settings.region_origin, region);
  } else {
    if (global_region) region = "us-east-1";  // a variant needs a region: botocore's default one
    const Partition& p = partition_of(region);
    if (dual && p.dual_stack_suffix.empty()) {
      return make_error(ErrorKind::kConfigInvalid,
                        "use_dualstack_endpoint is on, but region {} (partition {}) has no "
                        "dual-stack STS endpoint: turn it off or set endpoint_url",
                        region, p.name);
    }
    std::string_view suffix = dual ? p.dual_stack_suffix : p.dns_suffix;
    std::string_view prefix = fips && !(p.regional_is_fips && !dual) ? "sts-fips" : "sts";
    e.host = fmt::format("{}.{}.{}", prefix, region, suffix);
    e.signing_region = region;
    e.origin = fmt::format("{}{}endpoint of {}", fips ? "FIPS " : "", dual ? "dual-stack " : "",
                           region);
    if (!e.origin.empty() && !fips && !dual) e.origin = "regional " + e.origin;
  }
  e.url = "https://" + e.host;
  return e;
}

}  // namespace mfaenv
