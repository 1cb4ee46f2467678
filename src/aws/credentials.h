// AWS credentials as they travel between mfaenv's modules: long-term keys (no token, no expiry) or
// temporary ones from STS (token and expiry). The secret parts are zeroed when the object dies.
#pragma once

#include <optional>
#include <string>

#include "util/time.h"

namespace mfaenv {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;             // empty for long-term keys
  std::optional<TimePoint> expiration;   // STS expiry; none for long-term keys

  bool is_temporary() const { return !session_token.empty(); }

  Credentials() = default;
  Credentials(const Credentials&) = default;
  Credentials(Credentials&&) = default;
  Credentials& operator=(const Credentials&) = default;
  Credentials& operator=(Credentials&&) = default;
  ~Credentials();
};

// The part of `c` ("AccessKeyId", "SecretAccessKey", "SessionToken") holding a byte no AWS credential
// holds (anything outside printable ASCII, a space included), or nullptr when every part is clean.
// Such bytes, from a broken or hostile STS or credential_process, would be cut at a NUL, forge lines
// in shell output, or break a signed header, so credentials carrying them are refused where they
// enter mfaenv.
const char* unusable_credential_part(const Credentials& c);

// Overwrites the bytes of a string that held a secret (sodium_memzero semantics, not optimised away).
void wipe(std::string& secret);

}  // namespace mfaenv
