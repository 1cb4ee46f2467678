// mfaenv whoami: sts:GetCallerIdentity with the credentials env/exec/credential-process would hand
// out for the profile (the same open_session and resolver: cache, MFA session, roles), or with
// --long-term its long-term keys; printed as a small table, or with --json as
// `aws sts get-caller-identity` prints it.
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/session_context.h"
#include "creds/sts_adapter.h"
#include "sts/client.h"
#include "sts/connection.h"
#include "util/strings.h"
#include "util/printable.h"
#include "util/warnings.h"

namespace mfaenv {
namespace {

enum class WhoamiFormat { kTable, kJson };

enum class KeysAsked { kSession, kLongTerm };

struct WhoamiOptions {
  CredentialOptions credentials;
  WhoamiFormat format = WhoamiFormat::kTable;
  KeysAsked keys = KeysAsked::kSession;
};

bool environment_has_keys() {
  return !env("AWS_ACCESS_KEY_ID").value_or("").empty() && !env("AWS_SECRET_ACCESS_KEY").value_or("").empty();
}

// The credentials to ask with, and the client for the profile's endpoint.
struct Caller {
  Credentials credentials;
  std::string origin;  // for messages: "profile 'dev'", "AWS_ACCESS_KEY_ID"
  std::optional<StsClient> client;
};

Result<Caller> caller_for(const WhoamiOptions& options) {
  const ProfileName name = choose_profile_name(options.credentials.profile);
  auto ctx = open_session(name, options.credentials.chain);
  Caller caller;
  if (!ctx.ok()) {
    // Nothing named and no [default]: like `aws sts get-caller-identity`, the environment's keys.
    if (name.origin != ProfileOrigin::kDefault || ctx.error().kind != ErrorKind::kUsage || !environment_has_keys())
      return std::move(ctx).error();
    caller.credentials.access_key_id = *env("AWS_ACCESS_KEY_ID");
    caller.credentials.secret_access_key = *env("AWS_SECRET_ACCESS_KEY");
    caller.credentials.session_token = env("AWS_SESSION_TOKEN").value_or("");
    caller.origin = "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
    StsConnection connection = MFAENV_TRY(sts_connection_for(nullptr));
    if (!connection.endpoint.warning.empty()) warn(connection.endpoint.warning);
    caller.client.emplace(std::move(connection.endpoint), std::move(connection.http));
    return caller;
  }
  SessionContext& session = **ctx;
  // The client first: a bad endpoint or region is reported before credential_process runs.
  caller.client.emplace(MFAENV_TRY(make_sts_client(session.chain.lineage.top())));
  if (options.keys == KeysAsked::kLongTerm) {
    // The keys at the bottom of the chain, as they are: for checking them, never handed out.
    caller.credentials = MFAENV_TRY(load_source(session.chain.source));
    caller.origin = fmt::format("profile '{}'", session.chain.source.profile);
  } else {
    ResolveOptions resolve;
    resolve.prompting = options.credentials.prompting;
    caller.credentials = MFAENV_TRY(resolve_credentials(session, resolve)).credentials;
    caller.origin = fmt::format("the session of profile '{}'", session.profile);
  }
  return caller;
}

Status run_whoami(const WhoamiOptions& options) {
  Caller caller = MFAENV_TRY(caller_for(options));
  CallerIdentity identity = MFAENV_TRY(caller.client->get_caller_identity(caller.credentials, {caller.origin}));

  if (options.format == WhoamiFormat::kJson) {
    nlohmann::ordered_json j;  // the order `aws sts get-caller-identity` prints
    j["UserId"] = identity.user_id;
    j["Account"] = identity.account;
    j["Arn"] = identity.arn;
    fmt::print("{}\n", j.dump(4, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    print_line("Account  {}", identity.account);
    print_line("Arn      {}", identity.arn);
    print_line("UserId   {}", identity.user_id);
  }
  return {};
}

}  // namespace

void add_whoami_command(CLI::App& app, CommandAction& run) {
  auto options = std::make_shared<WhoamiOptions>();
  auto* cmd = app.add_subcommand("whoami");
  add_credential_options(cmd, options->credentials);
  cmd->add_flag_callback(
      "--json", [options] { options->format = WhoamiFormat::kJson; });
  cmd->add_flag_callback(
      "--long-term", [options] { options->keys = KeysAsked::kLongTerm; });
  cmd->callback([&run, options] { run = [options] { return run_whoami(*options); }; });
}

}  // namespace mfaenv
