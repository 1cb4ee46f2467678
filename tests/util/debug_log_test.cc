// The debug log: off by default, scrubs registered secrets, masks without showing characters.
#include "util/debug_log.h"

#include <cstdio>
#include <functional>

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

std::string captured_debug(const std::function<void()>& body) {
  testing::internal::CaptureStderr();
  body();
  return testing::internal::GetCapturedStderr();
}

TEST(DebugLog, SilentUnlessTurnedOnAndScrubsRegisteredSecrets) {
  set_debug_output(DebugOutput::kOff);
  debug_secret("notRegisteredWhenOff123");
  EXPECT_EQ(captured_debug([] { debug("quiet {}", 1); }), "");

  set_debug_output(DebugOutput::kStderr);
  debug_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
  const std::string out = captured_debug([] {
    debug("signed with {} and {}", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", "notRegisteredWhenOff123");
  });
  EXPECT_EQ(out, "mfaenv[debug]: signed with **** and notRegisteredWhenOff123\n");
  set_debug_output(DebugOutput::kOff);
}

TEST(DebugLog, MaskedShowsTheLengthOnly) {
  EXPECT_EQ(masked("123456"), "**** (6 characters)");
  EXPECT_EQ(masked(""), "(empty)");
}

}  // namespace
}  // namespace mfaenv
