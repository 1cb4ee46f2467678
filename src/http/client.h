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
  // AWS_CA_BUNDLE / profile ca_bundle: a PEM file that REPLACES the system CAs, as in botocore and
  // the AWS CLI (docs/sigv4-and-http.md). An unreadable file is an Error of kind kConfigInvalid.
  std::optional<std::string> ca_bundle;
  Seconds connect_timeout{5};
  Seconds total_timeout{30};
};

// What went wrong, for the caller's retry decision: kDns, kRefused, kTimeout and kConnectionLost
// may pass; the others will fail the same way again.
enum class HttpFailure {
  kNone,
  kLibraryMissing,      // libcurl.so.4 cannot be loaded
  kInvalidRequest,      // no host, a line break in a header, an unknown scheme
  kCaBundleUnreadable,  // ca_bundle names a file that cannot be read
  kDns,
  kRefused,
  kTimeout,
  kCertificate,         // the server's certificate is not trusted or names another host
  kTls,                 // any other TLS handshake failure
  kConnectionLost,      // reset, closed early, nothing received
  kResponseTooLarge,
  kOther,
};

// Sends `request` to scheme://request.host/path?query, once (retries belong to the caller). Network
// and TLS failures are Errors of kind kStsUnavailable with a message naming the cause (DNS, refused,
// timeout, certificate); an HTTP error status is not an Error (the caller reads the body). Proxies
// come from the environment as libcurl reads them (https_proxy/HTTPS_PROXY, no_proxy/NO_PROXY).
// A missing libcurl.so.4 is an Error of kind kGeneric that says to install libcurl4.
// `failure`, when given, receives the HttpFailure (kNone on success).
Result<HttpResponse> send_request(const HttpRequest& request, const HttpOptions& options,
                                  HttpFailure* failure = nullptr);

// True once libcurl has been loaded into this process (for tests of the hot-path rule).
bool http_library_loaded();

}  // namespace mfaenv
