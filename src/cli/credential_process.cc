// mfaenv credential-process: the AWS credential_process protocol (JSON Version 1 on stdout), so that
// every SDK and `aws --profile` can use an mfaenv session. SDKs run it with pipes for stdin and
// stdout, so a code is asked for on /dev/tty.
#include <cstdio>

#include "cli/fast_commands.h"
#include "cli/session_context.h"
#include "output/credential_process.h"

namespace mfaenv {

namespace {

struct CredentialProcessOptions {
  std::string profile_argument;
  std::string profile_flag;
  Prompting prompting = Prompting::kAllowed;
};

Status run_credential_process(const CredentialProcessOptions& options) {
  auto ctx = MFAENV_TRY(open_session(options.profile_argument, options.profile_flag));
  ResolveOptions resolve;
  resolve.prompting = options.prompting;
  auto resolved = MFAENV_TRY(ctx->resolver->resolve(ctx->chain, resolve));
  // The effective expiry, so that the SDK comes back in time for the policy's MFA age too.
  std::string json = credential_process_json(resolved.credentials, resolved.expiry);
  std::fwrite(json.data(), 1, json.size(), stdout);
  wipe(json);
  return {};
}

}  // namespace

Status credential_process_command(const CommandLine& line) {
  CredentialProcessOptions options;
  options.profile_argument = line.positional(0);
  options.profile_flag = line.value("--profile");
  if (line.has("--no-prompt")) options.prompting = Prompting::kNever;
  return run_credential_process(options);
}

}  // namespace mfaenv
