// From argv to a finished command: the fast parser reads every command line first (so every
// mistake gets the same one-line message with a suggestion); the warm-path commands then run
// straight away, everything else (and every --help) goes through CLI11's command tree.
#include "cli/run.h"

#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/command_line.h"
#include "util/debug_log.h"
#include "util/strings.h"
#include "util/warnings.h"

namespace mfaenv {

Status run_fast_command(const CommandLine& line) {
  const std::string_view path = line.command->path;
  if (path == "env") return env_command(line);
  if (path == "credential-process") return credential_process_command(line);
  if (path == "exec") return exec_command(line);
  if (path == "__complete-profiles") return complete_profiles_command(line);
  if (path == "__command-table") return command_table_command(line);
  return make_error(ErrorKind::kGeneric, "internal error: '{}' is marked fast but has no fast entry", path);
}

namespace {

// The terminal end of util/warnings.h: library code says what people should read, the CLI prints it.
class StderrSink : public WarningSink {
 public:
  void notice(NoticeLevel level, std::string_view message) override {
    fmt::print(stderr, "mfaenv: {}{}\n", level == NoticeLevel::kWarning ? "warning: " : "", message);
  }
};

// Help, --version and the commands CLI11 parses. CLI11's own messages are left for what the fast
// parser cannot see (a value of the wrong type).
Status run_with_cli11(const CommandLine& line, int argc, char** argv) {
  static const std::ios_base::Init streams;  // std::cout for CLI11's help: see cli/cli11.h
  CommandAction action;
  auto app = build_app(action);
  try {
    app->parse(line.cli11_argc, argv);
  } catch (const CLI::CallForHelp& e) {
    app->exit(e);
    return {};
  } catch (const CLI::CallForAllHelp& e) {
    app->exit(e);
    return {};
  } catch (const CLI::CallForVersion& e) {
    app->exit(e);
    return {};
  } catch (const CLI::ParseError& e) {
    if (argc <= 1) {
      std::fputs(app->help().c_str(), stderr);
      return Error{ErrorKind::kUsage, ""};
    }
    const std::string command = line.command != nullptr ? fmt::format(" {}", line.command->path) : "";
    return make_error(ErrorKind::kUsage, "{} ('mfaenv{} --help' shows the usage)", e.what(), command);
  }
  if (!action) return {};
  return action();
}

}  // namespace

Status run_command_line(int argc, char** argv) {
  static StderrSink sink;
  set_warning_sink(&sink);
  auto line = parse_command_line(argc, argv);
  if (!line) {
    if (argc > 1) return std::move(line).error();
    CommandLine empty;
    empty.cli11_argc = argc;
    return run_with_cli11(empty, argc, argv);  // `mfaenv` alone: the help, on stderr, exit 2
  }
  if (line->debug || env("MFAENV_DEBUG").value_or("") == "1") set_debug_output(DebugOutput::kStderr);
  if (line->wants == Wants::kRun && line->command->parsing == Parsing::kFast) return run_fast_command(*line);
  return run_with_cli11(*line, argc, argv);
}

}  // namespace mfaenv
