// STS connection settings for a profile.
#include "sts/connection.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <unistd.h>

#include "aws/profile_settings.h"
#include "util/strings.h"
#include "util/time.h"

namespace mfaenv {

Result<HttpOptions> query_http_options(const ProfileSettings* profile, const EnvironmentLookup& env) {
  HttpOptions http;
  // botocore: the AWS_CA_BUNDLE variable wins over the profile's ca_bundle; empty means unset.
  std::string bundle_origin;
  if (auto bundle = env("AWS_CA_BUNDLE"); bundle && !bundle->empty()) {
    http.ca_bundle = expand_user(*bundle);
    bundle_origin = "AWS_CA_BUNDLE";
  } else if (profile && profile->ca_bundle) {
    http.ca_bundle = expand_user(*profile->ca_bundle);
    bundle_origin = fmt::format("{}: profile '{}': ca_bundle", profile->where("ca_bundle"), profile->name);
  }
  // Checked before anything is asked for: a missing bundle would otherwise be found only when the
  // request that carries the MFA code is about to be sent. (Its contents are checked when it is read.)
  if (http.ca_bundle && ::access(http.ca_bundle->c_str(), R_OK) != 0) {
    const int error = errno;
    return make_error(ErrorKind::kConfigInvalid, "{} = '{}' cannot be read ({}); point it at a PEM file of CA certificates",
                      bundle_origin, *http.ca_bundle, std::strerror(error));
  }
  // One attempt's time limit. The default 30 s suits a slow network, but a hung endpoint then
  // holds a login (and every SDK waiting on credential_process) that long; tests shorten it.
  if (auto timeout = env("MFAENV_STS_TIMEOUT"); timeout && !timeout->empty()) {
    auto parsed = parse_duration(*timeout);
    if (!parsed || parsed->count() < 1)
      return make_error(ErrorKind::kUsage,
                        "MFAENV_STS_TIMEOUT must be a duration of at least 1s (like 10s or 2m), not '{}'", *timeout);
    http.total_timeout = *parsed;
    http.connect_timeout = std::min(http.connect_timeout, *parsed);
  }
  return http;
}

Result<StsConnection> sts_connection_for(const ProfileSettings* profile, const EnvironmentLookup& env) {
  StsEndpointSettings settings = MFAENV_TRY(sts_endpoint_settings(profile, env));
  StsConnection c;
  c.endpoint = MFAENV_TRY(resolve_sts_endpoint(settings));
  c.http = MFAENV_TRY(query_http_options(profile, env));
  c.http.scheme = c.endpoint.scheme == UrlScheme::kHttp ? "http" : "https";
  return c;
}

}  // namespace mfaenv
