// Policy evaluation, following the IAM documentation's condition rules: several values of one key
// are OR-ed (NOR-ed for negated operators), several keys and operators are AND-ed; a key missing
// from the request fails every test except ...IfExists (true), Null, and the negated operators
// (true: "not equal to any of these" holds for a value that is not there).
#include "policy/evaluate.h"

#include <charconv>
#include <cmath>

#include "util/strings.h"

namespace mfaenv {

std::string_view decision_name(Decision decision) {
  switch (decision) {
    case Decision::kAllowed: return "allowed";
    case Decision::kExplicitDeny: return "explicitDeny";
    case Decision::kImplicitDeny: return "implicitDeny";
  }
  return "implicitDeny";
}

std::optional<double> parse_policy_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') {  // "+5" reads as 5
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return std::nullopt;
  }
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool action_matches(std::string_view pattern, std::string_view action) {
  return wildcard_match(pattern, action, CaseRule::kInsensitive);
}

namespace {

std::optional<bool> parse_bool(std::string_view text) {
  if (iequals(text, "true")) return true;
  if (iequals(text, "false")) return false;
  return std::nullopt;
}

// The non-negated form of an operator: StringNotLike -> StringLike.
OperatorKind positive_of(OperatorKind kind) {
  switch (kind) {
    case OperatorKind::kStringNotEquals: return OperatorKind::kStringEquals;
    case OperatorKind::kStringNotEqualsIgnoreCase: return OperatorKind::kStringEqualsIgnoreCase;
    case OperatorKind::kStringNotLike: return OperatorKind::kStringLike;
    case OperatorKind::kNumericNotEquals: return OperatorKind::kNumericEquals;
    default: return kind;
  }
}

// Does one policy value match the context value under a non-negated operator?
bool value_matches(OperatorKind kind, const std::string& policy_value, const std::string& actual,
                   const RequestContext& context, Variables variables) {
  if (is_string(kind)) {
    const auto pattern = expand_variables(policy_value, context, variables);
    if (!pattern) return false;  // names a key the request lacks
    switch (kind) {
      case OperatorKind::kStringEquals: return pattern->text == actual;
      case OperatorKind::kStringEqualsIgnoreCase: return iequals(pattern->text, actual);
      case OperatorKind::kStringLike: return wildcard_match(*pattern, actual, CaseRule::kSensitive);
      default: return false;
    }
  }
  if (is_numeric(kind)) {
    const auto want = parse_policy_number(policy_value);
    const auto have = parse_policy_number(actual);
    if (!want || !have) return false;
    switch (kind) {
      case OperatorKind::kNumericEquals: return *have == *want;
      case OperatorKind::kNumericLessThan: return *have < *want;
      case OperatorKind::kNumericLessThanEquals: return *have <= *want;
      case OperatorKind::kNumericGreaterThan: return *have > *want;
      case OperatorKind::kNumericGreaterThanEquals: return *have >= *want;
      default: return false;
    }
  }
  if (kind == OperatorKind::kBool) {
    const auto want = parse_bool(policy_value);
    const auto have = parse_bool(actual);
    return want && have && *want == *have;
  }
  return false;
}

}  // namespace

Result<ConditionTrace> test_condition(const Policy& policy, const ConditionBlock& block, const ConditionEntry& entry,
                                      const RequestContext& context) {
  const OperatorKind kind = block.op.kind;
  if (kind == OperatorKind::kUnknown)
    return make_error(ErrorKind::kConfigInvalid, "{}: \"{}\" is not an IAM condition operator (run 'mfaenv policy check' "
                      "for a suggestion)", policy.where(block.op_pos), block.op_name);
  if (kind == OperatorKind::kNotSimulated)
    return make_error(ErrorKind::kGeneric, "{}: simulate does not evaluate condition operator \"{}\"; it evaluates "
                      "String*, Numeric*, Bool and Null (each with IfExists)", policy.where(block.op_pos), block.op_name);

  ConditionTrace trace;
  trace.block = &block;
  trace.entry = &entry;
  const std::string* actual = context.find(entry.key);
  if (actual) trace.context_value = *actual;

  if (kind == OperatorKind::kNull) {
    // "Null": "true" means "the key is absent", "false" means "present"; several values OR-ed.
    for (const auto& v : entry.values) {
      const auto want_absent = parse_bool(v.value);
      if (want_absent && *want_absent == (actual == nullptr)) trace.matched = true;
    }
    trace.why = actual ? "key present" : "key absent";
    return trace;
  }

  if (actual == nullptr) {
    if (block.op.if_exists == IfExists::kYes) {
      trace.matched = true;
      trace.why = "key absent; ...IfExists is true for a missing key";
    } else if (is_negated(kind)) {
      trace.matched = true;
      trace.why = "key absent; negated operators are true for a missing key";
    } else {
      trace.matched = false;
      trace.why = "key absent; the test fails";
    }
    return trace;
  }

  if (is_numeric(kind) && !parse_policy_number(*actual)) {
    // A value of the wrong type satisfies no Numeric operator, negated ones included.
    trace.matched = false;
    trace.why = fmt::format("request has \"{}\", not a number", *actual);
    return trace;
  }
  const Variables variables = policy.version == PolicyVersion::k2012 ? Variables::kExpand : Variables::kLiteral;
  const OperatorKind positive = positive_of(kind);
  bool any = false;
  for (const auto& v : entry.values) any = any || value_matches(positive, v.value, *actual, context, variables);
  trace.matched = is_negated(kind) ? !any : any;
  trace.why = fmt::format("request has \"{}\"", *actual);
  return trace;
}

Result<Evaluation> evaluate(const Policy& policy, const Request& request) {
  Evaluation result;
  const Variables variables = policy.version == PolicyVersion::k2012 ? Variables::kExpand : Variables::kLiteral;
  for (const auto& statement : policy.statements) {
    StatementTrace trace;
    trace.statement = &statement;

    bool listed = false;
    for (const auto& a : statement.actions) listed = listed || action_matches(a.value, request.action);
    trace.action_matches = statement.action_mode == ListMode::kListed ? listed : !listed;

    listed = false;
    for (const auto& r : statement.resources) {
      const auto pattern = expand_variables(r.value, request.context, variables);
      listed = listed || (pattern && wildcard_match(*pattern, request.resource, CaseRule::kSensitive));
    }
    trace.resource_matches = statement.resource_mode == ListMode::kListed ? listed : !listed;

    if (trace.action_matches && trace.resource_matches) {
      bool all = true;
      for (const auto& block : statement.conditions) {
        for (const auto& entry : block.entries) {
          auto condition = MFAENV_TRY(test_condition(policy, block, entry, request.context));
          all = all && condition.matched;
          trace.conditions.push_back(std::move(condition));
        }
      }
      trace.applies = all;
    }
    result.statements.push_back(std::move(trace));
  }
  for (const auto& t : result.statements) {
    if (t.applies && t.statement->effect == Effect::kDeny) {
      result.decision = Decision::kExplicitDeny;
      result.deciding = t.statement;
      return result;
    }
  }
  for (const auto& t : result.statements) {
    if (t.applies && t.statement->effect == Effect::kAllow) {
      result.decision = Decision::kAllowed;
      result.deciding = t.statement;
      return result;
    }
  }
  return result;
}

}  // namespace mfaenv
