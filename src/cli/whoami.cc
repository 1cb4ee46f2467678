// mfaenv whoami: sts:GetCallerIdentity with the profile's credentials, printed as a small table for
// people or, with --json, as `aws sts get-caller-identity` prints it.
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/config.h"
#include "cli/command.h"
#include "sts/client.h"
#include "sts/connection.h"
#include "util/strings.h"
#include "util/printable.h"

namespace mfaenv {
namespace {

enum class WhoamiFormat { kTable, kJson };

struct WhoamiOptions {
  std::string profile_argument;
  std::string profile_flag;
  WhoamiFormat format = WhoamiFormat::kTable;
};

struct CallerCredentials {
  Credentials credentials;
  std::string origin;  // for messages: "profile 'dev'", "AWS_ACCESS_KEY_ID"
};

// The profile's static keys, else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN.
// Stands in for src/creds' full chain (MFA session, roles), which will replace this function.
Result<CallerCredentials> caller_credentials(const Profile* profile, const std::string& name) {
  CallerCredentials c;
  if (profile) {
    auto key = profile->get("aws_access_key_id");
    auto secret = profile->get("aws_secret_access_key");
    if (key && !key->empty()) {
      if (!secret || secret->empty()) {
        return make_error(ErrorKind::kConfigInvalid,
                          "profile '{}' has aws_access_key_id but no aws_secret_access_key: add "
                          "it to ~/.aws/credentials",
                          name);
      }
      c.credentials.access_key_id = *key;
      c.credentials.secret_access_key = *secret;
      c.credentials.session_token = profile->get("aws_session_token").value_or("");
      c.origin = fmt::format("profile '{}'", name);
      return c;
    }
  }
  auto key = env("AWS_ACCESS_KEY_ID");
  auto secret = env("AWS_SECRET_ACCESS_KEY");
  if (key && !key->empty() && secret && !secret->empty()) {
    c.credentials.access_key_id = *key;
    c.credentials.secret_access_key = *secret;
    c.credentials.session_token = env("AWS_SESSION_TOKEN").value_or("");
    c.origin = "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
    return c;
  }
  return make_error(ErrorKind::kConfigInvalid,
                    "no credentials for profile '{}': put aws_access_key_id and "
                    "aws_secret_access_key in its section of ~/.aws/credentials, or set "
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                    name);
}

Status run_whoami(const WhoamiOptions& options) {
  const std::string name = choose_profile(options.profile_argument, options.profile_flag);
  AwsConfig config = MFAENV_TRY(AwsConfig::load(config_paths_from_env()));
  for (const std::string& warning : config.warnings())
    tell("warning: {}", warning);
  const Profile* profile = config.profile(name);
  // Like botocore: naming a profile that does not exist is an error; an absent [default] is not.
  if (!profile && name != "default") {
    return make_error(ErrorKind::kConfigInvalid,
                      "profile '{}' is not in {} or {} (mfaenv config profiles lists them)", name,
                      config.paths().config, config.paths().credentials);
  }
  CallerCredentials caller = MFAENV_TRY(caller_credentials(profile, name));
  StsConnection connection = MFAENV_TRY(sts_connection_for(&config, profile));
  if (!connection.endpoint.warning.empty())
    tell("warning: {}", connection.endpoint.warning);

  StsClient client(std::move(connection.endpoint), std::move(connection.http));
  CallerIdentity identity =
      MFAENV_TRY(client.get_caller_identity(caller.credentials, {caller.origin}));

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
  auto* cmd = app.add_subcommand(
      "whoami", "Show the account, ARN and user id that the profile's credentials belong to");
  cmd->add_option("PROFILE", options->profile_argument,
                  "Profile (default: --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, default)");
  cmd->add_option("--profile", options->profile_flag, "Profile, when PROFILE is not given");
  cmd->add_flag_callback(
      "--json", [options] { options->format = WhoamiFormat::kJson; },
      "Print {\"UserId\", \"Account\", \"Arn\"} like aws sts get-caller-identity");
  cmd->callback([&run, options] { run = [options] { return run_whoami(*options); }; });
}

}  // namespace mfaenv
