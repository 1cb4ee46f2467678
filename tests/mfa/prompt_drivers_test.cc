// The prompt drivers and their choice, with stand-in zenity, kdialog, osascript and ykman programs on
// PATH that record their arguments and environment and answer what the test queued. The real
// zenity and kdialog run under Xvfb in tests/integration/test_prompts.py; no YubiKey or macOS is here.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mfa/code_source.h"
#include "mfa/prompt_drivers.h"

namespace mfaenv {
namespace {

namespace fs = std::filesystem;

const char* kStandIn = R"SH(#!/bin/sh
dir=$(dirname "$0")
{ printf '%s\n' "$(basename "$0")"; for a in "$@"; do printf '[%s]\n' "$a"; done; } >> "$dir/calls.log"
env > "$dir/env.log"
line=$(head -n1 "$dir/answers"); sed -i 1d "$dir/answers"
status=${line%% *}; out=${line#* }
printf '%s\n' "$out"
exit "$status"
)SH";

class PromptDrivers : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mfaenv-prompts-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    for (const char* name : {"zenity", "kdialog", "osascript", "ykman"}) {
      std::ofstream(dir_ / name) << kStandIn;
      fs::permissions(dir_ / name, fs::perms::owner_all);
    }
    saved_path_ = std::getenv("PATH") ? std::getenv("PATH") : "";
    ::setenv("PATH", (dir_.string() + ":/usr/bin:/bin").c_str(), 1);
    ::setenv("DISPLAY", ":99", 1);
    ::unsetenv("WAYLAND_DISPLAY");
    ::unsetenv("YKMAN_OATH_DEVICE_SERIAL");
  }
  void TearDown() override {
    ::setenv("PATH", saved_path_.c_str(), 1);
    ::unsetenv("DISPLAY");
    fs::remove_all(dir_);
  }
  void answers(const std::string& lines) { std::ofstream(dir_ / "answers") << lines; }
  std::string read(const char* name) {
    std::ifstream in(dir_ / name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  CodeSourceSettings settings(std::vector<PromptDriver> drivers) {
    CodeSourceSettings s;
    s.prompts = std::move(drivers);
    s.terminal = TerminalPrompt::kForbidden;  // ctest may run on a terminal: never ask on it here
    s.context = PromptContext{"admin", "alice"};
    return s;
  }
  fs::path dir_;
  std::string saved_path_;
};

const std::string kSerial = "arn:aws:iam::123456789012:mfa/alice";

TEST(PromptWords, NameProfileDeviceAndWhoNeedsIt) {
  EXPECT_EQ(describe_request(kSerial, {"admin", "alice"}), kSerial + " (for admin, via alice)");
  EXPECT_EQ(describe_request(kSerial, {"alice", "alice"}), kSerial + " (for alice)");
  EXPECT_EQ(prompt_message(kSerial, {"admin", "alice"}, CodeRetry::kRejected),
            "AWS rejected that code. MFA code for " + kSerial + " (for admin, via alice)");
}

TEST_F(PromptDrivers, ZenityAsksWithTheWordsAndReadsTheCode) {
  answers("0 123 456\n");
  ::setenv("AWS_SECRET_ACCESS_KEY", "very-secret", 1);
  auto source = choose_code_source(settings({PromptDriver::kZenity}));
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto code = (*source)->code(kSerial, CodeRetry::kFirst);
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(*code, "123456");
  const std::string calls = read("calls.log");
  EXPECT_NE(calls.find("zenity\n[--entry]\n"), std::string::npos) << calls;
  EXPECT_NE(calls.find("[--text=MFA code for " + kSerial + " (for admin, via alice)]"), std::string::npos) << calls;
  EXPECT_EQ(read("env.log").find("very-secret"), std::string::npos);
}

TEST_F(PromptDrivers, CancelledDialogIsExitThreeAndNotAskedAgain) {
  answers("1 \n0 123456\n");
  auto source = choose_code_source(settings({PromptDriver::kKdialog}));
  ASSERT_TRUE(source.ok());
  auto code = (*source)->code(kSerial, CodeRetry::kFirst);
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.error().kind, ErrorKind::kMfaCodeNeeded);
  EXPECT_NE(code.error().message.find("kdialog MFA prompt was cancelled"), std::string::npos);
  EXPECT_EQ(read("answers"), "0 123456\n");  // asked once
}

TEST_F(PromptDrivers, NotACodeIsAskedAgainSayingWhy) {
  answers("0 12345\n0 654321\n");
  auto source = choose_code_source(settings({PromptDriver::kKdialog}));
  ASSERT_TRUE(source.ok());
  auto code = (*source)->code(kSerial, CodeRetry::kFirst);
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(*code, "654321");
  EXPECT_NE(read("calls.log").find("[An MFA code is six digits. MFA code for"), std::string::npos);
}

TEST_F(PromptDrivers, ZenityTimeoutIsExitThree) {
  answers("5 \n");
  auto source = choose_code_source(settings({PromptDriver::kZenity}));
  auto code = (*source)->code(kSerial, CodeRetry::kFirst);
  ASSERT_FALSE(code.ok());
  EXPECT_NE(code.error().message.find("timed out"), std::string::npos);
}

TEST_F(PromptDrivers, OsascriptQuotesTheMessageForAppleScript) {
  answers("0 111222\n");
  auto source = choose_code_source(settings({PromptDriver::kOsascript}));
  ASSERT_TRUE(source.ok());
  PromptContext odd{"a\"b\\c", "alice"};
  CodeSourceSettings s = settings({PromptDriver::kOsascript});
  s.context = odd;
  source = choose_code_source(s);
  auto code = (*source)->code(kSerial, CodeRetry::kFirst);
  ASSERT_TRUE(code.ok()) << code.error().message;
  const std::string calls = read("calls.log");
  EXPECT_NE(calls.find("[display dialog \"MFA code for " + kSerial + " (for a\\\"b\\\\c, via alice)\" default answer \"\""),
            std::string::npos) << calls;
  EXPECT_NE(calls.find("[text returned of result]"), std::string::npos);
}

TEST_F(PromptDrivers, YkmanAsksForTheDeviceAccountOnTheChosenKey) {
  answers("0 987654\n");
  ::setenv("YKMAN_OATH_DEVICE_SERIAL", "12345678", 1);
  auto source = choose_code_source(settings({PromptDriver::kYkman}));
  ASSERT_TRUE(source.ok());
  auto code = (*source)->code(kSerial, CodeRetry::kFirst);
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(*code, "987654");
  EXPECT_EQ(read("calls.log"), "ykman\n[--device]\n[12345678]\n[oath]\n[accounts]\n[code]\n[--single]\n[" + kSerial + "]\n");
}

TEST_F(PromptDrivers, YkmanAccountSettingAndOldOutputAndFailure) {
  answers("0 Amazon Web Services:alice@123456789012  246810\n1 \n");
  CodeSourceSettings s = settings({PromptDriver::kYkman});
  s.ykman_account = "Amazon Web Services:alice@123456789012";
  auto source = choose_code_source(s);
  auto code = (*source)->code(kSerial, CodeRetry::kFirst);
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(*code, "246810");
  EXPECT_NE(read("calls.log").find("[--single]\n[Amazon Web Services:alice@123456789012]\n"), std::string::npos);
  auto failed = (*source)->code(kSerial, CodeRetry::kFirst);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, ErrorKind::kMfaCodeNeeded);
  EXPECT_NE(failed.error().message.find("is the YubiKey plugged in"), std::string::npos);
}

