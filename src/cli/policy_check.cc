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
  auto* cmd = policy.add_subcommand("check");
  cmd->add_option("FILE", options->file)->required();
  cmd->add_option("--profile", options->profile);
  cmd->add_flag("--json", options->json);
  cmd->callback([options, &run] { run = [options] { return run_check(*options); }; });
}

}  // namespace mfaenv
