// Encoding and decoding the stored key record.
#include "keys/key_record.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace mfaenv {

std::string encode_key_record(const Credentials& keys, TimePoint stored_at) {
  nlohmann::json j = {{"Version", 1},
                      {"AccessKeyId", keys.access_key_id},
                      {"SecretAccessKey", keys.secret_access_key},
                      {"StoredAt", format_rfc3339(stored_at)}};
  std::string out = j.dump();
  // nlohmann keeps its own copy of the secret in `j`; overwrite it before it is freed.
  auto& secret = j["SecretAccessKey"].get_ref<std::string&>();
  wipe(secret);
  return out;
}

Result<KeyRecord> decode_key_record(std::string_view text, std::string_view where) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  auto bad = [&](std::string_view what) {
    return make_error(ErrorKind::kGeneric, "{} is not an mfaenv key record ({}); store the keys again with 'mfaenv keys add'",
                      where, what);
  };
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (!j.contains("Version") || j["Version"] != 1) return bad("unknown version");
  if (!j.contains("AccessKeyId") || !j["AccessKeyId"].is_string() || !j.contains("SecretAccessKey") ||
      !j["SecretAccessKey"].is_string())
    return bad("no AccessKeyId or SecretAccessKey");
  KeyRecord r;
  r.keys.access_key_id = j["AccessKeyId"].get<std::string>();
  auto& secret = j["SecretAccessKey"].get_ref<std::string&>();
  r.keys.secret_access_key = secret;
  wipe(secret);
  if (j.contains("StoredAt") && j["StoredAt"].is_string()) r.stored_at = stored_time(j["StoredAt"].get<std::string>());
  if (auto st = check_long_term_keys(r.keys); !st.ok()) return bad(st.error().message);
  return r;
}

std::optional<TimePoint> stored_time(std::string_view text) {
  auto t = parse_rfc3339(text);
  if (!t) return std::nullopt;
  return *t;
}

std::string key_hint(std::string_view id) {
  if (id.size() < 12) return "****";
  return fmt::format("{}…{}", id.substr(0, 4), id.substr(id.size() - 4));
}

Status check_long_term_keys(const Credentials& keys) {
  const std::string& id = keys.access_key_id;
  const bool id_ok = id.size() >= 16 && id.size() <= 128 &&
                     std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  if (!id_ok)
    return make_error(ErrorKind::kUsage, "the access key id is not one (expected 16 or more letters and digits, like AKIA…)");
  if (starts_with(id, "ASIA"))
    return make_error(ErrorKind::kUsage, "{} is a temporary (session) key id; store the long-term AKIA… key", key_hint(id));
  const std::string& s = keys.secret_access_key;
  const bool secret_ok = s.size() >= 16 && s.size() <= 256 && std::all_of(s.begin(), s.end(), [](char c) {
                           return static_cast<unsigned char>(c) > ' ' && static_cast<unsigned char>(c) < 0x7f;
                         });
  if (!secret_ok) return make_error(ErrorKind::kUsage, "the secret access key is not one (expected 40 printable characters)");
  return {};
}

}  // namespace mfaenv
