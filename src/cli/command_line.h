// The fast command-line parser: reads argv against the command table (command_table.h) without
// building CLI11's tree of every command. It runs first for every command line, so a misspelled
// command or flag gets one line with a suggestion (exit 2) whichever parser runs the command; the
// commands the table marks kFast (the warm path: env, exec, credential-process) are then run
// straight from its result.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/command_table.h"
#include "util/result.h"

namespace mfaenv {

enum class Wants : unsigned char { kRun, kHelp, kVersion };

struct CommandLine {
  const CommandSpec* command = nullptr;  // nullptr: no command given
  Wants wants = Wants::kRun;
  bool debug = false;
  std::vector<std::pair<const FlagSpec*, std::string_view>> flags;  // in order, values as given
  std::vector<std::string_view> positionals;
  std::vector<std::string> trailing;  // the words after the first `--`
  int cli11_argc = 0;                  // argv up to (not including) that `--`, for CLI11

  bool has(std::string_view flag) const;
  std::string value(std::string_view flag, std::string_view fallback = {}) const;  // the last one given
  std::string positional(size_t index) const;
};

// Usage errors (ErrorKind::kUsage) name the wrong word and, when one is close, the right one.
Result<CommandLine> parse_command_line(int argc, const char* const* argv);

// The candidate closest to `word` (edit distance, or a unique prefix), or "" when none is close.
std::string_view closest_word(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace mfaenv
