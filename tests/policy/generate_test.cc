// policy generate: valid JSON, clean for check, and doing what it says under simulate.
#include "policy/generate.h"

#include <gtest/gtest.h>

#include "policy/check.h"
#include "policy/evaluate.h"

namespace mfaenv {
namespace {

Decision decide(const Policy& policy, const std::string& action, const char* mfa, long long age = 0) {
  Request request{action, "*", {}};
  if (std::string(mfa) == "present") {
    request.context.set("aws:MultiFactorAuthPresent", "true");
    request.context.set("aws:MultiFactorAuthAge", std::to_string(age));
  } else if (std::string(mfa) == "false") {
    request.context.set("aws:MultiFactorAuthPresent", "false");
  }
  const auto evaluation = evaluate(policy, request);
  EXPECT_TRUE(evaluation.ok());
  return evaluation.ok() ? evaluation->decision : Decision::kAllowed;
}

TEST(Generate, TheTwoStatementPolicyDoesWhatItSays) {
  const std::string text = generate_policy(3600, SelfManage::kNo);
  const auto policy = parse_policy(text, "generated.json");
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  ASSERT_EQ(policy->statements.size(), 2u);
  EXPECT_EQ(policy->version, PolicyVersion::k2012);

  // No MFA (long-term keys, or a session made without MFA): denied by statement 1.
  EXPECT_EQ(decide(*policy, "s3:ListBucket", "absent"), Decision::kExplicitDeny);
  EXPECT_EQ(decide(*policy, "s3:ListBucket", "false"), Decision::kExplicitDeny);
  // MFA older than the limit: denied by statement 2.
  EXPECT_EQ(decide(*policy, "s3:ListBucket", "present", 3601), Decision::kExplicitDeny);
  // Fresh MFA: not denied by it (other policies grant access, so this one alone is an implicit deny).
  EXPECT_EQ(decide(*policy, "s3:ListBucket", "present", 3600), Decision::kImplicitDeny);
  EXPECT_EQ(decide(*policy, "s3:ListBucket", "present", 0), Decision::kImplicitDeny);

  // check: nothing above a note; the note is the deliberate "no enrolment without MFA".
  const auto findings = check_policy(*policy, ProfileSessionLimits{"p", 3600, std::nullopt});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "MFA006");
  EXPECT_EQ(findings[0].severity, Severity::kNote);
  const auto limits = mfa_age_limits(*policy);
  ASSERT_EQ(limits.size(), 1u);
  EXPECT_EQ(limits[0].seconds, 3600);
}

TEST(Generate, SelfManageLetsUsersEnrolWithoutMfa) {
  const std::string text = generate_policy(900, SelfManage::kYes);
  const auto policy = parse_policy(text, "generated.json");
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  EXPECT_TRUE(check_policy(*policy, ProfileSessionLimits{"p", 900, std::nullopt}).empty());
  for (const auto action : mfa_enrolment_actions())
    EXPECT_EQ(decide(*policy, std::string(action), "absent"), Decision::kImplicitDeny) << action;
  EXPECT_EQ(decide(*policy, "iam:DeactivateMFADevice", "absent"), Decision::kExplicitDeny);
  EXPECT_EQ(decide(*policy, "s3:GetObject", "absent"), Decision::kExplicitDeny);
  EXPECT_EQ(decide(*policy, "s3:GetObject", "present", 901), Decision::kExplicitDeny);
  EXPECT_EQ(decide(*policy, "s3:GetObject", "present", 899), Decision::kImplicitDeny);
}

TEST(Generate, IsPrettyPrinted) {
  const std::string text = generate_policy(43200, SelfManage::kNo);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_NE(text.find("\n  \"Statement\": [\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"aws:MultiFactorAuthAge\": \"43200\""), std::string::npos);
  EXPECT_NE(text.find("\"BoolIfExists\""), std::string::npos);
}

}  // namespace
}  // namespace mfaenv
