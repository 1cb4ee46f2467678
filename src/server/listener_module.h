// Finding and loading mfaenv-httplib.so, the module that holds cpp-httplib (see http_listener.h).
#pragma once

#include <memory>
#include <string>

#include "server/http_listener.h"
#include "util/result.h"

namespace mfaenv {

// Loads the module (once per process): next to the running mfaenv, else ../lib/mfaenv/ from it
// (MFAENV_HTTP_MODULE names the file instead, for tests only), and binds a listener on `host`:`port` (0: any free port).
Result<std::unique_ptr<HttpListener>> open_http_listener(const std::string& host, int port, const ListenerLimits& limits,
                                                         HttpHandler handler);

}  // namespace mfaenv
