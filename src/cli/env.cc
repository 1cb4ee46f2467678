// mfaenv env: prints the profile's session as shell code (or JSON, dotenv) for eval, direnv, scripts.
#include <cstdio>

#include <fmt/format.h>

#include "cli/fast_commands.h"
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
  std::string text = render_env(session_environment(*ctx, resolved), format);
  std::fwrite(text.data(), 1, text.size(), stdout);
  wipe(text);
  return {};
}

}  // namespace

Status env_command(const CommandLine& line) {
  EnvOptions options;
  options.profile_argument = line.positional(0);
  options.profile_flag = line.value("--profile");
  options.format = line.value("--format", options.format);
  if (line.has("--no-prompt")) options.prompting = Prompting::kNever;
  return run_env(options);
}

}  // namespace mfaenv
