// Tests for the refresh protocol and the MFA loop, with a scripted STS.
#include "creds/resolver.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fake_sts.h"
#include "support/recorded_warnings.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace mfaenv {
namespace {

class ResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cache = SessionCache::open(root_ + "/cache", CreateMissing::kYes);
    ASSERT_TRUE(cache.ok());
    cache_.emplace(std::move(*cache));
  }

  void load(std::string config) {
    auto parsed = AwsConfig::parse(config,
                                   "[alice]\naws_access_key_id = AKIAALICE\naws_secret_access_key = alice-secret\n",
                                   ConfigPaths{root_ + "/config", root_ + "/credentials"});
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    loader_.reset();
    config_.emplace(std::move(*parsed));
    loader_ = std::make_unique<ProfileLoader>(*config_);
  }
  Result<Chain> plan(const std::string& profile) {
    return plan_chain(*loader_, ProfileName{profile, ProfileOrigin::kArgument, {}});
  }
  Result<ResolvedCredentials> resolve(const std::string& profile, ResolveOptions options) {
    auto chain = plan(profile);
    if (!chain) return std::move(chain).error();
    CredentialResolver resolver(*loader_, *cache_, sts_);
    return resolver.resolve(*chain, options);
  }
  static ResolveOptions with_code(std::string code) {
    ResolveOptions o;
    o.token_code = std::move(code);
    return o;
  }
  int count_lines(const std::string& path) {
    std::ifstream in(path);
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }

  testing_support::TempDir tmp_{"mfaenv-resolver-test"};
  const std::string root_ = tmp_.path();
  std::optional<SessionCache> cache_;
  std::optional<AwsConfig> config_;
  std::unique_ptr<ProfileLoader> loader_;
  FakeSts sts_;
};

constexpr const char* kAlice = "[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";

TEST_F(ResolverTest, OneCallThenTheCache) {
  load(kAlice);
  auto first = resolve("alice", with_code("123456"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->freshness, Freshness::kRefreshed);
  EXPECT_EQ(sts_.sources_seen, std::vector<std::string>{"AKIAALICE"});
  ResolveOptions quiet;
  quiet.prompting = Prompting::kNever;
  auto second = resolve("alice", quiet);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->freshness, Freshness::kCached);
  EXPECT_EQ(second->credentials.access_key_id, first->credentials.access_key_id);
  EXPECT_EQ(sts_.get_session_token_calls, 1);
}

TEST_F(ResolverTest, NoPromptWithoutASessionIsExitThreeAndNoCall) {
  load(kAlice);
  ResolveOptions quiet;
  quiet.prompting = Prompting::kNever;
  auto r = resolve("alice", quiet);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kMfaCodeNeeded);
  EXPECT_EQ(sts_.get_session_token_calls, 0);
}

TEST_F(ResolverTest, AWrongFixedCodeIsSentOnce) {
  load(kAlice);
  auto r = resolve("alice", with_code("000000"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kAwsRefused);
  EXPECT_EQ(sts_.get_session_token_calls, 1);
}

TEST_F(ResolverTest, AUsedCodeIsNeverSentAgain) {
  load(kAlice);
  ASSERT_TRUE(resolve("alice", with_code("123456")).ok());
  ResolveOptions force = with_code("123456");
  force.refresh = Refresh::kForce;
  auto r = resolve("alice", force);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("already used"), std::string::npos);
  EXPECT_EQ(r.error().kind, ErrorKind::kAwsRefused);  // what AWS would answer; not a usage error
  EXPECT_EQ(sts_.get_session_token_calls, 1);
}

