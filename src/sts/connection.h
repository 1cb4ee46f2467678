// How to reach STS for a profile: its endpoint (sts/endpoint.h) and the HTTP options that go with
// it (AWS_CA_BUNDLE, else the profile's ca_bundle). The one place commands and src/creds get both.
#pragma once

#include "http/client.h"
#include "sts/endpoint.h"
#include "util/result.h"

namespace mfaenv {

struct StsConnection {
  StsEndpoint endpoint;
  HttpOptions http;  // scheme follows the endpoint
};

// The HTTP options of any AWS call for a profile (STS, IAM): the CA bundle (AWS_CA_BUNDLE, else the
// profile's ca_bundle) and MFAENV_STS_TIMEOUT. `profile` may be null.
Result<HttpOptions> query_http_options(const ProfileSettings* profile, const EnvironmentLookup& env);

// `profile` may be null (no profile: environment settings only).
Result<StsConnection> sts_connection_for(const ProfileSettings* profile,
                                         const EnvironmentLookup& env = process_environment());

}  // namespace mfaenv
