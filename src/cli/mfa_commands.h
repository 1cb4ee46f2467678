// The subcommands of `mfaenv mfa` (mfa.cc registers them; enroll lives in mfa_enroll.cc).
#pragma once

#include <optional>
#include <string>

#include "cli/command.h"

namespace mfaenv {

enum class SecretDisplay { kQrCode, kSecret };

struct MfaEnrollOptions {
  std::string profile;
  std::optional<std::string> name;
  SecretDisplay show = SecretDisplay::kQrCode;
  std::optional<std::string> qr_png;
};

Status run_mfa_enroll(const MfaEnrollOptions& options);

}  // namespace mfaenv
