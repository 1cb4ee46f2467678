// mfaenv serve: the credential server of `exec --server` on its own: prints the variables a program
// needs (AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN) and serves the
// profile's session on 127.0.0.1 until interrupted (docs/server.md).
#include "cli/command.h"
#include "cli/session_context.h"
#include "server/credential_server.h"

namespace mfaenv {

namespace {

struct ServeOptions {
  std::string profile_argument;
  std::string profile_flag;
  std::string format = "sh";
  std::string min_remaining;
};

Status run_serve(const ServeOptions& options) {
  const EnvFormat format = MFAENV_TRY(parse_env_format(options.format));
  auto ctx = MFAENV_TRY(open_session(options.profile_argument, options.profile_flag));
  ResolveOptions resolve;
  if (!options.min_remaining.empty()) resolve.min_remaining = MFAENV_TRY(parse_min_remaining(*ctx, options.min_remaining));
  auto resolved = MFAENV_TRY(ctx->resolver->resolve(ctx->chain, resolve));
  MFAENV_CHECK(check_min_remaining(*ctx, resolved, resolve.min_remaining));
  ResolveOptions refresh;  // no child: the terminal is free for a prompt
  return serve_until_interrupted(ServedProfile{*ctx->profiles, *ctx->cache, ctx->chain, *ctx->sts, std::move(resolved), refresh},
                                 format);
}

}  // namespace

void add_serve_command(CLI::App& app, CommandAction& run) {
  auto options = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "Serve the profile's session on 127.0.0.1 for SDKs until interrupted; "
                                          "prints the variables to set");
  add_profile_options(cmd, options->profile_argument, options->profile_flag);
  cmd->add_option("--format", options->format, "How to print the variables: sh, fish, powershell, json or dotenv")
      ->capture_default_str();
  cmd->add_option("--min-remaining", options->min_remaining, "Make sure the session has at least this long left first");
  cmd->callback([options, &run] { run = [options] { return run_serve(*options); }; });
}

}  // namespace mfaenv
