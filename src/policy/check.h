// `policy check`: the mistakes that make an MFA policy silently do less than its author thinks,
// each a Finding with a stable code (MFA001...), a severity, a position and a fix. The table of codes
// is in docs/policy.md; codes are never renumbered.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"

namespace mfaenv {

enum class Severity { kNote, kWarning, kError };
std::string_view severity_name(Severity severity);

struct Finding {
  std::string code;  // "MFA002"
  Severity severity = Severity::kNote;
  SourcePos pos;
  std::string message;
  std::string fix;
};

// What `check --profile P` compares the policy with (read from the AWS config by the caller).
struct ProfileSessionLimits {
  std::string profile;
  long long session_duration = 43200;    // mfaenv_session_duration, or its default
  std::optional<long long> mfa_max_age;  // mfaenv_mfa_max_age, when set
};

// Findings sorted by position.
std::vector<Finding> check_policy(const Policy& policy, const std::optional<ProfileSessionLimits>& profile);

// An aws:MultiFactorAuthAge limit the policy enforces: a Deny with NumericGreaterThan[Equals] N, or
// an Allow with NumericLessThan[Equals] N. Several values under one key: the one that takes effect.
struct MfaAgeLimit {
  long long seconds = 0;
  SourcePos pos;  // the value
  const Statement* statement = nullptr;
};
// Sorted, smallest first; points into `policy`.
std::vector<MfaAgeLimit> mfa_age_limits(const Policy& policy);

}  // namespace mfaenv
