// Finding and loading mfaenv-httplib.so, the module that holds cpp-httplib (see http_listener.h).
#pragma once

#include <memory>
#include <string>

#include "server/http_listener.h"
#include "util/result.h"

namespace mfaenv {

// Where the module is looked for: next to the running mfaenv, then in ../lib/mfaenv/ from it.
std::string listener_module_path();

// Loads the module (once per process) and binds a listener on `host`:`port` (0: any free port).
Result<std::unique_ptr<HttpListener>> open_http_listener(const std::string& host, int port, const ListenerLimits& limits,
                                                         HttpHandler handler);

}  // namespace mfaenv
