// The table-driven command-line parser (command_line.h).
#include "cli/command_line.h"

#include "util/edit_distance.h"

#include <algorithm>

namespace mfaenv {

bool CommandLine::has(std::string_view flag) const {
  return std::any_of(flags.begin(), flags.end(), [&](const auto& f) { return f.first->name == flag; });
}

std::string CommandLine::value(std::string_view flag, std::string_view fallback) const {
  for (auto it = flags.rbegin(); it != flags.rend(); ++it) {
    if (it->first->name == flag) return std::string(it->second);
  }
  return std::string(fallback);
}

std::string CommandLine::positional(size_t index) const {
  return index < positionals.size() ? std::string(positionals[index]) : std::string();
}

namespace {


std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  const auto best = closest_word(word, candidates);
  return best.empty() ? std::string() : fmt::format("; did you mean '{}'?", best);
}

std::string command_words(const CommandSpec* command) {
  return command == nullptr ? std::string("mfaenv") : fmt::format("mfaenv {}", command->path);
}

std::vector<std::string_view> flag_names(const CommandSpec* command) {
  std::vector<std::string_view> names;
  if (command != nullptr) {
    for (const auto& flag : command->flags) names.push_back(flag.name);
  }
  for (const auto& flag : global_flags()) {
    if (flag.name != "--version" || command == nullptr) names.push_back(flag.name);
  }
  return names;
}

std::vector<std::string_view> listed_names(std::string_view parent) {
  std::vector<std::string_view> names;
  for (const auto* sub : subcommands_of(parent)) {
    if (sub->visibility == Visibility::kListed) names.push_back(sub->name());
  }
  return names;
}

Error usage(std::string message) { return Error{ErrorKind::kUsage, std::move(message)}; }

// The next word names a (sub)command of `parent` (nullptr: the top level).
Result<const CommandSpec*> lookup_command(const CommandSpec* parent, std::string_view word) {
  const std::string path = parent == nullptr ? std::string(word) : fmt::format("{} {}", parent->path, word);
  if (const auto* found = find_command(path)) return found;
  const auto names = listed_names(parent == nullptr ? std::string_view() : parent->path);
  if (parent == nullptr) {
    const auto hint = did_you_mean(word, names);
    return usage(fmt::format("unknown command '{}'{}", word,
                             hint.empty() ? std::string("; 'mfaenv --help' lists the commands") : hint));
  }
  const auto hint = did_you_mean(word, names);
  return usage(fmt::format("unknown command '{}' for '{}'{}", word, command_words(parent),
                           hint.empty() ? fmt::format("; it has {}", fmt::join(names, ", ")) : hint));
}

Status check_complete(const CommandLine& line) {
  const CommandSpec* command = line.command;
  if (command == nullptr) return usage("no command given; 'mfaenv --help' lists the commands");
  if (has_subcommands(*command)) {
    return usage(fmt::format("'{}' needs a command: {}", command_words(command),
                             fmt::join(listed_names(command->path), ", ")));
  }
  for (size_t i = line.positionals.size(); i < command->positionals.size(); ++i) {
    if (command->positionals[i].occurs == Occurs::kRequired) {
      return usage(fmt::format("'{}' needs {}: {}", command_words(command), command->positionals[i].name,
                               usage_line(*command)));
    }
  }
  for (const auto& flag : command->flags) {
    if (flag.occurs == Occurs::kRequired && !line.has(flag.name)) {
      return usage(fmt::format("'{}' needs {} {}", command_words(command), flag.name, flag.placeholder));
    }
  }
  if (!line.trailing.empty() && command->trailing.empty()) {
    return usage(fmt::format("'{}' runs no command: remove '-- {}'", command_words(command), line.trailing.front()));
  }
  return {};
}

// A word that is neither a flag nor a command's next word.
Error unexpected_argument(const CommandLine& line, std::string_view word, int index, int argc,
                          const char* const* argv) {
  const CommandSpec* command = line.command;
  if (!command->trailing.empty()) {
    // `mfaenv exec alice aws sts get-caller-identity`: show the line as it should have been.
    std::string fixed = "mfaenv";
    for (int i = 1; i < argc; ++i) fixed += fmt::format("{}{}", i == index ? " -- " : " ", argv[i]);
    return usage(fmt::format("put '--' before the command to run: {}", fixed));
  }
  if (command->positionals.empty()) {
    return usage(fmt::format("'{}' takes no argument '{}'; usage: {}", command_words(command), word,
                             usage_line(*command)));
  }
  return usage(fmt::format("'{}' takes {} argument{}, '{}' is one too many; usage: {}", command_words(command),
                           command->positionals.size(), command->positionals.size() == 1 ? "" : "s", word,
                           usage_line(*command)));
}

}  // namespace

