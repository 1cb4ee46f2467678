// The subcommands of `mfaenv policy`, one file each (policy.cc registers them all), and what they share.
#pragma once

#include <optional>
#include <string>

#include "cli/command.h"
#include "policy/check.h"

namespace mfaenv {

void add_policy_check(CLI::App& policy, CommandAction& run);
void add_policy_simulate(CLI::App& policy, CommandAction& run);
void add_policy_attach(CLI::App& policy, CommandAction& run);

// The profile's mfaenv_session_duration and mfaenv_mfa_max_age as its credential chain uses them
// (inherited down source_profile). Errors (kConfigInvalid) for an unknown profile or a bad value.
Result<ProfileSessionLimits> read_session_limits(const std::string& profile);

}  // namespace mfaenv
