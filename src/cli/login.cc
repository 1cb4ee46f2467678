// mfaenv login: makes sure the profile has a session, asking for the MFA code once. Reports an
// existing session instead of asking again, unless --force.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/session_context.h"
#include "util/printable.h"

namespace mfaenv {

namespace {

struct LoginOptions {
  std::string profile_argument;
  std::string profile_flag;
  std::optional<std::string> token_code;
  std::string duration;
  Refresh refresh = Refresh::kIfNeeded;
  std::string min_remaining;
};

void report(const SessionContext& ctx, const ResolvedCredentials& r, std::string_view verb) {
  const TimePoint t = now();
  if (r.session) tell("{} {} as {}", ctx.profile, verb, identity_text(*r.session));
  if (r.refresh_due && r.expiry) {
    tell("served until {} ({}); credentials expire {}", format_local(*r.refresh_due),
               format_relative(*r.refresh_due, t), format_local(*r.expiry));
  }
}

Status run_login(const LoginOptions& options) {
  ChainOptions chain_options;
  if (!options.duration.empty()) chain_options.session_duration = MFAENV_TRY(parse_duration(options.duration));
  auto ctx = MFAENV_TRY(open_session(options.profile_argument, options.profile_flag, chain_options));
  if (ctx->chain.links.empty()) {
    return make_error(ErrorKind::kConfigInvalid,
                      "profile '{}' has no mfa_serial and no role_arn, so there is no session to log in to; add "
                      "one with: mfaenv config set mfa_serial arn:aws:iam::ACCOUNT:mfa/NAME --profile {}",
                      ctx->profile, ctx->profile);
  }
  std::optional<Seconds> min_remaining;
  if (!options.min_remaining.empty()) min_remaining = MFAENV_TRY(parse_min_remaining(*ctx, options.min_remaining));
  if (options.refresh == Refresh::kIfNeeded) {
    CacheLookup lookup = ctx->resolver->cached(ctx->chain);
    const bool long_enough = !min_remaining || (lookup.session && effective_expiry(*lookup.session, ctx->chain.limits) -
                                                                          now() >= *min_remaining);
    if (lookup.session && serves(ctx->chain, *lookup.session, now()) && long_enough) {
      const TimePoint due = refresh_due(*lookup.session, ctx->chain.limits);
      tell("{} already has a session as {}, served until {} ({}); --force makes a new one",
                 ctx->profile, identity_text(*lookup.session), format_local(due), format_relative(due, now()));
      return {};
    }
  }
  ResolveOptions resolve;
  resolve.token_code = options.token_code;
  resolve.refresh = options.refresh;
  resolve.goal = Goal::kCachedSession;  // a failed refresh or cache write is login's failure
  resolve.min_remaining = min_remaining;
  auto resolved = MFAENV_TRY(ctx->resolver->resolve(ctx->chain, resolve));
  MFAENV_CHECK(check_min_remaining(*ctx, resolved, min_remaining));
  // A session can be past its served time the moment it arrives: an MFA age limit shorter than the
  // refresh margin plus the time the login took. "Logged in" would then be a lie every command
  // after it would contradict (exit 3).
  if (resolved.session && resolved.refresh_due && now() >= *resolved.refresh_due) {
    return make_error(ErrorKind::kGeneric,
                      "the new session of profile '{}' is served only until {} ({}), which has already passed: "
                      "its lifetime (the MFA age limit or the duration) is shorter than the refresh margin and the "
                      "time this login took; raise mfaenv_mfa_max_age or the duration, or lower "
                      "mfaenv_refresh_margin",
                      ctx->profile, format_local(*resolved.refresh_due), format_relative(*resolved.refresh_due, now()));
  }
  report(*ctx, resolved, "logged in");
  return {};
}

}  // namespace

void add_login_command(CLI::App& app, CommandAction& run) {
  auto options = std::make_shared<LoginOptions>();
  auto* cmd = app.add_subcommand("login");
  add_profile_options(cmd, options->profile_argument, options->profile_flag);
  cmd->add_option_function<std::string>(
      "--token-code", [options](const std::string& code) { options->token_code = code; });
  cmd->add_option("--duration", options->duration);
  cmd->add_flag_function(
      "--force", [options](int64_t) { options->refresh = Refresh::kForce; });
  cmd->add_option("--min-remaining", options->min_remaining);
  cmd->callback([options, &run] { run = [options] { return run_login(*options); }; });
}

}  // namespace mfaenv
