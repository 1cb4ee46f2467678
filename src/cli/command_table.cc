// Looking things up in the command table, its usage lines, and its JSON dump (docs/cli.md).
#include "cli/command_table.h"

#include <nlohmann/json.hpp>

namespace mfaenv {

const CommandSpec* find_command(std::string_view path) {
  for (const auto& command : command_table()) {
    if (command.path == path) return &command;
  }
  return nullptr;
}

std::vector<const CommandSpec*> subcommands_of(std::string_view parent) {
  std::vector<const CommandSpec*> out;
  for (const auto& command : command_table()) {
    if (command.parent() == parent) out.push_back(&command);
  }
  return out;
}

bool has_subcommands(const CommandSpec& command) {
  for (const auto& other : command_table()) {
    if (other.parent() == command.path) return true;
  }
  return false;
}

const FlagSpec* find_flag(const CommandSpec* command, std::string_view name) {
  if (command != nullptr) {
    for (const auto& flag : command->flags) {
      if (flag.name == name) return &flag;
    }
  }
  for (const auto& flag : global_flags()) {
    if (flag.name == name && (flag.name != "--version" || command == nullptr)) return &flag;
  }
  return nullptr;
}

std::string usage_line(const CommandSpec& command) {
  std::string out = "mfaenv ";
  out += command.path;
  if (has_subcommands(command)) return out + " COMMAND [OPTIONS]";
  for (const auto& positional : command.positionals) {
    const bool optional = positional.occurs == Occurs::kOptional;
    out += optional ? " [" : " ";
    out += positional.name;
    if (optional) out += "]";
  }
  for (const auto& flag : command.flags) {
    if (flag.occurs != Occurs::kRequired) continue;
    out += " ";
    out += flag.name;
    out += " ";
    out += flag.placeholder;
  }
  out += " [OPTIONS]";
  if (!command.trailing.empty()) {
    out += " [-- ";
    out += command.trailing;
    out += "]";
  }
  return out;
}

namespace {

std::string_view completes_name(Completes completes) {
  switch (completes) {
    case Completes::kProfile: return "profile";
    case Completes::kChoice: return "choice";
    case Completes::kFile: return "file";
    case Completes::kCommand: return "command";
    case Completes::kNothing: break;
  }
  return "nothing";
}

std::string_view occurs_name(Occurs occurs) {
  switch (occurs) {
    case Occurs::kRequired: return "required";
    case Occurs::kRepeatable: return "repeatable";
    case Occurs::kOptional: break;
  }
  return "optional";
}

nlohmann::ordered_json strings(std::span<const std::string_view> values) {
  auto out = nlohmann::ordered_json::array();
  for (auto v : values) out.push_back(std::string(v));
  return out;
}

nlohmann::ordered_json flag_json(const FlagSpec& flag) {
  nlohmann::ordered_json out;
  out["name"] = flag.name;
  out["placeholder"] = flag.takes_value() ? nlohmann::ordered_json(flag.placeholder) : nlohmann::ordered_json();
  out["completes"] = completes_name(flag.completes);
  out["choices"] = strings(flag.choices);
  out["default"] = flag.default_value.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(flag.default_value);
  out["occurs"] = occurs_name(flag.occurs);
  out["help"] = flag.help;
  return out;
}

}  // namespace

std::string command_table_json(std::string_view version) {
  nlohmann::ordered_json root;
  root["program"] = "mfaenv";
  root["version"] = version;
  root["global_flags"] = nlohmann::ordered_json::array();
  for (const auto& flag : global_flags()) root["global_flags"].push_back(flag_json(flag));
  root["commands"] = nlohmann::ordered_json::array();
  for (const auto& command : command_table()) {
    nlohmann::ordered_json c;
    c["path"] = command.path;
    c["name"] = command.name();
    c["parent"] = command.parent();
    c["hidden"] = command.visibility == Visibility::kHidden;
    c["fast"] = command.parsing == Parsing::kFast;
    c["summary"] = command.summary;
    c["usage"] = usage_line(command);
    c["subcommands"] = nlohmann::ordered_json::array();
    for (const auto* sub : subcommands_of(command.path)) c["subcommands"].push_back(sub->name());
    c["positionals"] = nlohmann::ordered_json::array();
    for (const auto& p : command.positionals) {
      c["positionals"].push_back({{"name", p.name}, {"completes", completes_name(p.completes)},
                                  {"choices", strings(p.choices)}, {"occurs", occurs_name(p.occurs)},
                                  {"help", p.help}});
    }
    c["flags"] = nlohmann::ordered_json::array();
    for (const auto& flag : command.flags) c["flags"].push_back(flag_json(flag));
    c["trailing"] = command.trailing.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(command.trailing);
    c["examples"] = nlohmann::ordered_json::array();
    for (const auto& e : command.examples) c["examples"].push_back({{"command", e.command}, {"says", e.says}});
    c["notes"] = command.notes;
    root["commands"].push_back(std::move(c));
  }
  return root.dump(2) + "\n";
}

}  // namespace mfaenv
