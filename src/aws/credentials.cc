// Wiping secrets when credentials go out of scope.
#include "aws/credentials.h"

#include <cstring>

namespace mfaenv {

void wipe(std::string& secret) {
  if (secret.empty()) return;
  // explicit_bzero is glibc's non-elidable memset (the same guarantee as sodium_memzero), and keeps
  // libsodium out of modules that need nothing else from it.
  explicit_bzero(secret.data(), secret.size());
  secret.clear();
}

Credentials::~Credentials() {
  wipe(secret_access_key);
  wipe(session_token);
}

}  // namespace mfaenv
