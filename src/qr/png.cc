// Writing the PNG chunks (IHDR, IDAT, IEND) by hand around zlib's deflate and CRC-32: a 1-bit
// greyscale image needs nothing else from libpng, and zlib is linked statically.
#include "qr/png.h"

#include <cstdint>
#include <vector>

#include <zlib.h>

#include "crypto/digest.h"

namespace mfaenv {
namespace {

constexpr int kPngQuietZone = 4;

void put_u32(std::string& out, uint32_t value) {
  out += static_cast<char>(value >> 24);
  out += static_cast<char>(value >> 16);
  out += static_cast<char>(value >> 8);
  out += static_cast<char>(value);
}

void put_chunk(std::string& out, const char type[4], const std::string& data) {
  put_u32(out, static_cast<uint32_t>(data.size()));
  const size_t start = out.size();
  out.append(type, 4);
  out += data;
  const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(out.data() + start), static_cast<uInt>(out.size() - start));
  put_u32(out, static_cast<uint32_t>(crc));
}

}  // namespace

std::string qr_png(const QrMatrix& matrix, int module_pixels) {
  const int modules = matrix.width() + 2 * kPngQuietZone;
  const uint32_t side = static_cast<uint32_t>(modules * module_pixels);
  const size_t row_bytes = (side + 7) / 8;
  // Each scanline: filter type 0, then the pixels, most significant bit first; 1 is white.
  std::vector<uint8_t> raw((row_bytes + 1) * side, 0);
  for (uint32_t py = 0; py < side; ++py) {
    uint8_t* row = raw.data() + py * (row_bytes + 1) + 1;
    const int my = static_cast<int>(py) / module_pixels - kPngQuietZone;
    for (uint32_t px = 0; px < side; ++px) {
      const int mx = static_cast<int>(px) / module_pixels - kPngQuietZone;
      if (!matrix.dark(mx, my)) row[px / 8] |= static_cast<uint8_t>(0x80 >> (px % 8));
    }
  }
  std::vector<uint8_t> packed(compressBound(static_cast<uLong>(raw.size())));
  uLongf packed_size = static_cast<uLongf>(packed.size());
  // compress2 only fails on too small a buffer or bad arguments, which compressBound rules out.
  compress2(packed.data(), &packed_size, raw.data(), static_cast<uLong>(raw.size()), Z_BEST_COMPRESSION);
  secure_zero(raw.data(), raw.size());  // the pixels encode the secret

  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  put_u32(header, side);
  put_u32(header, side);
  header += '\x01';  // bit depth 1
  header += '\x00';  // greyscale
  header += '\x00';  // deflate
  header += '\x00';  // adaptive filtering (every row uses filter 0)
  header += '\x00';  // no interlace
  put_chunk(png, "IHDR", header);
  std::string data(reinterpret_cast<const char*>(packed.data()), packed_size);
  put_chunk(png, "IDAT", data);
  secure_zero(data.data(), data.size());
  secure_zero(packed.data(), packed.size());
  put_chunk(png, "IEND", "");
  return png;
}

}  // namespace mfaenv
