// Drawing a QR matrix with U+2580 (upper half), U+2584 (lower half), U+2588 (full) and spaces.
#include "qr/terminal.h"

namespace mfaenv {

std::string draw_qr_text(const QrMatrix& matrix, TerminalColors colors) {
  const int first = -kTextQuietZone;
  const int last = matrix.width() + kTextQuietZone;  // exclusive
  std::string out;
  for (int y = first; y < last; y += 2) {
    if (colors == TerminalColors::kAnsi) out += "\x1b[97;40m";
    for (int x = first; x < last; ++x) {
      const bool top_light = !matrix.dark(x, y);
      const bool bottom_light = y + 1 < last && !matrix.dark(x, y + 1);
      if (top_light && bottom_light) {
        out += "\u2588";
      } else if (top_light) {
        out += "\u2580";
      } else if (bottom_light) {
        out += "\u2584";
      } else {
        out += ' ';
      }
    }
    if (colors == TerminalColors::kAnsi) out += "\x1b[0m";
    out += '\n';
  }
  return out;
}

}  // namespace mfaenv
