// Token generation and comparison on libsodium.
#include "server/token.h"

#include <sodium.h>

#include <array>

namespace mfaenv {

std::string make_server_token() {
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  sodium_memzero(bytes.data(), bytes.size());
  std::string token(hex.data(), 64);
  sodium_memzero(hex.data(), hex.size());
  return token;
}

bool token_matches(std::string_view given, std::string_view expected) {
  if (given.size() != expected.size() || expected.empty()) return false;
  return sodium_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

}  // namespace mfaenv
