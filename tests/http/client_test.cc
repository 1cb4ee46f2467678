// The HTTPS client against a local server with a throw-away CA (https_server.py): success with the
// CA given, and the message a person gets for an untrusted certificate, a wrong host name, a refused
// connection, a timeout, a failed DNS lookup and a proxy from the environment.
#include "http/client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "support/subprocess.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

using testing_support::BackgroundProcess;
using testing_support::ProcessOutcome;
using testing_support::run_process;

const char* const kProxyVariables[] = {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy",
                                       "ALL_PROXY",  "no_proxy",    "NO_PROXY"};

// A port on the loopback where nothing listens: bound once by us, then released.
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

class HttpClient : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The machine's proxy settings must not decide these tests; the proxy test sets its own.
    for (const char* name : kProxyVariables) unsetenv(name);
    dir_ = std::filesystem::temp_directory_path() / ("mfaenv-http-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    server_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"/usr/bin/python3", std::string(TEST_SOURCE_DIR) + "/https_server.py", dir_.string()});
    const std::string line = server_->read_line();
    ASSERT_FALSE(line.empty()) << "the HTTPS test server did not start (is openssl installed?)";
    const auto info = nlohmann::json::parse(line);
    https_host_ = "127.0.0.1:" + std::to_string(info["https_port"].get<int>());
    silent_host_ = "127.0.0.1:" + std::to_string(info["silent_port"].get<int>());
    ca_ = info["ca"];
    other_ca_ = info["other_ca"];
  }
  static void TearDownTestSuite() {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  static HttpOptions fast_options() {
    HttpOptions options;
    options.connect_timeout = Seconds(2);
    options.total_timeout = Seconds(2);
    return options;
  }

  static inline std::filesystem::path dir_;
  static inline std::unique_ptr<BackgroundProcess> server_;
  static inline std::string https_host_, silent_host_, ca_, other_ca_;
};

TEST_F(HttpClient, SucceedsWithTheCaBundle) {
  HttpRequest request;
  request.method = "POST";
  request.host = https_host_;
  request.path = "/sts";
  request.query = "a=1";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Amz-Date", "20261123T180000Z"}};
  request.body = "Action=GetCallerIdentity&Version=2011-06-15";
  HttpOptions options = fast_options();
  options.ca_bundle = ca_;
  HttpFailure failure = HttpFailure::kOther;
  const auto response = send_request(request, options, &failure);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(failure, HttpFailure::kNone);
  EXPECT_EQ(response->status, 200);
  // Names arrive lower-cased whatever the server wrote ("X-Echo-Test").
  bool found = false;
  for (const auto& [name, value] : response->headers) found = found || (name == "x-echo-test" && value == "Yes");
  EXPECT_TRUE(found);
  const auto echo = nlohmann::json::parse(response->body);
  EXPECT_EQ(echo["method"], "POST");
  EXPECT_EQ(echo["path"], "/sts?a=1");
  EXPECT_EQ(echo["body"], "Action=GetCallerIdentity&Version=2011-06-15");
  bool date_sent = false;
  for (const auto& header : echo["headers"]) {
    date_sent = date_sent || (header[0] == "X-Amz-Date" && header[1] == "20261123T180000Z");
    EXPECT_NE(to_lower(header[0].get<std::string>()), "expect");  // no 100-continue round trip
  }
  EXPECT_TRUE(date_sent);
}

TEST_F(HttpClient, HttpErrorStatusIsAResponseNotAnError) {
  HttpRequest request;
  request.host = https_host_;
  request.path = "/status/503";
  HttpOptions options = fast_options();
  options.ca_bundle = ca_;
  const auto response = send_request(request, options);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 503);
}

TEST_F(HttpClient, UntrustedCertificateNamesHostAndHint) {
  HttpRequest request;
  request.host = https_host_;
  HttpFailure failure{};
  const auto response = send_request(request, fast_options(), &failure);  // system CAs only
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(failure, HttpFailure::kCertificate);
  EXPECT_EQ(response.error().kind, ErrorKind::kStsUnavailable);
  const std::string& message = response.error().message;
  EXPECT_TRUE(contains(message, "TLS certificate of " + https_host_)) << message;
  EXPECT_TRUE(contains(message, "AWS_CA_BUNDLE")) << message;
  EXPECT_FALSE(contains(message, "\n")) << message;
}

TEST_F(HttpClient, BundleReplacesTheSystemStore) {
  // A bundle holding another CA: the server's own CA is not consulted behind the user's back.
  HttpRequest request;
  request.host = https_host_;
  HttpOptions options = fast_options();
  options.ca_bundle = other_ca_;
  HttpFailure failure{};
  const auto response = send_request(request, options, &failure);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(failure, HttpFailure::kCertificate);
  EXPECT_TRUE(contains(response.error().message, "checked against the CA bundle " + other_ca_)) << response.error().message;
}

