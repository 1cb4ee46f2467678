// Text for people: anything that came from a file, an STS answer, a policy or the environment is
// made safe to show on a terminal before mfaenv prints it (escape sequences, carriage returns and
// line breaks in data could clear the screen, retitle the window or forge lines), and cut to a
// readable length. Secrets must be removed before this; it only changes how bytes are shown.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace mfaenv {

// What one quoted value (an STS message, a policy Sid) may take up in a message.
inline constexpr size_t kMaxQuotedText = 512;
// What one whole line for people may take up.
inline constexpr size_t kMaxLineText = 4096;

// `text` with control characters (C0, DEL, C1), Unicode bidirectional overrides and bytes that are
// not UTF-8 written as \n, \r, \t, \xNN or \uNNNN; past `max_bytes` of input the rest is replaced
// by "... (N more bytes)".
std::string printable(std::string_view text, size_t max_bytes = kMaxQuotedText);

// "mfaenv: <message>\n" on stderr, the message made printable. Never throws and never fails the
// command: a closed or full stderr loses the line, nothing else.
void tell(std::string_view message);

template <typename... T>
void tell(fmt::format_string<T...> format, T&&... args) {
  tell(std::string_view(fmt::format(format, std::forward<T>(args)...)));
}

// One line of a table or report on stdout for people (status, whoami, policy findings), made
// printable; the newline is added here. Write errors are found by finish_stdout() (util/hardening.h).
void print_line(std::string_view line);

template <typename... T>
void print_line(fmt::format_string<T...> format, T&&... args) {
  print_line(std::string_view(fmt::format(format, std::forward<T>(args)...)));
}

}  // namespace mfaenv
