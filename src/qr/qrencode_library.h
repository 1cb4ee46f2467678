// The two libqrencode functions mfaenv calls, found with dlsym in libqrencode.so.4 when a QR code is
// first drawn. Nothing links against libqrencode, so no other command maps it (docs/design.md §7).
#pragma once

#include <qrencode.h>

#include "util/result.h"

namespace mfaenv {

struct QrencodeLibrary {
  QRcode* (*encode_string_8bit)(const char*, int, QRecLevel);
  void (*free_code)(QRcode*);
};

// Loads libqrencode.so.4 once per process (MFAENV_LIBQRENCODE names another file, for tests).
Result<const QrencodeLibrary*> load_qrencode_library();

}  // namespace mfaenv
