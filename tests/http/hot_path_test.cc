// The hot-path rule (docs/design.md §7) as a test: warm `env` and `credential-process` (a usable session
// in the cache) map no network, TLS, D-Bus or keyring library and open no socket. LD_DEBUG=libs
// makes the dynamic loader name every library it loads, including those dlopen()ed later; strace
// lists every socket(). The controls below show that both checks do see libcurl and a socket once
// a request is made, so these tests can fail.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace mfaenv {
namespace {

using testing_support::BaseEnvironment;
using testing_support::ProcessOutcome;
using testing_support::run_process;
using testing_support::TempDir;

// Libraries the warm path must never load (matched anywhere in the loader's report).
constexpr const char* kForbidden[] = {"libcurl", "libssl",   "libcrypto", "libgnutls", "libsecret", "libdbus",
                                      "libgpgme", "httplib",  "libnss3",   "libgcrypt", "libglib",   "libgio",
                                      "libqrencode", "libz.so"};

std::string mfaenv_binary() {
  const char* path = std::getenv("MFAENV_BINARY");
  return path != nullptr ? path : "";
}

const char kAliceMfa[] = "arn:aws:iam::123456789012:mfa/alice";

class HotPath : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(home_.ok());
    ASSERT_FALSE(mfaenv_binary().empty()) << "MFAENV_BINARY is not set (run through ctest)";
    home_.write("config", std::string("[profile alice]\nmfa_serial = ") + kAliceMfa + "\nregion = eu-west-1\n");
    home_.write("credentials", "[alice]\naws_access_key_id = AKIAHOTPATH000000001\naws_secret_access_key = hot-secret\n");
  }

  // A clean environment: nothing of the caller's AWS settings, no proxy, an unreachable STS.
  std::vector<std::string> environment(const std::string& ld_debug = "libs") const {
    return {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "LD_DEBUG=" + ld_debug, "HOME=" + home_.path(),
            "AWS_CONFIG_FILE=" + home_.path("config"), "AWS_SHARED_CREDENTIALS_FILE=" + home_.path("credentials"),
            "MFAENV_CACHE_DIR=" + home_.path("cache"), "AWS_ENDPOINT_URL_STS=https://127.0.0.1:1"};
  }

  ProcessOutcome mfaenv(std::vector<std::string> args, const std::string& ld_debug = "libs") const {
    args.insert(args.begin(), mfaenv_binary());
    return run_process(args, environment(ld_debug), BaseEnvironment::kEmpty);
  }

  // Writes a usable session for alice where mfaenv looks for it (status names the file).
  void seed_cache() {
    ::mkdir(home_.path("cache").c_str(), 0700);
    const auto status = mfaenv({"status", "alice", "--json"}, "");
    ASSERT_EQ(status.exit_code, 0) << status.output;
    const std::string key = "\"cache_file\": \"";
    const size_t at = status.output.find(key);
    ASSERT_NE(at, std::string::npos) << status.output;
    const std::string file = status.output.substr(at + key.size(), status.output.find('"', at + key.size()) - at - key.size());
    const auto t = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    auto iso = [](std::chrono::sys_seconds s) {
      const std::time_t tt = s.time_since_epoch().count();
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&tt));
      return std::string(buf);
    };
    std::ofstream(file) << "{\"version\": 1, \"kind\": \"mfa-session\", \"profile\": \"alice\", \"source\": \"access key "
                           "AKIAHOTPATH000000001\", \"parent\": \"\", \"arn\": \"arn:aws:iam::123456789012:user/alice\", "
                           "\"account\": \"123456789012\", \"mfa_serial\": \""
                        << kAliceMfa << "\", \"issued\": \"" << iso(t) << "\", \"mfa_time\": \"" << iso(t)
                        << "\", \"not_after\": null, \"expiration\": \"" << iso(t + std::chrono::hours(12))
                        << "\", \"access_key_id\": \"ASIAWARMSESSION00001\", \"secret_access_key\": \"warm-secret\", "
                           "\"session_token\": \"warm-token\"}\n";
    ::chmod(file.c_str(), 0600);
  }

  TempDir home_{"mfaenv-hot-path"};
};

void expect_no_forbidden_library(const ProcessOutcome& outcome) {
  ASSERT_TRUE(outcome.exited) << outcome.output;
  // The loader did report: otherwise the absence below would prove nothing.
  ASSERT_NE(outcome.output.find("calling init:"), std::string::npos) << "LD_DEBUG printed nothing:\n" << outcome.output;
  for (const char* name : kForbidden) EXPECT_EQ(outcome.output.find(name), std::string::npos) << name << " loaded:\n" << outcome.output;
}

