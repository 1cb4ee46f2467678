// A QR matrix as a PNG file (1-bit greyscale, black modules on white), for `mfa enroll --qr-png`.
#pragma once

#include <string>

#include "qr/qr_code.h"

namespace mfaenv {

// `module_pixels` pixels per module, with the standard quiet zone of 4 modules. The bytes of a PNG.
std::string qr_png(const QrMatrix& matrix, int module_pixels = 8);

}  // namespace mfaenv
