// dlopen()ing libqrencode; the handle stays open for the life of the process.
#include "qr/qrencode_library.h"

#include <cstdlib>
#include <string>

#include <dlfcn.h>

namespace mfaenv {
namespace {

struct QrencodeLoad {
  QrencodeLibrary library{};
  std::string error;  // empty on success
};

QrencodeLoad load_qrencode() {
  QrencodeLoad outcome;
  const char* override_name = std::getenv("MFAENV_LIBQRENCODE");
  const char* file = override_name != nullptr && *override_name != '\0' ? override_name : "libqrencode.so.4";
  void* handle = dlopen(file, RTLD_LAZY | RTLD_LOCAL);
  if (handle == nullptr) {
    outcome.error = std::string("cannot load ") + file +
                    " to draw the QR code: install it with 'apt-get install libqrencode4', or use --secret "
                    "to type the secret into your authenticator app instead";
    return outcome;
  }
  void* encode = dlsym(handle, "QRcode_encodeString8bit");
  void* free_code = dlsym(handle, "QRcode_free");
  if (encode == nullptr || free_code == nullptr) {
    outcome.error = std::string(file) + " is not a usable libqrencode; reinstall libqrencode4, or use --secret";
    return outcome;
  }
  outcome.library.encode_string_8bit = reinterpret_cast<QRcode* (*)(const char*, int, QRecLevel)>(encode);
  outcome.library.free_code = reinterpret_cast<void (*)(QRcode*)>(free_code);
  return outcome;
}

}  // namespace

Result<const QrencodeLibrary*> load_qrencode_library() {
  static const QrencodeLoad outcome = load_qrencode();
  if (!outcome.error.empty()) return Error{ErrorKind::kGeneric, outcome.error};
  return &outcome.library;
}

}  // namespace mfaenv
