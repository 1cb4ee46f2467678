// Helpers (mfa_process, credential_process) are bounded: in time, in output, and never waited for
// past their own exit when a grandchild keeps stdout open (issue 13, defect 4).
#include "util/subprocess.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <string>

namespace mfaenv {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<std::string> plain_env() { return {"PATH=/usr/bin:/bin"}; }

TEST(Subprocess, ReadsStdoutAndExitStatus) {
  auto r = run_shell_command("printf 654321; exit 3", plain_env(), ChildStdin::kDevNull, {4096, Seconds(10)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "654321");
  EXPECT_EQ(r->exit_status, 3);
  EXPECT_EQ(r->end, CommandEnd::kExited);
}

bool alive(pid_t pid) { return ::kill(pid, 0) == 0; }

TEST(Subprocess, AHelperThatNeverEndsIsStoppedAtItsTimeout) {
  const auto start = Clock::now();
  // The shell forks `sleep` (it is not the last command) and is killed with it: nothing is left.
  auto r = run_shell_command("sleep 3607 2>/dev/null; true", plain_env(), ChildStdin::kDevNull, {4096, Seconds(1)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end, CommandEnd::kTimedOut);
  EXPECT_LT(seconds_since(start), 5.0);
  auto leftovers = run_shell_command("pgrep -x -f 'sleep 3607' || true", plain_env(), ChildStdin::kDevNull, {4096, Seconds(10)});
  ASSERT_TRUE(leftovers.ok());
  EXPECT_EQ(leftovers->out, "");
}

TEST(Subprocess, EndlessOutputStopsAtTheCap) {
  const auto start = Clock::now();
  auto r = run_shell_command("yes 123456", plain_env(), ChildStdin::kDevNull, {4096, Seconds(30)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end, CommandEnd::kOutputTooLarge);
  EXPECT_EQ(r->out.size(), 4096u);
  EXPECT_LT(seconds_since(start), 5.0);
}

TEST(Subprocess, AGrandchildHoldingStdoutIsNotWaitedFor) {
  const auto start = Clock::now();
  // The shell exits at once; its background child keeps the pipe open for 30 s.
  auto r = run_shell_command("sleep 30 2>/dev/null & echo $!; echo 123456", plain_env(), ChildStdin::kDevNull,
                             {4096, Seconds(20)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end, CommandEnd::kExited);
  EXPECT_EQ(r->exit_status, 0);
  EXPECT_LT(seconds_since(start), 5.0);
  const size_t newline = r->out.find('\n');
  ASSERT_NE(newline, std::string::npos);
  const pid_t grandchild = static_cast<pid_t>(std::stol(r->out.substr(0, newline)));
  EXPECT_EQ(r->out.substr(newline + 1), "123456\n");
  EXPECT_TRUE(alive(grandchild));  // left alone: a helper may start an agent on purpose
  ::kill(grandchild, SIGKILL);
}

TEST(Subprocess, TimeoutSetting) {
  unsetenv("MFAENV_PROCESS_TIMEOUT");
  EXPECT_EQ(*process_timeout(), kDefaultProcessTimeout);
  setenv("MFAENV_PROCESS_TIMEOUT", "2m", 1);
  EXPECT_EQ(*process_timeout(), Seconds(120));
  for (const char* bad : {"0", "soon", "-5"}) {
    setenv("MFAENV_PROCESS_TIMEOUT", bad, 1);
    auto r = process_timeout();
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
  }
  unsetenv("MFAENV_PROCESS_TIMEOUT");
}

TEST(Subprocess, ProgramNameHidesArguments) {
  EXPECT_EQ(program_name("/usr/bin/oathtool --totp -b JBSWY3DPEHPK3PXP"), "oathtool");
  EXPECT_EQ(program_name("  'my tool' x"), "my");
  EXPECT_EQ(program_name(""), "?");
}

}  // namespace
}  // namespace mfaenv
