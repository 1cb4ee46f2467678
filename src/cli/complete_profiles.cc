// mfaenv __complete-profiles (hidden): the profile names, one per line, for the completion scripts
// to offer at every TAB. Reads the two AWS config files only: no cache, no STS.
#include <cstdio>
#include <string>

#include "aws/config.h"
#include "cli/fast_commands.h"
#include "util/printable.h"

namespace mfaenv {

void print_profile_names(const AwsConfig& config) {
  constexpr size_t kChunk = 64 * 1024;
  std::string out;
  // printable: a section name may hold terminal escapes (attack 2, F15); plain names are unchanged.
  for (const std::string_view name : config.profile_names()) {
    out += printable(name, kMaxLineText);
    out += '\n';
    if (out.size() >= kChunk) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
}

Status complete_profiles_command(const CommandLine&) {
  const AwsConfig config = MFAENV_TRY(AwsConfig::load(config_paths_from_env()));
  print_profile_names(config);
  return {};
}

}  // namespace mfaenv
