// IAM's evaluation of one identity policy for one request: an explicit Deny wins, else an Allow,
// else the request is implicitly denied. Returns the decision, the statement that made it and, for
// every statement, why it did or did not apply, so that `simulate` can explain itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/match.h"
#include "policy/policy.h"
#include "util/result.h"

namespace mfaenv {

struct Request {
  std::string action;        // "s3:GetObject"
  std::string resource = "*";  // an ARN; "*" stands for actions that take no resource
  RequestContext context;
};

enum class Decision { kAllowed, kExplicitDeny, kImplicitDeny };
// The names AWS's own simulator uses: "allowed", "explicitDeny", "implicitDeny".
std::string_view decision_name(Decision decision);

struct ConditionTrace {
  const ConditionBlock* block = nullptr;
  const ConditionEntry* entry = nullptr;
  std::optional<std::string> context_value;  // nullopt: the key is absent from the request
  bool matched = false;
  std::string why;  // "request has \"7200\"", "key absent; ...IfExists is true for a missing key"
};

struct StatementTrace {
  const Statement* statement = nullptr;
  bool action_matches = false;
  bool resource_matches = false;
  bool applies = false;                     // action, resource and every condition match
  std::vector<ConditionTrace> conditions;  // filled only when action and resource match
};

struct Evaluation {
  Decision decision = Decision::kImplicitDeny;
  const Statement* deciding = nullptr;  // nullptr for an implicit deny
  std::vector<StatementTrace> statements;
};

// The result points into `policy`, which must outlive it. Fails (naming file:line:col) when a
// statement that matches the action and resource uses an operator simulate does not evaluate.
Result<Evaluation> evaluate(const Policy& policy, const Request& request);

// One condition test against a context, as IAM does it (exposed for tests and `check`).
Result<ConditionTrace> test_condition(const Policy& policy, const ConditionBlock& block, const ConditionEntry& entry,
                                      const RequestContext& context);

// Whether an action name matches a policy's Action entry ("iam:*MFA*" matches "iam:EnableMFADevice").
bool action_matches(std::string_view pattern, std::string_view action);

// A number as IAM's Numeric operators read it ("3600", "-1", "2.5"); nullopt for anything else.
std::optional<double> parse_policy_number(std::string_view text);

}  // namespace mfaenv
