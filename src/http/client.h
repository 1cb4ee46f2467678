// HTTPS requests for STS. libcurl is dlopen()ed at the first request, so commands that make none
// (the warm-cache path) never map it. TLS verification is always on.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/request.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

struct HttpOptions {
  std::string scheme = "https";                 // "http" only for tests that say so
  std::optional<std::string> ca_bundle;         // AWS_CA_BUNDLE / profile ca_bundle: adds to the system CAs
  Seconds connect_timeout{5};
  Seconds total_timeout{30};
};

// Sends `request` to scheme://request.host/path?query. Network and TLS failures are Errors of kind
// kStsUnavailable with a message naming the cause (DNS, refused, timeout, certificate); an HTTP
// error status is not an Error (the caller reads the body).
Result<HttpResponse> send_request(const HttpRequest& request, const HttpOptions& options);

// True once libcurl has been loaded into this process (for tests of the hot-path rule).
bool http_library_loaded();

}  // namespace mfaenv
