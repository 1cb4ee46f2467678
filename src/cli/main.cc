// mfaenv's entry point: declares the commands, parses the command line, runs the chosen command and
// turns its Error, if any, into one line on stderr and the exit code of DESIGN.md §2.
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "cli/command.h"
#include "util/debug_log.h"
#include "util/hardening.h"
#include "util/strings.h"

#ifndef MFAENV_VERSION
#define MFAENV_VERSION "0.0.0"
#endif

namespace mfaenv {

std::string choose_profile(const std::string& argument, const std::string& flag) {
  if (!argument.empty()) return argument;
  if (!flag.empty()) return flag;
  if (auto p = env("AWS_PROFILE"); p && !p->empty()) return *p;
  if (auto p = env("AWS_DEFAULT_PROFILE"); p && !p->empty()) return *p;
  return "default";
}

namespace {
std::vector<std::string> g_trailing;
}  // namespace

const std::vector<std::string>& trailing_arguments() { return g_trailing; }

namespace {

int run(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--") {
      g_trailing.assign(argv + i + 1, argv + argc);
      argc = i;
      break;
    }
  }
  CLI::App app{
      "mfaenv turns long-term AWS keys plus an MFA code into short-lived credentials for shells, "
      "programs and SDKs, and keeps them exactly as long as your IAM policy allows.",
      "mfaenv"};
  app.set_version_flag("--version", "mfaenv " MFAENV_VERSION);
  app.require_subcommand(1);
  // --debug may come before or after the command (`mfaenv --debug env`, `mfaenv env --debug`).
  bool debug_flag = false;
  app.add_flag("--debug", debug_flag, "Say on stderr what mfaenv reads, decides and sends (secrets masked); "
               "also MFAENV_DEBUG=1");
  app.fallthrough();
  app.footer(
      "Profiles come from ~/.aws/config and ~/.aws/credentials (AWS_CONFIG_FILE, "
      "AWS_SHARED_CREDENTIALS_FILE).\nRun 'mfaenv COMMAND --help' for a command's options.");

  CommandAction action;
  add_login_command(app, action);
  add_env_command(app, action);
  add_exec_command(app, action);
  add_serve_command(app, action);
  add_credential_process_command(app, action);
  add_whoami_command(app, action);
  add_status_command(app, action);
  add_logout_command(app, action);
  add_config_command(app, action);
  add_hook_command(app, action);
  add_policy_command(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (argc <= 1) {
      std::fputs(app.help().c_str(), stderr);
      return static_cast<int>(ErrorKind::kUsage);
    }
    fmt::print(stderr, "mfaenv: {}\nRun 'mfaenv --help' for usage.\n", e.what());
    return static_cast<int>(ErrorKind::kUsage);
  }
  if (!action) return 0;
  if (debug_flag || env("MFAENV_DEBUG").value_or("") == "1") set_debug_output(DebugOutput::kStderr);
  Status status = action();
  std::fflush(stdout);
  if (status.ok()) return 0;
  if (!status.error().message.empty()) fmt::print(stderr, "mfaenv: {}\n", status.error().message);
  return status.error().exit_code();
}

}  // namespace
}  // namespace mfaenv

int main(int argc, char** argv) {
  mfaenv::harden_process();
  return mfaenv::run(argc, argv);
}
