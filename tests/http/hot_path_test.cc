// The hot-path rule (DESIGN.md §7): a command that makes no request never loads libcurl. Shown
// with LD_DEBUG=files, which makes the dynamic loader name every object it maps, including those
// dlopen()ed later; the probe program shows that the same check does see libcurl once a request
// is made, so these tests can fail.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "subprocess.h"

namespace mfaenv {
namespace {

std::string mfaenv_binary() {
  const char* path = std::getenv("MFAENV_BINARY");
  return path != nullptr ? path : "";
}

class HotPath : public testing::Test {
 protected:
  void SetUp() override {
    home_ = std::filesystem::temp_directory_path() / ("mfaenv-hot-path-" + std::to_string(getpid()));
    std::filesystem::create_directories(home_);
    std::ofstream(home_ / "config").close();
    std::ofstream(home_ / "credentials").close();
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  // An empty configuration, so the command has nothing to do but its own work.
  std::vector<std::string> environment() const {
    return {"LD_DEBUG=files", "HOME=" + home_.string(), "AWS_CONFIG_FILE=" + (home_ / "config").string(),
            "AWS_SHARED_CREDENTIALS_FILE=" + (home_ / "credentials").string(),
            "MFAENV_CACHE_DIR=" + (home_ / "cache").string()};
  }

  std::filesystem::path home_;
};

void expect_no_libcurl(const ProcessOutcome& outcome) {
  ASSERT_TRUE(outcome.exited) << outcome.output;
  // The loader did report: otherwise the absence of libcurl below would prove nothing.
  ASSERT_NE(outcome.output.find("libc.so.6"), std::string::npos) << "LD_DEBUG printed nothing:\n" << outcome.output;
  EXPECT_EQ(outcome.output.find("libcurl"), std::string::npos) << outcome.output;
  EXPECT_EQ(outcome.output.find("libssl"), std::string::npos) << outcome.output;
}

TEST_F(HotPath, VersionDoesNotLoadLibcurl) {
  ASSERT_FALSE(mfaenv_binary().empty()) << "MFAENV_BINARY is not set (run through ctest)";
  const auto outcome = run_process({mfaenv_binary(), "--version"}, environment());
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  expect_no_libcurl(outcome);
}

TEST_F(HotPath, ConfigGetDoesNotLoadLibcurl) {
  ASSERT_FALSE(mfaenv_binary().empty()) << "MFAENV_BINARY is not set (run through ctest)";
  // The key is unset in an empty configuration, so the exit code is the command's business; what
  // matters here is that the process ran to an end of its own without mapping libcurl.
  expect_no_libcurl(run_process({mfaenv_binary(), "config", "get", "region"}, environment()));
}

TEST_F(HotPath, FirstRequestLoadsLibcurl) {
  // Port 1 on the loopback: refused at once, but only after libcurl was loaded to try.
  const auto outcome = run_process({HTTP_PROBE, "127.0.0.1:1"}, environment());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("before loaded=0 mapped=0"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("after loaded=1 mapped=1"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("refused"), std::string::npos) << outcome.output;
  // LD_DEBUG sees the dlopen() too, so its silence in the tests above means something.
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
