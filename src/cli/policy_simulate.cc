// mfaenv policy simulate FILE --action A [...]: IAM's decision for one request, the statement that
// made it, and why every statement that names the action did or did not apply. Exit 0 whatever the
// decision (like 'aws iam simulate-custom-policy'): scripts read it from --json.
#include <cstdio>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/policy_commands.h"
#include "policy/evaluate.h"
#include "util/strings.h"
#include "util/time.h"

namespace mfaenv {
namespace {

struct SimulateOptions {
  std::string file;
  std::string action;
  std::string resource = "*";
  std::string mfa;  // present | absent | false; empty: absent, or present when --mfa-age is given
  std::string mfa_age;
  std::vector<std::string> context;
  bool json = false;
};

Result<Request> build_request(const SimulateOptions& options) {
  Request request;
  request.action = options.action;
  request.resource = options.resource;
  std::string mfa = options.mfa;
  if (mfa.empty()) mfa = options.mfa_age.empty() ? "absent" : "present";
  if (!options.mfa_age.empty() && mfa != "present")
    return make_error(ErrorKind::kUsage, "--mfa-age needs --mfa present: with --mfa {} the request has no MFA age", mfa);
  if (mfa == "present") {
    long long age = 0;
    if (!options.mfa_age.empty()) {
      if (const auto n = parse_int(options.mfa_age); n && *n >= 0) {
        age = *n;
      } else {
        auto d = parse_duration(options.mfa_age);
        if (!d.ok()) return make_error(ErrorKind::kUsage, "--mfa-age: {}", d.error().message);
        age = d->count();
      }
    }
    request.context.set("aws:MultiFactorAuthPresent", "true");
    request.context.set("aws:MultiFactorAuthAge", std::to_string(age));
  } else if (mfa == "false") {
    request.context.set("aws:MultiFactorAuthPresent", "false");
  }
  std::vector<std::string> seen;
  for (const auto& item : options.context) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return make_error(ErrorKind::kUsage, "--context '{}': write KEY=VALUE, e.g. aws:username=alice", item);
    const std::string key = item.substr(0, eq);
    for (const auto& s : seen)
      if (iequals(s, key))
        return make_error(ErrorKind::kUsage, "--context {} given twice; simulate supports one value per key", key);
    seen.push_back(key);
    request.context.erase(key);  // --context wins over what --mfa put there
    request.context.set(key, item.substr(eq + 1));
  }
  return request;
}

std::string statement_heading(const Policy& policy, const Statement& s) {
  return fmt::format("{} ({}, {})", s.label(), s.effect == Effect::kDeny ? "Deny" : "Allow", policy.where(s.pos));
}

std::string not_applying_reason(const StatementTrace& t, const Request& request) {
  const Statement& s = *t.statement;
  if (!t.action_matches)
    return s.action_mode == ListMode::kListed ? fmt::format("{} is not in its Action", request.action)
                                              : fmt::format("{} is listed in its NotAction", request.action);
  if (!t.resource_matches)
    return s.resource_mode == ListMode::kListed ? fmt::format("resource {} is not in its Resource", request.resource)
                                                : fmt::format("resource {} is listed in its NotResource", request.resource);
  return "a condition does not match";
}

constexpr std::string_view kGetSessionTokenNote =
    "AWS does not apply IAM policies to sts:GetSessionToken (an authentication call): it succeeds whatever "
    "the policy says";

void print_text(const Policy& policy, const Request& request, const Evaluation& evaluation) {
  const std::string what = fmt::format("{} on {}", request.action, request.resource);
  if (evaluation.deciding) {
    fmt::print("{}: {} {} {} ({})\n", decision_name(evaluation.decision), evaluation.deciding->label(),
               evaluation.decision == Decision::kAllowed ? "allows" : "denies", what,
               policy.where(evaluation.deciding->pos));
  } else {
    fmt::print("implicitDeny: no statement allows {}\n", what);
  }
  std::string context;
  for (const auto& [k, v] : request.context.entries()) context += fmt::format("{}{}={}", context.empty() ? "" : ", ", k, v);
  fmt::print("request: action {}, resource {}, context: {}\n", request.action, request.resource,
             context.empty() ? "none (long-term keys, no MFA)" : context);
  for (const auto& t : evaluation.statements) {
    const bool named = t.action_matches && t.resource_matches;
    fmt::print("  {}: {}\n", statement_heading(policy, *t.statement),
               t.applies ? "applies" : "does not apply: " + not_applying_reason(t, request));
    if (!named) continue;
    for (const auto& c : t.conditions) {
      std::string values;
      for (const auto& v : c.entry->values) values += fmt::format("{}\"{}\"", values.empty() ? "" : ", ", v.value);
      if (c.entry->values.size() > 1) values = "[" + values + "]";
      fmt::print("    {} {} {}: {} -> {}\n", c.block->op_name, c.entry->key, values, c.why,
                 c.matched ? "true" : "false");
    }
  }
  if (iequals(request.action, "sts:GetSessionToken")) fmt::print("note: {}\n", kGetSessionTokenNote);
}

void print_json(const Policy& policy, const Request& request, const Evaluation& evaluation) {
  using Json = nlohmann::ordered_json;
  auto position = [&](const Statement& s) {
    Json j;
    j["number"] = s.number;
    j["sid"] = s.sid ? Json(s.sid->value) : Json(nullptr);
    j["effect"] = s.effect == Effect::kDeny ? "Deny" : "Allow";
    j["file"] = policy.name;
    j["line"] = s.pos.line;
    j["column"] = s.pos.column;
    return j;
  };
  Json out;
  out["decision"] = std::string(decision_name(evaluation.decision));
  out["statement"] = evaluation.deciding ? position(*evaluation.deciding) : Json(nullptr);
  Json context = Json::object();
  for (const auto& [k, v] : request.context.entries()) context[k] = v;
  out["request"] = {{"action", request.action}, {"resource", request.resource}, {"context", context}};
  out["statements"] = Json::array();
  for (const auto& t : evaluation.statements) {
    Json s = position(*t.statement);
    s["action_matches"] = t.action_matches;
    s["resource_matches"] = t.resource_matches;
    s["applies"] = t.applies;
    s["conditions"] = Json::array();
    for (const auto& c : t.conditions) {
      Json values = Json::array();
      for (const auto& v : c.entry->values) values.push_back(v.value);
      s["conditions"].push_back({{"operator", c.block->op_name},
                                 {"key", c.entry->key},
                                 {"values", values},
                                 {"context_value", c.context_value ? Json(*c.context_value) : Json(nullptr)},
                                 {"matched", c.matched},
                                 {"why", c.why},
                                 {"line", c.entry->key_pos.line},
                                 {"column", c.entry->key_pos.column}});
    }
    out["statements"].push_back(std::move(s));
  }
  if (iequals(request.action, "sts:GetSessionToken")) out["note"] = std::string(kGetSessionTokenNote);
  fmt::print("{}\n", out.dump(2));
}

Status run_simulate(const SimulateOptions& options) {
  const Request request = MFAENV_TRY(build_request(options));
  const Policy policy = MFAENV_TRY(load_policy(options.file));
  const Evaluation evaluation = MFAENV_TRY(evaluate(policy, request));
  if (options.json) print_json(policy, request, evaluation);
  else print_text(policy, request, evaluation);
  return {};
}

}  // namespace

void add_policy_simulate(CLI::App& policy, CommandAction& run) {
  auto options = std::make_shared<SimulateOptions>();
  auto* cmd = policy.add_subcommand("simulate");
  cmd->add_option("FILE", options->file)->required();
  cmd->add_option("--action", options->action)->required();
  cmd->add_option("--resource", options->resource);
  cmd->add_option("--mfa", options->mfa)
      ->check(CLI::IsMember({"present", "absent", "false"}));
  cmd->add_option("--mfa-age", options->mfa_age);
  cmd->add_option("--context", options->context)
      ->allow_extra_args(false);
  cmd->add_flag("--json", options->json);
  cmd->callback([options, &run] { run = [options] { return run_simulate(*options); }; });
}

}  // namespace mfaenv
