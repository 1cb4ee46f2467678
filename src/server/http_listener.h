// The HTTP listener the credential server answers through, as an interface of plain standard types:
// cpp-httplib lives in the module mfaenv-httplib.so (httplib_listener.cc), which mfaenv dlopen()s only
// when it serves. Debian's libcpp-httplib is a shared library that maps OpenSSL, zlib and brotli, so
// linking it into mfaenv would cost every command; this header is all the two sides share.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace mfaenv {

// Only what the endpoint checks: the rest of a request is never looked at.
struct HttpRequest {
  std::string method;
  std::string path;           // without the query string
  std::string host;           // the Host header ("" when missing)
  std::string authorization;  // the Authorization header ("" when missing)
  bool has_query = false;
};

struct HttpResponse {
  int status = 200;
  std::string body;  // always JSON
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// Bounds that keep a slow or greedy local client from tying the server up (see docs/server.md).
struct ListenerLimits {
  int workers = 16;               // requests answered at once
  int read_timeout_ms = 2000;     // silence allowed between two reads of a request
  int connection_deadline_ms = 5000;  // a connection's whole life, however slowly it trickles
};

class HttpListener {
 public:
  virtual ~HttpListener() = default;
  virtual int port() const = 0;
  // Answers requests until stop(); returns false when the listener failed.
  virtual bool run() = 0;
  // Whether run() is accepting connections: stop() before that would be lost (cpp-httplib's stop()
  // does nothing to a server that is not listening yet), so the caller waits for it.
  virtual bool running() const = 0;
  // From any thread: run() returns soon after.
  virtual void stop() = 0;
};

// The module's one entry point (extern "C", found with dlsym). `host` must be a loopback address;
// port 0 binds a free one. On failure returns nullptr and writes a reason into `error`.
inline constexpr int kListenerAbi = 2;
using CreateListenerFunction = HttpListener* (*)(int abi, const char* host, int port, const ListenerLimits* limits,
                                                 const HttpHandler* handler, char* error, unsigned long error_size);
inline constexpr const char* kCreateListenerSymbol = "mfaenv_create_http_listener";

}  // namespace mfaenv
