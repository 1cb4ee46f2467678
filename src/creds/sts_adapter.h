// The StsApi the commands use: src/sts over HTTPS (libcurl is loaded only when a call is made).
#pragma once

#include <memory>

#include "aws/config.h"
#include "creds/sts_api.h"
#include "sts/client.h"

namespace mfaenv {

std::unique_ptr<StsApi> make_sts_api(const AwsConfig& config);

// An STS client for `profile`: endpoint and signing region (DESIGN.md §5), and the CA bundle
// (AWS_CA_BUNDLE, else the profile's ca_bundle).
Result<StsClient> make_sts_client(const AwsConfig& config, const Profile& profile);

}  // namespace mfaenv
