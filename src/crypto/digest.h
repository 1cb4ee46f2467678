// SHA-256, HMAC-SHA-256 and hex, on libsodium. The signer and the cache keys are its only users.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace mfaenv {

using Sha256 = std::array<uint8_t, 32>;

Sha256 sha256(std::string_view data);
Sha256 hmac_sha256(std::string_view key, std::string_view data);
std::string to_hex(const uint8_t* data, size_t size);
inline std::string to_hex(const Sha256& digest) { return to_hex(digest.data(), digest.size()); }
inline std::string_view as_bytes(const Sha256& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}
// Zeroes memory in a way the compiler may not remove.
void secure_zero(void* data, size_t size);

}  // namespace mfaenv
