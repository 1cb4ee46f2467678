// SHA-256 and HMAC-SHA-256 on libsodium's crypto_hash_sha256 / crypto_auth_hmacsha256.
#include "crypto/digest.h"

#include <cstdlib>

#include <sodium.h>

namespace mfaenv {
namespace {

// sodium_init() picks CPU-specific implementations; it is idempotent and thread-safe, and a static
// local makes it run once, at the first hash, not at start-up.
void ensure_sodium() {
  static const bool initialised = [] { return sodium_init() >= 0; }();
  // sodium_init fails only when no randomness source exists; hashing would still work, but a
  // library that refuses to initialise is a broken installation: stop rather than guess.
  if (!initialised) std::abort();
}

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

Sha256 sha256(std::string_view data) {
  ensure_sodium();
  Sha256 out;
  crypto_hash_sha256(out.data(), bytes(data), data.size());
  return out;
}

Sha256 hmac_sha256(std::string_view key, std::string_view data) {
  ensure_sodium();
  // crypto_auth_hmacsha256_init accepts keys of any length (hashing long ones, as RFC 2104 says).
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytes(data), data.size());
  Sha256 out;
  crypto_auth_hmacsha256_final(&state, out.data());
  sodium_memzero(&state, sizeof state);  // the state holds the padded key
  return out;
}

std::string to_hex(const uint8_t* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '\0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0x0f];
  }
  return out;
}

void secure_zero(void* data, size_t size) {
  if (size != 0) sodium_memzero(data, size);
}

}  // namespace mfaenv
