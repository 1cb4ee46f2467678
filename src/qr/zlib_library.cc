// dlopen()ing zlib; the handle stays open for the life of the process.
#include "qr/zlib_library.h"

#include <string>

#include <dlfcn.h>

namespace mfaenv {
namespace {

struct ZlibLoad {
  ZlibLibrary library{};
  std::string error;  // empty on success
};

ZlibLoad load_zlib() {
  ZlibLoad outcome;
  void* handle = dlopen("libz.so.1", RTLD_LAZY | RTLD_LOCAL);
  void* compress = handle ? dlsym(handle, "compress2") : nullptr;
  void* bound = handle ? dlsym(handle, "compressBound") : nullptr;
  void* crc = handle ? dlsym(handle, "crc32") : nullptr;
  if (compress == nullptr || bound == nullptr || crc == nullptr) {
    outcome.error = "cannot load libz.so.1 to write the PNG: install zlib1g, or leave out --qr-png";
    return outcome;
  }
  outcome.library.compress2 = reinterpret_cast<int (*)(Bytef*, uLongf*, const Bytef*, uLong, int)>(compress);
  outcome.library.compress_bound = reinterpret_cast<uLong (*)(uLong)>(bound);
  outcome.library.crc32 = reinterpret_cast<uLong (*)(uLong, const Bytef*, uInt)>(crc);
  return outcome;
}

}  // namespace

Result<const ZlibLibrary*> load_zlib_library() {
  static const ZlibLoad outcome = load_zlib();
  if (!outcome.error.empty()) return Error{ErrorKind::kGeneric, outcome.error};
  return &outcome.library;
}

}  // namespace mfaenv
