// The checks of `policy check`. Each rule reads the policy model; the MFA-enrolment rule asks the
// evaluator itself, so that NotAction lists and wildcards are judged exactly as `simulate` would.
#include "policy/check.h"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <limits>
#include <tuple>

#include "policy/evaluate.h"
#include "util/strings.h"
#include "util/time.h"
#include "util/shell_word.h"

namespace mfaenv {

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::kNote: return "note";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "note";
}

namespace {

constexpr std::string_view kMfaPresent = "aws:MultiFactorAuthPresent";
constexpr std::string_view kMfaAge = "aws:MultiFactorAuthAge";

bool has_value(const ConditionEntry& entry, std::string_view value) {
  for (const auto& v : entry.values)
    if (iequals(v.value, value)) return true;
  return false;
}

// "service:Action" with wildcards allowed, or "*".
bool is_action_shaped(std::string_view action) {
  if (action == "*") return true;
  const auto colon = action.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == action.size()) return false;
  for (size_t i = 0; i < action.size(); ++i) {
    const auto c = static_cast<unsigned char>(action[i]);
    if (i == colon) continue;
    const bool ok = std::isalnum(c) || c == '*' || c == '?' || (i < colon && c == '-') || (i > colon && c == '_');
    if (!ok) return false;
  }
  return true;
}

std::string action_fix(std::string_view action) {
  std::string guess(action);
  for (const char sep : {'.', '/', ' '}) {
    if (const auto p = guess.find(sep); p != std::string::npos && guess.find(':') == std::string::npos) {
      guess[p] = ':';
      return fmt::format("write it as \"{}\"", guess);
    }
  }
  if (const auto p = guess.find("::"); p != std::string::npos) {
    guess.erase(p, 1);
    return fmt::format("write it as \"{}\"", guess);
  }
  return "write actions as service:Action, e.g. \"s3:GetObject\", \"iam:ListMFADevices\" or \"s3:*\"";
}

std::string seconds_text(long long s) { return s > 0 ? fmt::format("{} s ({})", s, format_duration(Seconds(s))) : fmt::format("{} s", s); }

class Checker {
 public:
  Checker(const Policy& policy, const std::optional<ProfileSessionLimits>& profile) : policy_(policy), profile_(profile) {}

