// mfaenv mfa: enroll (mfa_enroll.cc), list and remove the IAM user's virtual MFA device
// (docs/enroll.md). list asks with the long-term keys (the self-management policy lets users list
// their devices without MFA) and falls back to the MFA session; remove needs the MFA session,
// because IAM policies that force MFA deny DeactivateMFADevice without it.
#include <fmt/format.h>

#include "cli/iam_session.h"
#include "cli/mfa_commands.h"
#include "util/shell_word.h"

namespace mfaenv {

namespace {

struct MfaProfileOptions {
  std::string profile;
  std::optional<std::string> token_code;
};

Status run_mfa_list(const MfaProfileOptions& options) {
  auto ctx = MFAENV_TRY(open_session(options.profile, {}));
  IamClient iam = MFAENV_TRY(iam_client_for(*ctx));
  const Credentials keys = MFAENV_TRY(long_term_keys(*ctx));
  const IamUser user = MFAENV_TRY(iam_user_of(iam, keys));
  auto devices = iam.list_mfa_devices(keys, user.user_name);
  if (!devices.ok() && devices.reason() == IamErrorReason::kAccessDenied && !ctx->chain.links.empty()) {
    const ResolvedCredentials session = MFAENV_TRY(session_credentials(*ctx, options.token_code));
    devices = iam.list_mfa_devices(session.credentials, user.user_name);
  }
  if (!devices.ok()) return std::move(devices).error();
  const auto configured = ctx->config.profile(ctx->chain.source.profile)->get("mfa_serial");
  if (devices->empty()) {
    fmt::print(stderr, "mfaenv: {} has no MFA device; '{}' makes one\n", user.user_name,
               suggested_command("mfa enroll", {ctx->profile}));
    return {};
  }
  for (const auto& d : *devices) {
    fmt::print("{}\t{}\t{}\n", d.serial_number, d.enable_date ? format_rfc3339(*d.enable_date) : "-",
               configured && *configured == d.serial_number ? "mfa_serial of " + ctx->chain.source.profile : "");
  }
  if (configured && std::none_of(devices->begin(), devices->end(),
                                  [&](const MfaDeviceInfo& d) { return d.serial_number == *configured; }))
    fmt::print(stderr, "mfaenv: warning: profile '{}' has mfa_serial = {}, which is not one of {}'s devices\n",
               ctx->chain.source.profile, *configured, user.user_name);
  return {};
}

Status run_mfa_remove(const MfaProfileOptions& options) {
  auto ctx = MFAENV_TRY(open_session(options.profile, {}));
  const std::string holder = ctx->chain.source.profile;
  const auto serial = ctx->config.profile(holder)->get("mfa_serial");
  if (!serial || serial->empty() || ctx->chain.links.empty() || ctx->chain.links.front().kind != LinkKind::kMfaSession)
    return make_error(ErrorKind::kUsage, "profile '{}' has no mfa_serial: nothing to remove ('{}' "
                      "shows the user's devices)", holder, suggested_command("mfa list", {options.profile}));
  IamClient iam = MFAENV_TRY(iam_client_for(*ctx));
  // The MFA session of the user's profile itself, not of a role on top of it.
  Chain user_chain = ctx->chain;
  while (user_chain.links.size() > 1) user_chain.links.pop_back();
  ResolveOptions resolve;
  resolve.token_code = options.token_code;
  const ResolvedCredentials session = MFAENV_TRY(ctx->resolver->resolve(user_chain, resolve));
  const IamUser user = MFAENV_TRY(iam_user_of(iam, session.credentials));
  auto off = iam.deactivate_mfa_device(session.credentials, user.user_name, *serial);
  if (!off.ok() && off.reason() != IamErrorReason::kNoSuchEntity) return std::move(off).error();
  auto gone = iam.delete_virtual_mfa_device(session.credentials, *serial);
  if (!gone.ok() && gone.reason() != IamErrorReason::kNoSuchEntity) return std::move(gone).error();
  MFAENV_CHECK(remove_config_value(ctx->config.paths().config, holder, "mfa_serial"));
  // The cached MFA session was made with the device that is gone: forget it.
  (void)ctx->cache->remove(user_chain.links.front().cache_key);
  fmt::print(stderr, "mfaenv: deactivated and deleted {}; removed mfa_serial from profile '{}'\n", *serial, holder);
  fmt::print(stderr, "mfaenv: a policy that requires MFA now denies {} everything but enrolling again: "
             "'{}'\n", user.user_name, suggested_command("mfa enroll", {holder}));
  return {};
}

void add_profile_and_code(CLI::App* cmd, const std::shared_ptr<MfaProfileOptions>& options) {
  cmd->add_option("PROFILE", options->profile)->required();
  cmd->add_option_function<std::string>("--token-code",
                                        [options](const std::string& code) { options->token_code = code; });
}

}  // namespace

void add_mfa_command(CLI::App& app, CommandAction& run) {
  auto* mfa = app.add_subcommand("mfa");
  mfa->require_subcommand(1);

  auto enroll = std::make_shared<MfaEnrollOptions>();
  auto* cmd = mfa->add_subcommand("enroll");
  cmd->add_option("PROFILE", enroll->profile)->required();
  cmd->add_option_function<std::string>("--name", [enroll](const std::string& n) { enroll->name = n; });
  cmd->add_flag_function("--secret", [enroll](int64_t) { enroll->show = SecretDisplay::kSecret; });
  cmd->add_option_function<std::string>("--qr-png", [enroll](const std::string& f) { enroll->qr_png = f; });
  cmd->callback([enroll, &run] { run = [enroll] { return run_mfa_enroll(*enroll); }; });

  auto list = std::make_shared<MfaProfileOptions>();
  cmd = mfa->add_subcommand("list");
  add_profile_and_code(cmd, list);
  cmd->callback([list, &run] { run = [list] { return run_mfa_list(*list); }; });

  auto remove = std::make_shared<MfaProfileOptions>();
  cmd = mfa->add_subcommand("remove");
  add_profile_and_code(cmd, remove);
  cmd->callback([remove, &run] { run = [remove] { return run_mfa_remove(*remove); }; });
}

}  // namespace mfaenv
