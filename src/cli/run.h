// Runs mfaenv's command line (run.cc); main turns the result into an exit code.
#pragma once

#include "util/result.h"

namespace mfaenv {

Status run_command_line(int argc, char** argv);

}  // namespace mfaenv
