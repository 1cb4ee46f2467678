// Tests for RFC 3339 and duration parsing/formatting.
#include "util/time.h"

#include <gtest/gtest.h>
#include <cstdlib>

namespace mfaenv {
namespace {

TEST(Rfc3339, ParsesUtcAndOffsetsAndFractions) {
  auto t = parse_rfc3339("2026-11-23T18:00:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->time_since_epoch().count(), 1795456800);
  EXPECT_EQ(*parse_rfc3339("2026-11-23T18:00:00.359Z"), *t);
  EXPECT_EQ(*parse_rfc3339("2026-11-23T19:00:00+01:00"), *t);
  EXPECT_EQ(*parse_rfc3339("2026-11-23T17:30:00-00:30"), *t);
  EXPECT_EQ(format_rfc3339(*t), "2026-11-23T18:00:00Z");
}

TEST(Rfc3339, RejectsGarbageWithAClearMessage) {
  for (const char* bad : {"", "2026-11-23", "2026-11-23T18:00:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-11-23T25:00:00Z", "2026-11-23T18:00:00Zjunk", "2026-11-23T18:00:00.Z", "tomorrow"}) {
    auto t = parse_rfc3339(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_NE(t.error().message.find("RFC 3339"), std::string::npos);
    }
  }
}

TEST(Rfc3339, RoundTripsAcrossYears) {
  for (long long s = 0; s < 4'000'000'000LL; s += 86'399 * 37 + 11) {
    const TimePoint t{Seconds(s)};
    EXPECT_EQ(*parse_rfc3339(format_rfc3339(t)), t);
  }
}

TEST(Duration, ParsesTheDocumentedForms) {
  EXPECT_EQ(*parse_duration("900"), Seconds(900));
  EXPECT_EQ(*parse_duration("90s"), Seconds(90));
  EXPECT_EQ(*parse_duration("15m"), Seconds(900));
  EXPECT_EQ(*parse_duration("12h"), Seconds(43200));
  EXPECT_EQ(*parse_duration("1h30m"), Seconds(5400));
  EXPECT_EQ(*parse_duration("1d2h"), Seconds(93600));
  EXPECT_EQ(*parse_duration(" 36h "), Seconds(129600));
}

TEST(Duration, RejectsWithAUsageError) {
  for (const char* bad : {"", "0", "-5", "+5", "15", "m", "15x", "1m1h", "1h1h", "1.5h", "0m", "99999999999999h"}) {
    auto d = parse_duration(bad);
    if (std::string(bad) == "15") continue;  // plain seconds are valid
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().kind, ErrorKind::kUsage);
  }
}

TEST(Duration, FormatsShortestReadableForm) {
  EXPECT_EQ(format_duration(Seconds(5400)), "1h30m");
  EXPECT_EQ(format_duration(Seconds(900)), "15m");
  EXPECT_EQ(format_duration(Seconds(45)), "45s");
  EXPECT_EQ(format_duration(Seconds(3661)), "1h1m1s");
  EXPECT_EQ(format_duration(Seconds(0)), "0s");
  for (long long s = 1; s < 200000; s += 97) EXPECT_EQ(*parse_duration(format_duration(Seconds(s))), Seconds(s));
}

TEST(Duration, RelativeForPeople) {
  const TimePoint base{Seconds(1'000'000)};
  EXPECT_EQ(format_relative(base + Seconds(42 * 60 + 10), base), "in 42m");
  EXPECT_EQ(format_relative(base + Seconds(30), base), "in 30s");
  EXPECT_EQ(format_relative(base - Seconds(180), base), "3m ago");
}

TEST(Clock, FakeNowPinsTheClock) {
  setenv("MFAENV_FAKE_NOW", "2026-11-23T18:00:00Z", 1);
  EXPECT_EQ(format_rfc3339(now()), "2026-11-23T18:00:00Z");
  setenv("MFAENV_FAKE_NOW", "1795456801", 1);
  EXPECT_EQ(format_rfc3339(now()), "2026-11-23T18:00:01Z");
  unsetenv("MFAENV_FAKE_NOW");
  EXPECT_GT(now().time_since_epoch().count(), 1700000000);
}

}  // namespace
}  // namespace mfaenv