std::string_view closest_word(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  size_t best_distance = std::max<size_t>(1, std::min<size_t>(3, word.size() / 3));
  bool found = false;
  for (auto candidate : candidates) {
    const size_t d = edit_distance(word, candidate);
    if (d <= best_distance && (!found || d < best_distance)) {
      best = candidate;
      best_distance = d;
      found = true;
    }
  }
  if (found) return best;
  // `mfaenv cred` → credential-process: a prefix that names one candidate.
  std::string_view prefixed;
  for (auto candidate : candidates) {
    if (word.size() >= 2 && candidate.substr(0, word.size()) == word) {
      if (!prefixed.empty()) return {};
      prefixed = candidate;
    }
  }
  return prefixed;
}

Result<CommandLine> parse_command_line(int argc, const char* const* argv) {
  CommandLine line;
  line.cli11_argc = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--") {
      line.trailing.assign(argv + i + 1, argv + argc);
      line.cli11_argc = i;
      break;
    }
  }
  const int end = line.cli11_argc;
  for (int i = 1; i < end; ++i) {
    const std::string_view word = argv[i];
    if (word == "-h" || word == "--help") {
      line.wants = Wants::kHelp;
      continue;
    }
    // A flag; not "-" (standard input) nor a negative number, which are values.
    if (word.size() > 1 && word[0] == '-' && !(word[1] >= '0' && word[1] <= '9')) {
      const auto equals = word.find('=');
      const std::string_view name = word.substr(0, equals);
      const FlagSpec* flag = find_flag(line.command, name);
      if (flag == nullptr) {
        if (line.wants == Wants::kHelp) continue;  // `mfaenv env --help --whatever`: help wins
        return usage(fmt::format("unknown flag '{}' for '{}'{}", name, command_words(line.command),
                                 did_you_mean(name, flag_names(line.command))));
      }
      std::string_view value;
      if (flag->takes_value()) {
        if (equals != std::string_view::npos) {
          value = word.substr(equals + 1);
        } else if (i + 1 < end) {
          value = argv[++i];
        } else {
          return usage(fmt::format("{} needs a value: {} {}", name, name, flag->placeholder));
        }
        if (flag->occurs != Occurs::kRepeatable && line.has(flag->name)) {
          return usage(fmt::format("{} is given twice; give it once", name));
        }
      } else if (equals != std::string_view::npos) {
        return usage(fmt::format("{} takes no value: write {} alone", name, name));
      }
      if (flag->name == "--debug") line.debug = true;
      if (flag->name == "--version") line.wants = Wants::kVersion;
      line.flags.emplace_back(flag, value);
      continue;
    }
    if (line.command == nullptr || has_subcommands(*line.command)) {
      auto command = lookup_command(line.command, word);
      if (!command) {
        if (line.wants == Wants::kHelp) break;
        return std::move(command).error();
      }
      line.command = *command;
      continue;
    }
    if (line.positionals.size() >= line.command->positionals.size()) {
      if (line.wants == Wants::kHelp) continue;
      return unexpected_argument(line, word, i, argc, argv);
    }
    line.positionals.push_back(word);
  }
  if (line.wants == Wants::kRun) MFAENV_CHECK(check_complete(line));
  return line;
}

}  // namespace mfaenv
