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
  CredentialOptions credentials;  // PROFILE, --profile, --no-prompt, --no-session
};

Status run_credential_process(const CredentialProcessOptions& options) {
  auto ctx = MFAENV_TRY(open_session(choose_profile_name(options.credentials.profile), options.credentials.chain));
  ResolveOptions resolve;
  resolve.prompting = options.credentials.prompting;
  auto resolved = MFAENV_TRY(resolve_credentials(*ctx, resolve));
  // The effective expiry, so that the SDK comes back in time for the policy's MFA age too.
  std::string json = credential_process_json(resolved.credentials, resolved.expiry);
  std::fwrite(json.data(), 1, json.size(), stdout);
  wipe(json);
  return {};
}

}  // namespace

Status credential_process_command(const CommandLine& line) {
  CredentialProcessOptions options;
  options.credentials = credential_options(line);
  return run_credential_process(options);
}

}  // namespace mfaenv
