// `policy generate`: the MFA policy of docs/design.md §6, written the way that actually works: one Deny
// for requests without MFA (BoolIfExists ... "false", which also catches long-term keys) and a
// separate Deny for MFA sessions older than the limit (in one statement the two would be AND-ed).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace mfaenv {

enum class SelfManage { kNo, kYes };

// The actions a user without MFA still needs to enrol a virtual MFA device and get an MFA session
// (AWS's "DenyAllExceptListedIfNoMFA" example).
const std::vector<std::string_view>& mfa_enrolment_actions();

// Pretty-printed JSON, ending in a newline. max_age_seconds > 0.
std::string generate_policy(long long max_age_seconds, SelfManage self_manage);

// The trust policy of a console role (docs/console.md): only `principal_arn` may assume it, only
// with MFA (Bool aws:MultiFactorAuthPresent "true": long-term keys carry no such key, so they are
// refused too) and only while the MFA is younger than max_age_seconds. Both conditions are in one
// Allow, where AND is what is meant. Errors (kUsage) when `principal_arn` is not an IAM user or
// role ARN.
Result<std::string> generate_console_role_trust(std::string_view principal_arn, long long max_age_seconds);

}  // namespace mfaenv
