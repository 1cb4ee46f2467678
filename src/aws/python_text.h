// Python's string rules on UTF-8 text, as botocore's parsers (configparser, shlex) apply them: what
// str.strip() removes, where str.splitlines() breaks, what str.lower() gives, what shlex.split()
// returns. The config reader must agree with botocore byte for byte, so these follow CPython 3.11
// (Unicode 14.0), not the C locale. All functions expect valid UTF-8 (check it first, util/utf8.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfaenv::python {

// Bytes taken by the str.isspace() character starting at `i` (0 when there is none).
size_t space_at(std::string_view s, size_t i);
// Bytes taken by the str.isspace() character ending just before `end` (0 when there is none).
size_t space_before(std::string_view s, size_t end);

std::string_view lstrip(std::string_view s);
std::string_view rstrip(std::string_view s);
std::string_view strip(std::string_view s);

// Number of code points in `s`.
size_t code_points(std::string_view s);

// Bytes taken by the str.splitlines() line break starting at `i` (0 when there is none); "\r\n"
// counts as one.
size_t line_break_at(std::string_view s, size_t i);

// str.lower(). Returns false (and leaves `out` alone) when `s` has nothing to lower.
bool lower(std::string_view s, std::string& out);

// shlex.split(s) (POSIX mode, no comments). nullopt where shlex raises ValueError (an unclosed
// quote, a trailing backslash).
std::optional<std::vector<std::string>> shlex_split(std::string_view s);

}  // namespace mfaenv::python
