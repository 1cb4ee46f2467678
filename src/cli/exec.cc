// mfaenv exec: runs a command with the profile's session in its environment. execvp replaces
// mfaenv, so no process is left behind and the exit status is the command's. With --server, mfaenv
// stays instead and serves the session on 127.0.0.1 for the command's whole life (src/server).
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "cli/fast_commands.h"
#include "cli/session_context.h"
#include "server/credential_server.h"
#include "util/hardening.h"
#include "util/strings.h"

namespace mfaenv {

namespace {

enum class Nesting { kRefuse, kAllow };
enum class Delivery { kEnvironment, kServer };

struct ExecOptions {
  CredentialOptions credentials;  // PROFILE, --profile, --no-prompt, --no-session
  Nesting nesting = Nesting::kRefuse;
  Delivery delivery = Delivery::kEnvironment;
  std::string min_remaining;
};

Status run_exec(const ExecOptions& options, std::vector<std::string> command) {
  auto ctx = MFAENV_TRY(open_session(choose_profile_name(options.credentials.profile), options.credentials.chain));
  if (auto outer = env("MFAENV_PROFILE"); outer && !outer->empty() && *outer != ctx->profile &&
                                          options.nesting == Nesting::kRefuse) {
    return make_error(ErrorKind::kUsage,
                      "this shell already has the session of profile '{}' (MFAENV_PROFILE); running '{}' inside it "
                      "mixes two identities: exit that shell first, or add --nested if you mean it",
                      *outer, ctx->profile);
  }
  if (command.empty()) {
    const std::string shell = env("SHELL").value_or("");
    command.push_back(shell.empty() ? "/bin/sh" : shell);
  }
  ResolveOptions resolve;
  resolve.prompting = options.credentials.prompting;
  if (!options.min_remaining.empty()) resolve.min_remaining = MFAENV_TRY(parse_min_remaining(*ctx, options.min_remaining));
  auto resolved = MFAENV_TRY(resolve_credentials(*ctx, resolve));
  MFAENV_CHECK(check_min_remaining(*ctx, resolved, resolve.min_remaining));
  if (options.delivery == Delivery::kServer) {
    ResolveOptions refresh;
    refresh.terminal = TerminalPrompt::kForbidden;  // the command owns the terminal from now on
    return serve_command(ServedProfile{*ctx->profiles, *ctx->cache, ctx->chain, *ctx->sts, std::move(resolved), refresh},
                         command);
  }
  const EnvChange change = session_environment(*ctx, resolved);
  for (const auto& name : change.unset) ::unsetenv(name.c_str());
  for (const auto& [name, value] : change.set) ::setenv(name.c_str(), value.c_str(), 1);

  std::vector<char*> argv;
  for (auto& arg : command) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  restore_for_exec();
  ::execvp(argv[0], argv.data());
  const int err = errno;
  // As shells do: 127 when there is no such command, 126 when it exists but cannot be run.
  if (err == ENOENT || err == ENOTDIR)
    return make_error(ErrorKind::kCommandNotFound, "{}: command not found{}", command[0],
                      command[0].find('/') == std::string::npos ? " (not in any folder of PATH)" : "");
  return make_error(ErrorKind::kCommandNotExecutable, "cannot run '{}': {}{}", command[0], std::strerror(err),
                    err == EACCES ? " (is it executable? chmod +x)" : "");
}

}  // namespace

Status exec_command(const CommandLine& line) {
  ExecOptions options;
  options.credentials = credential_options(line);
  if (line.has("--nested")) options.nesting = Nesting::kAllow;
  if (line.has("--server")) options.delivery = Delivery::kServer;
  options.min_remaining = line.value("--min-remaining");
  return run_exec(options, line.trailing);
}

}  // namespace mfaenv