  std::vector<Finding> run() {
    version();
    for (const auto& s : policy_.statements) statement(s);
    enrolment();
    session_length();
    std::stable_sort(findings_.begin(), findings_.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.pos.line, a.pos.column) < std::tie(b.pos.line, b.pos.column);
    });
    return std::move(findings_);
  }

 private:
  void add(std::string_view code, Severity severity, SourcePos pos, std::string message, std::string fix) {
    findings_.push_back(Finding{std::string(code), severity, pos, std::move(message), std::move(fix)});
  }

  void version() {
    if (policy_.version == PolicyVersion::k2012) return;
    bool uses_variables = false;
    for (const auto& s : policy_.statements) {
      for (const auto& r : s.resources) uses_variables = uses_variables || r.value.find("${") != std::string::npos;
      for (const auto& b : s.conditions)
        for (const auto& e : b.entries)
          for (const auto& v : e.values) uses_variables = uses_variables || v.value.find("${") != std::string::npos;
    }
    const SourcePos pos = policy_.version == PolicyVersion::kMissing ? SourcePos{1, 1} : policy_.version_pos;
    if (uses_variables) {
      add("MFA011", Severity::kWarning, pos,
          "the policy uses ${...} variables, but IAM replaces them only in \"Version\": \"2012-10-17\" policies; "
          "here they are plain text and never match",
          "set \"Version\": \"2012-10-17\"");
    } else if (policy_.version == PolicyVersion::kMissing) {
      add("MFA011", Severity::kNote, pos, "the policy has no \"Version\"; IAM then reads it as the 2008-10-17 language",
          "add \"Version\": \"2012-10-17\" as the first element");
    }
  }

  void statement(const Statement& s) {
    for (const auto& a : s.actions) {
      if (!is_action_shaped(a.value))
        add("MFA008", Severity::kError, a.pos,
            fmt::format("\"{}\" in {} is not an action: IAM names actions service:Action, so this never matches", a.value,
                        s.label()),
            action_fix(a.value));
    }
    const ConditionEntry* present = nullptr;
    const ConditionEntry* age = nullptr;
    for (const auto& block : s.conditions) {
      if (block.op.kind == OperatorKind::kUnknown) unknown_operator(block);
      for (const auto& entry : block.entries) {
        if (iequals(entry.key, kMfaPresent)) present = present ? present : &entry;
        if (iequals(entry.key, kMfaAge)) age = age ? age : &entry;
        values(block, entry);
        key_spelling(entry);
        mfa_operator(s, block, entry);
      }
    }
    if (s.effect == Effect::kDeny && present && age) {
      add("MFA001", Severity::kError, s.condition_pos,
          fmt::format("{} tests {} (line {}) and {} (line {}) in one Deny: conditions in a statement are AND-ed, and "
                      "no request both lacks MFA and has an old one, so it never denies either",
                      s.label(), kMfaPresent, present->key_pos.line, kMfaAge, age->key_pos.line),
          "split it into two Deny statements, one with BoolIfExists aws:MultiFactorAuthPresent \"false\" and one with "
          "NumericGreaterThan aws:MultiFactorAuthAge N ('mfaenv policy generate --max-age N' prints both)");
    }
  }

  void unknown_operator(const ConditionBlock& block) {
    std::string fix;
    if (block.op_name == "NullIfExists") {
      fix = "use \"Null\": IAM accepts IfExists on every operator except Null, which already tests for a missing key";
    } else if (const auto suggestion = suggest_operator(block.op_name)) {
      fix = fmt::format("did you mean \"{}\"? Operator names are case-sensitive", *suggestion);
    } else {
      fix = "use one of the String*, Numeric*, Date*, Bool, Binary*, IpAddress, Arn* or Null operators, optionally "
            "with IfExists";
    }
    add("MFA007", Severity::kError, block.op_pos,
        fmt::format("\"{}\" is not an IAM condition operator; IAM rejects the policy", block.op_name), fix);
  }

  void values(const ConditionBlock& block, const ConditionEntry& entry) {
    for (const auto& v : entry.values) {
      if ((block.op.kind == OperatorKind::kBool || block.op.kind == OperatorKind::kNull) &&
          !iequals(v.value, "true") && !iequals(v.value, "false")) {
        add("MFA009", Severity::kError, v.pos,
            fmt::format("{} takes \"true\" or \"false\", so \"{}\" never matches", block.op_name, v.value),
            "write \"true\" or \"false\"");
      }
      if (is_numeric(block.op.kind) && !parse_policy_number(v.value)) {
        add("MFA010", Severity::kError, v.pos,
            fmt::format("{} compares numbers, so \"{}\" never matches", block.op_name, v.value),
            "write a plain number of seconds, e.g. \"3600\" (no units)");
      }
    }
  }

  void key_spelling(const ConditionEntry& entry) {
    if (iequals(entry.key, kMfaPresent) || iequals(entry.key, kMfaAge)) return;
    const std::string lower = to_lower(entry.key);
    const bool unprefixed = lower.find(':') == std::string::npos;
    if (!unprefixed && !starts_with(lower, "aws:")) return;
    if (lower.find("multifactor") == std::string::npos && lower.find("mfa") == std::string::npos) return;
    const std::string_view meant = lower.find("age") != std::string::npos ? kMfaAge : kMfaPresent;
    add("MFA012", Severity::kWarning, entry.key_pos,
        fmt::format("IAM has no condition key \"{}\"; a request never carries it, so this test {}", entry.key,
                    "fails (or, with IfExists or a negated operator, always passes)"),
        fmt::format("did you mean \"{}\"?", meant));
  }

  void mfa_operator(const Statement& s, const ConditionBlock& block, const ConditionEntry& entry) {
    if (!iequals(entry.key, kMfaPresent)) return;
    if (s.effect == Effect::kDeny && block.op.kind == OperatorKind::kBool && block.op.if_exists == IfExists::kNo &&
        has_value(entry, "false")) {
      add("MFA002", Severity::kError, block.op_pos,
          fmt::format("{} denies with Bool {} \"false\", which never matches requests signed with long-term access "
                      "keys: they carry no {} key at all, so they are not denied",
                      s.label(), kMfaPresent, kMfaPresent),
          "use \"BoolIfExists\", which also matches when the key is missing");
    }
    if (s.effect == Effect::kAllow && block.op.kind == OperatorKind::kBool && block.op.if_exists == IfExists::kYes &&
        has_value(entry, "true")) {
      add("MFA003", Severity::kError, block.op_pos,
          fmt::format("{} allows with BoolIfExists {} \"true\", which also matches requests signed with long-term "
                      "access keys (the key is missing, so IfExists passes): they are allowed without MFA",
                      s.label(), kMfaPresent),
          "use \"Bool\", which fails when the key is missing");
    }
  }

  // A deny that stops a user without an MFA device from enrolling one with their own keys.
  void enrolment() {
    struct Probe {
      std::string_view action;
      std::string_view resource;
    };
    const Probe probes[] = {{"iam:CreateVirtualMFADevice", "arn:aws:iam::123456789012:mfa/alice"},
                            {"iam:EnableMFADevice", "arn:aws:iam::123456789012:user/alice"}};
    std::vector<const Statement*> reported;
    for (const auto& probe : probes) {
      Request request{std::string(probe.action), std::string(probe.resource), {}};
      request.context.set("aws:username", "alice");
      auto evaluation = evaluate(policy_, request);
      if (!evaluation.ok()) return;  // operators simulate cannot evaluate: no opinion
      for (const auto& t : evaluation->statements) {
        if (!t.applies || t.statement->effect != Effect::kDeny) continue;
        if (std::find(reported.begin(), reported.end(), t.statement) != reported.end()) continue;
        reported.push_back(t.statement);
        add("MFA006", Severity::kNote, t.statement->action_pos,
            fmt::format("{} also denies {} to requests without MFA, so a user who has no MFA device yet cannot enrol "
                        "one with their own keys (an administrator has to); fine if that is intended",
                        t.statement->label(), probe.action),
            "to let users enrol their own device, deny with \"NotAction\" listing the enrolment actions "
            "('mfaenv policy generate --self-manage' prints them)");
      }
    }
  }

  void session_length() {
    if (!profile_) return;
    const auto limits = mfa_age_limits(policy_);
    if (limits.empty()) return;
    const MfaAgeLimit& limit = limits.front();
    if (!profile_->mfa_max_age) {
      if (limit.seconds < profile_->session_duration)
        add("MFA004", Severity::kWarning, limit.pos,
            fmt::format("the policy denies MFA sessions older than {}, but profile \"{}\" asks for {} sessions and has "
                        "no mfaenv_mfa_max_age: mfaenv would keep using a session AWS already denies",
                        seconds_text(limit.seconds), profile_->profile, seconds_text(profile_->session_duration)),
            fmt::format("run '{}'", suggested_command("policy sync", {profile_->profile, policy_.name})));
    } else if (*profile_->mfa_max_age > limit.seconds) {
      add("MFA005", Severity::kWarning, limit.pos,
          fmt::format("the policy denies MFA sessions older than {}, but profile \"{}\" has mfaenv_mfa_max_age = {}",
                      seconds_text(limit.seconds), profile_->profile, *profile_->mfa_max_age),
          fmt::format("run '{}'", suggested_command("policy sync", {profile_->profile, policy_.name})));
    }
  }

  const Policy& policy_;
  const std::optional<ProfileSessionLimits>& profile_;
  std::vector<Finding> findings_;
};

}  // namespace

