// The credential server's parts: the token, the endpoint's checks and answers, and the listener
// module over a real loopback socket (bind refusal, a slow client cut off at the deadline).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/endpoint.h"
#include "server/listener_module.h"
#include "server/token.h"
#include "util/loopback.h"

namespace mfaenv {
namespace {

TEST(ServerToken, Is256RandomBitsAsHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = make_server_token();
    ASSERT_EQ(t.size(), 64u);
    EXPECT_EQ(t.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
  const std::string t = make_server_token();
  EXPECT_TRUE(token_matches(t, t));
  EXPECT_FALSE(token_matches(t.substr(0, 63), t));
  EXPECT_FALSE(token_matches(t + "0", t));
  EXPECT_FALSE(token_matches("", ""));
  std::string flipped = t;
  flipped[63] = flipped[63] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(token_matches(flipped, t));
}

Credentials session_keys() {
  Credentials c;
  c.access_key_id = "ASIAEXAMPLE";
  c.secret_access_key = "secret";
  c.session_token = "token";
  return c;
}

class Endpoint : public ::testing::Test {
 protected:
  CredentialEndpoint endpoint{"t0ken", "127.0.0.1", 4242, [this]() -> Result<ServedCredentials> {
                                ++supplied;
                                if (!available) return make_error(ErrorKind::kMfaCodeNeeded, "run 'mfaenv login alice'");
                                return ServedCredentials{session_keys(), TimePoint(Seconds(1800000000))};
                              }};
  HttpRequest good() { return HttpRequest{"GET", "/credentials", "127.0.0.1:4242", "t0ken", false}; }
  int supplied = 0;
  bool available = true;
};

TEST_F(Endpoint, AnswersTheContainerCredentialsShape) {
  EXPECT_EQ(endpoint.url(), "http://127.0.0.1:4242/credentials");
  HttpResponse r = endpoint.answer(good());
  ASSERT_EQ(r.status, 200);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["AccessKeyId"], "ASIAEXAMPLE");
  EXPECT_EQ(j["SecretAccessKey"], "secret");
  EXPECT_EQ(j["Token"], "token");
  EXPECT_EQ(j["Expiration"], "2027-01-15T08:00:00Z");
}

TEST_F(Endpoint, RefusesOtherHostsTokensMethodsAndPaths) {
  struct Case {
    std::function<void(HttpRequest&)> change;
    int status;
    const char* code;
  };
  const Case cases[] = {
      {[](HttpRequest& r) { r.host = "evil.example:4242"; }, 403, "InvalidHost"},
      {[](HttpRequest& r) { r.host = "localhost:4242"; }, 403, "InvalidHost"},
      {[](HttpRequest& r) { r.host = ""; }, 403, "InvalidHost"},
      {[](HttpRequest& r) { r.authorization = ""; }, 401, "MissingToken"},
      {[](HttpRequest& r) { r.authorization = "t0kem"; }, 403, "InvalidToken"},
      {[](HttpRequest& r) { r.authorization = "Bearer t0ken"; }, 403, "InvalidToken"},
      {[](HttpRequest& r) { r.method = "POST"; }, 405, "MethodNotAllowed"},
      {[](HttpRequest& r) { r.path = "/"; }, 404, "NotFound"},
      {[](HttpRequest& r) { r.path = "/credentials/"; }, 404, "NotFound"},
      {[](HttpRequest& r) { r.has_query = true; }, 404, "NotFound"},
  };
  for (const auto& c : cases) {
    HttpRequest request = good();
    c.change(request);
    HttpResponse r = endpoint.answer(request);
    EXPECT_EQ(r.status, c.status) << r.body;
    auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["Code"], c.code);
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
    EXPECT_EQ(r.body.find("t0ken"), std::string::npos);
  }
  EXPECT_EQ(supplied, 0);  // nothing was looked up for a refused request
}

TEST_F(Endpoint, NoCredentialsIsAnErrorTheSdkShows) {
  available = false;
  HttpResponse r = endpoint.answer(good());
  EXPECT_EQ(r.status, 503);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["Code"], "CredentialsUnavailable");
  EXPECT_EQ(j["Message"], "run 'mfaenv login alice'");
}

TEST(Loopback, OnlyIpv4LoopbackAddresses) {
  for (const char* ok : {"127.0.0.1", "127.1.2.3", "127.255.255.254"}) EXPECT_TRUE(is_loopback_ipv4(ok)) << ok;
  for (const char* bad : {"0.0.0.0", "10.0.0.1", "::1", "localhost", "127.0.0", "127.0.0.1.5", "127.0.0.256", "", "128.0.0.1"})
    EXPECT_FALSE(is_loopback_ipv4(bad)) << bad;
}

// A module built next to mfaenv; this test binary lives elsewhere.
void use_built_module() {
  const char* binary = std::getenv("MFAENV_BINARY");
  ASSERT_NE(binary, nullptr);
  std::string folder(binary);
  folder = folder.substr(0, folder.rfind('/'));
  ::setenv("MFAENV_HTTP_MODULE", (folder + "/mfaenv-httplib.so").c_str(), 1);
}

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string exchange(int port, const std::string& request) {
  const int fd = connect_to(port);
  if (fd < 0) return "";
  (void)!::write(fd, request.data(), request.size());
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

TEST(Listener, RefusesANonLoopbackAddress) {
  use_built_module();
  auto listener = open_http_listener("0.0.0.0", 0, ListenerLimits{}, [](const HttpRequest&) { return HttpResponse{}; });
  ASSERT_FALSE(listener.ok());
  EXPECT_NE(listener.error().message.find("not a loopback address"), std::string::npos);
}

TEST(Listener, AnswersAndCutsOffASlowClient) {
  use_built_module();
  ListenerLimits limits;
  limits.workers = 2;
  limits.connection_deadline_ms = 800;
  auto listener = open_http_listener("127.0.0.1", 0, limits, [](const HttpRequest& r) {
    return HttpResponse{200, "{\"host\":\"" + r.host + "\",\"auth\":\"" + r.authorization + "\"}"};
  });
  ASSERT_TRUE(listener.ok()) << listener.error().message;
  const int port = (*listener)->port();
  std::thread runner([&] { (*listener)->run(); });
  while (!(*listener)->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  const std::string answer = exchange(port, "GET /credentials HTTP/1.1\r\nHost: h:1\r\nAuthorization: abc\r\nConnection: close\r\n\r\n");
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_NE(answer.find("{\"host\":\"h:1\",\"auth\":\"abc\"}"), std::string::npos) << answer;

  // Two clients that send a byte now and then hold both workers; the deadline frees them.
  std::vector<int> slow;
  for (int i = 0; i < 2; ++i) slow.push_back(connect_to(port));
  const auto started = std::chrono::steady_clock::now();
  std::thread trickle([&] {
    for (int i = 0; i < 30; ++i) {
      for (int fd : slow) (void)!::send(fd, "G", 1, MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  const std::string later = exchange(port, "GET /credentials HTTP/1.1\r\nHost: h:1\r\nConnection: close\r\n\r\n");
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_NE(later.find("HTTP/1.1 200"), std::string::npos) << later;
  EXPECT_LT(waited, std::chrono::seconds(3));
  trickle.join();
  char byte;
  for (int fd : slow) {
    EXPECT_LE(::read(fd, &byte, 1), 0);  // closed by the server
    ::close(fd);
  }
  (*listener)->stop();
  runner.join();
}

}  // namespace
}  // namespace mfaenv
