// The table of IAM condition operator names.
#include "policy/condition.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "util/strings.h"

namespace mfaenv {
namespace {

struct NamedOperator {
  std::string_view name;
  OperatorKind kind;
};

constexpr std::array kSimulated = {
    NamedOperator{"StringEquals", OperatorKind::kStringEquals},
    NamedOperator{"StringNotEquals", OperatorKind::kStringNotEquals},
    NamedOperator{"StringEqualsIgnoreCase", OperatorKind::kStringEqualsIgnoreCase},
    NamedOperator{"StringNotEqualsIgnoreCase", OperatorKind::kStringNotEqualsIgnoreCase},
    NamedOperator{"StringLike", OperatorKind::kStringLike},
    NamedOperator{"StringNotLike", OperatorKind::kStringNotLike},
    NamedOperator{"NumericEquals", OperatorKind::kNumericEquals},
    NamedOperator{"NumericNotEquals", OperatorKind::kNumericNotEquals},
    NamedOperator{"NumericLessThan", OperatorKind::kNumericLessThan},
    NamedOperator{"NumericLessThanEquals", OperatorKind::kNumericLessThanEquals},
    NamedOperator{"NumericGreaterThan", OperatorKind::kNumericGreaterThan},
    NamedOperator{"NumericGreaterThanEquals", OperatorKind::kNumericGreaterThanEquals},
    NamedOperator{"Bool", OperatorKind::kBool},
};

constexpr std::array<std::string_view, 13> kNotSimulated = {
    "DateEquals",  "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
    "DateGreaterThanEquals", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnNotEquals",
    "ArnLike",     "ArnNotLike"};

constexpr std::string_view kIfExists = "IfExists";

// Every name IAM accepts, for suggestions.
std::vector<std::string> all_names() {
  std::vector<std::string> names;
  for (const auto& op : kSimulated) {
    names.emplace_back(op.name);
    names.push_back(std::string(op.name) + std::string(kIfExists));
  }
  for (const auto name : kNotSimulated) {
    names.emplace_back(name);
    names.push_back(std::string(name) + std::string(kIfExists));
  }
  names.emplace_back("Null");
  return names;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const size_t cost = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                  std::tolower(static_cast<unsigned char>(b[j - 1]))
                              ? 0
                              : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

ConditionOperator parse_operator(std::string_view name) {
  std::string_view base = name;
  // Set qualifiers apply to multi-valued keys, which simulate does not model.
  for (const std::string_view prefix : {std::string_view("ForAllValues:"), std::string_view("ForAnyValue:")}) {
    if (starts_with(name, prefix)) {
      const auto inner = parse_operator(name.substr(prefix.size()));
      if (inner.kind == OperatorKind::kUnknown || inner.kind == OperatorKind::kNull) return {};
      return {OperatorKind::kNotSimulated, inner.if_exists};
    }
  }
  IfExists if_exists = IfExists::kNo;
  if (base.size() > kIfExists.size() && base.substr(base.size() - kIfExists.size()) == kIfExists) {
    base.remove_suffix(kIfExists.size());
    if_exists = IfExists::kYes;
  }
  for (const auto& op : kSimulated)
    if (op.name == base) return {op.kind, if_exists};
  for (const auto n : kNotSimulated)
    if (n == base) return {OperatorKind::kNotSimulated, if_exists};
  if (base == "Null" && if_exists == IfExists::kNo) return {OperatorKind::kNull, IfExists::kNo};
  return {};
}

bool is_negated(OperatorKind kind) {
  return kind == OperatorKind::kStringNotEquals || kind == OperatorKind::kStringNotEqualsIgnoreCase ||
         kind == OperatorKind::kStringNotLike || kind == OperatorKind::kNumericNotEquals;
}

bool is_numeric(OperatorKind kind) {
  return kind >= OperatorKind::kNumericEquals && kind <= OperatorKind::kNumericGreaterThanEquals;
}

bool is_string(OperatorKind kind) {
  return kind >= OperatorKind::kStringEquals && kind <= OperatorKind::kStringNotLike;
}

std::optional<std::string> suggest_operator(std::string_view name) {
  std::string_view bare = name;
  std::string prefix;
  if (const auto colon = name.find(':'); colon != std::string_view::npos) {
    prefix = std::string(name.substr(0, colon + 1));
    bare = name.substr(colon + 1);
    if (iequals(prefix, "ForAllValues:")) prefix = "ForAllValues:";
    else if (iequals(prefix, "ForAnyValue:")) prefix = "ForAnyValue:";
  }
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(3, bare.size() / 4) + 1;
  for (const auto& candidate : all_names()) {
    const size_t d = edit_distance(bare, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = prefix + candidate;
    }
  }
  if (best && *best == name) return std::nullopt;
  return best;
}

}  // namespace mfaenv
