// The StsApi the commands use: src/sts over HTTPS (libcurl is loaded only when a call is made).
#pragma once

#include <memory>

#include "aws/profile_settings.h"
#include "creds/sts_api.h"
#include "sts/client.h"

namespace mfaenv {

std::unique_ptr<StsApi> make_sts_api();

// An STS client for `profile`: its endpoint, signing region and CA bundle (sts/connection.h).
Result<StsClient> make_sts_client(const ProfileSettings& profile);

}  // namespace mfaenv