TEST_F(PromptDrivers, FirstUsableDriverInOrderWins) {
  fs::remove(dir_ / "ykman");
  answers("0 135790\n");
  auto source = choose_code_source(settings({PromptDriver::kYkman, PromptDriver::kTerminal, PromptDriver::kKdialog, PromptDriver::kZenity}));
  ASSERT_TRUE(source.ok());
  ASSERT_TRUE((*source)->code(kSerial, CodeRetry::kFirst).ok());
  EXPECT_EQ(read("calls.log").substr(0, 8), "kdialog\n");
}

TEST_F(PromptDrivers, MfaProcessComesBeforeThePrompts) {
  CodeSourceSettings s = settings({PromptDriver::kZenity});
  s.mfa_process = "echo 112233";
  auto source = choose_code_source(s);
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(*(*source)->code(kSerial, CodeRetry::kFirst), "112233");
  EXPECT_FALSE(fs::exists(dir_ / "calls.log"));
}

TEST_F(PromptDrivers, NoUsableDriverSaysWhyForEachAndExitsThree) {
  ::unsetenv("DISPLAY");
  fs::remove(dir_ / "ykman");
  auto source = choose_code_source(settings({PromptDriver::kTerminal, PromptDriver::kZenity, PromptDriver::kYkman}));
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().kind, ErrorKind::kMfaCodeNeeded);
  const std::string& m = source.error().message;
  EXPECT_NE(m.find("terminal: the terminal belongs to the command 'exec --server' runs"), std::string::npos) << m;
  EXPECT_NE(m.find("zenity: no DISPLAY"), std::string::npos) << m;
  EXPECT_NE(m.find("ykman: ykman is not installed"), std::string::npos) << m;
  EXPECT_NE(m.find("mfaenv login admin"), std::string::npos) << m;
}

TEST_F(PromptDrivers, DefaultWithoutTerminalFallsBackToADialog) {
  answers("0 102030\n");
  CodeSourceSettings s = settings({PromptDriver::kZenity});
  s.prompts.reset();  // default: terminal (forbidden here), zenity, kdialog
  auto source = choose_code_source(s);
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_EQ(*(*source)->code(kSerial, CodeRetry::kFirst), "102030");
  EXPECT_EQ(read("calls.log").substr(0, 7), "zenity\n");
}

}  // namespace
}  // namespace mfaenv
