// IAM evaluation, as a table of cases taken from the IAM documentation's rules ("Condition
// operators", "Conditions with multiple context keys or values", "Policy evaluation logic").
#include "policy/evaluate.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace mfaenv {
namespace {

using Context = std::vector<std::pair<std::string, std::string>>;

Policy must_parse(const std::string& text) {
  auto policy = parse_policy(text, "t.json");
  EXPECT_TRUE(policy.ok()) << (policy.ok() ? "" : policy.error().message);
  return policy.ok() ? *policy : Policy{};
}

Decision decide(const Policy& policy, const std::string& action, const std::string& resource, const Context& context) {
  Request request{action, resource, {}};
  for (const auto& [k, v] : context) request.context.set(k, v);
  auto evaluation = evaluate(policy, request);
  EXPECT_TRUE(evaluation.ok()) << (evaluation.ok() ? "" : evaluation.error().message);
  return evaluation.ok() ? evaluation->decision : Decision::kImplicitDeny;
}

struct ConditionCase {
  const char* rule;       // the documented rule the case shows
  const char* condition;  // the Condition element
  Context context;
  bool matches;
};

void PrintTo(const ConditionCase& c, std::ostream* os) { *os << c.rule; }

class ConditionRules : public ::testing::TestWithParam<ConditionCase> {};

TEST_P(ConditionRules, MatchesAsDocumented) {
  const auto& c = GetParam();
  const Policy policy = must_parse(std::string(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
      "Action": "*", "Resource": "*", "Condition": )") + c.condition + "}}");
  EXPECT_EQ(decide(policy, "s3:GetObject", "*", c.context) == Decision::kAllowed, c.matches) << c.rule;
}

const Context kLongTermKeys = {};
const Context kMfaFresh = {{"aws:MultiFactorAuthPresent", "true"}, {"aws:MultiFactorAuthAge", "60"}};
const Context kMfaOld = {{"aws:MultiFactorAuthPresent", "true"}, {"aws:MultiFactorAuthAge", "7200"}};
const Context kNoMfaSession = {{"aws:MultiFactorAuthPresent", "false"}};

