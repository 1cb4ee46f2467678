// A QR code drawn as text for a terminal: two module rows per line with the Unicode half blocks, so
// the code stays square in a usual terminal font and fits in about 25 lines.
#pragma once

#include <string>

#include "qr/qr_code.h"

namespace mfaenv {

// kAnsi wraps each line in "bright white on black" so the code reads the same on light and dark
// terminal themes; kPlain has no escapes and assumes light text on a dark background (as
// `qrencode -t UTF8` does). In both, block characters are the light modules.
enum class TerminalColors { kAnsi, kPlain };

// The code with a quiet zone of kTextQuietZone modules, lines ending in '\n'.
inline constexpr int kTextQuietZone = 2;
std::string draw_qr_text(const QrMatrix& matrix, TerminalColors colors);

}  // namespace mfaenv
