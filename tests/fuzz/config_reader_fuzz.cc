// Fuzz target: the AWS config/credentials reader (AwsConfig::parse, over src/aws/ini_file.cc).
// Input: config text, optionally followed by a NUL and credentials text; without a NUL the text is
// read both as a config file and as a credentials file. Checks: no crash; the result is consistent
// (every listed profile resolves, a key is a value or a nested block, never both); an error names
// FILE:LINE and never quotes the value of a setting (one that looks like a key or token).
#include <set>
#include <string>
#include <vector>

#include "aws/config.h"
#include "fuzz_check.h"
#include "util/strings.h"

namespace {

using namespace mfaenv;

// Whether `s` looks like a key or token (base64 letters only), which no message template contains.
bool looks_secret(std::string_view s) {
  if (s.size() < 12) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) return false;
  }
  return true;
}

void check_error_hides_values(const Error& error, std::string_view text) {
  FUZZ_CHECK(error.kind == ErrorKind::kConfigInvalid, "a config parse error is not kConfigInvalid");
  FUZZ_CHECK(error.message.find(':') != std::string::npos, "a config parse error does not name FILE:LINE");
  // Section headers and keys are quoted on purpose; the value of a setting is what may be a secret
  // (unless the same text is also a header or a key).
  std::string names;
  std::vector<std::string_view> values;
  const std::vector<std::string> lines = split(text, '\n');
  for (const std::string& line : lines) {
    const std::string_view stripped = trim(line);
    const size_t delimiter = stripped.find_first_of("=:");
    if (stripped.empty() || stripped.front() == '[' || delimiter == std::string_view::npos) {
      names.append(stripped).append("\n");
      continue;
    }
    names.append(stripped.substr(0, delimiter)).append("\n");
    values.push_back(trim(stripped.substr(delimiter + 1)));
  }
  for (std::string_view value : values) {
    if (looks_secret(value) && names.find(value) == std::string::npos) {
      FUZZ_CHECK(error.message.find(value) == std::string::npos, "a config parse error quotes a setting's value");
    }
  }
}

void check_consistent(const AwsConfig& config) {
  std::set<std::string_view> seen;
  for (const std::string_view name : config.profile_names()) {
    FUZZ_CHECK(seen.insert(name).second, "profile_names() lists a profile twice");
    const std::optional<Profile> profile = config.profile(name);
    FUZZ_CHECK(profile.has_value() && config.has_profile(name), "a listed profile does not resolve");
    FUZZ_CHECK(profile->name == name, "profile(name) returns another profile");
    for (const auto& [key, value] : profile->values) {
      FUZZ_CHECK(profile->nested.count(key) == 0, "a key is both a value and a nested block");
      FUZZ_CHECK(profile->get(key) == value, "Profile::get disagrees with values");
    }
    for (const std::string& key : profile->credentials_keys) {
      FUZZ_CHECK(profile->values.count(key) != 0 || profile->nested.count(key) != 0,
                 "a credentials key is missing from the profile");
    }
  }
}

void parse_and_check(std::string_view config_text, std::string_view credentials_text) {
  const ConfigPaths names{"config", "credentials"};
  auto config = AwsConfig::parse(config_text, credentials_text, names);
  if (!config.ok()) {
    check_error_hides_values(config.error(), config_text);
    check_error_hides_values(config.error(), credentials_text);
    return;
  }
  check_consistent(*config);
  // Reading is a pure function of the text.
  auto again = AwsConfig::parse(config_text, credentials_text, names);
  FUZZ_CHECK(again.ok() && again->profile_names() == config->profile_names(), "a second parse differs");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = mfaenv::fuzz::as_text(data, size);
  const auto fields = mfaenv::fuzz::split_fields(input, 2);
  if (fields.size() == 2) {
    parse_and_check(fields[0], fields[1]);
  } else {
    parse_and_check(input, "");
    parse_and_check("", input);
  }
  return 0;
}
