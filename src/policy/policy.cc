// From JSON to the policy model, with IAM's own rules for what a policy document may contain.
#include "policy/policy.h"

#include <unistd.h>

#include <array>

#include "util/file.h"
#include "util/printable.h"
#include "util/strings.h"

namespace mfaenv {

std::string Statement::label() const {
  // The Sid goes into messages for people: shown printable and cut short (a policy is untrusted input).
  if (sid && !sid->value.empty()) return fmt::format("statement {} \"{}\"", number, printable(sid->value, 128));
  return fmt::format("statement {}", number);
}

std::string Policy::where(SourcePos pos) const { return fmt::format("{}:{}:{}", name, pos.line, pos.column); }

namespace {

class PolicyReader {
 public:
  explicit PolicyReader(std::string_view name) : name_(name) {}

  Result<Policy> read(const JsonValue& root) {
    Policy policy;
    policy.name = name_;
    if (root.type != JsonValue::Type::kObject)
      return fail(root.pos, "a policy is a JSON object with \"Version\" and \"Statement\", not {}", root.type_name());
    const JsonMember* statements = nullptr;
    for (const auto& m : root.members) {
      if (m.key == "Version") {
        if (m.value.type != JsonValue::Type::kString || (m.value.text != "2012-10-17" && m.value.text != "2008-10-17"))
          return fail(m.value.pos, "\"Version\" must be \"2012-10-17\" (the current policy language) or "
                                   "\"2008-10-17\"; it is a date that names the language, not your policy's date");
        policy.version = m.value.text == "2012-10-17" ? PolicyVersion::k2012 : PolicyVersion::k2008;
        policy.version_pos = m.value.pos;
      } else if (m.key == "Id") {
        if (m.value.type != JsonValue::Type::kString) return fail(m.value.pos, "\"Id\" must be a string");
      } else if (m.key == "Statement") {
        statements = &m;
      } else {
        return unknown_element(m, {"Version", "Id", "Statement"}, "a policy");
      }
    }
    if (statements == nullptr) return fail(root.pos, "the policy has no \"Statement\"");
    const JsonValue& list = statements->value;
    if (list.type == JsonValue::Type::kObject) {
      policy.statements.push_back(MFAENV_TRY(read_statement(list, 1)));
    } else if (list.type == JsonValue::Type::kArray) {
      if (list.items.empty()) return fail(list.pos, "\"Statement\" is an empty list; a policy needs at least one");
      for (const auto& item : list.items)
        policy.statements.push_back(MFAENV_TRY(read_statement(item, policy.statements.size() + 1)));
    } else {
      return fail(list.pos, "\"Statement\" must be an object or a list of objects, not {}", list.type_name());
    }
    return policy;
  }

 private:
  template <typename... Args>
  Error fail(SourcePos at, fmt::format_string<Args...> format, Args&&... args) const {
    return Error{ErrorKind::kConfigInvalid, fmt::format("{}:{}:{}: {}", name_, at.line, at.column,
                                                        fmt::format(format, std::forward<Args>(args)...))};
  }

  Error unknown_element(const JsonMember& m, std::initializer_list<std::string_view> known, std::string_view where) {
    for (const auto k : known) {
      if (iequals(k, m.key))
        return fail(m.key_pos, "\"{}\" must be written \"{}\": policy element names are case-sensitive", m.key, k);
    }
    if (m.key == "Principal" || m.key == "NotPrincipal")
      return fail(m.key_pos, "\"{}\" belongs in resource-based policies (bucket, key or trust policies); a policy "
                             "attached to a user, group or role has none", m.key);
    std::string list;
    for (const auto k : known) list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", k);
    return fail(m.key_pos, "unknown element \"{}\" in {}; IAM accepts {}", m.key, where, list);
  }

  // A string, or a non-empty list of strings.
  Result<std::vector<PolicyString>> string_list(const JsonMember& m) {
    std::vector<PolicyString> out;
    if (m.value.type == JsonValue::Type::kString) {
      out.push_back({m.value.text, m.value.pos});
      return out;
    }
    if (m.value.type != JsonValue::Type::kArray)
      return fail(m.value.pos, "\"{}\" must be a string or a list of strings, not {}", m.key, m.value.type_name());
    if (m.value.items.empty()) return fail(m.value.pos, "\"{}\" is an empty list", m.key);
    for (const auto& item : m.value.items) {
      if (item.type != JsonValue::Type::kString)
        return fail(item.pos, "\"{}\" entries must be strings, not {}", m.key, item.type_name());
      out.push_back({item.text, item.pos});
    }
    return out;
  }

  // Condition values: strings, numbers or booleans, alone or in a non-empty list.
  Result<PolicyString> condition_scalar(const JsonValue& v, const std::string& key) {
    switch (v.type) {
      case JsonValue::Type::kString:
      case JsonValue::Type::kNumber:
        return PolicyString{v.text, v.pos};
      case JsonValue::Type::kBool:
        return PolicyString{v.boolean ? "true" : "false", v.pos};
      default:
        return fail(v.pos, "the value of condition key \"{}\" must be a string, number or boolean, not {}", key,
                    v.type_name());
    }
  }

