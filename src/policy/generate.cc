// Builds the policy with nlohmann-json (ordered, so the output reads in the order people expect).
#include "policy/generate.h"

#include <nlohmann/json.hpp>

namespace mfaenv {

const std::vector<std::string_view>& mfa_enrolment_actions() {
  static const std::vector<std::string_view> actions = {
      "iam:CreateVirtualMFADevice", "iam:EnableMFADevice",      "iam:GetUser",
      "iam:GetMFADevice",           "iam:ListMFADevices",       "iam:ListVirtualMFADevices",
      "iam:ResyncMFADevice",        "sts:GetSessionToken",
      // Not in AWS's example: without it a user whose enrolment failed half-way cannot delete the
      // unassigned device, which then blocks every retry (`mfa enroll` deletes it). A device that is
      // enabled cannot be deleted before DeactivateMFADevice, which still needs MFA.
      "iam:DeleteVirtualMFADevice",
  };
  return actions;
}

std::string generate_policy(long long max_age_seconds, SelfManage self_manage) {
  using Json = nlohmann::ordered_json;
  Json without_mfa;
  if (self_manage == SelfManage::kYes) {
    without_mfa["Sid"] = "DenyAllExceptListedIfNoMFA";
    without_mfa["Effect"] = "Deny";
    Json actions = Json::array();
    for (const auto a : mfa_enrolment_actions()) actions.push_back(std::string(a));
    without_mfa["NotAction"] = actions;
  } else {
    without_mfa["Sid"] = "DenyAllWithoutMFA";
    without_mfa["Effect"] = "Deny";
    without_mfa["Action"] = "*";
  }
  without_mfa["Resource"] = "*";
  without_mfa["Condition"] = {{"BoolIfExists", {{"aws:MultiFactorAuthPresent", "false"}}}};

  Json stale_mfa;
  stale_mfa["Sid"] = "DenyAllWithStaleMFA";
  stale_mfa["Effect"] = "Deny";
  stale_mfa["Action"] = "*";
  stale_mfa["Resource"] = "*";
  stale_mfa["Condition"] = {{"NumericGreaterThan", {{"aws:MultiFactorAuthAge", std::to_string(max_age_seconds)}}}};

  Json policy;
  policy["Version"] = "2012-10-17";
  policy["Statement"] = Json::array({without_mfa, stale_mfa});
  return policy.dump(2) + "\n";
}

}  // namespace mfaenv

namespace mfaenv {

Result<std::string> generate_console_role_trust(std::string_view principal_arn, long long max_age_seconds) {
  // arn:PARTITION:iam::ACCOUNT:user/NAME or :role/NAME (paths allowed)
  const size_t iam = principal_arn.find(":iam::");
  const bool shaped = principal_arn.starts_with("arn:aws") && iam != std::string_view::npos &&
                      principal_arn.size() > iam + 6 + 13 &&
                      (principal_arn.substr(iam + 6 + 12).starts_with(":user/") ||
                       principal_arn.substr(iam + 6 + 12).starts_with(":role/"));
  if (!shaped)
    return make_error(ErrorKind::kUsage, "--console-role '{}': give the ARN of the IAM user who signs in, like "
                      "arn:aws:iam::123456789012:user/alice ('mfaenv whoami PROFILE --long-term' shows it)",
                      principal_arn);
  using Json = nlohmann::ordered_json;
  Json statement;
  statement["Sid"] = "AssumeOnlyWithFreshMFA";
  statement["Effect"] = "Allow";
  statement["Principal"] = {{"AWS", std::string(principal_arn)}};
  statement["Action"] = "sts:AssumeRole";
  statement["Condition"] = {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}},
                            {"NumericLessThan", {{"aws:MultiFactorAuthAge", std::to_string(max_age_seconds)}}}};
  Json policy;
  policy["Version"] = "2012-10-17";
  policy["Statement"] = Json::array({statement});
  return policy.dump(2) + "\n";
}

}  // namespace mfaenv
