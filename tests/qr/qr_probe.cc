// Test tool: reads a text on stdin and writes its QR code to stdout, as terminal text
// (`qr_probe text [ansi]`) or as a PNG (`qr_probe png [PIXELS]`).
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include "qr/png.h"
#include "qr/qr_code.h"
#include "qr/terminal.h"

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "text";
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!text.empty() && text.back() == '\n') text.pop_back();
  auto matrix = mfaenv::encode_qr(text);
  if (!matrix.ok()) {
    std::fprintf(stderr, "qr_probe: %s\n", matrix.error().message.c_str());
    return 1;
  }
  std::string out;
  if (mode == "png") {
    out = mfaenv::qr_png(*matrix, argc > 2 ? std::stoi(argv[2]) : 8);
  } else {
    const bool ansi = argc > 2 && std::string(argv[2]) == "ansi";
    out = mfaenv::draw_qr_text(*matrix, ansi ? mfaenv::TerminalColors::kAnsi : mfaenv::TerminalColors::kPlain);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
