// What the IAM commands (mfa, policy attach) share: an IamClient for the profile's endpoint
// settings, and the two kinds of credentials they call it with: the profile's long-term keys
// (enrolment, before any MFA device works) and its MFA session (everything a policy guards).
#pragma once

#include <optional>
#include <string>

#include "cli/session_context.h"
#include "iam/client.h"

namespace mfaenv {

Result<IamClient> iam_client_for(const SessionContext& ctx);

// The keys at the bottom of the profile's chain (credentials file, credential_process, ...).
Result<Credentials> long_term_keys(const SessionContext& ctx);

// The profile's credentials as env/exec would hand them out: its MFA session for a user profile
// with mfa_serial (asking for a code only when none is cached; `token_code` as login's).
Result<ResolvedCredentials> session_credentials(SessionContext& ctx, const std::optional<std::string>& token_code);

// The IAM user a profile signs as, for messages and for the ARN of its MFA device: GetUser.
Result<IamUser> iam_user_of(IamClient& iam, const Credentials& credentials);

}  // namespace mfaenv