  Result<std::vector<ConditionBlock>> conditions(const JsonMember& m) {
    std::vector<ConditionBlock> blocks;
    if (m.value.type != JsonValue::Type::kObject)
      return fail(m.value.pos, "\"Condition\" must be an object of operators, like {{\"Bool\": {{\"aws:SecureTransport\": "
                               "\"true\"}}}}, not {}", m.value.type_name());
    for (const auto& op : m.value.members) {
      ConditionBlock block{op.key, op.key_pos, parse_operator(op.key), {}};
      if (op.value.type != JsonValue::Type::kObject)
        return fail(op.value.pos, "operator \"{}\" must map condition keys to values, like {{\"aws:MultiFactorAuthAge\": "
                                  "\"3600\"}}, not {}", op.key, op.value.type_name());
      if (op.value.members.empty()) return fail(op.value.pos, "operator \"{}\" has no condition keys", op.key);
      for (const auto& entry : op.value.members) {
        ConditionEntry e{entry.key, entry.key_pos, {}};
        if (entry.value.type == JsonValue::Type::kArray) {
          if (entry.value.items.empty())
            return fail(entry.value.pos, "condition key \"{}\" has an empty list of values", entry.key);
          for (const auto& item : entry.value.items) e.values.push_back(MFAENV_TRY(condition_scalar(item, entry.key)));
        } else {
          e.values.push_back(MFAENV_TRY(condition_scalar(entry.value, entry.key)));
        }
        block.entries.push_back(std::move(e));
      }
      blocks.push_back(std::move(block));
    }
    return blocks;
  }

  Result<Statement> read_statement(const JsonValue& v, size_t number) {
    if (v.type != JsonValue::Type::kObject)
      return fail(v.pos, "each statement must be an object, not {}", v.type_name());
    Statement s;
    s.number = number;
    s.pos = v.pos;
    const JsonMember* effect = nullptr;
    const JsonMember* action = nullptr;
    const JsonMember* resource = nullptr;
    for (const auto& m : v.members) {
      if (m.key == "Sid") {
        if (m.value.type != JsonValue::Type::kString) return fail(m.value.pos, "\"Sid\" must be a string");
        s.sid = PolicyString{m.value.text, m.value.pos};
      } else if (m.key == "Effect") {
        effect = &m;
      } else if (m.key == "Action" || m.key == "NotAction") {
        if (action != nullptr)
          return fail(m.key_pos, "a statement has either \"Action\" or \"NotAction\", not both (the other is at "
                                 "line {}, column {})", action->key_pos.line, action->key_pos.column);
        action = &m;
      } else if (m.key == "Resource" || m.key == "NotResource") {
        if (resource != nullptr)
          return fail(m.key_pos, "a statement has either \"Resource\" or \"NotResource\", not both (the other is at "
                                 "line {}, column {})", resource->key_pos.line, resource->key_pos.column);
        resource = &m;
      } else if (m.key == "Condition") {
        s.condition_pos = m.key_pos;
        s.conditions = MFAENV_TRY(conditions(m));
      } else {
        return unknown_element(m, {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"},
                               "a statement");
      }
    }
    if (effect == nullptr) return fail(v.pos, "statement {} has no \"Effect\"; add \"Effect\": \"Deny\" or \"Allow\"", number);
    if (effect->value.type != JsonValue::Type::kString ||
        (effect->value.text != "Allow" && effect->value.text != "Deny")) {
      return fail(effect->value.pos, "\"Effect\" must be \"Allow\" or \"Deny\" (exactly so written){}",
                  effect->value.type == JsonValue::Type::kString &&
                          (iequals(effect->value.text, "allow") || iequals(effect->value.text, "deny"))
                      ? "; IAM rejects other spellings"
                      : "");
    }
    s.effect = effect->value.text == "Allow" ? Effect::kAllow : Effect::kDeny;
    s.effect_pos = effect->value.pos;
    if (action == nullptr) return fail(v.pos, "statement {} has no \"Action\" or \"NotAction\"", number);
    s.action_mode = action->key == "Action" ? ListMode::kListed : ListMode::kAllExceptListed;
    s.action_pos = action->key_pos;
    s.actions = MFAENV_TRY(string_list(*action));
    if (resource == nullptr)
      return fail(v.pos, "statement {} has no \"Resource\" or \"NotResource\"; use \"Resource\": \"*\" for every "
                         "resource", number);
    s.resource_mode = resource->key == "Resource" ? ListMode::kListed : ListMode::kAllExceptListed;
    s.resource_pos = resource->key_pos;
    s.resources = MFAENV_TRY(string_list(*resource));
    return s;
  }

  std::string name_;
};

}  // namespace

Result<Policy> parse_policy(std::string_view text, std::string_view name) {
  const JsonValue root = MFAENV_TRY(parse_json(text, name));
  return PolicyReader(name).read(root);
}

Result<Policy> load_policy(const std::string& path) {
  std::string text;
  if (path == "-") {
    std::array<char, 65536> buffer;
    ssize_t n;
    while ((n = ::read(STDIN_FILENO, buffer.data(), buffer.size())) > 0) {
      text.append(buffer.data(), static_cast<size_t>(n));
      if (text.size() > (1u << 20)) return make_error(ErrorKind::kConfigInvalid, "<stdin>: policy larger than 1 MiB");
    }
    if (n < 0) return make_error(ErrorKind::kConfigInvalid, "cannot read the policy from standard input");
    return parse_policy(text, "<stdin>");
  }
  auto content = read_file(path, Symlinks::kFollow, 1u << 20);
  if (!content.ok())
    return make_error(ErrorKind::kConfigInvalid, "cannot read the policy: {}", content.error().message);
  if (!content->has_value())
    return make_error(ErrorKind::kConfigInvalid, "cannot read the policy: {} does not exist", path);
  return parse_policy(**content, path);
}

}  // namespace mfaenv
