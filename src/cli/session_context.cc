// Opening the config, chain, cache and resolver for a session command.
#include "cli/session_context.h"

#include <fmt/format.h>

#include "cli/command.h"
#include "creds/sts_adapter.h"
#include "util/debug_log.h"
#include "util/printable.h"
#include "util/subprocess.h"
#include "util/warnings.h"

namespace mfaenv {

void print_config_warnings(const AwsConfig& config) {
  for (const auto& w : config.warnings()) warn(w);
}

Result<AwsConfig> load_aws_config() {
  const ConfigPaths paths = config_paths_from_env();
  debug("config file {}, credentials file {}", paths.config, paths.credentials);
  AwsConfig config = MFAENV_TRY(AwsConfig::load(paths));
  print_config_warnings(config);
  return config;
}

namespace {

void debug_chain(const Chain& chain) {
  if (!debug_enabled()) return;
  // The source's identity holds the whole credential_process command: debug lines name its program only.
  const std::string source = chain.source.kind == SourceKind::kProcess
                                 ? "credential_process (program " + program_name(chain.source.process) + ")"
                                 : chain.source.identity;
  debug("profile '{}': source {} (profile '{}', access key id {})", chain.profile, source,
        chain.source.profile, chain.source.access_key_id.empty() ? "-" : chain.source.access_key_id);
  for (const auto& link : chain.links) {
    if (link.kind == LinkKind::kSession) {
      debug("  then GetSessionToken without MFA for {}, cache key {}", format_duration(link.duration), link.cache_key);
    } else if (link.kind == LinkKind::kMfaSession) {
      debug("  then GetSessionToken with {} for {}, cache key {}", link.mfa_serial, format_duration(link.duration),
            link.cache_key);
    } else {
      debug("  then AssumeRole {} (profile '{}') for {}{}, cache key {}", link.role.role_arn, link.profile,
            format_duration(link.duration), link.mfa_per_role ? " with an MFA code" : "", link.cache_key);
    }
  }
}

}  // namespace

Result<Seconds> parse_min_remaining(const SessionContext& ctx, const std::string& text) {
  auto d = parse_duration(text);
  if (!d) return make_error(ErrorKind::kUsage, "--min-remaining {}: {}", text, d.error().message);
  if (ctx.chain.links.empty()) {
    return make_error(ErrorKind::kUsage, "--min-remaining: profile '{}' hands out its long-term keys (mfaenv_session = "
                      "none), so there is no session whose time could run out", ctx.profile);
  }
  // What a new session can last: every link's duration, and the MFA age limit.
  Seconds longest = ctx.chain.links.front().duration;
  for (const auto& link : ctx.chain.links) longest = std::min(longest, link.duration);
  if (ctx.chain.limits.mfa_max_age) longest = std::min(longest, *ctx.chain.limits.mfa_max_age);
  if (*d > longest) {
    return make_error(ErrorKind::kUsage, "--min-remaining {}: a new session of profile '{}' lasts at most {} (its "
                      "duration or mfaenv_mfa_max_age); ask for less, or raise those", text, ctx.profile,
                      format_duration(longest));
  }
  return *d;
}

Status check_min_remaining(const SessionContext& ctx, const ResolvedCredentials& resolved, std::optional<Seconds> min) {
  if (!min || !resolved.expiry) return {};
  const TimePoint t = now();
  if (*resolved.expiry - t >= *min) return {};
  return make_error(ErrorKind::kGeneric, "profile '{}': the new session ends {} ({}), sooner than --min-remaining {} "
                    "asks (a limit of the chain: role chaining, the MFA session below)", ctx.profile,
                    format_local(*resolved.expiry), format_relative(*resolved.expiry, t), format_duration(*min));
}

Result<std::unique_ptr<SessionContext>> open_session(const std::string& profile_argument, const std::string& profile_flag,
                                    const ChainOptions& options) {
  return open_session(choose_profile_name(profile_argument, profile_flag), options);
}

Result<std::unique_ptr<SessionContext>> open_session(const ProfileName& profile, const ChainOptions& options) {
  auto ctx = std::make_unique<SessionContext>();
  ctx->config = MFAENV_TRY(load_aws_config());
  ctx->profiles = std::make_unique<ProfileLoader>(ctx->config);
  ctx->profile = profile.name;
  ctx->profile_name = profile;
  debug("profile '{}'", profile.name);
  ctx->chain = MFAENV_TRY(plan_chain(*ctx->profiles, profile, options));
  debug_chain(ctx->chain);
  auto cache = MFAENV_TRY(SessionCache::open(default_cache_dir(), CreateMissing::kYes));
  debug("cache folder {}", cache.dir());
  ctx->cache = std::make_unique<SessionCache>(std::move(cache));
  ctx->sts = make_sts_api();
  ctx->resolver = std::make_unique<CredentialResolver>(*ctx->profiles, *ctx->cache, *ctx->sts);
  return ctx;
}

void add_credential_options(CLI::App* cmd, CredentialOptions& options) {
  add_profile_options(cmd, options.profile);
  cmd->add_flag_function(
      "--no-prompt", [&options](int64_t) { options.prompting = Prompting::kNever; });
  cmd->add_flag_function(
      "--no-session", [&options](int64_t) { options.chain.session_mode = SessionMode::kNone; });
}

CredentialOptions credential_options(const CommandLine& line) {
  CredentialOptions options;
  options.profile.argument = line.positional(0);
  options.profile.flag = line.value("--profile");
  if (line.has("--no-prompt")) options.prompting = Prompting::kNever;
  if (line.has("--no-session")) options.chain.session_mode = SessionMode::kNone;
  return options;
}

Result<ResolvedCredentials> resolve_credentials(SessionContext& ctx, const ResolveOptions& options) {
  return ctx.resolver->resolve(ctx.chain, options);
}

}  // namespace mfaenv

namespace mfaenv {

EnvChange session_environment(const SessionContext& ctx, const ResolvedCredentials& resolved) {
  EnvChange change;
  change.set.emplace_back("AWS_ACCESS_KEY_ID", resolved.credentials.access_key_id);
  change.set.emplace_back("AWS_SECRET_ACCESS_KEY", resolved.credentials.secret_access_key);
  if (resolved.credentials.is_temporary()) {
    change.set.emplace_back("AWS_SESSION_TOKEN", resolved.credentials.session_token);
  } else {
    change.unset.emplace_back("AWS_SESSION_TOKEN");
  }
  if (resolved.expiry) {
    change.set.emplace_back("AWS_CREDENTIAL_EXPIRATION", format_rfc3339(*resolved.expiry));
  } else {
    change.unset.emplace_back("AWS_CREDENTIAL_EXPIRATION");
  }
  if (ctx.chain.region) {
    change.set.emplace_back("AWS_REGION", *ctx.chain.region);
    change.set.emplace_back("AWS_DEFAULT_REGION", *ctx.chain.region);
  }
  change.set.emplace_back("MFAENV_PROFILE", ctx.profile);
  change.unset.emplace_back("AWS_PROFILE");
  change.unset.emplace_back("AWS_DEFAULT_PROFILE");
  change.unset.emplace_back("AWS_SECURITY_TOKEN");  // boto2's old name; a stale one would be sent
  return change;
}

}  // namespace mfaenv
