// An HTTP request and response as plain data: what the signer signs and the client sends.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mfaenv {

// `path` is as it will go on the wire (already percent-encoded by the caller); `query` is the raw
// query string without '?'.
struct HttpRequest {
  std::string method = "GET";
  std::string host;      // also the Host header; "host:port" when the port is not the default
  std::string path = "/";
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;  // in order; names as given
  std::string body;
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
};

}  // namespace mfaenv