INSTANTIATE_TEST_SUITE_P(
    Iam, ConditionRules,
    ::testing::Values(
        // String operators
        ConditionCase{"StringEquals: exact match", R"({"StringEquals": {"aws:username": "alice"}})",
                      {{"aws:username", "alice"}}, true},
        ConditionCase{"StringEquals is case-sensitive", R"({"StringEquals": {"aws:username": "Alice"}})",
                      {{"aws:username", "alice"}}, false},
        ConditionCase{"StringEqualsIgnoreCase ignores case", R"({"StringEqualsIgnoreCase": {"aws:username": "ALICE"}})",
                      {{"aws:username", "alice"}}, true},
        ConditionCase{"StringNotEquals: a different value matches", R"({"StringNotEquals": {"aws:username": "bob"}})",
                      {{"aws:username", "alice"}}, true},
        ConditionCase{"StringNotEquals: the same value does not", R"({"StringNotEquals": {"aws:username": "alice"}})",
                      {{"aws:username", "alice"}}, false},
        ConditionCase{"StringNotEqualsIgnoreCase", R"({"StringNotEqualsIgnoreCase": {"aws:username": "ALICE"}})",
                      {{"aws:username", "alice"}}, false},
        ConditionCase{"StringLike: * is any run", R"({"StringLike": {"s3:prefix": "home/*/docs"}})",
                      {{"s3:prefix", "home/alice/docs"}}, true},
        ConditionCase{"StringLike: ? is exactly one character", R"({"StringLike": {"aws:username": "al?ce"}})",
                      {{"aws:username", "alice"}}, true},
        ConditionCase{"StringLike: ? is not zero characters", R"({"StringLike": {"aws:username": "alic?e"}})",
                      {{"aws:username", "alice"}}, false},
        ConditionCase{"StringLike is case-sensitive", R"({"StringLike": {"aws:username": "A*"}})",
                      {{"aws:username", "alice"}}, false},
        ConditionCase{"StringLike must match the whole value", R"({"StringLike": {"aws:username": "ali"}})",
                      {{"aws:username", "alice"}}, false},
        ConditionCase{"StringNotLike", R"({"StringNotLike": {"aws:username": "b*"}})", {{"aws:username", "alice"}},
                      true},
        // Several values of one key: OR; for negated operators: NOR
        ConditionCase{"several values are OR-ed", R"({"StringEquals": {"aws:username": ["bob", "alice"]}})",
                      {{"aws:username", "alice"}}, true},
        ConditionCase{"negated operator: several values are NOR-ed (one equal -> false)",
                      R"({"StringNotEquals": {"aws:username": ["bob", "alice"]}})", {{"aws:username", "alice"}}, false},
        ConditionCase{"negated operator: several values are NOR-ed (none equal -> true)",
                      R"({"StringNotEquals": {"aws:username": ["bob", "carol"]}})", {{"aws:username", "alice"}}, true},
        // Several keys, several operators: AND
        ConditionCase{"several keys are AND-ed (one missing)",
                      R"({"StringEquals": {"aws:username": "alice", "aws:PrincipalTag/team": "ops"}})",
                      {{"aws:username", "alice"}}, false},
        ConditionCase{"several keys are AND-ed (both present)",
                      R"({"StringEquals": {"aws:username": "alice", "aws:PrincipalTag/team": "ops"}})",
                      {{"aws:username", "alice"}, {"aws:PrincipalTag/team", "ops"}}, true},
        ConditionCase{"several operators are AND-ed",
                      R"({"Bool": {"aws:MultiFactorAuthPresent": "true"},
                          "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}})", kMfaOld, false},
        ConditionCase{"several operators are AND-ed (all true)",
                      R"({"Bool": {"aws:MultiFactorAuthPresent": "true"},
                          "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}})", kMfaFresh, true},
        // A key missing from the request
        ConditionCase{"missing key: positive operators are false", R"({"StringEquals": {"aws:username": "alice"}})",
                      kLongTermKeys, false},
        ConditionCase{"missing key: StringLike false", R"({"StringLike": {"aws:username": "*"}})", kLongTermKeys, false},
        ConditionCase{"missing key: Bool false", R"({"Bool": {"aws:MultiFactorAuthPresent": "false"}})", kLongTermKeys,
                      false},
        ConditionCase{"missing key: Numeric false", R"({"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}})",
                      kLongTermKeys, false},
        ConditionCase{"missing key: negated StringNotEquals is true",
                      R"({"StringNotEquals": {"aws:username": "alice"}})", kLongTermKeys, true},
        ConditionCase{"missing key: negated StringNotLike is true", R"({"StringNotLike": {"aws:username": "*"}})",
                      kLongTermKeys, true},
        ConditionCase{"missing key: negated NumericNotEquals is true",
                      R"({"NumericNotEquals": {"aws:MultiFactorAuthAge": "0"}})", kLongTermKeys, true},
        ConditionCase{"missing key: ...IfExists is true", R"({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})",
                      kLongTermKeys, true},
        ConditionCase{"missing key: NumericGreaterThanIfExists is true",
                      R"({"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}})", kLongTermKeys, true},
        ConditionCase{"missing key: negated ...IfExists is true",
                      R"({"StringNotEqualsIfExists": {"aws:username": "alice"}})", kLongTermKeys, true},
        ConditionCase{"present key: ...IfExists tests the value",
                      R"({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})", kMfaFresh, false},
        ConditionCase{"present key: BoolIfExists false matches a session without MFA",
                      R"({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})", kNoMfaSession, true},
        ConditionCase{"present key: NumericLessThanIfExists tests the value",
                      R"({"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "3600"}})", kMfaOld, false},
        // Null
        ConditionCase{"Null true: the key is absent", R"({"Null": {"aws:MultiFactorAuthAge": "true"}})", kLongTermKeys,
                      true},
        ConditionCase{"Null true: the key is present", R"({"Null": {"aws:MultiFactorAuthAge": "true"}})", kMfaFresh,
                      false},
        ConditionCase{"Null false: the key is present", R"({"Null": {"aws:MultiFactorAuthAge": "false"}})", kMfaFresh,
                      true},
        ConditionCase{"Null false: the key is absent", R"({"Null": {"aws:MultiFactorAuthAge": "false"}})",
                      kLongTermKeys, false},
        // Numeric
        ConditionCase{"NumericEquals", R"({"NumericEquals": {"aws:MultiFactorAuthAge": "60"}})", kMfaFresh, true},
        ConditionCase{"NumericEquals compares numbers, not text",
                      R"({"NumericEquals": {"aws:MultiFactorAuthAge": "60.0"}})", kMfaFresh, true},
        ConditionCase{"NumericNotEquals", R"({"NumericNotEquals": {"aws:MultiFactorAuthAge": "60"}})", kMfaFresh, false},
        ConditionCase{"NumericLessThan (equal is not less)", R"({"NumericLessThan": {"aws:MultiFactorAuthAge": 60}})",
                      kMfaFresh, false},
        ConditionCase{"NumericLessThanEquals", R"({"NumericLessThanEquals": {"aws:MultiFactorAuthAge": 60}})",
                      kMfaFresh, true},
        ConditionCase{"NumericGreaterThan: 7200 > 3600", R"({"NumericGreaterThan": {"aws:MultiFactorAuthAge": 3600}})",
                      kMfaOld, true},
        ConditionCase{"NumericGreaterThan (equal is not greater)",
                      R"({"NumericGreaterThan": {"aws:MultiFactorAuthAge": 7200}})", kMfaOld, false},
        ConditionCase{"NumericGreaterThanEquals", R"({"NumericGreaterThanEquals": {"aws:MultiFactorAuthAge": 7200}})",
                      kMfaOld, true},
        ConditionCase{"a context value that is not a number satisfies no Numeric operator",
                      R"({"NumericNotEquals": {"aws:MultiFactorAuthAge": "1"}})", {{"aws:MultiFactorAuthAge", "old"}},
                      false},
        // Bool
        ConditionCase{"Bool true", R"({"Bool": {"aws:MultiFactorAuthPresent": "true"}})", kMfaFresh, true},
        ConditionCase{"Bool with a JSON boolean", R"({"Bool": {"aws:MultiFactorAuthPresent": true}})", kMfaFresh, true},
        ConditionCase{"Bool values ignore case", R"({"Bool": {"aws:MultiFactorAuthPresent": "TRUE"}})", kMfaFresh, true},
        ConditionCase{"Bool false does not match true", R"({"Bool": {"aws:MultiFactorAuthPresent": "false"}})",
                      kMfaFresh, false},
        // Keys are case-insensitive
        ConditionCase{"condition keys are case-insensitive",
                      R"({"Bool": {"AWS:multifactorauthpresent": "true"}})", kMfaFresh, true},
        // Policy variables
        ConditionCase{"a policy variable is replaced from the context",
                      R"({"StringEquals": {"s3:prefix": "home/${aws:username}"}})",
                      {{"s3:prefix", "home/alice"}, {"aws:username", "alice"}}, true},
        ConditionCase{"a variable whose key is missing never matches",
                      R"({"StringEquals": {"s3:prefix": "home/${aws:username}"}})", {{"s3:prefix", "home/"}}, false},
        ConditionCase{"a variable's default applies when the key is missing",
                      R"({"StringEquals": {"s3:prefix": "home/${aws:username, 'nobody'}"}})",
                      {{"s3:prefix", "home/nobody"}}, true},
        ConditionCase{"${*} is a literal star in StringLike", R"({"StringLike": {"s3:prefix": "a${*}"}})",
                      {{"s3:prefix", "abc"}}, false},
        ConditionCase{"a replaced value is never a wildcard", R"({"StringLike": {"s3:prefix": "${aws:username}"}})",
                      {{"s3:prefix", "alice"}, {"aws:username", "*"}}, false}));

TEST(Evaluate, VariablesAreTextIn2008Policies) {
  const Policy policy = must_parse(R"({"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "*",
      "Resource": "*", "Condition": {"StringEquals": {"s3:prefix": "${aws:username}"}}}})");
  EXPECT_EQ(decide(policy, "s3:ListBucket", "*", {{"s3:prefix", "alice"}, {"aws:username", "alice"}}),
            Decision::kImplicitDeny);
  EXPECT_EQ(decide(policy, "s3:ListBucket", "*", {{"s3:prefix", "${aws:username}"}}), Decision::kAllowed);
}

TEST(Evaluate, ActionsAreCaseInsensitiveWithWildcards) {
  const Policy policy = must_parse(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["S3:getobject", "iam:*MFA*", "ec2:Describe?nstances"], "Resource": "*"}]})");
  EXPECT_EQ(decide(policy, "s3:GetObject", "*", {}), Decision::kAllowed);
  EXPECT_EQ(decide(policy, "iam:EnableMFADevice", "*", {}), Decision::kAllowed);
  EXPECT_EQ(decide(policy, "ec2:DescribeInstances", "*", {}), Decision::kAllowed);
  EXPECT_EQ(decide(policy, "s3:GetObjectAcl", "*", {}), Decision::kImplicitDeny);
  EXPECT_EQ(decide(policy, "iam:GetUser", "*", {}), Decision::kImplicitDeny);
}

TEST(Evaluate, ResourcesAreCaseSensitiveWithVariables) {
  const Policy policy = must_parse(R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Action": "iam:*", "Resource": "arn:aws:iam::*:user/${aws:username}"}]})");
  const Context alice = {{"aws:username", "alice"}};
  EXPECT_EQ(decide(policy, "iam:GetUser", "arn:aws:iam::123456789012:user/alice", alice), Decision::kAllowed);
  EXPECT_EQ(decide(policy, "iam:GetUser", "arn:aws:iam::123456789012:user/Alice", alice), Decision::kImplicitDeny);
  EXPECT_EQ(decide(policy, "iam:GetUser", "arn:aws:iam::123456789012:user/bob", alice), Decision::kImplicitDeny);
  EXPECT_EQ(decide(policy, "iam:GetUser", "arn:aws:iam::123456789012:user/alice", {}), Decision::kImplicitDeny);
  // "*" as the request's resource is a literal, matched only by patterns that match it.
  EXPECT_EQ(decide(policy, "iam:GetUser", "*", alice), Decision::kImplicitDeny);
}

TEST(Evaluate, NotActionAndNotResource) {
  const Policy policy = must_parse(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "*", "Resource": "*"},
      {"Effect": "Deny", "NotAction": ["iam:*MFADevice*", "sts:GetSessionToken"], "Resource": "*"},
      {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::public/*"}]})");
  EXPECT_EQ(decide(policy, "s3:GetObject", "*", {}), Decision::kExplicitDeny);
  EXPECT_EQ(decide(policy, "iam:EnableMFADevice", "*", {}), Decision::kAllowed);
  EXPECT_EQ(decide(policy, "STS:GetSessionToken", "*", {}), Decision::kAllowed);
}

TEST(Evaluate, ExplicitDenyBeatsAllowWhateverTheOrder) {
  const Policy policy = must_parse(R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "Allow", "Effect": "Allow", "Action": "*", "Resource": "*"},
      {"Sid": "DenyStale", "Effect": "Deny", "Action": "*", "Resource": "*",
       "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}}}]})");
  Request request{"s3:ListBucket", "*", {}};
  request.context.set("aws:MultiFactorAuthAge", "7200");
  const auto evaluation = evaluate(policy, request);
  ASSERT_TRUE(evaluation.ok());
  EXPECT_EQ(evaluation->decision, Decision::kExplicitDeny);
  ASSERT_NE(evaluation->deciding, nullptr);
  EXPECT_EQ(evaluation->deciding->number, 2u);
  EXPECT_EQ(evaluation->deciding->pos.line, 3);

  request.context.set("aws:MultiFactorAuthAge", "60");
  const auto fresh = evaluate(policy, request);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->decision, Decision::kAllowed);
  EXPECT_EQ(fresh->deciding->number, 1u);
}

TEST(Evaluate, NothingAllowsMeansImplicitDeny) {
  const Policy policy = must_parse(R"({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*",
      "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}})");
  const auto evaluation = evaluate(policy, Request{"s3:ListBucket", "*", {}});
  ASSERT_TRUE(evaluation.ok());
  EXPECT_EQ(evaluation->decision, Decision::kExplicitDeny);
  Request with_mfa{"s3:ListBucket", "*", {}};
  with_mfa.context.set("aws:MultiFactorAuthPresent", "true");
  const auto allowed = evaluate(policy, with_mfa);
  ASSERT_TRUE(allowed.ok());
  EXPECT_EQ(allowed->decision, Decision::kImplicitDeny);
  EXPECT_EQ(allowed->deciding, nullptr);
}

TEST(Evaluate, OperatorsItCannotEvaluateAreErrorsOnlyWhenNeeded) {
  const Policy policy = must_parse(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
      {"Effect": "Deny", "Action": "ec2:*", "Resource": "*",
       "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}]})");
  EXPECT_EQ(decide(policy, "s3:GetObject", "*", {}), Decision::kAllowed);
  const auto ec2 = evaluate(policy, Request{"ec2:RunInstances", "*", {}});
  ASSERT_FALSE(ec2.ok());
  EXPECT_NE(ec2.error().message.find("t.json:4:22"), std::string::npos) << ec2.error().message;
  EXPECT_NE(ec2.error().message.find("DateGreaterThan"), std::string::npos);
}

TEST(Match, Wildcards) {
  EXPECT_TRUE(wildcard_match("*", "", CaseRule::kSensitive));
  EXPECT_TRUE(wildcard_match("a*b*c", "aXbYbZc", CaseRule::kSensitive));
  EXPECT_FALSE(wildcard_match("a*b*c", "aXbYbZ", CaseRule::kSensitive));
  EXPECT_TRUE(wildcard_match("**?", "x", CaseRule::kSensitive));
  EXPECT_FALSE(wildcard_match("?", "", CaseRule::kSensitive));
  EXPECT_TRUE(wildcard_match("IAM:*", "iam:GetUser", CaseRule::kInsensitive));
  EXPECT_FALSE(wildcard_match("IAM:*", "iam:GetUser", CaseRule::kSensitive));
  // Pathological patterns stay fast (no exponential backtracking).
  EXPECT_FALSE(wildcard_match(std::string(50, '*') + "b", std::string(5000, 'a'), CaseRule::kSensitive));
}

}  // namespace
}  // namespace mfaenv
