// mfaenv policy: generate, check, simulate and sync IAM policies that force MFA (docs/design.md §6,
// docs/policy.md). This file registers the group and holds generate and sync; check and simulate
// live in policy_check.cc and policy_simulate.cc.
#include <cstdio>
#include <memory>

#include "aws/profile_settings.h"
#include "cli/policy_commands.h"
#include "cli/session_context.h"
#include "creds/chain.h"
#include "policy/generate.h"
#include "policy/policy.h"
#include "util/time.h"
#include "util/printable.h"

namespace mfaenv {

namespace {

constexpr long long kLongestMfaSession = 129600;       // GetSessionToken's maximum, 36 h

struct GenerateOptions {
  std::string max_age = "43200";
  bool self_manage = false;
  std::string console_role;  // a principal ARN: print a console role's trust policy instead
};

Status run_generate(const GenerateOptions& options) {
  auto max_age = parse_duration(options.max_age);
  if (!max_age.ok())
    return make_error(ErrorKind::kUsage, "--max-age: {}", max_age.error().message);
  if (max_age->count() > kLongestMfaSession)
    return make_error(ErrorKind::kUsage, "--max-age {}: MFA sessions last at most 36h (129600 s), so a longer limit "
                      "would never deny anything", options.max_age);
  if (!options.console_role.empty() && options.self_manage)
    return make_error(ErrorKind::kUsage, "--console-role prints a role's trust policy; --self-manage is for the "
                      "users' policy: run them separately");
  const std::string text =
      !options.console_role.empty()
          ? MFAENV_TRY(generate_console_role_trust(options.console_role, max_age->count()))
          : generate_policy(max_age->count(), options.self_manage ? SelfManage::kYes : SelfManage::kNo);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return {};
}

void add_generate(CLI::App& policy, CommandAction& run) {
  auto options = std::make_shared<GenerateOptions>();
  auto* cmd = policy.add_subcommand("generate");
  cmd->add_option("--max-age", options->max_age);
  cmd->add_flag("--self-manage", options->self_manage);
  cmd->add_option("--console-role", options->console_role);
  cmd->callback([options, &run] { run = [options] { return run_generate(*options); }; });
}

struct SyncOptions {
  std::string profile;
  std::string file;
};

Status run_sync(const SyncOptions& options) {
  const Policy policy = MFAENV_TRY(load_policy(options.file));
  const auto limits = mfa_age_limits(policy);
  if (limits.empty())
    return make_error(ErrorKind::kGeneric, "{} sets no MFA age limit (a Deny with NumericGreaterThan "
                      "aws:MultiFactorAuthAge N, or an Allow with NumericLessThan); nothing to sync. "
                      "'mfaenv policy generate --max-age N' prints a policy that has one", options.file);
  const MfaAgeLimit& limit = limits.front();
  if (limit.seconds < 1)
    return make_error(ErrorKind::kGeneric, "{}: the MFA age limit is {} s, which denies every MFA session at once; "
                      "fix the policy first", policy.where(limit.pos), limit.seconds);

  const AwsConfig config = MFAENV_TRY(load_aws_config());
  const ConfigPaths& paths = config.paths();
  if (!config.has_profile(options.profile))
    return profile_not_found(config, ProfileName{options.profile, ProfileOrigin::kArgument, {}});
  const std::string value = std::to_string(limit.seconds);
  MFAENV_CHECK(set_config_value(paths.config, options.profile, "mfaenv_mfa_max_age", value));
  tell("profile \"{}\": mfaenv_mfa_max_age = {} ({}) written to {}", options.profile, value,
             format_duration(Seconds(limit.seconds)), paths.config);
  tell("from {} ({}){}", policy.where(limit.pos), limit.statement->label(),
             limits.size() > 1 ? fmt::format(", the smallest of {} MFA age limits in the policy", limits.size()) : "");
  return {};
}

void add_sync(CLI::App& policy, CommandAction& run) {
  auto options = std::make_shared<SyncOptions>();
  auto* cmd = policy.add_subcommand("sync");
  cmd->add_option("PROFILE", options->profile)->required();
  cmd->add_option("FILE", options->file)->required();
  cmd->callback([options, &run] { run = [options] { return run_sync(*options); }; });
}

}  // namespace

Result<ProfileSessionLimits> read_session_limits(const std::string& name) {
  const AwsConfig config = MFAENV_TRY(load_aws_config());
  ProfileLoader loader(config);
  // The values the credential chain uses: inherited down the source_profile chain.
  const ProfileLineage lineage =
      MFAENV_TRY(resolve_profile_settings(loader, ProfileName{name, ProfileOrigin::kFlag, {}}));
  ProfileSessionLimits limits;
  limits.profile = name;
  limits.session_duration = lineage.inherited(&ProfileSettings::session_duration).value_or(kDefaultSessionDuration).count();
  if (const auto& max_age = lineage.inherited(&ProfileSettings::mfa_max_age)) limits.mfa_max_age = max_age->count();
  return limits;
}

void add_policy_command(CLI::App& app, CommandAction& run) {
  auto* cmd = app.add_subcommand("policy");
  cmd->require_subcommand(1);
  add_generate(*cmd, run);
  add_policy_check(*cmd, run);
  add_policy_simulate(*cmd, run);
  add_sync(*cmd, run);
  add_policy_attach(*cmd, run);
}

}  // namespace mfaenv
