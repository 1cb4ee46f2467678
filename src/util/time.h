// Wall-clock time in whole seconds: RFC 3339 parsing and formatting, durations ("1h30m"), and the
// clock itself, which tests can pin with MFAENV_FAKE_NOW so that the STS emulator and mfaenv agree.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace mfaenv {

using Seconds = std::chrono::seconds;
using TimePoint = std::chrono::sys_seconds;

// The current time for session decisions (expiry, MFA age, codes); MFAENV_FAKE_NOW (RFC 3339 or
// Unix seconds) overrides it, for tests that move the STS emulator's clock.
TimePoint now();

// MFAENV_FAKE_NOW is a test hook; a value that is neither Unix seconds nor RFC 3339 is a usage
// error (checked once in main) rather than silently the real clock.
Status check_fake_now();

// The system clock, never faked: request signing must match what STS sees, as any SDK's would.
TimePoint system_now();

// "2026-11-23T18:00:00Z", "2026-11-23T18:00:00.123Z", "2026-11-23T19:00:00+01:00" (fractions dropped).
Result<TimePoint> parse_rfc3339(std::string_view text);
// Always UTC with a Z: "2026-11-23T18:00:00Z".
std::string format_rfc3339(TimePoint t);
// For people: local time, "2026-11-23 19:00:00 CET".
std::string format_local(TimePoint t);

// "900", "90s", "15m", "12h", "1h30m", "2d": a positive whole number of seconds.
Result<Seconds> parse_duration(std::string_view text);
// The shortest of the forms above that parse_duration reads back: "1h30m", "15m", "45s", "0s".
std::string format_duration(Seconds d);
// For people: "in 42m", "in 1h5m", "3m ago".
std::string format_relative(TimePoint t, TimePoint reference);

}  // namespace mfaenv