// The socket() calls strace saw (strace -f -e trace=socket,connect), one per line.
std::string sockets_opened(const std::vector<std::string>& command, const std::vector<std::string>& env,
                           const TempDir& dir) {
  std::vector<std::string> args = {"/usr/bin/strace", "-f", "-qq", "-e", "trace=socket,connect", "-o", dir.path("strace")};
  args.insert(args.end(), command.begin(), command.end());
  // LeakSanitizer cannot run under ptrace; in the sanitizer build it would abort the run and leave
  // a report. The leak check of these commands is done by the runs without strace.
  std::vector<std::string> traced_env = env;
  traced_env.push_back("ASAN_OPTIONS=detect_leaks=0");
  const auto outcome = run_process(args, traced_env, BaseEnvironment::kEmpty);
  std::ifstream in(dir.path("strace"));
  if (!in) return "strace did not run: " + outcome.output;
  std::string text, line;
  while (std::getline(in, line))
    if (line.find("socket(") != std::string::npos || line.find("connect(") != std::string::npos) text += line + "\n";
  return text;
}

TEST_F(HotPath, WarmEnvAndCredentialProcessLoadNoNetworkOrKeyringLibrary) {
  seed_cache();
  const auto env = mfaenv({"env", "alice", "--no-prompt"});
  ASSERT_EQ(env.exit_code, 0) << env.output;
  EXPECT_NE(env.output.find("export AWS_ACCESS_KEY_ID='ASIAWARMSESSION00001'"), std::string::npos) << env.output;
  expect_no_forbidden_library(env);

  const auto cp = mfaenv({"credential-process", "alice"});
  ASSERT_EQ(cp.exit_code, 0) << cp.output;
  EXPECT_NE(cp.output.find("\"AccessKeyId\":\"ASIAWARMSESSION00001\""), std::string::npos) << cp.output;
  expect_no_forbidden_library(cp);
}

TEST_F(HotPath, WarmEnvAndCredentialProcessOpenNoSocket) {
  seed_cache();
  for (const std::vector<std::string>& args : {std::vector<std::string>{"env", "alice"}, {"credential-process", "alice"}}) {
    std::vector<std::string> command = {mfaenv_binary()};
    command.insert(command.end(), args.begin(), args.end());
    const std::string sockets = sockets_opened(command, environment(""), home_);
    EXPECT_EQ(sockets, "") << args[0];
  }
}

TEST_F(HotPath, TheChecksSeeARequest) {
  // Long-term keys are checked at STS: the request loads libcurl and opens a socket (refused at
  // 127.0.0.1:1), and both checks above would have said so.
  const auto outcome = mfaenv({"whoami", "alice", "--long-term"});
  EXPECT_EQ(outcome.exit_code, 5) << outcome.output;
  EXPECT_NE(outcome.output.find("libcurl"), std::string::npos) << outcome.output;
  std::vector<std::string> command = {mfaenv_binary(), "whoami", "alice", "--long-term"};
  EXPECT_NE(sockets_opened(command, environment(""), home_).find("socket("), std::string::npos);
}

TEST_F(HotPath, VersionAndConfigGetLoadNoNetworkLibrary) {
  const auto version = mfaenv({"--version"});
  EXPECT_EQ(version.exit_code, 0) << version.output;
  expect_no_forbidden_library(version);
  // The key is unset, so the exit code is the command's business; what matters is what it mapped.
  expect_no_forbidden_library(mfaenv({"config", "get", "output"}));
}

TEST_F(HotPath, FirstRequestLoadsLibcurl) {
  // Port 1 on the loopback: refused at once, but only after libcurl was loaded to try.
  const auto outcome = run_process({HTTP_PROBE, "127.0.0.1:1"}, environment("files"));
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("before loaded=0 mapped=0"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("after loaded=1 mapped=1"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("refused"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("file=libcurl.so.4"), std::string::npos) << outcome.output;
}

TEST_F(HotPath, MissingLibcurlSaysWhatToInstall) {
  const auto outcome = run_process({HTTP_PROBE, "127.0.0.1:1"}, {"MFAENV_LIBCURL=/nonexistent/libcurl.so.4"});
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("result error exit=1 message=cannot load /nonexistent/libcurl.so.4"), std::string::npos)
      << outcome.output;
  EXPECT_NE(outcome.output.find("install it with 'apt-get install libcurl4'"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("after loaded=0 mapped=0"), std::string::npos) << outcome.output;
}

}  // namespace
}  // namespace mfaenv
