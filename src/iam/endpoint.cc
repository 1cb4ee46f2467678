// IAM endpoint resolution. Hosts are botocore's partitions.json / endpoints.json entries for the
// `iam` service ("partitionEndpoint": aws-global, aws-cn-global, aws-us-gov-global, ...).
#include "iam/endpoint.h"

#include "util/strings.h"

namespace mfaenv {

IamPartitionEndpoint iam_partition_endpoint(std::string_view region) {
  const std::string_view partition = partition_name(region);
  if (partition == "aws-cn") return {"iam.cn-north-1.amazonaws.com.cn", "", "cn-north-1"};
  if (partition == "aws-us-gov") return {"iam.us-gov.amazonaws.com", "", "us-gov-west-1"};
  if (partition == "aws-iso") return {"iam.us-iso-east-1.c2s.ic.gov", "", "us-iso-east-1"};
  if (partition == "aws-iso-b") return {"iam.us-isob-east-1.sc2s.sgov.gov", "", "us-isob-east-1"};
  return {"iam.amazonaws.com", "iam-fips.amazonaws.com", "us-east-1"};
}

Result<StsConnection> iam_connection_for(const ProfileSettings* profile, const EnvironmentLookup& env) {
  StsConnection c;
  c.http = MFAENV_TRY(query_http_options(profile, env));
  const auto region = configured_region(profile, env);
  if (region && !is_region_name(region->value)) {
    return make_error(ErrorKind::kConfigInvalid, "{} = '{}' is not a region name (expected e.g. eu-west-1)",
                      region->origin, region->value);
  }
  const IamPartitionEndpoint partition = iam_partition_endpoint(region ? region->value : "us-east-1");
  if (auto url = MFAENV_TRY(configured_endpoint_url(profile, env, "iam"))) {
    c.endpoint = MFAENV_TRY(parse_endpoint_url(url->value, url->origin, url->where));
  } else {
    // use_fips_endpoint as for STS: the variable wins even when empty, then the profile.
    const auto fips = env("AWS_USE_FIPS_ENDPOINT");
    const bool asked = fips ? iequals(trim(*fips), "true") : profile && profile->use_fips_endpoint.value_or(false);
    const bool use_fips = asked && !partition.fips_host.empty();
    c.endpoint.host = std::string(use_fips ? partition.fips_host : partition.host);
    c.endpoint.url = "https://" + c.endpoint.host;
    c.endpoint.origin = fmt::format("IAM's {}endpoint{}", use_fips ? "FIPS " : "",
                                    region ? fmt::format(" for the partition of {}", region->value) : "");
  }
  // IAM is signed for the partition's home region even when a configured URL points elsewhere
  // (an emulator accepts any region; a real IAM accepts only this one).
  c.endpoint.signing_region = std::string(partition.signing_region);
  c.http.scheme = c.endpoint.scheme == UrlScheme::kHttp ? "http" : "https";
  return c;
}

}  // namespace mfaenv
