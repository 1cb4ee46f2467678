// The one description of mfaenv's command line: every command, subcommand, positional and flag,
// with its value placeholder, the values it completes to, its help text and examples. The fast
// parser (command_line.h), CLI11's help, the completion scripts and `mfaenv __command-table --json`
// (which the man pages are checked against) all read it, so they cannot drift apart.
// Adding a command or flag: add it here first; tests/cli fails while CLI11 and the table disagree.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mfaenv {

// What a value completes to in the shells.
enum class Completes : unsigned char { kNothing, kProfile, kChoice, kFile, kCommand };

enum class Occurs : unsigned char { kOptional, kRequired, kRepeatable };

struct FlagSpec {
  std::string_view name;         // "--format"
  std::string_view placeholder;  // "<FORMAT>"; empty for a switch, which takes no value
  Completes completes = Completes::kNothing;
  std::span<const std::string_view> choices = {};  // the documented values (kChoice)
  std::string_view default_value = {};
  Occurs occurs = Occurs::kOptional;
  std::string_view help = {};

  bool takes_value() const { return !placeholder.empty(); }
};

struct PositionalSpec {
  std::string_view name;  // "PROFILE"
  Completes completes = Completes::kNothing;
  std::span<const std::string_view> choices = {};
  Occurs occurs = Occurs::kOptional;
  std::string_view help = {};
};

struct ExampleSpec {
  std::string_view command;  // "mfaenv env alice --format fish | source"
  std::string_view says;     // what it does, one short line
};

// kFast: parsed by command_line.cc and run without building CLI11's command tree (the warm path);
// kCli11: parsed by CLI11. Both are checked against this table.
enum class Parsing : unsigned char { kCli11, kFast };
enum class Visibility : unsigned char { kListed, kHidden };

struct CommandSpec {
  std::string_view path;     // "env", "config get": the words after `mfaenv`
  std::string_view summary;  // one line
  std::span<const PositionalSpec> positionals = {};
  std::span<const FlagSpec> flags = {};
  std::span<const ExampleSpec> examples = {};
  std::string_view trailing = {};  // "COMMAND [ARGS...]" when the command takes `-- COMMAND`
  std::string_view notes = {};     // longer help printed under the options
  Parsing parsing = Parsing::kCli11;
  Visibility visibility = Visibility::kListed;

  std::string_view name() const { return path.substr(path.rfind(' ') + 1); }
  std::string_view parent() const {
    const auto space = path.rfind(' ');
    return space == std::string_view::npos ? std::string_view() : path.substr(0, space);
  }
};

// Every command in help order; a group (`config`, `policy`) comes before its subcommands.
std::span<const CommandSpec> command_table();
// Flags every command takes: --debug, --help (and --version before a command).
std::span<const FlagSpec> global_flags();

const CommandSpec* find_command(std::string_view path);
std::vector<const CommandSpec*> subcommands_of(std::string_view parent);  // "" for the top level
bool has_subcommands(const CommandSpec& command);
const FlagSpec* find_flag(const CommandSpec* command, std::string_view name);  // the command's or a global one

// "mfaenv exec [PROFILE] [OPTIONS] [-- COMMAND [ARGS...]]"
std::string usage_line(const CommandSpec& command);

// The table as JSON (`mfaenv __command-table --json`), shape in docs/cli.md.
std::string command_table_json(std::string_view version);

}  // namespace mfaenv
