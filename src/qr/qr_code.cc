// Encoding a text as a QR matrix with libqrencode, wiping every copy of the text's bits afterwards.
#include "qr/qr_code.h"

#include <cerrno>
#include <string>

#include "crypto/digest.h"
#include "qr/qrencode_library.h"

namespace mfaenv {

QrMatrix::~QrMatrix() {
  if (!dark_.empty()) secure_zero(dark_.data(), dark_.size());
}

Result<QrMatrix> encode_qr(std::string_view text) {
  const QrencodeLibrary* lib = MFAENV_TRY(load_qrencode_library());
  std::string terminated(text);  // libqrencode wants a C string
  // Level M survives a smudged screen or a phone camera at an angle, and a TOTP URI still fits in a
  // version that a terminal can show (about 45 columns).
  QRcode* code = lib->encode_string_8bit(terminated.c_str(), 0, QR_ECLEVEL_M);
  const int saved_errno = errno;
  secure_zero(terminated.data(), terminated.size());
  if (code == nullptr) {
    return make_error(ErrorKind::kGeneric, "cannot draw the QR code ({}); use --secret to type the secret instead",
                      saved_errno == ERANGE ? "the text is too long for a QR code" : "libqrencode failed");
  }
  const int width = code->width;
  std::vector<uint8_t> dark(static_cast<size_t>(width) * width);
  for (size_t i = 0; i < dark.size(); ++i) dark[i] = code->data[i] & 1;  // bit 0: dark module
  secure_zero(code->data, dark.size());
  lib->free_code(code);
  return QrMatrix(width, std::move(dark));
}

}  // namespace mfaenv
