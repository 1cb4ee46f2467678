// The otpauth:// URI authenticator apps read from a virtual MFA device's QR code, in the form IAM
// documents for CreateVirtualMFADevice's QRCodePNG: otpauth://totp/NAME@ACCOUNT?secret=SEED.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mfaenv {

// The device name and account from a serial (arn:PARTITION:iam::ACCOUNT:mfa[/PATH]/NAME);
// nullopt when `serial` is not such an ARN.
struct MfaDeviceName {
  std::string account;
  std::string name;
};
std::optional<MfaDeviceName> parse_mfa_serial(std::string_view serial);

// The URI for `device` and the base32 `seed`; the name is percent-encoded (RFC 3986 unreserved
// characters kept). The result holds the seed: wipe it after use.
std::string otpauth_uri(const MfaDeviceName& device, std::string_view seed);

}  // namespace mfaenv
