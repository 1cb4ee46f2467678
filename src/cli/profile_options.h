// Which profile a command acts on, in one place: the PROFILE argument and --profile every
// profile command takes, and the order they and the environment are read in (docs/config.md).
#pragma once

#include <string>

#include "cli/cli11.h"

#include "aws/profile_settings.h"

namespace mfaenv {

struct ProfileOptions {
  std::string argument;  // PROFILE
  std::string flag;      // --profile
};

// Adds the optional PROFILE argument and --profile to a command.
void add_profile_options(CLI::App* cmd, std::string& argument, std::string& flag);
void add_profile_options(CLI::App* cmd, ProfileOptions& options);

// The argument, else --profile, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else MFAENV_PROFILE
// (inside `mfaenv exec` / `eval "$(mfaenv env)"`, which unset the two AWS variables), else
// "default"; with where the name came from.
ProfileName choose_profile_name(const std::string& argument, const std::string& flag);
inline ProfileName choose_profile_name(const ProfileOptions& options) {
  return choose_profile_name(options.argument, options.flag);
}

// Whether the user named a profile (anything but the "default" fallback).
bool profile_was_given(const ProfileName& name);

}  // namespace mfaenv
