// IAM condition operators: what a name like "NumericGreaterThanIfExists" means, and which names exist.
// simulate evaluates the String*, Numeric*, Bool and Null families; the other real IAM operators
// (Date*, IpAddress, Arn*, BinaryEquals, ForAllValues:/ForAnyValue:) are recognised but not evaluated.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mfaenv {

enum class OperatorKind {
  kStringEquals,
  kStringNotEquals,
  kStringEqualsIgnoreCase,
  kStringNotEqualsIgnoreCase,
  kStringLike,
  kStringNotLike,
  kNumericEquals,
  kNumericNotEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kBool,
  kNull,
  kNotSimulated,  // a real IAM operator that simulate does not evaluate
  kUnknown,       // IAM has no such operator
};

enum class IfExists { kNo, kYes };

struct ConditionOperator {
  OperatorKind kind = OperatorKind::kUnknown;
  IfExists if_exists = IfExists::kNo;
};

// Operator names are matched exactly, as IAM writes them ("StringEquals", not "stringequals").
// "NullIfExists" is kUnknown: IAM allows IfExists on every operator except Null.
ConditionOperator parse_operator(std::string_view name);

// The negated matching operators: several values are NOR-ed, and a missing key makes them true.
bool is_negated(OperatorKind kind);
bool is_numeric(OperatorKind kind);
bool is_string(OperatorKind kind);

// For an unknown name, the closest real one ("StringEqual" -> "StringEquals"), if any is close.
std::optional<std::string> suggest_operator(std::string_view name);

}  // namespace mfaenv
