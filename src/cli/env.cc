// mfaenv env: prints the profile's session as shell code (or JSON, dotenv) for eval, direnv, scripts.
#include <cstdio>

#include <fmt/format.h>

#include "cli/fast_commands.h"
#include "cli/session_context.h"

namespace mfaenv {

namespace {

struct EnvOptions {
  CredentialOptions credentials;  // PROFILE, --profile, --no-prompt, --no-session
  std::string format = "sh";
};

Status run_env(const EnvOptions& options) {
  const EnvFormat format = MFAENV_TRY(parse_env_format(options.format));
  auto ctx = MFAENV_TRY(open_session(choose_profile_name(options.credentials.profile), options.credentials.chain));
  ResolveOptions resolve;
  resolve.prompting = options.credentials.prompting;
  auto resolved = MFAENV_TRY(resolve_credentials(*ctx, resolve));
  std::string text = render_env(session_environment(*ctx, resolved), format);
  std::fwrite(text.data(), 1, text.size(), stdout);
  wipe(text);
  return {};
}

}  // namespace

Status env_command(const CommandLine& line) {
  EnvOptions options;
  options.credentials = credential_options(line);
  options.format = line.value("--format", options.format);
  return run_env(options);
}

}  // namespace mfaenv
