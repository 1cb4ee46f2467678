// Fuzz target: IAM policy documents (src/policy: json_reader, parse_policy, check_policy,
// mfa_age_limits, evaluate). Checks: no crash or hang; errors are kConfigInvalid and name
// NAME:LINE:COL; check's findings come sorted by position; evaluate's decision agrees with its
// deciding statement, for requests built from the policy's own actions, resources and condition
// values with and without MFA.
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "policy/check.h"
#include "policy/evaluate.h"
#include "policy/json_reader.h"
#include "policy/policy.h"

namespace {

using namespace mfaenv;

bool before(SourcePos a, SourcePos b) { return a.line < b.line || (a.line == b.line && a.column < b.column); }

void check_error(const Error& error) {
  FUZZ_CHECK(error.kind == ErrorKind::kConfigInvalid, "a policy error is not kConfigInvalid");
  FUZZ_CHECK(error.message.starts_with("policy.json:"), "a policy error does not name the file");
}

std::vector<Request> requests_for(const Policy& policy) {
  std::vector<std::string> actions = {"sts:GetSessionToken", "s3:GetObject", "iam:CreateVirtualMFADevice"};
  std::vector<std::string> resources = {"*", "arn:aws:iam::123456789012:user/alice"};
  RequestContext from_conditions;
  for (const Statement& s : policy.statements) {
    for (const PolicyString& a : s.actions) actions.push_back(a.value);
    for (const PolicyString& r : s.resources) resources.push_back(r.value);
    for (const ConditionBlock& block : s.conditions) {
      for (const ConditionEntry& entry : block.entries) {
        if (!entry.values.empty()) from_conditions.set(entry.key, entry.values.front().value);
      }
    }
  }
  // A bounded number of requests, so that a policy with many entries costs no more than a small one.
  actions.resize(std::min<size_t>(actions.size(), 6));
  resources.resize(std::min<size_t>(resources.size(), 3));
  std::vector<RequestContext> contexts(4);
  contexts[1].set("aws:MultiFactorAuthPresent", "true");
  contexts[1].set("aws:MultiFactorAuthAge", "0");
  contexts[2].set("aws:MultiFactorAuthPresent", "true");
  contexts[2].set("aws:MultiFactorAuthAge", "100000");
  contexts[3] = from_conditions;
  contexts[3].set("aws:username", "alice");
  std::vector<Request> out;
  for (const std::string& action : actions) {
    for (const std::string& resource : resources) {
      for (const RequestContext& context : contexts) out.push_back(Request{action, resource, context});
    }
  }
  return out;
}

void check_evaluation(const Policy& policy, const Request& request) {
  auto evaluation = evaluate(policy, request);
  if (!evaluation.ok()) {
    FUZZ_CHECK(evaluation.error().message.starts_with("policy.json:"), "an evaluate error does not name the file");
    return;
  }
  const Evaluation& e = *evaluation;
  FUZZ_CHECK(e.statements.size() == policy.statements.size(), "evaluate skipped a statement");
  switch (e.decision) {
    case Decision::kImplicitDeny:
      FUZZ_CHECK(e.deciding == nullptr, "an implicit deny has a deciding statement");
      for (const StatementTrace& t : e.statements) FUZZ_CHECK(!t.applies, "implicit deny, but a statement applies");
      break;
    case Decision::kExplicitDeny:
      FUZZ_CHECK(e.deciding != nullptr && e.deciding->effect == Effect::kDeny, "an explicit deny not made by a Deny");
      break;
    case Decision::kAllowed:
      FUZZ_CHECK(e.deciding != nullptr && e.deciding->effect == Effect::kAllow, "an allow not made by an Allow");
      for (const StatementTrace& t : e.statements) {
        FUZZ_CHECK(!t.applies || t.statement->effect == Effect::kAllow, "allowed, but a Deny applies");
      }
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  if (auto json = parse_json(text, "policy.json"); !json.ok()) check_error(json.error());

  auto policy = parse_policy(text, "policy.json");
  if (!policy.ok()) {
    check_error(policy.error());
    return 0;
  }
  for (const auto& profile : {std::optional<ProfileSessionLimits>(), std::optional(ProfileSessionLimits{"dev", 43200, 3600})}) {
    const std::vector<Finding> findings = check_policy(*policy, profile);
    for (size_t i = 1; i < findings.size(); ++i) {
      FUZZ_CHECK(!before(findings[i].pos, findings[i - 1].pos), "findings are not sorted by position");
    }
    for (const Finding& f : findings) FUZZ_CHECK(f.code.starts_with("MFA"), "a finding without an MFA code");
  }
  const std::vector<MfaAgeLimit> limits = mfa_age_limits(*policy);
  for (size_t i = 1; i < limits.size(); ++i) {
    FUZZ_CHECK(limits[i - 1].seconds <= limits[i].seconds, "MFA age limits are not sorted");
  }
  for (const Request& request : requests_for(*policy)) check_evaluation(*policy, request);
  return 0;
}
