// credential_process JSON (Version 1).
#include "output/credential_process.h"

#include "output/json_string.h"

namespace mfaenv {

std::string credential_process_json(const Credentials& creds, std::optional<TimePoint> expires) {
  std::string out;
  // Holds secrets: one allocation, no copies left behind by growth.
  out.reserve(160 + 6 * (creds.access_key_id.size() + creds.secret_access_key.size() + creds.session_token.size()));
  out += "{\"Version\":1,\"AccessKeyId\":";
  append_json_string(out, creds.access_key_id);
  out += ",\"SecretAccessKey\":";
  append_json_string(out, creds.secret_access_key);
  if (!creds.session_token.empty()) {
    out += ",\"SessionToken\":";
    append_json_string(out, creds.session_token);
  }
  if (!expires) expires = creds.expiration;
  if (expires) {
    out += ",\"Expiration\":\"";
    out += format_rfc3339(*expires);
    out += '"';
  }
  out += "}\n";
  return out;
}

}  // namespace mfaenv
