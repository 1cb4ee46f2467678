// Builds the policy with nlohmann-json (ordered, so the output reads in the order people expect).
#include "policy/generate.h"

#include <nlohmann/json.hpp>

namespace mfaenv {

const std::vector<std::string_view>& mfa_enrolment_actions() {
  static const std::vector<std::string_view> actions = {
      "iam:CreateVirtualMFADevice", "iam:EnableMFADevice",      "iam:GetUser",
      "iam:GetMFADevice",           "iam:ListMFADevices",       "iam:ListVirtualMFADevices",
      "iam:ResyncMFADevice",        "sts:GetSessionToken",
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
