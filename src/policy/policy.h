// The IAM identity-policy model: a parsed policy document whose every element remembers its
// file:line:col. Parsing rejects what IAM itself rejects (wrong types, unknown elements, a missing
// Effect/Action/Resource); mistakes IAM accepts are left to `check` (policy/check.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/condition.h"
#include "policy/json_reader.h"
#include "util/result.h"

namespace mfaenv {

struct PolicyString {
  std::string value;  // numbers keep their literal text, booleans are "true"/"false"
  SourcePos pos;
};

enum class Effect { kAllow, kDeny };
// Action vs NotAction, Resource vs NotResource.
enum class ListMode { kListed, kAllExceptListed };

struct ConditionEntry {  // one key under one operator: "aws:MultiFactorAuthAge": "3600"
  std::string key;
  SourcePos key_pos;
  std::vector<PolicyString> values;
};

struct ConditionBlock {  // one operator: "NumericGreaterThan": { ... }
  std::string op_name;
  SourcePos op_pos;
  ConditionOperator op;
  std::vector<ConditionEntry> entries;
};

struct Statement {
  size_t number = 0;  // 1-based, as messages show it
  SourcePos pos;      // the statement's '{'
  std::optional<PolicyString> sid;
  Effect effect = Effect::kAllow;
  SourcePos effect_pos;
  ListMode action_mode = ListMode::kListed;
  SourcePos action_pos;  // the Action/NotAction key
  std::vector<PolicyString> actions;
  ListMode resource_mode = ListMode::kListed;
  SourcePos resource_pos;
  std::vector<PolicyString> resources;
  SourcePos condition_pos;  // the Condition key; line 0 when there is none
  std::vector<ConditionBlock> conditions;

  // "statement 2 \"DenyStaleMFA\"" for messages.
  std::string label() const;
};

enum class PolicyVersion { kMissing, k2008, k2012 };

struct Policy {
  std::string name;  // the file name used in messages
  PolicyVersion version = PolicyVersion::kMissing;
  SourcePos version_pos;
  std::vector<Statement> statements;

  // "policy.json:12:9"
  std::string where(SourcePos pos) const;
};

// Errors are kConfigInvalid with "NAME:LINE:COL: ..." and say how to fix the document.
Result<Policy> parse_policy(std::string_view text, std::string_view name);

// Reads FILE ("-" is standard input) and parses it.
Result<Policy> load_policy(const std::string& path);

}  // namespace mfaenv