TEST_F(HttpClient, WrongHostNameIsACertificateError) {
  // The certificate is for IP 127.0.0.1; "localhost" reaches the same server under another name.
  HttpRequest request;
  request.host = "localhost:" + https_host_.substr(https_host_.find(':') + 1);
  HttpOptions options = fast_options();
  options.ca_bundle = ca_;
  HttpFailure failure{};
  const auto response = send_request(request, options, &failure);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(failure, HttpFailure::kCertificate);
  EXPECT_TRUE(contains(response.error().message, "TLS certificate of localhost:")) << response.error().message;
  EXPECT_TRUE(contains(response.error().message, "localhost")) << response.error().message;
}

TEST_F(HttpClient, RefusedConnection) {
  HttpRequest request;
  request.host = "127.0.0.1:" + std::to_string(free_port());
  HttpFailure failure{};
  const auto response = send_request(request, fast_options(), &failure);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(failure, HttpFailure::kRefused);
  EXPECT_EQ(response.error().kind, ErrorKind::kStsUnavailable);
  EXPECT_TRUE(contains(response.error().message, "connection to https://" + request.host + " refused"))
      << response.error().message;
}

TEST_F(HttpClient, SilentServerTimesOutOnTime) {
  HttpRequest request;
  request.host = silent_host_;
  HttpOptions options = fast_options();
  options.total_timeout = Seconds(1);
  HttpFailure failure{};
  const auto start = std::chrono::steady_clock::now();
  const auto response = send_request(request, options, &failure);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(failure, HttpFailure::kTimeout);
  EXPECT_EQ(response.error().kind, ErrorKind::kStsUnavailable);
  EXPECT_TRUE(contains(response.error().message, "timed out after 1s in the TLS handshake with https://" + silent_host_))
      << response.error().message;
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500));
}

TEST_F(HttpClient, DnsFailure) {
  HttpRequest request;
  request.host = "nonexistent.invalid";
  HttpFailure failure{};
  const auto response = send_request(request, fast_options(), &failure);
  ASSERT_FALSE(response.ok());
  // A resolver that cannot be reached at all ends in a timeout instead; both are "unavailable".
  EXPECT_TRUE(failure == HttpFailure::kDns || failure == HttpFailure::kTimeout) << response.error().message;
  EXPECT_EQ(response.error().kind, ErrorKind::kStsUnavailable);
  if (failure == HttpFailure::kDns) {
    EXPECT_TRUE(contains(response.error().message, "cannot resolve nonexistent.invalid (DNS lookup failed)"))
        << response.error().message;
  }
}

TEST_F(HttpClient, ProxyFromTheEnvironmentIsUsedAndNamed) {
  HttpRequest request;
  request.host = https_host_;
  HttpOptions options = fast_options();
  options.ca_bundle = ca_;
  setenv("HTTPS_PROXY", ("http://127.0.0.1:" + std::to_string(free_port())).c_str(), 1);
  const auto through_dead_proxy = send_request(request, options);
  setenv("NO_PROXY", "127.0.0.1", 1);
  const auto bypassing_proxy = send_request(request, options);
  unsetenv("HTTPS_PROXY");
  unsetenv("NO_PROXY");
  ASSERT_FALSE(through_dead_proxy.ok());
  EXPECT_TRUE(contains(through_dead_proxy.error().message,
                       "connection refused on the way to https://" + https_host_ + " through the proxy in HTTPS_PROXY"))
      << through_dead_proxy.error().message;
  ASSERT_TRUE(bypassing_proxy.ok()) << bypassing_proxy.error().message;
  EXPECT_EQ(bypassing_proxy->status, 200);
}

TEST_F(HttpClient, UnreadableCaBundleIsAConfigurationError) {
  HttpRequest request;
  request.host = https_host_;
  HttpOptions options = fast_options();
  options.ca_bundle = (dir_ / "missing.pem").string();
  HttpFailure failure{};
  const auto response = send_request(request, options, &failure);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(failure, HttpFailure::kCaBundleUnreadable);
  EXPECT_EQ(response.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_TRUE(contains(response.error().message, "cannot read the CA bundle (from AWS_CA_BUNDLE or the profile's "
                                                 "ca_bundle): " + *options.ca_bundle + ": no such file"))
      << response.error().message;
}

TEST_F(HttpClient, AFifoAsCaBundleFailsAtOnceInsteadOfHanging) {
  HttpRequest request;
  request.host = https_host_;
  HttpOptions options = fast_options();
  options.ca_bundle = (dir_ / "fifo.pem").string();
  ASSERT_EQ(mkfifo(options.ca_bundle->c_str(), 0600), 0);
  HttpFailure failure{};
  const auto response = send_request(request, options, &failure);  // a hang here times the test out
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(failure, HttpFailure::kCaBundleUnreadable);
  EXPECT_TRUE(contains(response.error().message, *options.ca_bundle + " is a FIFO")) << response.error().message;
}

TEST_F(HttpClient, LineBreakInAHeaderIsRefusedBeforeSending) {
  HttpRequest request;
  request.host = https_host_;
  request.headers = {{"X-Test", "a\r\nInjected: yes"}};
  HttpFailure failure{};
  const auto response = send_request(request, fast_options(), &failure);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(failure, HttpFailure::kInvalidRequest);
  EXPECT_FALSE(contains(response.error().message, "Injected")) << response.error().message;  // values stay out
}

}  // namespace
}  // namespace mfaenv
