// The JSON an AWS SDK reads from a `credential_process` (Version 1), as botocore's ProcessProvider
// and the other SDKs parse it.
#pragma once

#include <optional>
#include <string>

#include "aws/credentials.h"
#include "util/time.h"

namespace mfaenv {

// {"Version":1,"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…,"Expiration":"…Z"} and a
// newline. SessionToken is left out for long-term keys. Expiration is `expires` when given (pass
// the effective expiry of docs/design.md §4, so that SDKs come back before the IAM policy's MFA age
// runs out), else creds.expiration; without either it is left out and SDKs never refresh.
std::string credential_process_json(const Credentials& creds, std::optional<TimePoint> expires = std::nullopt);

}  // namespace mfaenv
