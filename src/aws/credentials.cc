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

std::string credential_problem(const Credentials& c) {
  struct Part {
    const char* name;
    const std::string& text;
    size_t max;
  };
  for (const Part& part : {Part{"AccessKeyId", c.access_key_id, 128}, Part{"SecretAccessKey", c.secret_access_key, 1024},
                           Part{"SessionToken", c.session_token, 32 << 10}}) {
    for (unsigned char ch : part.text)
      if (ch < 0x21 || ch > 0x7e)
        return std::string("a ") + part.name +
               " holding characters no AWS credential holds (control characters, spaces or non-ASCII)";
    if (part.text.size() > part.max)
      return std::string("a ") + part.name + " of " + std::to_string(part.text.size()) + " bytes (at most " +
             std::to_string(part.max) + ")";
  }
  return {};
}

Credentials::~Credentials() {
  wipe(secret_access_key);
  wipe(session_token);
}

}  // namespace mfaenv
