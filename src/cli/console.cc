// mfaenv console: opens the AWS console through the federation endpoint (docs/console.md). A role
// profile signs in with AssumeRole credentials made from its MFA session, so the console session
// carries MFA; an IAM-user profile cannot (the endpoint takes only role or federation-token
// credentials, and GetFederationToken's session has no MFA), so it explains that and prints the fix.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/console_browser.h"
#include "cli/session_context.h"
#include "crypto/digest.h"
#include "signin/federation.h"
#include "sts/connection.h"
#include "util/debug_log.h"
#include "util/shell_word.h"
#include "util/printable.h"

namespace mfaenv {

namespace {

constexpr Seconds kShortestRoleSession{900};    // AssumeRole's DurationSeconds minimum
constexpr Seconds kLongestConsoleSession{43200};  // SessionDuration's maximum

enum class UrlOutput { kOpenBrowser, kPrint };

struct ConsoleOptions {
  std::string profile_argument;
  std::string profile_flag;
  UrlOutput output = UrlOutput::kOpenBrowser;
  std::optional<std::string> service;
  std::optional<std::string> destination;
  std::optional<std::string> region;
  std::string duration;
};

// The user ARN for the fix: the cached MFA session's identity, else a guess from the device name.
std::string user_arn_for_fix(SessionContext& ctx) {
  CacheLookup lookup = ctx.resolver->cached(ctx.chain);
  if (lookup.session && lookup.session->arn.find(":user/") != std::string::npos) return lookup.session->arn;
  for (const auto& link : ctx.chain.links) {
    const size_t mfa = link.mfa_serial.find(":mfa/");
    if (mfa != std::string::npos)
      return link.mfa_serial.substr(0, mfa) + ":user/" + link.mfa_serial.substr(link.mfa_serial.rfind('/') + 1);
  }
  return "arn:aws:iam::ACCOUNT:user/NAME";
}

Status explain_iam_user(SessionContext& ctx) {
  const std::string user = user_arn_for_fix(ctx);
  const std::string name = user.substr(user.rfind('/') + 1);
  const std::string account = user.size() > 25 ? user.substr(user.find("::") + 2, 12) : "ACCOUNT";
  const std::string partition = user.substr(4, user.find(':', 4) - 4);
  const std::string role = printable(name + "-console");  // from mfa_serial: data (attack 2, F15)
  fmt::print(stderr,
             "mfaenv: profile '{}' is an IAM user ({}), and an IAM user cannot get an MFA-carrying console session:\n"
             "  the console sign-in endpoint takes only role (AssumeRole) or GetFederationToken credentials, not an\n"
             "  MFA session from GetSessionToken; and a GetFederationToken session never carries MFA, so a policy\n"
             "  that denies everything without MFA denies everything in it (what aws-vault #564 and #784 report).\n"
             "mfaenv: the fix is a console role that trusts you only with a fresh MFA, assumed from your MFA session:\n"
             "  mfaenv policy generate --console-role {} > {}-trust.json\n"
             "  aws iam create-role --role-name {} --assume-role-policy-document file://{}-trust.json\n"
             "  aws iam attach-role-policy --role-name {} --policy-arn arn:{}:iam::aws:policy/ReadOnlyAccess   "
             "# or what you need\n"
             "then add to {}:\n"
             "  [profile {}]\n"
             "  role_arn = arn:{}:iam::{}:role/{}\n"
             "  source_profile = {}\n"
             "and run: {}\n",
             printable(ctx.profile), printable(user), printable(user), role, role, role, role, printable(partition),
             printable(ctx.config.paths().config), role, printable(partition), printable(account), role, printable(ctx.profile),
             printable(suggested_command("console", {role})));
  return make_error(ErrorKind::kGeneric, "no console session with MFA for IAM-user profile '{}': use a role profile "
                    "(see above)", ctx.profile);
}

struct ConsoleCredentials {
  Credentials credentials;
  std::string arn;
  bool mfa = false;
  std::optional<Seconds> session_duration;  // sent only for roles assumed with long-term keys
  TimePoint expires{};
};

// AssumeRole for the console, from the session beneath the profile's role, for as long as asked
// and no longer than the MFA session may be used (its effective expiry holds the MFA age limit).
Result<ConsoleCredentials> console_credentials(SessionContext& ctx, const ConsoleOptions& options) {
  const ChainLink& top = ctx.chain.links.back();
  Seconds wanted = top.role.duration;
  if (!options.duration.empty()) wanted = MFAENV_TRY(parse_duration(options.duration));
  if (wanted < kShortestRoleSession || wanted > kLongestConsoleSession)
    return make_error(ErrorKind::kUsage, "--duration {}: a console session lasts 15m to 12h", options.duration);
  const bool chained = ctx.chain.links.size() >= 2 && ctx.chain.links[ctx.chain.links.size() - 2].kind == LinkKind::kRole;
  if (chained && wanted > kRoleChainingLimit) {
    fmt::print(stderr, "mfaenv: profile '{}' is assumed from another role: AWS limits such sessions to 1h\n",
               ctx.profile);
    wanted = kRoleChainingLimit;
  }
  const ProfileSettings* profile = MFAENV_TRY(ctx.profiles->load(top.profile));
  ConsoleCredentials out;
  if (top.mfa_per_role) {
    // The role itself asks for the code: use the chain's own role session as it comes.
    ResolvedCredentials resolved = MFAENV_TRY(ctx.resolver->resolve(ctx.chain, {}));
    out.credentials = resolved.credentials;
    out.arn = resolved.session ? resolved.session->arn : "";
    out.mfa = resolved.session && resolved.session->mfa_time;
    out.expires = resolved.expiry.value_or(now());
    return out;
  }
  Chain below = ctx.chain;
  below.links.pop_back();
  Credentials source;
  std::optional<TimePoint> usable_until;
  if (below.links.empty()) {
    source = MFAENV_TRY(ctx.resolver->resolve(below, {})).credentials;
  } else {
    ResolvedCredentials parent = MFAENV_TRY(ctx.resolver->resolve(below, {}));
    // A console session that outlives the MFA age limit would be denied in the browser: when too
    // little is left for the shortest role session, make a new MFA session first.
    if (parent.expiry && *parent.expiry - now() < kShortestRoleSession + Seconds(60)) {
      fmt::print(stderr, "mfaenv: the MFA session of profile '{}' ends {}: a new one first\n", ctx.profile,
                 format_relative(*parent.expiry, now()));
      ResolveOptions force;
      force.refresh = Refresh::kForce;
      force.goal = Goal::kCachedSession;
      ResolvedCredentials fresh = MFAENV_TRY(ctx.resolver->resolve(below, force));
      parent = std::move(fresh);
    }
    source = parent.credentials;
    usable_until = parent.expiry;
    out.mfa = parent.session && parent.session->mfa_time;
  }
  Seconds duration = wanted;
  if (usable_until) {
    const auto left = std::chrono::duration_cast<Seconds>(*usable_until - now());
    if (left < duration) {
      fmt::print(stderr, "mfaenv: the console session is cut to {} so that it ends with the MFA session ({})\n",
                 format_duration(left), format_local(*usable_until));
      duration = left;
    }
  }
  AssumeRoleRequest request = top.role;
  request.duration = duration;
  StsSession session = MFAENV_TRY(ctx.sts->assume_role(*profile, source, request));
  out.credentials = std::move(session.credentials);
  out.arn = session.arn;
  out.expires = out.credentials.expiration.value_or(now() + duration);
  // SessionDuration is refused for credentials made from temporary ones (docs/console.md).
  if (below.links.empty()) out.session_duration = duration;
  return out;
}

Status run_console(const ConsoleOptions& options) {
  if (options.service && options.destination)
    return make_error(ErrorKind::kUsage, "--service and --destination both name the page: give one");
  auto ctx = MFAENV_TRY(open_session(options.profile_argument, options.profile_flag));
  if (ctx->chain.links.empty() || ctx->chain.links.back().kind != LinkKind::kRole) return explain_iam_user(*ctx);
  ConsoleCredentials creds = MFAENV_TRY(console_credentials(*ctx, options));
  debug_secret(creds.credentials.secret_access_key);
  debug_secret(creds.credentials.session_token);
  const SigninPartition partition = MFAENV_TRY(signin_partition_of_arn(creds.arn));
  const FederationEndpoint endpoint = MFAENV_TRY(federation_endpoint(partition));
  std::optional<std::string> region = options.region;
  if (!region && !options.destination) region = ctx->chain.region;
  const std::string destination = MFAENV_TRY(console_destination(partition, options.service, region, options.destination));
  const ProfileSettings* profile = MFAENV_TRY(ctx->profiles->load(ctx->profile));
  const StsConnection connection = MFAENV_TRY(sts_connection_for(profile));
  debug("console sign-in: endpoint {} ({}), destination {}, SessionDuration {}", endpoint.url(), endpoint.origin,
        destination, creds.session_duration ? std::to_string(creds.session_duration->count()) : "not sent");
  std::string token = MFAENV_TRY(get_signin_token(endpoint, connection.http, creds.credentials, creds.session_duration));
  debug_secret(token);
  std::string url = login_url(endpoint, destination, token);
  secure_zero(token.data(), token.size());
  const TimePoint ends = creds.session_duration ? now() + *creds.session_duration : creds.expires;
  fmt::print(stderr, "mfaenv: console for {} as {}, {}, until {} ({})\n", ctx->profile, creds.arn,
             creds.mfa ? "with MFA" : "WITHOUT MFA (the profile has no mfa_serial)", format_local(ends),
             format_relative(ends, now()));
  Status status;
  if (options.output == UrlOutput::kPrint) {
    fmt::print("{}\n", url);
  } else {
    status = open_console_in_browser(url, ctx->cache->dir());
    if (status.ok()) fmt::print(stderr, "mfaenv: opened in your browser (the sign-in link works for 15 minutes)\n");
  }
  secure_zero(url.data(), url.size());
  return status;
}

}  // namespace

void add_console_command(CLI::App& app, CommandAction& run) {
  auto options = std::make_shared<ConsoleOptions>();
  auto* cmd = app.add_subcommand("console", "Open the AWS console with the profile's role, keeping MFA");
  add_profile_options(cmd, options->profile_argument, options->profile_flag);
  cmd->add_flag_function(
      "--url", [options](int64_t) { options->output = UrlOutput::kPrint; },
      "Print the sign-in URL on stdout instead of opening a browser (it works for 15 minutes)");
  cmd->add_option_function<std::string>(
      "--service", [options](const std::string& s) { options->service = s; },
      "Open this service's page: s3, ec2, iam, ... (as in the console's URL)");
  cmd->add_option_function<std::string>(
      "--destination", [options](const std::string& s) { options->destination = s; },
      "Open this console URL (https://console.aws.amazon.com/...)");
  cmd->add_option_function<std::string>(
      "--region", [options](const std::string& s) { options->region = s; },
      "The console's region (default: the profile's region)");
  cmd->add_option("--duration", options->duration,
                  "Console session length, 15m to 12h (default the profile's duration_seconds, 1h); never past the "
                  "MFA session");
  cmd->footer(
      "The browser is $BROWSER (':'-separated commands, %s for the URL) or xdg-open; it is given a private\n"
      "page in mfaenv's cache folder that leads to the sign-in URL, so the token never shows in `ps`.\n"
      "Examples:\n"
      "  mfaenv console admin\n"
      "  mfaenv console admin --service s3 --region eu-west-1\n"
      "  mfaenv console admin --url | xclip");
  cmd->callback([options, &run] { run = [options] { return run_console(*options); }; });
}

}  // namespace mfaenv
