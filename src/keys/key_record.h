// The text a backend stores for one profile: a small JSON object holding the key id, the secret
// and when mfaenv stored them. Wiped after use like every secret.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

struct KeyRecord {
  Credentials keys;
  std::optional<TimePoint> stored_at;
};

// {"Version": 1, "AccessKeyId": …, "SecretAccessKey": …, "StoredAt": "RFC 3339"}
std::string encode_key_record(const Credentials& keys, TimePoint stored_at);
// `where` names the entry in errors ("the secret-service entry of profile 'dev'"); values never quoted.
Result<KeyRecord> decode_key_record(std::string_view text, std::string_view where);

// An RFC 3339 time, or nullopt when `text` is not one.
std::optional<TimePoint> stored_time(std::string_view text);

// What messages and listings show of a key id: "AKIA…WXYZ".
std::string key_hint(std::string_view access_key_id);

// Checks keys before they are stored: an AKIA/ASIA-like id and a secret of sane shape.
Status check_long_term_keys(const Credentials& keys);

}  // namespace mfaenv
