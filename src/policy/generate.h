// `policy generate`: the MFA policy of DESIGN.md §6, written the way that actually works: one Deny
// for requests without MFA (BoolIfExists ... "false", which also catches long-term keys) and a
// separate Deny for MFA sessions older than the limit (in one statement the two would be AND-ed).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mfaenv {

enum class SelfManage { kNo, kYes };

// The actions a user without MFA still needs to enrol a virtual MFA device and get an MFA session
// (AWS's "DenyAllExceptListedIfNoMFA" example).
const std::vector<std::string_view>& mfa_enrolment_actions();

// Pretty-printed JSON, ending in a newline. max_age_seconds > 0.
std::string generate_policy(long long max_age_seconds, SelfManage self_manage);

}  // namespace mfaenv
