// The debug log: a switch, a list of secrets to scrub, and one stderr line per event.
#include "util/debug_log.h"

#include "util/printable.h"

#include <cstdio>
#include <cstring>
#include <vector>

namespace mfaenv {

namespace {

DebugOutput g_output = DebugOutput::kOff;

std::vector<std::string>& registered_secrets() {
  static std::vector<std::string> secrets;
  return secrets;
}

void scrub(std::string& line) {
  for (const auto& secret : registered_secrets()) {
    for (size_t at = line.find(secret); at != std::string::npos; at = line.find(secret, at + 4)) {
      line.replace(at, secret.size(), "****");
    }
  }
}

}  // namespace

void set_debug_output(DebugOutput output) { g_output = output; }

bool debug_enabled() { return g_output != DebugOutput::kOff; }

void debug_secret(std::string_view secret) {
  // Shorter strings would scrub innocent text (and a 6-digit code is masked where it is logged).
  if (!debug_enabled() || secret.size() < kMinScrubbedSecret) return;
  registered_secrets().emplace_back(secret);
}

void debug_line(std::string line) {
  if (!debug_enabled()) return;
  scrub(line);
  std::string out = "mfaenv[debug]: " + printable(line, kMaxLineText) + "\n";
  std::fwrite(out.data(), 1, out.size(), stderr);
  explicit_bzero(line.data(), line.size());
  explicit_bzero(out.data(), out.size());
}

std::string masked(std::string_view secret) {
  if (secret.empty()) return "(empty)";
  return fmt::format("**** ({} characters)", secret.size());
}

}  // namespace mfaenv
