// Small string functions that the standard library lacks.
#include "util/strings.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace mfaenv {

std::string_view trim(std::string_view s, std::string_view chars) {
  const auto begin = s.find_first_not_of(chars);
  if (begin == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(chars);
  return s.substr(begin, end - begin + 1);
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::vector<std::string> split(std::string_view s, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const auto pos = s.find(separator, start);
    parts.emplace_back(s.substr(start, pos == std::string_view::npos ? s.npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::optional<long long> parse_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string expand_user(std::string_view path) {
  if (path.empty() || path[0] != '~') return std::string(path);
  if (path.size() > 1 && path[1] != '/') return std::string(path);  // ~user: left alone
  std::string home;
  if (auto h = env("HOME")) {
    home = *h;
  } else if (const passwd* pw = getpwuid(getuid())) {
    home = pw->pw_dir;
  }
  return home + std::string(path.substr(1));
}

}  // namespace mfaenv