// Defect 13 of the second hardening pass: a role whose requests cannot be sent (here its profile's
// endpoint) is found before the code for the MFA session below it is asked for.
TEST_F(ResolverTest, EveryLinkIsPreparedBeforeACodeIsAskedFor) {
  const std::string counter = root_ + "/runs";
  load(std::string(kAlice) + "mfa_process = echo run >> " + counter + "; echo 123456\n" +
       "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = alice\n");
  sts_.unusable_profile = "admin";
  auto r = resolve("admin", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_EQ(sts_.prepared, (std::vector<std::string>{"alice", "admin"}));
  EXPECT_EQ(count_lines(counter), 0);
  EXPECT_EQ(sts_.get_session_token_calls + sts_.assume_role_calls, 0);

  // A warm cache needs no request: nothing is prepared.
  sts_.unusable_profile.reset();
  ASSERT_TRUE(resolve("admin", {}).ok());
  sts_.prepared.clear();
  ASSERT_TRUE(resolve("admin", {}).ok());
  EXPECT_TRUE(sts_.prepared.empty());
}

TEST_F(ResolverTest, MfaProcessIsAskedAgainAfterARejectedCode) {
  const std::string counter = root_ + "/runs";
  load(std::string(kAlice) + "mfa_process = echo run >> " + counter +
       "; if [ $(wc -l < " + counter + ") -eq 1 ]; then echo 999999; else echo 123456; fi\n");
  auto r = resolve("alice", {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(sts_.get_session_token_calls, 2);
  EXPECT_EQ(count_lines(counter), 2);
}

TEST_F(ResolverTest, ACorruptCacheFileIsReplaced) {
  load(kAlice);
  auto chain = plan("alice");
  ASSERT_TRUE(chain.ok());
  const std::string file = cache_->file_for(chain->links[0].cache_key);
  { std::ofstream(file) << "garbage"; }
  std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto r = resolve("alice", with_code("123456"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(cache_->read(chain->links[0].cache_key).session.has_value());
}

TEST_F(ResolverTest, ADueSessionIsServedWhenItsRefreshFailsButNotToLogin) {
  load(kAlice);
  auto first = resolve("alice", with_code("123456"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  // Inside the 15-minute refresh margin of the 12-hour session, but before it expires.
  const auto due = first->session->credentials.expiration.value() - std::chrono::minutes(5);
  ::setenv("MFAENV_FAKE_NOW", std::to_string(due.time_since_epoch().count()).c_str(), 1);
  testing_support::RecordedWarnings recorded;
  auto served = resolve("alice", with_code("000000"));  // STS refuses the code
  const std::string warning = recorded.text();
  ASSERT_TRUE(served.ok()) << served.error().message;
  EXPECT_EQ(served->credentials.access_key_id, first->credentials.access_key_id);
  EXPECT_NE(warning.find("could not refresh the session of profile 'alice'"), std::string::npos) << warning;

  // Another wrong code: 000000 was sent once and is remembered, so it would not be sent again.
  ResolveOptions login = with_code("111111");
  login.goal = Goal::kCachedSession;
  auto refused = resolve("alice", login);
  ::unsetenv("MFAENV_FAKE_NOW");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kAwsRefused);
}

TEST_F(ResolverTest, TenRolesOnePromptOneSession) {
  const std::string counter = root_ + "/runs";
  std::string config = std::string(kAlice) + "mfa_process = echo run >> " + counter + "; echo 123456\n";
  for (int i = 0; i < 10; ++i)
    config += "[profile role" + std::to_string(i) + "]\nrole_arn = arn:aws:iam::123456789012:role/R" + std::to_string(i) +
              "\nsource_profile = alice\n";
  config += "mfaenv_mfa_max_age = 2h\n";  // on role9 only
  load(config);
  for (int i = 0; i < 10; ++i) {
    auto r = resolve("role" + std::to_string(i), {});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_NE(r->session->arn.find("assumed-role/R" + std::to_string(i)), std::string::npos);
    EXPECT_TRUE(r->session->mfa_time.has_value());
    if (i == 9) {
      EXPECT_LE(*r->expiry, *r->session->mfa_time + Seconds(7200));
    }
  }
  EXPECT_EQ(sts_.get_session_token_calls, 1);
  EXPECT_EQ(sts_.assume_role_calls, 10);
  EXPECT_EQ(count_lines(counter), 1);
  // Roles are made with the MFA session's keys, not the long-term ones.
  EXPECT_EQ(sts_.sources_seen[1], "ASIASESSION1");
}

TEST_F(ResolverTest, ManyProcessesAtOnceCauseOnePrompt) {
  const std::string counter = root_ + "/runs";
  load(std::string(kAlice) + "mfa_process = sleep 0.2; echo run >> " + counter + "; echo 123456\n");
  std::vector<pid_t> children;
  for (int i = 0; i < 12; ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      auto r = resolve("alice", {});
      _exit(r.ok() ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  EXPECT_EQ(count_lines(counter), 1);
}

}  // namespace
}  // namespace mfaenv
