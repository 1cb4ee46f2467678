// mfaenv env: prints the profile's session as shell code (or JSON, dotenv) for eval, direnv, scripts.
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/session_context.h"

namespace mfaenv {

namespace {

struct EnvOptions {
  std::string profile_argument;
  std::string profile_flag;
  std::string format = "sh";
  Prompting prompting = Prompting::kAllowed;
};

Status run_env(const EnvOptions& options) {
  const EnvFormat format = MFAENV_TRY(parse_env_format(options.format));
  auto ctx = MFAENV_TRY(open_session(options.profile_argument, options.profile_flag));
  ResolveOptions resolve;
  resolve.prompting = options.prompting;
  auto resolved = MFAENV_TRY(ctx->resolver->resolve(ctx->chain, resolve));
  std::string text = MFAENV_TRY(render_env(session_environment(*ctx, resolved), format));
  std::fwrite(text.data(), 1, text.size(), stdout);
  wipe(text);
  return {};
}

}  // namespace

void add_env_command(CLI::App& app, CommandAction& run) {
  auto options = std::make_shared<EnvOptions>();
  auto* cmd = app.add_subcommand("env", "Print the profile's session as shell code: eval \"$(mfaenv env PROFILE)\"");
  add_profile_options(cmd, options->profile_argument, options->profile_flag);
  cmd->add_option("--format", options->format, "sh, fish, powershell, json or dotenv")->capture_default_str();
  cmd->add_flag_function(
      "--no-prompt", [options](int64_t) { options->prompting = Prompting::kNever; },
      "Serve only a usable cached session; never ask for a code (exit 3 instead)");
  cmd->callback([options, &run] { run = [options] { return run_env(*options); }; });
}

}  // namespace mfaenv
