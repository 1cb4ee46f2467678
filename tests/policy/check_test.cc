// policy check on the seed policies and on one file per seed-style mistake (tests/policy/data).
#include "policy/check.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace mfaenv {
namespace {

std::string data_path(const std::string& name) {
  const char* source = std::getenv("MFAENV_SOURCE_DIR");
  return std::string(source ? source : ".") + "/tests/policy/data/" + name;
}

Policy load(const std::string& name) {
  auto policy = load_policy(data_path(name));
  EXPECT_TRUE(policy.ok()) << (policy.ok() ? "" : policy.error().message);
  return policy.ok() ? *policy : Policy{};
}

// "MFA002 error 9:9" for each finding, in order.
std::vector<std::string> summary(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings)
    out.push_back(fmt::format("{} {} {}:{}", f.code, severity_name(f.severity), f.pos.line, f.pos.column));
  return out;
}

using Lines = std::vector<std::string>;

struct FileCase {
  const char* file;
  Lines expected;
};

void PrintTo(const FileCase& c, std::ostream* os) { *os << c.file; }

class CheckFiles : public ::testing::TestWithParam<FileCase> {};

TEST_P(CheckFiles, FindExactlyTheMistake) {
  const auto& c = GetParam();
  const Policy policy = load(c.file);
  const auto findings = check_policy(policy, std::nullopt);
  EXPECT_EQ(summary(findings), c.expected);
  for (const auto& f : findings) {
    EXPECT_FALSE(f.message.empty());
    EXPECT_FALSE(f.fix.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Data, CheckFiles,
    ::testing::Values(
        // Seed 1: Allow everything with Bool true: correct, long-term keys get an implicit deny.
        FileCase{"seed_allow_bool_true.json", {}},
        // Seed 2, both versions: correct; denying everything without MFA also blocks enrolment (on purpose).
        FileCase{"seed_deny_without_mfa.json", {"MFA006 note 6:13"}},
        FileCase{"seed_two_statement_deny.json", {"MFA006 note 6:7"}},
        FileCase{"aws_self_manage_example.json", {}},
        FileCase{"mistake_and_in_one_deny.json", {"MFA001 error 9:7"}},
        FileCase{"mistake_bool_false_in_deny.json", {"MFA002 error 10:9"}},
        FileCase{"mistake_boolifexists_true_in_allow.json", {"MFA003 error 10:9"}},
        FileCase{"mistake_unknown_operator.json", {"MFA007 error 9:9", "MFA007 error 19:9"}},
        FileCase{"mistake_action_shape.json", {"MFA008 error 6:18", "MFA008 error 6:33"}},
        FileCase{"mistake_bad_values.json", {"MFA006 note 6:7", "MFA009 error 10:41", "MFA010 error 20:37"}},
        FileCase{"mistake_misspelled_key.json", {"MFA006 note 6:7", "MFA012 warning 10:11", "MFA012 warning 20:11"}},
        FileCase{"mistake_no_version.json", {"MFA011 warning 1:1"}}));

TEST(Check, MessagesExplainTheMistake) {
  const Policy policy = load("mistake_bool_false_in_deny.json");
  const auto findings = check_policy(policy, std::nullopt);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].message.find("long-term access keys"), std::string::npos);
  EXPECT_NE(findings[0].fix.find("BoolIfExists"), std::string::npos);

  const Policy unknown = load("mistake_unknown_operator.json");
  const auto suggestions = check_policy(unknown, std::nullopt);
  ASSERT_EQ(suggestions.size(), 2u);
  EXPECT_NE(suggestions[0].fix.find("\"BoolIfExists\""), std::string::npos);
  EXPECT_NE(suggestions[1].fix.find("\"NumericGreaterThan\""), std::string::npos);

  const Policy actions = load("mistake_action_shape.json");
  const auto shape = check_policy(actions, std::nullopt);
  ASSERT_EQ(shape.size(), 2u);
  EXPECT_NE(shape[1].fix.find("\"s3:GetObject\""), std::string::npos);
}

TEST(Check, AgeLimitAgainstTheProfile) {
  const Policy policy = load("seed_two_statement_deny.json");
  ProfileSessionLimits defaults{"work", 43200, std::nullopt};
  EXPECT_EQ(summary(check_policy(policy, defaults)), (Lines{"MFA006 note 6:7", "MFA004 warning 20:37"}));

  ProfileSessionLimits short_sessions{"work", 3600, std::nullopt};
  EXPECT_EQ(summary(check_policy(policy, short_sessions)), (Lines{"MFA006 note 6:7"}));

  ProfileSessionLimits synced{"work", 43200, 3600};
  EXPECT_EQ(summary(check_policy(policy, synced)), (Lines{"MFA006 note 6:7"}));

  ProfileSessionLimits stale{"work", 43200, 7200};
  EXPECT_EQ(summary(check_policy(policy, stale)), (Lines{"MFA006 note 6:7", "MFA005 warning 20:37"}));
  const auto findings = check_policy(policy, stale);
  EXPECT_NE(findings[1].fix.find("mfaenv policy sync work"), std::string::npos);
}

TEST(Check, AgeLimits) {
  const auto policy = parse_policy(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Deny", "Action": "*", "Resource": "*",
       "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": ["7200", "5400"]}}},
      {"Effect": "Allow", "Action": "*", "Resource": "*",
       "Condition": {"NumericLessThan": {"AWS:MultiFactorAuthAge": [1800, 900]}}},
      {"Effect": "Deny", "Action": "*", "Resource": "*",
       "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "60"}}}]})",
                                   "p.json");
  ASSERT_TRUE(policy.ok());
  const auto limits = mfa_age_limits(*policy);
  ASSERT_EQ(limits.size(), 2u);
  EXPECT_EQ(limits[0].seconds, 1800);  // the Allow lasts until the largest of its values
  EXPECT_EQ(limits[0].statement->number, 2u);
  EXPECT_EQ(limits[1].seconds, 5400);  // the Deny starts at the smallest
}

}  // namespace
}  // namespace mfaenv
