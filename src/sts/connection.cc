// STS connection settings for a profile.
#include "sts/connection.h"

#include "aws/config.h"
#include "util/strings.h"

namespace mfaenv {

Result<StsConnection> sts_connection_for(const AwsConfig* config, const Profile* profile,
                                         const EnvironmentLookup& env) {
  StsEndpointSettings settings = MFAENV_TRY(sts_endpoint_settings(config, profile, env));
  StsConnection c;
  c.endpoint = MFAENV_TRY(resolve_sts_endpoint(settings));
  c.http.scheme = c.endpoint.scheme == UrlScheme::kHttp ? "http" : "https";
  // botocore: the AWS_CA_BUNDLE variable wins over the profile's ca_bundle; empty means unset.
  if (auto bundle = env("AWS_CA_BUNDLE"); bundle && !bundle->empty()) {
    c.http.ca_bundle = expand_user(*bundle);
  } else if (profile) {
    if (auto value = profile->get("ca_bundle"); value && !value->empty())
      c.http.ca_bundle = expand_user(*value);
  }
  return c;
}

}  // namespace mfaenv
