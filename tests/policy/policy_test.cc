// The policy model: what is read, where it is, and the documents IAM would refuse.
#include "policy/policy.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

TEST(Policy, ReadsStatementsWithPositions) {
  const auto policy = parse_policy(R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "A", "Effect": "Deny", "NotAction": "iam:ListMFADevices", "Resource": ["*"],
     "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": [3600, "7200"]},
                   "Bool": {"aws:SecureTransport": false}}},
    {"Effect": "Allow", "Action": ["s3:*", "ec2:*"], "NotResource": "arn:aws:s3:::secret/*"}
  ]
})", "p.json");
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  EXPECT_EQ(policy->version, PolicyVersion::k2012);
  ASSERT_EQ(policy->statements.size(), 2u);
  const Statement& a = policy->statements[0];
  EXPECT_EQ(a.label(), "statement 1 \"A\"");
  EXPECT_EQ(a.effect, Effect::kDeny);
  EXPECT_EQ(a.action_mode, ListMode::kAllExceptListed);
  EXPECT_EQ(a.pos.line, 4);
  EXPECT_EQ(a.pos.column, 5);
  ASSERT_EQ(a.conditions.size(), 2u);
  EXPECT_EQ(a.conditions[0].op.kind, OperatorKind::kNumericGreaterThan);
  EXPECT_EQ(a.conditions[0].op_pos.line, 5);
  EXPECT_EQ(a.conditions[0].op_pos.column, 20);
  ASSERT_EQ(a.conditions[0].entries[0].values.size(), 2u);
  EXPECT_EQ(a.conditions[0].entries[0].values[0].value, "3600");  // a JSON number keeps its text
  EXPECT_EQ(a.conditions[0].entries[0].values[1].value, "7200");
  EXPECT_EQ(a.conditions[1].entries[0].values[0].value, "false");  // a JSON boolean
  const Statement& b = policy->statements[1];
  EXPECT_EQ(b.label(), "statement 2");
  EXPECT_EQ(b.resource_mode, ListMode::kAllExceptListed);
  EXPECT_EQ(b.actions.size(), 2u);
  EXPECT_EQ(policy->where(b.actions[1].pos), "p.json:7:44");
}

TEST(Policy, StatementMayBeASingleObject) {
  const auto policy =
      parse_policy(R"({"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}})", "p.json");
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->version, PolicyVersion::kMissing);
  EXPECT_EQ(policy->statements.size(), 1u);
}

TEST(Policy, OperatorsAreRecognised) {
  EXPECT_EQ(parse_operator("StringNotLikeIfExists").kind, OperatorKind::kStringNotLike);
  EXPECT_EQ(parse_operator("StringNotLikeIfExists").if_exists, IfExists::kYes);
  EXPECT_EQ(parse_operator("Null").kind, OperatorKind::kNull);
  EXPECT_EQ(parse_operator("NullIfExists").kind, OperatorKind::kUnknown);
  EXPECT_EQ(parse_operator("DateLessThanIfExists").kind, OperatorKind::kNotSimulated);
  EXPECT_EQ(parse_operator("ForAnyValue:StringLike").kind, OperatorKind::kNotSimulated);
  EXPECT_EQ(parse_operator("stringequals").kind, OperatorKind::kUnknown);
  EXPECT_EQ(parse_operator("IfExists").kind, OperatorKind::kUnknown);
  EXPECT_EQ(suggest_operator("BoolIfExist"), "BoolIfExists");
  EXPECT_EQ(suggest_operator("stringequals"), "StringEquals");
  EXPECT_EQ(suggest_operator("NumericGreaterThen"), "NumericGreaterThan");
  EXPECT_EQ(suggest_operator("Frobnicate"), std::nullopt);
}

struct BadPolicy {
  const char* text;
  const char* where;
  const char* message;
};

class PolicyErrors : public ::testing::TestWithParam<BadPolicy> {};

TEST_P(PolicyErrors, AreRefusedWithAPosition) {
  const auto& c = GetParam();
  const auto policy = parse_policy(c.text, "p.json");
  ASSERT_FALSE(policy.ok()) << c.text;
  EXPECT_EQ(policy.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_NE(policy.error().message.find(std::string("p.json:") + c.where + ": "), std::string::npos)
      << policy.error().message;
  EXPECT_NE(policy.error().message.find(c.message), std::string::npos) << policy.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PolicyErrors,
    ::testing::Values(
        BadPolicy{"[]", "1:1", "a policy is a JSON object"},
        BadPolicy{R"({"Version": "2012-10-17"})", "1:1", "no \"Statement\""},
        BadPolicy{R"({"Version": "2024-01-01", "Statement": []})", "1:13", "names the language"},
        BadPolicy{R"({"Statement": []})", "1:15", "empty list"},
        BadPolicy{R"({"statement": []})", "1:2", "must be written \"Statement\""},
        BadPolicy{R"({"Statement": [{"Action": "*", "Resource": "*"}]})", "1:16", "no \"Effect\""},
        BadPolicy{R"({"Statement": [{"Effect": "deny", "Action": "*", "Resource": "*"}]})", "1:27",
                  "IAM rejects other spellings"},
        BadPolicy{R"({"Statement": [{"Effect": "Deny", "Resource": "*"}]})", "1:16", "no \"Action\" or \"NotAction\""},
        BadPolicy{R"({"Statement": [{"Effect": "Deny", "Action": "*"}]})", "1:16", "no \"Resource\""},
        BadPolicy{R"({"Statement": [{"Effect": "Deny", "Action": "*", "NotAction": "s3:*", "Resource": "*"}]})", "1:50",
                  "not both"},
        BadPolicy{R"({"Statement": [{"Effect": "Deny", "Actions": "*", "Resource": "*"}]})", "1:35",
                  "unknown element \"Actions\""},
        BadPolicy{R"({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]})", "1:35",
                  "resource-based policies"},
        BadPolicy{R"({"Statement": [{"Effect": "Deny", "Action": [], "Resource": "*"}]})", "1:45", "empty list"},
        BadPolicy{R"({"Statement": [{"Effect": "Deny", "Action": 5, "Resource": "*"}]})", "1:45", "not a number"},
        BadPolicy{R"({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": []}]})", "1:80",
                  "must be an object of operators"},
        BadPolicy{R"({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                   "Condition": {"Bool": "true"}}]})", "2:42", "must map condition keys"},
        BadPolicy{R"({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                   "Condition": {"Bool": {"aws:SecureTransport": null}}}]})", "2:66", "string, number or boolean"},
        BadPolicy{R"({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                   "Condition": {"Bool": {"k": "a"}, "Bool": {"k": "b"}}}]})", "2:54", "duplicate key \"Bool\""}));

TEST(Policy, LoadNamesTheFile) {
  const auto missing = load_policy("/nonexistent/policy.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_NE(missing.error().message.find("/nonexistent/policy.json"), std::string::npos);
}

}  // namespace
}  // namespace mfaenv
