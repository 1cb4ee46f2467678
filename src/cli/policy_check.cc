// mfaenv policy check FILE [--profile P] [--json]: findings on stdout, one per problem, compiler
// style; exit 0 when there is nothing above a note, 1 when there is, 6 when the file is unreadable.
#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/policy_commands.h"
#include "policy/policy.h"

namespace mfaenv {
namespace {

struct CheckOptions {
  std::string file;
  std::string profile;
  bool json = false;
};

std::string plural(size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

Status run_check(const CheckOptions& options) {
  const Policy policy = MFAENV_TRY(load_policy(options.file));
  std::optional<ProfileSessionLimits> profile;
  if (!options.profile.empty()) profile = MFAENV_TRY(read_session_limits(options.profile));
  const std::vector<Finding> findings = check_policy(policy, profile);

  size_t counts[3] = {0, 0, 0};  // by Severity
  for (const auto& f : findings) ++counts[static_cast<int>(f.severity)];
  const size_t notes = counts[0], warnings = counts[1], errors = counts[2];

  if (options.json) {
    nlohmann::ordered_json out;
    out["file"] = policy.name;
    out["findings"] = nlohmann::ordered_json::array();
    for (const auto& f : findings) {
      out["findings"].push_back({{"code", f.code},
                                 {"severity", std::string(severity_name(f.severity))},
                                 {"line", f.pos.line},
                                 {"column", f.pos.column},
                                 {"message", f.message},
                                 {"fix", f.fix}});
    }
    out["errors"] = errors;
    out["warnings"] = warnings;
    out["notes"] = notes;
    fmt::print("{}\n", out.dump(2));
  } else {
    for (const auto& f : findings)
      fmt::print("{}: {}[{}]: {}\n    fix: {}\n", policy.where(f.pos), severity_name(f.severity), f.code, f.message, f.fix);
  }
  std::fflush(stdout);

  if (errors + warnings > 0) {
    std::string summary = plural(errors, "error") + ", " + plural(warnings, "warning");
    if (notes > 0) summary += ", " + plural(notes, "note");
    return make_error(ErrorKind::kGeneric, "{}: {}", policy.name, summary);
  }
  fmt::print(stderr, "mfaenv: {}: no errors or warnings{}\n", policy.name,
             notes > 0 ? fmt::format(" ({})", plural(notes, "note")) : "");
  return {};
}

}  // namespace

void add_policy_check(CLI::App& policy, CommandAction& run) {
  auto options = std::make_shared<CheckOptions>();
  auto* cmd = policy.add_subcommand("check", "Find the mistakes that make an MFA policy silently fail");
  cmd->add_option("FILE", options->file, "The IAM policy (JSON); - reads standard input")->required();
  cmd->add_option("--profile", options->profile,
                  "Also compare the policy's MFA age limit with this profile's session settings");
  cmd->add_flag("--json", options->json, "Print the findings as JSON");
  cmd->footer(
      "Each finding has a stable code, a severity (error, warning, note), file:line:col and a fix:\n"
      "  MFA001 MFA presence and age tested in one Deny (AND-ed, so it never denies)\n"
      "  MFA002 Bool aws:MultiFactorAuthPresent \"false\" in a Deny (skips long-term keys)\n"
      "  MFA003 BoolIfExists aws:MultiFactorAuthPresent \"true\" in an Allow (allows long-term keys)\n"
      "  MFA004 MFA age limit shorter than the profile's sessions, no mfaenv_mfa_max_age (--profile)\n"
      "  MFA005 mfaenv_mfa_max_age longer than the policy's MFA age limit (--profile)\n"
      "  MFA006 a deny without MFA that also blocks enrolling an MFA device (note)\n"
      "  MFA007 unknown condition operator      MFA008 action not written service:Action\n"
      "  MFA009 Bool/Null value not true/false  MFA010 Numeric value not a number\n"
      "  MFA011 missing or old Version          MFA012 misspelled MFA condition key\n"
      "Exit status: 0 nothing above a note, 1 errors or warnings, 6 the file is unreadable or not\n"
      "a valid policy (the message names file:line:col). See docs/policy.md.");
  cmd->callback([options, &run] { run = [options] { return run_check(*options); }; });
}

}  // namespace mfaenv
