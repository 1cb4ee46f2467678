// Wiping secrets when credentials go out of scope, and the check of what credentials may hold.
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

const char* unusable_credential_part(const Credentials& c) {
  auto clean = [](const std::string& text) {
    for (unsigned char ch : text)
      if (ch < 0x21 || ch > 0x7e) return false;
    return true;
  };
  if (!clean(c.access_key_id)) return "AccessKeyId";
  if (!clean(c.secret_access_key)) return "SecretAccessKey";
  if (!clean(c.session_token)) return "SessionToken";
  return nullptr;
}

Credentials::~Credentials() {
  wipe(secret_access_key);
  wipe(session_token);
}

}  // namespace mfaenv
