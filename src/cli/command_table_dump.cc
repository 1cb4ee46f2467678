// mfaenv __command-table --json (hidden): the command table as JSON, for the man page check and
// other tools that must agree with the binary (shape in docs/cli.md).
#include <cstdio>

#include "cli/command_table.h"
#include "cli/fast_commands.h"

#ifndef MFAENV_VERSION
#define MFAENV_VERSION "0.0.0"
#endif

namespace mfaenv {

Status command_table_command(const CommandLine&) {
  const std::string text = command_table_json(MFAENV_VERSION);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return {};
}

}  // namespace mfaenv
