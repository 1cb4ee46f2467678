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

// What makes `c` unusable, as "a SessionToken holding characters no AWS credential holds (…)", or
// empty when nothing does: a byte outside printable ASCII (a space included) in AccessKeyId,
// SecretAccessKey or SessionToken, which would be cut at a NUL, forge lines in shell output, or break
// a signed header; or a part longer than any AWS issues (a token over 32 KiB would also not fit the
// session cache). Such credentials, from a broken or hostile STS or credential_process, are refused
// where they enter mfaenv.
std::string credential_problem(const Credentials& c);

// Overwrites the bytes of a string that held a secret (sodium_memzero semantics, not optimised away).
void wipe(std::string& secret);

}  // namespace mfaenv
