// Parsing MFA serials and building otpauth:// URIs.
#include "qr/otpauth.h"

#include <fmt/format.h>

namespace mfaenv {

std::optional<MfaDeviceName> parse_mfa_serial(std::string_view serial) {
  // arn:PARTITION:iam::ACCOUNT:mfa/NAME (a path may come before NAME)
  if (!serial.starts_with("arn:")) return std::nullopt;
  const size_t iam = serial.find(":iam::");
  if (iam == std::string_view::npos) return std::nullopt;
  const std::string_view rest = serial.substr(iam + 6);
  const size_t colon = rest.find(':');
  if (colon != 12 || !rest.substr(colon + 1).starts_with("mfa/")) return std::nullopt;
  const std::string_view account = rest.substr(0, colon);
  for (char c : account)
    if (c < '0' || c > '9') return std::nullopt;
  const std::string_view resource = rest.substr(colon + 5);
  const size_t slash = resource.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? resource : resource.substr(slash + 1);
  if (name.empty()) return std::nullopt;
  return MfaDeviceName{std::string(account), std::string(name)};
}

std::string otpauth_uri(const MfaDeviceName& device, std::string_view seed) {
  std::string name;
  for (unsigned char c : device.name) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      name += static_cast<char>(c);
    } else {
      name += fmt::format("%{:02X}", c);
    }
  }
  std::string uri = "otpauth://totp/" + name + "@" + device.account + "?secret=";
  uri += seed;
  return uri;
}

}  // namespace mfaenv
