// Where IAM requests go and which region signs them (docs/iam.md): AWS_ENDPOINT_URL_IAM >
// AWS_ENDPOINT_URL > the profile's [services] `iam.endpoint_url` > the profile's `endpoint_url` >
// the partition's global IAM host (iam.amazonaws.com, signed for us-east-1).
#pragma once

#include "sts/connection.h"
#include "sts/endpoint.h"
#include "util/result.h"

namespace mfaenv {

// IAM is global per partition: the region only picks the partition.
struct IamPartitionEndpoint {
  std::string_view host;
  std::string_view fips_host;  // empty: the plain host is already FIPS (GovCloud) or none exists
  std::string_view signing_region;
};
IamPartitionEndpoint iam_partition_endpoint(std::string_view region);

// The endpoint and HTTP options (CA bundle, MFAENV_STS_TIMEOUT) for IAM calls of `profile`
// (may be null). Errors are kConfigInvalid and name the setting.
Result<StsConnection> iam_connection_for(const ProfileSettings* profile,
                                         const EnvironmentLookup& env = process_environment());

}  // namespace mfaenv
