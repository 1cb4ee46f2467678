// `mfaenv exec P --server -- CMD` and `mfaenv serve P`: a credential endpoint on 127.0.0.1 in the
// container-credentials format, kept fresh by a SessionKeeper (docs/server.md).
#pragma once

#include <string>
#include <vector>

#include "creds/resolver.h"
#include "output/env_writer.h"

namespace mfaenv {

struct ServedProfile {
  ProfileLoader& profiles;  // used by the keeper's thread only, once serving starts
  const SessionCache& cache;
  const Chain& chain;
  StsApi& sts;                // for the keeper's refreshes (a thread of its own uses it)
  ResolvedCredentials first;  // resolved before serving, on the terminal when one was needed
  ResolveOptions refresh;     // how later refreshes may ask for a code
};

// The variables a program needs to use the server, and the ones it must not see: no AWS keys, no
// profile, no credentials file (a [default] there would win over the server in every SDK).
EnvChange server_environment(const std::string& url, const std::string& token, const Chain& chain);

// Runs `command` while serving; mfaenv then ends as the command did (never returns on success).
Status serve_command(const ServedProfile& served, const std::vector<std::string>& command);

// Prints the variables in `format` on stdout and serves until SIGINT, SIGTERM or SIGHUP.
Status serve_until_interrupted(const ServedProfile& served, EnvFormat format);

}  // namespace mfaenv
