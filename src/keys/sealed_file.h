// The file backend's format (docs/keys.md, "The key file"): a versioned header in the clear, then
// the key record sealed with XChaCha20-Poly1305 under a key Argon2id derives from a passphrase.
// The header is the AEAD's associated data, so changing any byte of the file is detected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace mfaenv {

struct KdfCost {
  uint32_t opslimit = 0;
  uint32_t memlimit_kib = 0;
  static KdfCost interactive();  // libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE (2, 64 MiB)
  static KdfCost minimum();      // for tests of the format only
};

// The clear header's public part: what `keys list` shows without the passphrase.
struct SealedFileInfo {
  std::string profile;
  std::string key_hint;     // "AKIA…WXYZ"
  std::string stored_at;    // RFC 3339
};

// Seals `plaintext`; the result is the whole file.
Result<std::string> seal_key_file(std::string_view plaintext, std::string_view passphrase, const SealedFileInfo& info,
                                  KdfCost cost = KdfCost::interactive());

// Reads the header only (no passphrase). Errors: kGeneric, one line naming `path`.
Result<SealedFileInfo> read_key_file_info(std::string_view file, std::string_view path);

// Opens the file; a wrong passphrase and a changed file are the same error (AEAD failure).
Result<std::string> open_key_file(std::string_view file, std::string_view passphrase, std::string_view path);

}  // namespace mfaenv
