// Choosing the profile: docs/design.md §2's order, plus MFAENV_PROFILE inside an mfaenv environment.
#include "cli/profile_options.h"

#include "cli/command.h"
#include "util/strings.h"

namespace mfaenv {

void add_profile_options(CLI::App* cmd, std::string& argument, std::string& flag) {
  cmd->add_option("PROFILE", argument);
  cmd->add_option("--profile", flag);
}

void add_profile_options(CLI::App* cmd, ProfileOptions& options) {
  add_profile_options(cmd, options.argument, options.flag);
}

ProfileName choose_profile_name(const std::string& argument, const std::string& flag) {
  if (!argument.empty()) return {argument, ProfileOrigin::kArgument, {}};
  if (!flag.empty()) return {flag, ProfileOrigin::kFlag, {}};
  if (auto p = env("AWS_PROFILE"); p && !p->empty()) return {*p, ProfileOrigin::kAwsProfile, {}};
  if (auto p = env("AWS_DEFAULT_PROFILE"); p && !p->empty()) return {*p, ProfileOrigin::kAwsDefaultProfile, {}};
  if (auto p = env("MFAENV_PROFILE"); p && !p->empty()) return {*p, ProfileOrigin::kMfaenvProfile, {}};
  return {"default", ProfileOrigin::kDefault, {}};
}

bool profile_was_given(const ProfileName& name) { return name.origin != ProfileOrigin::kDefault; }

// `mfaenv config` reads profiles as `aws configure` does: without MFAENV_PROFILE.
std::string choose_profile(const std::string& argument, const std::string& flag) {
  if (!argument.empty()) return argument;
  if (!flag.empty()) return flag;
  if (auto p = env("AWS_PROFILE"); p && !p->empty()) return *p;
  if (auto p = env("AWS_DEFAULT_PROFILE"); p && !p->empty()) return *p;
  return "default";
}

}  // namespace mfaenv
