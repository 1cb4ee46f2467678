// The server's authorization token: 256 random bits from libsodium, compared in constant time.
#pragma once

#include <string>
#include <string_view>

namespace mfaenv {

// 64 lowercase hex digits (32 bytes of randombytes_buf): safe in an HTTP header and an env variable.
std::string make_server_token();

// Whether `given` is `expected`, in time that depends only on the length (the token's length is no secret).
bool token_matches(std::string_view given, std::string_view expected);

}  // namespace mfaenv
