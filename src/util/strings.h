// Small string functions that the standard library lacks. Knows nothing of AWS.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfaenv {

std::string_view trim(std::string_view s, std::string_view chars = " \t\r\n");
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::vector<std::string> split(std::string_view s, char separator);
bool starts_with(std::string_view s, std::string_view prefix);
// Parses a whole string as a base-10 integer; nullopt on anything else (sign allowed).
std::optional<long long> parse_int(std::string_view s);
// Reads an environment variable; nullopt when unset (an empty value is returned as "").
std::optional<std::string> env(const char* name);
// Expands a leading "~" or "~/" with $HOME (as botocore's os.path.expanduser does).
std::string expand_user(std::string_view path);

}  // namespace mfaenv
