// Standard base64 (RFC 4648, with padding) on libsodium: IAM's blob fields (an MFA seed, a QR PNG).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mfaenv {

// nullopt when `text` is not base64 (whitespace, as XML line breaks put there, is ignored).
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

}  // namespace mfaenv
