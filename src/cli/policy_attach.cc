// mfaenv policy attach P FILE (--group G | --user U) [--name N] [--force] (docs/enroll.md): puts a
// policy on a group or user with P's MFA session, after `policy check` found no error in it and a
// lockout check found that it leaves you the actions you need to fix it; then says which
// profiles to `policy sync`.
#include <cstdio>
#include <iterator>

#include <fmt/format.h>

#include "cli/cli11.h"  // std::cin without <iostream>'s start-up (run.cc builds the streams for CLI11 commands)
#include "cli/iam_session.h"
#include "cli/policy_commands.h"
#include "policy/evaluate.h"
#include "policy/generate.h"
#include "util/file.h"
#include "util/shell_word.h"

namespace mfaenv {

namespace {

enum class Target { kGroup, kUser };
enum class Lockout { kRefuse, kForce };

struct AttachOptions {
  std::string profile;
  std::string file;
  std::string group;
  std::string user;
  std::string name;
  Lockout lockout = Lockout::kRefuse;
};

Result<std::string> read_policy_text(const std::string& file) {
  if (file == "-") return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  auto text = read_file(file, Symlinks::kFollow, 1 << 20);
  if (!text.ok()) return make_error(ErrorKind::kConfigInvalid, "{}: {}", file, text.error().message);
  if (!*text) return make_error(ErrorKind::kConfigInvalid, "{}: no such file", file);
  return std::move(**text);
}

// "require-mfa.json" -> "require-mfa": IAM names allow [\w+=,.@-].
std::string default_policy_name(const std::string& file) {
  std::string base = file == "-" ? "mfaenv-policy" : file.substr(file.rfind('/') + 1);
  if (base.size() > 5 && base.ends_with(".json")) base.resize(base.size() - 5);
  std::string name;
  for (char c : base) name += std::isalnum(static_cast<unsigned char>(c)) || std::string_view("+=,.@-_").find(c) !=
                                      std::string_view::npos ? c : '-';
  return name.substr(0, 128);
}

struct NeededAction {
  std::string action;
  std::string resource;
  bool with_mfa;      // asked with an MFA session (else with long-term keys, no MFA keys at all)
  std::string_view why;
};

// Explicit denies of what the user needs to undo the change or to get MFA in the first place.
// Implicit denies are not judged: the user's other policies may allow what this one does not.
std::vector<std::string> lockout_problems(const Policy& policy, const IamUser& user, Target target,
                                          const std::string& target_arn, bool has_device) {
  const std::string account_prefix = user.arn.substr(0, user.arn.find(":user/"));
  std::vector<NeededAction> needed;
  const std::string put = target == Target::kGroup ? "iam:PutGroupPolicy" : "iam:PutUserPolicy";
  const std::string del = target == Target::kGroup ? "iam:DeleteGroupPolicy" : "iam:DeleteUserPolicy";
  needed.push_back({put, target_arn, true, "change this policy again, with your MFA session"});
  needed.push_back({del, target_arn, true, "remove this policy, with your MFA session"});
  needed.push_back({"sts:GetSessionToken", "*", false, "get an MFA session from your long-term keys"});
  if (!has_device) {
    needed.push_back({"iam:CreateVirtualMFADevice", account_prefix + ":mfa/" + user.user_name, false,
                      "enrol an MFA device ('mfaenv mfa enroll'), which you have not done yet"});
    needed.push_back({"iam:EnableMFADevice", user.arn, false, "enable the MFA device you enrol"});
  }
  std::vector<std::string> problems;
  for (const auto& n : needed) {
    Request request;
    request.action = n.action;
    request.resource = n.resource;
    request.context.set("aws:username", user.user_name);
    request.context.set("aws:PrincipalArn", user.arn);
    if (n.with_mfa) {
      request.context.set("aws:MultiFactorAuthPresent", "true");
      request.context.set("aws:MultiFactorAuthAge", "0");
    }
    auto evaluation = evaluate(policy, request);
    if (evaluation.ok() && evaluation->decision == Decision::kExplicitDeny) {
      problems.push_back(fmt::format("{} denies {} {} (needed to {})", evaluation->deciding->label(), n.action,
                                     n.with_mfa ? "even with MFA" : "without MFA", n.why));
    }
  }
  return problems;
}

Status run_attach(const AttachOptions& options) {
  if (options.group.empty() == options.user.empty())
    return make_error(ErrorKind::kUsage, "say where the policy goes: --group GROUP or --user USER (one of them)");
  const Target target = options.group.empty() ? Target::kUser : Target::kGroup;
  std::string text = MFAENV_TRY(read_policy_text(options.file));
  const Policy policy = MFAENV_TRY(parse_policy(text, options.file == "-" ? "<stdin>" : options.file));
  std::optional<ProfileSessionLimits> limits;
  if (auto s = read_session_limits(options.profile); s.ok()) limits = std::move(*s);
  size_t errors = 0;
  for (const auto& f : check_policy(policy, limits)) {
    if (f.severity == Severity::kNote) continue;
    fmt::print(stderr, "{}: {}[{}]: {}\n    fix: {}\n", policy.where(f.pos), severity_name(f.severity), f.code,
               f.message, f.fix);
    if (f.severity == Severity::kError) ++errors;
  }
  if (errors > 0)
    return make_error(ErrorKind::kGeneric, "{}: {} error{} found by 'policy check': fix {} before attaching; nothing "
                      "was changed in IAM", policy.name, errors, errors == 1 ? "" : "s", errors == 1 ? "it" : "them");

  auto ctx = MFAENV_TRY(open_session(options.profile, {}));
  IamClient iam = MFAENV_TRY(iam_client_for(*ctx));
  const ResolvedCredentials session = MFAENV_TRY(session_credentials(*ctx, std::nullopt));
  const bool role = !ctx->chain.links.empty() && ctx->chain.links.back().kind == LinkKind::kRole;
  const std::string policy_name = options.name.empty() ? default_policy_name(options.file) : options.name;

  if (!role) {
    const IamUser user = MFAENV_TRY(iam_user_of(iam, session.credentials));
    auto devices = iam.list_mfa_devices(session.credentials, user.user_name);
    const bool has_device = devices.ok() ? !devices->empty() : !ctx->chain.links.empty();
    const std::string account_prefix = user.arn.substr(0, user.arn.find(":user/"));
    const std::string target_arn = target == Target::kGroup ? account_prefix + ":group/" + options.group
                                                            : account_prefix + ":user/" + options.user;
    const auto problems = lockout_problems(policy, user, target, target_arn, has_device);
    if (!problems.empty()) {
      for (const auto& p : problems) fmt::print(stderr, "mfaenv: {}\n", p);
      if (options.lockout == Lockout::kRefuse)
        return make_error(ErrorKind::kGeneric, "{} could lock {} out of fixing it (above); nothing was changed in "
                          "IAM. 'mfaenv policy generate --self-manage' keeps those actions open; --force attaches it "
                          "anyway", policy.name, user.user_name);
      fmt::print(stderr, "mfaenv: --force: attaching it anyway\n");
    }
  }

  auto put = target == Target::kGroup
                 ? iam.put_group_policy(session.credentials, options.group, policy_name, text)
                 : iam.put_user_policy(session.credentials, options.user, policy_name, text);
  if (!put.ok()) return std::move(put).error();
  fmt::print(stderr, "mfaenv: attached {} as inline policy '{}' of {} {} (with profile '{}')\n", policy.name,
             policy_name, target == Target::kGroup ? "group" : "user", target == Target::kGroup ? options.group
                                                                                                 : options.user,
             ctx->profile);

  // Which profiles should know the new MFA age limit: those whose MFA session this policy now cuts.
  const auto age_limits = mfa_age_limits(policy);
  if (!age_limits.empty()) {
    const long long limit = age_limits.front().seconds;
    for (const auto& name : ctx->config.profile_names()) {
      ProfileLoader profiles(ctx->config);  // one chain at a time: a huge config is never held whole
      auto chain = plan_chain(profiles, ProfileName{std::string(name), ProfileOrigin::kArgument, {}});
      if (!chain.ok() || chain->links.empty() || chain->links.front().kind != LinkKind::kMfaSession) continue;
      if (chain->source.identity != ctx->chain.source.identity || chain->links.size() != 1) continue;
      if (chain->limits.mfa_max_age && chain->limits.mfa_max_age->count() <= limit) continue;
      fmt::print(stderr, "mfaenv: its MFA age limit is {} s; run '{}' so profile '{}' renews its "
                 "session in time\n", limit,
                 suggested_command("policy sync", {name, options.file == "-" ? std::string_view("FILE") : options.file}),
                 name);
    }
  }
  return {};
}

}  // namespace

void add_policy_attach(CLI::App& policy, CommandAction& run) {
  auto options = std::make_shared<AttachOptions>();
  auto* cmd = policy.add_subcommand("attach");
  cmd->add_option("PROFILE", options->profile)->required();
  cmd->add_option("FILE", options->file)->required();
  cmd->add_option("--group", options->group);
  cmd->add_option("--user", options->user);
  cmd->add_option("--name", options->name);
  cmd->add_flag_function("--force", [options](int64_t) { options->lockout = Lockout::kForce; });
  cmd->callback([options, &run] { run = [options] { return run_attach(*options); }; });
}

}  // namespace mfaenv
