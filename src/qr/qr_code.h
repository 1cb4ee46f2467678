// A QR code as a square of dark and light modules, made by libqrencode from a text (the otpauth://
// URI of a virtual MFA device). The text is a secret: the matrix is wiped when it goes away.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace mfaenv {

class QrMatrix {
 public:
  QrMatrix(int width, std::vector<uint8_t> dark) : width_(width), dark_(std::move(dark)) {}
  QrMatrix(QrMatrix&&) = default;
  QrMatrix& operator=(QrMatrix&&) = default;
  ~QrMatrix();

  int width() const { return width_; }
  // True for a dark module; coordinates outside the symbol are light (the quiet zone).
  bool dark(int x, int y) const {
    return x >= 0 && y >= 0 && x < width_ && y < width_ && dark_[static_cast<size_t>(y) * width_ + x] != 0;
  }

 private:
  int width_ = 0;
  std::vector<uint8_t> dark_;
};

// Encodes `text` (8-bit mode, error correction level M, the smallest version that fits).
// Errors: libqrencode cannot be loaded (kGeneric, says which package to install), text too long.
Result<QrMatrix> encode_qr(std::string_view text);

}  // namespace mfaenv
