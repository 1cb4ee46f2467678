// The console federation endpoint (IAM guide, "Enable custom identity broker access to the AWS
// console"): `getSigninToken` trades temporary role credentials for a sign-in token, and the login
// URL carries it to the console. The token is a secret: it goes only into the returned strings,
// never into an Error message or a debug line.
#pragma once

#include <optional>
#include <string>

#include "aws/credentials.h"
#include "http/client.h"
#include "signin/partition.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

struct FederationEndpoint {
  std::string scheme = "https";
  std::string host;                  // "signin.aws.amazon.com", or "127.0.0.1:8443" in tests
  std::string path = "/federation";
  std::string origin;                // "MFAENV_SIGNIN_ENDPOINT", "partition aws"
  std::string url() const { return scheme + "://" + host + path; }
};

// MFAENV_SIGNIN_ENDPOINT (https URL; http only for 127.0.0.1/localhost) when set, else the
// partition's https://signin.DOMAIN/federation. Errors: kConfigInvalid naming the variable.
Result<FederationEndpoint> federation_endpoint(const SigninPartition& partition);

// The console page to open: `destination` when given (an https URL on the partition's console
// hosts), else https://console.DOMAIN/ plus `service` ("s3" -> /s3/home) and `region`
// (?region=R). Errors: kUsage.
Result<std::string> console_destination(const SigninPartition& partition, const std::optional<std::string>& service,
                                        const std::optional<std::string>& region,
                                        const std::optional<std::string>& destination);

// GET ?Action=getSigninToken&Session={...}[&SessionDuration=N]. `session_duration` must be left
// out for credentials made from other temporary credentials (AWS answers 400 then); see
// docs/console.md. Errors: kStsUnavailable (network), kAwsRefused (the endpoint said no).
Result<std::string> get_signin_token(const FederationEndpoint& endpoint, const HttpOptions& http,
                                     const Credentials& credentials, std::optional<Seconds> session_duration);

// https://signin.../federation?Action=login&Issuer=mfaenv&Destination=...&SigninToken=...
std::string login_url(const FederationEndpoint& endpoint, const std::string& destination,
                      const std::string& signin_token);

}  // namespace mfaenv
