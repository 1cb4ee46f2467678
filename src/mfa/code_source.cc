// What every MFA code source shares: the wording of a request and the shape of a code.
#include "mfa/code_source.h"

#include <algorithm>

#include <fmt/format.h>

#include "util/strings.h"

namespace mfaenv {

bool is_valid_code(std::string_view code) {
  if (code.size() != 6) return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string normalize_code(std::string_view typed) {
  std::string code(trim(typed));
  code.erase(std::remove(code.begin(), code.end(), ' '), code.end());  // "123 456" as some apps show it
  return code;
}

std::string describe_request(const std::string& serial, const PromptContext& context) {
  if (context.profile.empty()) return serial;
  if (context.via.empty() || context.via == context.profile) return fmt::format("{} (for {})", serial, context.profile);
  return fmt::format("{} (for {}, via {})", serial, context.profile, context.via);
}

std::string prompt_message(const std::string& serial, const PromptContext& context, CodeRetry retry) {
  std::string message;
  if (retry == CodeRetry::kRejected) message = "AWS rejected that code. ";
  if (retry == CodeRetry::kAlreadyUsed) message = "That code was already used; enter the next one. ";
  return message + "MFA code for " + describe_request(serial, context);
}

}  // namespace mfaenv
