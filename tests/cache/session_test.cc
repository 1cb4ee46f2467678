// Tests for session validity arithmetic and the cache file's JSON.
#include "cache/session.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

const TimePoint kT0{Seconds(1'795'456'800)};  // 2026-11-23T18:00:00Z

CachedSession session_of(Seconds sts_life, std::optional<Seconds> mfa_after_issue = Seconds(0)) {
  CachedSession s;
  s.issued = kT0;
  s.credentials.access_key_id = "ASIAEXAMPLE";
  s.credentials.secret_access_key = "secret";
  s.credentials.session_token = "token";
  s.credentials.expiration = kT0 + sts_life;
  if (mfa_after_issue) s.mfa_time = kT0 + *mfa_after_issue;
  return s;
}

TEST(Session, EffectiveExpiryIsTheEarlierOfStsAndPolicy) {
  const CachedSession s = session_of(Seconds(43200));
  EXPECT_EQ(effective_expiry(s, {}), kT0 + Seconds(43200));
  EXPECT_EQ(effective_expiry(s, {Seconds(3600), Seconds(900)}), kT0 + Seconds(3600));
  EXPECT_EQ(effective_expiry(session_of(Seconds(1800)), {Seconds(3600), Seconds(900)}), kT0 + Seconds(1800));
}

TEST(Session, TheSeedScenarioIsServedForLessThanAnHour) {
  // Policy denies MultiFactorAuthAge > 3600, profile asked for 12 h.
  const CachedSession s = session_of(Seconds(43200));
  const SessionLimits limits{Seconds(3600), Seconds(900)};
  EXPECT_TRUE(is_usable(s, limits, kT0 + Seconds(2699)));
  EXPECT_FALSE(is_usable(s, limits, kT0 + Seconds(2700)));
  EXPECT_FALSE(is_usable(s, limits, kT0 + Seconds(3601)));
}

TEST(Session, MarginNeverSwallowsAShortSession) {
  const CachedSession s = session_of(Seconds(900));
  const SessionLimits limits{std::nullopt, Seconds(900)};
  EXPECT_EQ(applied_margin(s, limits), Seconds(225));
  EXPECT_TRUE(is_usable(s, limits, kT0 + Seconds(600)));
  EXPECT_FALSE(is_usable(s, limits, kT0 + Seconds(675)));
}

TEST(Session, InheritedLimitBoundsARole) {
  CachedSession s = session_of(Seconds(3600));
  s.not_after = kT0 + Seconds(1200);
  EXPECT_EQ(effective_expiry(s, {}), kT0 + Seconds(1200));
}

TEST(Session, JsonRoundTrip) {
  CachedSession s = session_of(Seconds(3600));
  s.kind = SessionKind::kRole;
  s.arn = "arn:aws:sts::123456789012:assumed-role/Admin/mfaenv";
  s.account = "123456789012";
  s.profile = "admin";
  s.mfa_serial = "arn:aws:iam::123456789012:mfa/alice";
  s.source = "arn:aws:iam::123456789012:role/Admin";
  s.parent = "mfa-abc";
  s.not_after = kT0 + Seconds(100);
  auto back = session_from_json(session_to_json(s));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->kind, SessionKind::kRole);
  EXPECT_EQ(back->credentials.secret_access_key, "secret");
  EXPECT_EQ(back->credentials.expiration, s.credentials.expiration);
  EXPECT_EQ(back->mfa_time, s.mfa_time);
  EXPECT_EQ(back->not_after, s.not_after);
  EXPECT_EQ(back->parent, "mfa-abc");
  EXPECT_EQ(back->arn, s.arn);
}

TEST(Session, RejectsWhatItDoesNotFullyUnderstand) {
  const std::string good = session_to_json(session_of(Seconds(3600)));
  EXPECT_FALSE(session_from_json("").ok());
  EXPECT_FALSE(session_from_json("{").ok());
  EXPECT_FALSE(session_from_json(good.substr(0, good.size() / 2)).ok());
  EXPECT_FALSE(session_from_json("[]").ok());
  std::string other_version = good;
  other_version.replace(other_version.find("\"version\": 1"), 12, "\"version\": 2");
  auto r = session_from_json(other_version);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("another version"), std::string::npos);
  std::string no_token = good;
  no_token.replace(no_token.find("\"token\""), 7, "\"\"");
  EXPECT_FALSE(session_from_json(no_token).ok());
  std::string bad_time = good;
  bad_time.replace(bad_time.find("2026-11-23T19:00:00Z"), 20, "tomorrow at noon!!!!");
  EXPECT_FALSE(session_from_json(bad_time).ok());
}

}  // namespace
}  // namespace mfaenv
