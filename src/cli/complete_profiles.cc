// mfaenv __complete-profiles (hidden): the profile names, one per line, for the completion scripts
// to offer at every TAB. Reads the two AWS config files only: no cache, no STS.
#include <cstdio>

#include "aws/config.h"
#include "cli/fast_commands.h"

namespace mfaenv {

Status complete_profiles_command(const CommandLine&) {
  const AwsConfig config = MFAENV_TRY(AwsConfig::load(config_paths_from_env()));
  std::string out;
  for (const auto& name : config.profile_names()) {
    out += name;
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return {};
}

}  // namespace mfaenv
