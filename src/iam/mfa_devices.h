// IAM MFA devices as CreateVirtualMFADevice and ListMFADevices return them, and their parsers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "iam/access_keys.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

// A new virtual device. `base32_seed` is the TOTP secret: a secret, wiped when the object dies.
struct VirtualMfaDevice {
  std::string serial_number;  // arn:aws:iam::123456789012:mfa/NAME
  std::string base32_seed;    // IAM's Base32StringSeed blob, decoded: the base32 text an app takes
  std::string qr_code_png;    // the PNG bytes (IAM's QRCodePNG blob, decoded)

  VirtualMfaDevice() = default;
  VirtualMfaDevice(const VirtualMfaDevice&) = default;
  VirtualMfaDevice(VirtualMfaDevice&&) = default;
  VirtualMfaDevice& operator=(const VirtualMfaDevice&) = default;
  VirtualMfaDevice& operator=(VirtualMfaDevice&&) = default;
  ~VirtualMfaDevice();
};

struct MfaDeviceInfo {
  std::string user_name;
  std::string serial_number;
  std::optional<TimePoint> enable_date;
};

Result<VirtualMfaDevice> parse_create_virtual_mfa_device_response(std::string_view xml);
Result<IamPage<MfaDeviceInfo>> parse_list_mfa_devices_response(std::string_view xml);

}  // namespace mfaenv