std::vector<Finding> check_policy(const Policy& policy, const std::optional<ProfileSessionLimits>& profile) {
  return Checker(policy, profile).run();
}

std::vector<MfaAgeLimit> mfa_age_limits(const Policy& policy) {
  std::vector<MfaAgeLimit> limits;
  for (const auto& s : policy.statements) {
    for (const auto& block : s.conditions) {
      const OperatorKind kind = block.op.kind;
      const bool deny_older = s.effect == Effect::kDeny && (kind == OperatorKind::kNumericGreaterThan ||
                                                            kind == OperatorKind::kNumericGreaterThanEquals);
      const bool allow_younger = s.effect == Effect::kAllow && (kind == OperatorKind::kNumericLessThan ||
                                                                kind == OperatorKind::kNumericLessThanEquals);
      if (!deny_older && !allow_younger) continue;
      for (const auto& entry : block.entries) {
        if (!iequals(entry.key, kMfaAge)) continue;
        // Values are OR-ed: a deny takes effect from the smallest, an allow lasts until the largest.
        std::optional<MfaAgeLimit> best;
        for (const auto& v : entry.values) {
          const auto number = parse_policy_number(v.value);
          if (!number || *number > static_cast<double>(std::numeric_limits<long long>::max() / 2)) continue;
          const auto seconds = static_cast<long long>(std::floor(*number));
          if (!best || (deny_older ? seconds < best->seconds : seconds > best->seconds))
            best = MfaAgeLimit{seconds, v.pos, &s};
        }
        if (best) limits.push_back(*best);
      }
    }
  }
  std::stable_sort(limits.begin(), limits.end(),
                   [](const MfaAgeLimit& a, const MfaAgeLimit& b) { return a.seconds < b.seconds; });
  return limits;
}

}  // namespace mfaenv
