// send_request on libcurl's easy interface: one handle per request, TLS verification always on,
// and every CURLcode a person may meet turned into one line that says what to check.
#include "http/client.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "http/curl_library.h"
#include "util/file.h"
#include "util/loopback.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

// STS answers are a few kilobytes; anything far larger is not STS.
constexpr size_t kMaxResponseBytes = 16 * 1024 * 1024;

struct Received {
  HttpResponse response;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* received = static_cast<Received*>(user);
  const size_t bytes = size * count;
  if (received->response.body.size() + bytes > kMaxResponseBytes) {
    received->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  received->response.body.append(data, bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* received = static_cast<Received*>(user);
  const size_t bytes = size * count;
  const std::string_view line = trim(std::string_view(data, bytes), "\r\n");
  auto& headers = received->response.headers;
  if (starts_with(line, "HTTP/")) {
    headers.clear();  // a new response (after 100 Continue or a proxy's CONNECT): only the last counts
  } else if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    if (!headers.empty()) headers.back().second += ' ' + std::string(trim(line));
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    headers.emplace_back(to_lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  }
  return bytes;
}

// Owns the easy handle and the header list, whatever path send_request leaves by.
class Transfer {
 public:
  explicit Transfer(const CurlLibrary& curl) : curl_(curl), handle_(curl.easy_init()) {}
  ~Transfer() {
    if (headers_ != nullptr) curl_.slist_free_all(headers_);
    if (handle_ != nullptr) curl_.easy_cleanup(handle_);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* handle() const { return handle_; }
  void add_header(const std::string& line) { headers_ = curl_.slist_append(headers_, line.c_str()); }
  curl_slist* headers() const { return headers_; }

 private:
  const CurlLibrary& curl_;
  CURL* handle_;
  curl_slist* headers_ = nullptr;
};

Error fail(HttpFailure* failure, HttpFailure what, ErrorKind kind, std::string message) {
  if (failure != nullptr) *failure = what;
  return Error{kind, std::move(message)};
}

std::string host_name(const std::string& host) {
  if (!host.empty() && host.front() == '[') return host.substr(1, host.find(']') - 1);  // "[::1]:443"
  const auto colon = host.find(':');
  return colon != std::string::npos && host.find(':', colon + 1) == std::string::npos ? host.substr(0, colon) : host;
}

// Plain http to this computer never goes through a proxy: the proxy would read the MFA code and the
// keys in clear, and its own loopback is not ours anyway. (https to a loopback emulator may use a
// CONNECT proxy: the tunnel is end to end.)
bool bypasses_proxy(const std::string& scheme, const std::string& host) {
  return scheme == "http" && is_loopback_host(to_lower(host_name(host)));
}

// Whether libcurl sends this request through a proxy from the environment, and the variable that
// names it, for messages only. NO_PROXY is matched as libcurl does for names and exact addresses
// ("*", "example.com" also covering "sts.example.com"); CIDR entries are not interpreted.
std::optional<std::string> proxy_variable(const std::string& scheme, const std::string& host) {
  if (bypasses_proxy(scheme, host)) return std::nullopt;
  const std::vector<const char*> names = scheme == "https"
                                             ? std::vector<const char*>{"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}
                                             : std::vector<const char*>{"http_proxy", "all_proxy", "ALL_PROXY"};
  std::optional<std::string> variable;
  for (const char* name : names) {
    if (auto value = env(name); value && !value->empty()) {
      variable = name;
      break;
    }
  }
  if (!variable) return std::nullopt;
  auto no_proxy = env("no_proxy");
  if (!no_proxy || no_proxy->empty()) no_proxy = env("NO_PROXY");
  const std::string name = to_lower(host_name(host));
  for (const auto& raw : split(no_proxy.value_or(""), ',')) {
    std::string entry = to_lower(trim(raw));
    if (entry == "*") return std::nullopt;
    if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
    if (entry.empty()) continue;
    if (name == entry || (name.size() > entry.size() && name.ends_with("." + entry))) return std::nullopt;
  }
  return variable;
}

Status check_request(const HttpRequest& request, const HttpOptions& options, HttpFailure* failure) {
  if (options.scheme != "https" && options.scheme != "http")
    return fail(failure, HttpFailure::kInvalidRequest, ErrorKind::kGeneric,
                fmt::format("unsupported URL scheme '{}' (use https)", options.scheme));
  if (request.host.empty() || request.host.find_first_of("/?#@ \r\n") != std::string::npos)
    return fail(failure, HttpFailure::kInvalidRequest, ErrorKind::kGeneric,
                fmt::format("invalid host name '{}' in the endpoint", request.host));
  if (!request.path.empty() && request.path.front() != '/')
    return fail(failure, HttpFailure::kInvalidRequest, ErrorKind::kGeneric, "the request path must start with '/'");
  for (const auto& [name, value] : request.headers) {
    // A line break would let a value start a header of its own.
    if (name.empty() || name.find_first_of(":\r\n") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos)
      return fail(failure, HttpFailure::kInvalidRequest, ErrorKind::kGeneric,
                  fmt::format("HTTP header '{}' has an invalid name or a line break in its value", name));
  }
  if (options.ca_bundle) {
    // Checked with read_file before curl opens it: a FIFO or a folder fails at once instead of
    // hanging curl's fopen.
    auto bundle = read_file(*options.ca_bundle, Symlinks::kFollow, 64 << 20);
    std::string problem = !bundle.ok()               ? bundle.error().message
                          : !bundle->has_value()     ? *options.ca_bundle + ": no such file"
                                                     : "";
    if (!problem.empty())
      return fail(failure, HttpFailure::kCaBundleUnreadable, ErrorKind::kConfigInvalid,
                  fmt::format("cannot read the CA bundle (from AWS_CA_BUNDLE or the profile's ca_bundle): {}", problem));
  }
  return {};
}

std::string detail(const char* error_buffer, const CurlLibrary& curl, CURLcode code) {
  std::string text = error_buffer[0] != '\0' ? error_buffer : curl.easy_strerror(code);
  while (!text.empty() && (text.back() == '\n' || text.back() == '.')) text.pop_back();
  for (auto& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

Error describe_failure(const CurlLibrary& curl, CURL* handle, CURLcode code, const char* error_buffer,
                       const HttpRequest& request, const HttpOptions& options, HttpFailure* failure) {
  const std::string target = options.scheme + "://" + request.host;
  const std::string why = detail(error_buffer, curl, code);
  std::string proxy_note;
  const auto proxy = proxy_variable(options.scheme, request.host);
  if (proxy) proxy_note = fmt::format(" through the proxy in {} (check it, or list the host in NO_PROXY)", *proxy);
  const std::string ca_hint =
      options.ca_bundle ? fmt::format("; the certificate was checked against the CA bundle {} only: it must hold "
                                      "the CA that issued the endpoint's (or the proxy's) certificate",
                                      *options.ca_bundle)
                        : "; if the endpoint or a TLS-inspecting proxy uses a private CA, set AWS_CA_BUNDLE "
                          "(or ca_bundle in the profile) to its PEM file";
  const auto unavailable = ErrorKind::kStsUnavailable;

  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return fail(failure, HttpFailure::kDns, unavailable,
                  fmt::format("cannot resolve {} (DNS lookup failed): check the endpoint name and your network", request.host));
    case CURLE_COULDNT_RESOLVE_PROXY:
      return fail(failure, HttpFailure::kDns, unavailable,
                  fmt::format("cannot resolve the proxy host on the way to {}{}: {}", target, proxy_note, why));
    case CURLE_COULDNT_CONNECT: {
      long os_errno = 0;
      curl.easy_getinfo(handle, CURLINFO_OS_ERRNO, &os_errno);
      if (os_errno == ECONNREFUSED && proxy)
        return fail(failure, HttpFailure::kRefused, unavailable,
                    fmt::format("connection refused on the way to {}{}", target, proxy_note));
      if (os_errno == ECONNREFUSED)
        return fail(failure, HttpFailure::kRefused, unavailable,
                    fmt::format("connection to {} refused: nothing is listening there; check the endpoint", target));
      return fail(failure, HttpFailure::kRefused, unavailable,
                  fmt::format("cannot connect to {}{}: {}", target, proxy_note, why));
    }
    case CURLE_OPERATION_TIMEDOUT: {
      // For https, libcurl counts the connection as made only after the TLS handshake; the
      // primary IP is known as soon as TCP is connected.
      curl_off_t total_us = 0;
      curl_off_t connected_us = 0;
      char* primary_ip = nullptr;
      curl.easy_getinfo(handle, CURLINFO_TOTAL_TIME_T, &total_us);
      curl.easy_getinfo(handle, CURLINFO_CONNECT_TIME_T, &connected_us);
      curl.easy_getinfo(handle, CURLINFO_PRIMARY_IP, &primary_ip);
      const long long seconds = (total_us + 500000) / 1000000;
      if (connected_us > 0)
        return fail(failure, HttpFailure::kTimeout, unavailable,
                    fmt::format("timed out after {}s waiting for the answer from {}{}: the service is slow or unreachable",
                                seconds, target, proxy_note));
      if (primary_ip != nullptr && *primary_ip != '\0' && !proxy)
        return fail(failure, HttpFailure::kTimeout, unavailable,
                    fmt::format("timed out after {}s in the TLS handshake with {}: the server accepted the connection "
                                "but did not answer; is it an HTTPS endpoint?", seconds, target));
      return fail(failure, HttpFailure::kTimeout, unavailable,
                  fmt::format("timed out after {}s connecting to {}{}: check the endpoint and your network", seconds,
                              target, proxy_note));
    }
    case CURLE_PEER_FAILED_VERIFICATION: {
      // A wrong system date makes every certificate look expired (or not yet valid): say so first.
      const bool dates = why.find("expired") != std::string::npos || why.find("not yet valid") != std::string::npos;
      const std::string hint = dates ? fmt::format("; check this computer's date and time; if they are right, the "
                                                   "certificate of {} has expired: tell whoever runs it", request.host)
                                     : ca_hint;
      return fail(failure, HttpFailure::kCertificate, unavailable,
                  fmt::format("TLS certificate of {} rejected ({}){}", request.host, why, hint));
    }
    case CURLE_SSL_CACERT_BADFILE:
      return fail(failure, HttpFailure::kCaBundleUnreadable, ErrorKind::kConfigInvalid,
                  fmt::format("the CA bundle {} holds no usable certificate: {}", options.ca_bundle.value_or("(system)"), why));
    case CURLE_SSL_CONNECT_ERROR:
      return fail(failure, HttpFailure::kTls, unavailable,
                  fmt::format("TLS handshake with {} failed{}: {}", target, proxy_note, why));
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return fail(failure, HttpFailure::kConnectionLost, unavailable,
                  fmt::format("connection to {} lost before a complete answer{}: {}", target, proxy_note, why));
    default:
      return fail(failure, HttpFailure::kOther, unavailable,
                  fmt::format("request to {} failed{}: {}", target, proxy_note, why));
  }
}

}  // namespace

bool http_library_loaded() { return curl_library_loaded(); }

Result<HttpResponse> send_request(const HttpRequest& request, const HttpOptions& options, HttpFailure* failure) {
  if (failure != nullptr) *failure = HttpFailure::kNone;
  MFAENV_CHECK(check_request(request, options, failure));
  auto library = load_curl_library();
  if (!library.ok()) return fail(failure, HttpFailure::kLibraryMissing, library.error().kind, library.error().message);
  const CurlLibrary& curl = **library;

  Transfer transfer(curl);
  CURL* h = transfer.handle();
  if (h == nullptr) return fail(failure, HttpFailure::kOther, ErrorKind::kGeneric, "libcurl cannot create a handle");

  std::string url = options.scheme + "://" + request.host + (request.path.empty() ? "/" : request.path);
  if (!request.query.empty()) url += '?' + request.query;
  char error_buffer[CURL_ERROR_SIZE] = {};
  Received received;

  curl.easy_setopt(h, CURLOPT_URL, url.c_str());
  curl.easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: safe with threads
  if (bypasses_proxy(options.scheme, request.host)) curl.easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (options.ca_bundle) {
    curl.easy_setopt(h, CURLOPT_CAINFO, options.ca_bundle->c_str());
    curl.easy_setopt(h, CURLOPT_CAPATH, static_cast<const char*>(nullptr));  // the bundle replaces /etc/ssl/certs
  }
  curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count() * 1000));
  curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count() * 1000));
  curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
  curl.easy_setopt(h, CURLOPT_WRITEDATA, &received);
  curl.easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
  curl.easy_setopt(h, CURLOPT_HEADERDATA, &received);

  if (request.method == "GET" && request.body.empty()) {
    curl.easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    if (request.method != "POST") curl.easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl.easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }

  bool has_user_agent = false;
  for (const auto& [name, value] : request.headers) {
    has_user_agent = has_user_agent || iequals(name, "user-agent");
    // "Name;" is libcurl's way of sending a header with an empty value.
    transfer.add_header(value.empty() ? name + ';' : name + ": " + value);
  }
  transfer.add_header("Expect:");  // no 100-continue round trip for a small body
  if (!has_user_agent) curl.easy_setopt(h, CURLOPT_USERAGENT, "mfaenv");
  curl.easy_setopt(h, CURLOPT_HTTPHEADER, transfer.headers());

  const CURLcode code = curl.easy_perform(h);
  if (received.too_large)
    return fail(failure, HttpFailure::kResponseTooLarge, ErrorKind::kStsUnavailable,
                fmt::format("the answer from {}://{} is larger than {} MiB: this is not an STS endpoint",
                            options.scheme, request.host, kMaxResponseBytes >> 20));
  if (code != CURLE_OK) return describe_failure(curl, h, code, error_buffer, request, options, failure);
  curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &received.response.status);
  return std::move(received.response);
}

}  // namespace mfaenv
