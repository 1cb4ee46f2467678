// RFC 3339 and duration parsing/formatting, and the (test-pinnable) clock.
#include "util/time.h"

#include <cctype>
#include <ctime>

#include "util/strings.h"

namespace mfaenv {

TimePoint now() {
  if (auto fake = env("MFAENV_FAKE_NOW"); fake && !fake->empty()) {
    if (auto n = parse_int(*fake)) return TimePoint(Seconds(*n));
    if (auto t = parse_rfc3339(*fake)) return *t;
  }
  return system_now();
}

Status check_fake_now() {
  auto fake = env("MFAENV_FAKE_NOW");
  if (!fake || fake->empty()) return {};
  if (auto n = parse_int(*fake); n && *n >= 0 && *n <= 253402300799) return {};  // up to 9999-12-31
  if (parse_rfc3339(*fake)) return {};
  return make_error(ErrorKind::kUsage,
                    "MFAENV_FAKE_NOW = '{}' is neither Unix seconds nor an RFC 3339 time; it is a test hook that "
                    "pins mfaenv's clock: unset it",
                    *fake);
}

TimePoint system_now() { return std::chrono::time_point_cast<Seconds>(std::chrono::system_clock::now()); }

namespace {

bool read_digits(std::string_view& s, size_t count, int& out) {
  if (s.size() < count) return false;
  out = 0;
  for (size_t i = 0; i < count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  s.remove_prefix(count);
  return true;
}

bool expect(std::string_view& s, std::string_view chars) {
  if (s.empty() || chars.find(s.front()) == std::string_view::npos) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

Result<TimePoint> parse_rfc3339(std::string_view text) {
  auto bad = [&] {
    return make_error(ErrorKind::kGeneric, "'{}' is not an RFC 3339 time (like 2026-11-23T18:00:00Z)", text);
  };
  std::string_view s = trim(text);
  int year, month, day, hour, minute, second;
  if (!read_digits(s, 4, year) || !expect(s, "-") || !read_digits(s, 2, month) || !expect(s, "-") ||
      !read_digits(s, 2, day) || !expect(s, "Tt ") || !read_digits(s, 2, hour) || !expect(s, ":") ||
      !read_digits(s, 2, minute) || !expect(s, ":") || !read_digits(s, 2, second))
    return bad();
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s.front()))) return bad();
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  }
  int offset = 0;
  if (expect(s, "Zz")) {
  } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    const int sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
    int oh, om;
    if (!read_digits(s, 2, oh) || !expect(s, ":") || !read_digits(s, 2, om) || oh > 23 || om > 59) return bad();
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return bad();
  }
  if (!s.empty()) return bad();
  const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return bad();
  const auto days = std::chrono::sys_days(ymd);
  const TimePoint t = TimePoint(days) + Seconds(hour * 3600 + minute * 60 + std::min(second, 59) - offset);
  // An offset can push the UTC time out of years 0000-9999, which format_rfc3339 cannot write back
  // (a cache file would then hold a time that no longer parses).
  constexpr auto kFirst = std::chrono::sys_days(std::chrono::year(0) / 1 / 1);
  constexpr auto kLast = std::chrono::sys_days(std::chrono::year(9999) / 12 / 31) + Seconds(86399);
  if (t < kFirst || t > kLast) return bad();
  return t;
}

std::string format_rfc3339(TimePoint t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(days);
  const std::chrono::hh_mm_ss hms(t - days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

std::string format_local(TimePoint t) {
  const std::time_t tt = t.time_since_epoch().count();
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buffer[64];
  const size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S %Z", &tm);
  return std::string(buffer, n);
}

Result<Seconds> parse_duration(std::string_view text) {
  auto bad = [&] {
    return make_error(ErrorKind::kUsage, "'{}' is not a duration: use seconds (3600) or units like 15m, 12h, 1h30m",
                      text);
  };
  // Callers add durations to times (an MFA age limit of 2^63 s overflowed), and format_duration
  // must be able to write every duration back in a form this function reads.
  constexpr long long kMaxSeconds = 1'000'000'000;  // about 31 years
  auto too_long = [&] {
    return make_error(ErrorKind::kUsage, "'{}' is too long a duration: at most {} seconds (about 31 years)", text,
                      kMaxSeconds);
  };
  std::string_view s = trim(text);
  if (s.empty()) return bad();
  if (auto plain = parse_int(s)) {
    if (*plain <= 0 || s.front() == '+' || s.front() == '-') return bad();
    if (*plain > kMaxSeconds) return too_long();
    return Seconds(*plain);
  }
  long long total = 0;
  std::string_view units = "dhms";  // each unit at most once, largest first
  while (!s.empty()) {
    long long n = 0;
    size_t digits = 0;
    while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) {
      if (n > 1'000'000'000) return bad();
      n = n * 10 + (s[digits] - '0');
      ++digits;
    }
    if (digits == 0 || digits == s.size()) return bad();
    const char unit = static_cast<char>(std::tolower(static_cast<unsigned char>(s[digits])));
    const auto pos = units.find(unit);
    if (pos == std::string_view::npos) return bad();
    units.remove_prefix(pos + 1);
    const long long factor = unit == 'd' ? 86400 : unit == 'h' ? 3600 : unit == 'm' ? 60 : 1;
    total += n * factor;
    s.remove_prefix(digits + 1);
  }
  if (total <= 0) return bad();
  if (total > kMaxSeconds) return too_long();
  return Seconds(total);
}

std::string format_duration(Seconds d) {
  long long s = d.count();
  if (s <= 0) return "0s";
  std::string out;
  if (s >= 3600) out += fmt::format("{}h", s / 3600), s %= 3600;
  if (s >= 60) out += fmt::format("{}m", s / 60), s %= 60;
  if (s > 0) out += fmt::format("{}s", s);
  return out;
}

std::string format_relative(TimePoint t, TimePoint reference) {
  const auto delta = t - reference;
  // People care about minutes; seconds only when under one.
  auto rounded = [](Seconds d) {
    return d >= Seconds(60) ? Seconds(d.count() / 60 * 60) : d;
  };
  if (delta >= Seconds(0)) return "in " + format_duration(rounded(delta));
  return format_duration(rounded(-delta)) + " ago";
}

}  // namespace mfaenv
