// The three zlib functions the PNG writer calls, found with dlsym in libz.so.1 when a PNG is first
// written: linked statically, Debian's lintian flags an embedded zlib; linked dynamically, every
// command (the warm path too) would map one more library.
#pragma once

#include <zlib.h>

#include "util/result.h"

namespace mfaenv {

struct ZlibLibrary {
  int (*compress2)(Bytef*, uLongf*, const Bytef*, uLong, int);
  uLong (*compress_bound)(uLong);
  uLong (*crc32)(uLong, const Bytef*, uInt);
};

Result<const ZlibLibrary*> load_zlib_library();

}  // namespace mfaenv
