// What every command that needs a profile's credentials (login, env, exec, credential-process,
// whoami, logout) starts from, and the one way to get them (like aws-vault's
// NewTempCredentialsProvider): the config read once, the chosen profile, its chain, the cache
// folder, and a resolver whose STS client costs nothing until a link must be refreshed.
#pragma once

#include <memory>
#include <string>

#include "aws/config.h"
#include "cache/session_cache.h"
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/profile_options.h"
#include "creds/chain.h"
#include "creds/resolver.h"

namespace mfaenv {

// Not movable: the resolver and the STS client hold references to `config` and `cache`.
struct SessionContext {
  SessionContext() = default;
  SessionContext(const SessionContext&) = delete;
  SessionContext& operator=(const SessionContext&) = delete;

  AwsConfig config;
  std::unique_ptr<ProfileLoader> profiles;  // the profiles the chain uses, typed
  std::string profile;
  ProfileName profile_name;                 // the profile and where its name came from
  Chain chain;
  std::unique_ptr<SessionCache> cache;
  std::unique_ptr<StsApi> sts;
  std::unique_ptr<CredentialResolver> resolver;
};

// `profile_argument` / `profile_flag` as given (may be empty): choose_profile_name's order.
Result<std::unique_ptr<SessionContext>> open_session(const std::string& profile_argument, const std::string& profile_flag,
                                    const ChainOptions& options = {});
Result<std::unique_ptr<SessionContext>> open_session(const ProfileName& profile, const ChainOptions& options = {});

// What env, exec, credential-process and whoami take to choose and resolve a profile.
struct CredentialOptions {
  ProfileOptions profile;
  Prompting prompting = Prompting::kAllowed;  // --no-prompt
  ChainOptions chain;                         // --no-session
};
// Adds PROFILE, --profile, --no-prompt and --no-session (CLI11 commands).
void add_credential_options(CLI::App* cmd, CredentialOptions& options);
// Reads them from the fast parser's result (env, exec, credential-process).
CredentialOptions credential_options(const CommandLine& line);

// --min-remaining D of login and exec: D parsed, and refused at once when no new session of the
// profile can last that long (its duration or mfaenv_mfa_max_age is shorter).
Result<Seconds> parse_min_remaining(const SessionContext& ctx, const std::string& text);
// After resolving: an error when the session still has less than `min` left (a role chain's cap).
Status check_min_remaining(const SessionContext& ctx, const ResolvedCredentials& resolved, std::optional<Seconds> min);

// The config files, read once, their warnings passed to the warning sink.
Result<AwsConfig> load_aws_config();

// Passes the config's warnings to the warning sink.
void print_config_warnings(const AwsConfig& config);

// The credentials `ctx`'s profile resolves to, as env/exec/credential-process/whoami hand them out.
Result<ResolvedCredentials> resolve_credentials(SessionContext& ctx, const ResolveOptions& options);

}  // namespace mfaenv

#include "output/env_writer.h"

namespace mfaenv {

// The variables `env` prints and `exec` sets (docs/design.md §2): keys, token, effective expiry, region,
// MFAENV_PROFILE; AWS_PROFILE and AWS_DEFAULT_PROFILE unset so no SDK reads the profile instead.
EnvChange session_environment(const SessionContext& ctx, const ResolvedCredentials& resolved);

}  // namespace mfaenv
