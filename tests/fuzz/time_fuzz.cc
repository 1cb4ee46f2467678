// Fuzz target: durations and times of src/util/time.h. Checks: a duration that parses is positive,
// and format_duration gives text that parses back to it; an RFC 3339 time that parses formats to
// text that parses back to it, and formatting that again gives the same text; format_relative and
// format_duration of any value do not crash.
#include <cstring>
#include <string>

#include "fuzz_check.h"
#include "util/time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mfaenv;
  const std::string_view text = fuzz::as_text(data, size);

  if (auto d = parse_duration(text); d.ok()) {
    FUZZ_CHECK(d->count() > 0, "a parsed duration is not positive");
    const std::string formatted = format_duration(*d);
    auto back = parse_duration(formatted);
    FUZZ_CHECK(back.ok(), "format_duration gives text parse_duration refuses");
    FUZZ_CHECK(*back == *d, "a duration changes through format and parse");
    FUZZ_CHECK(format_duration(*back) == formatted, "formatting a duration is not stable");
  }

  if (auto t = parse_rfc3339(text); t.ok()) {
    const std::string formatted = format_rfc3339(*t);
    auto back = parse_rfc3339(formatted);
    FUZZ_CHECK(back.ok(), "format_rfc3339 gives text parse_rfc3339 refuses");
    FUZZ_CHECK(*back == *t, "a time changes through format and parse");
    FUZZ_CHECK(format_rfc3339(*back) == formatted, "formatting a time is not stable");
    (void)format_relative(*t, TimePoint(Seconds(1795000000)));
  }

  // The first 8 bytes as a number of seconds, for the formatter alone: every duration that
  // parse_duration may return (up to 10^9 s) must read back.
  if (size >= 8) {
    long long n = 0;
    std::memcpy(&n, data, sizeof n);
    const std::string formatted = format_duration(Seconds(n));
    if (n > 0 && n <= 1'000'000'000) {
      auto back = parse_duration(formatted);
      FUZZ_CHECK(back.ok() && back->count() == n, "format_duration of a positive count does not read back");
    }
  }
  return 0;
}
