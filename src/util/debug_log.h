// `--debug` (or MFAENV_DEBUG=1): lines on stderr saying what mfaenv read, decided and sent, for a
// user working out why a profile does not do what they expect. Never a secret: callers log only
// what is not secret (access key ids, ARNs, paths, times, STS parameters with the code masked), and
// as a second line of defence every line is scrubbed of the secrets registered with
// debug_secret() before it is printed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace mfaenv {

enum class DebugOutput { kOff, kStderr };

void set_debug_output(DebugOutput output);
bool debug_enabled();

// Registers a secret (key, token, code) to be replaced by "****" in every later debug line. Does
// nothing when debugging is off, so the warm path keeps no copies.
void debug_secret(std::string_view secret);

// The shortest secret that is scrubbed from debug lines and quoted AWS messages: a 6-digit MFA code
// must go, but a 1-character "secret" from a test file would cut letters out of every word
// (attack 2, F15: "The ***ecurity token ...").
inline constexpr size_t kMinScrubbedSecret = 6;

void debug_line(std::string line);

template <typename... Args>
void debug(fmt::format_string<Args...> format, Args&&... args) {
  if (debug_enabled()) debug_line(fmt::format(format, std::forward<Args>(args)...));
}

// What a debug line shows for a secret: its kind and length, none of its characters.
std::string masked(std::string_view secret);

}  // namespace mfaenv
