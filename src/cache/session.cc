// Session validity and the cache file's JSON format.
#include "cache/session.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace mfaenv {

namespace {

constexpr std::string_view kind_name(SessionKind kind) {
  switch (kind) {
    case SessionKind::kRole: return "role";
    case SessionKind::kSession: return "session";
    case SessionKind::kMfaSession: break;
  }
  return "mfa-session";
}

}  // namespace

std::string identity_text(const CachedSession& session) {
  return session.arn.empty() ? "an identity not checked (GetCallerIdentity failed)" : session.arn;
}

TimePoint effective_expiry(const CachedSession& session, const SessionLimits& limits) {
  TimePoint expiry = session.credentials.expiration.value_or(session.issued);
  if (session.mfa_time && limits.mfa_max_age) expiry = std::min(expiry, *session.mfa_time + *limits.mfa_max_age);
  if (session.not_after) expiry = std::min(expiry, *session.not_after);
  // No STS session lasts longer than 36 h (GetSessionToken's maximum): a later expiry, from a broken
  // endpoint or an edited file, is not believed.
  return std::min(expiry, session.issued + Seconds(129600 + 300));
}

Seconds applied_margin(const CachedSession& session, const SessionLimits& limits) {
  const Seconds life = effective_expiry(session, limits) - session.issued;
  return std::clamp(limits.refresh_margin, Seconds(0), std::max(Seconds(0), life / 4));
}

TimePoint refresh_due(const CachedSession& session, const SessionLimits& limits) {
  return effective_expiry(session, limits) - applied_margin(session, limits);
}

bool is_usable(const CachedSession& session, const SessionLimits& limits, TimePoint now) {
  return now < refresh_due(session, limits);
}

std::string session_to_json(const CachedSession& s) {
  nlohmann::ordered_json j;
  j["version"] = CachedSession::kVersion;
  j["kind"] = kind_name(s.kind);
  j["profile"] = s.profile;
  j["source"] = s.source;
  j["parent"] = s.parent;
  j["arn"] = s.arn;
  j["account"] = s.account;
  j["mfa_serial"] = s.mfa_serial;
  j["issued"] = format_rfc3339(s.issued);
  j["mfa_time"] = s.mfa_time ? nlohmann::ordered_json(format_rfc3339(*s.mfa_time)) : nlohmann::ordered_json();
  j["not_after"] = s.not_after ? nlohmann::ordered_json(format_rfc3339(*s.not_after)) : nlohmann::ordered_json();
  j["expiration"] = format_rfc3339(s.credentials.expiration.value_or(s.issued));
  j["access_key_id"] = s.credentials.access_key_id;
  j["secret_access_key"] = s.credentials.secret_access_key;
  j["session_token"] = s.credentials.session_token;
  // Replace, not throw: a field from the environment or config may hold bytes that are not UTF-8.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<CachedSession> session_from_json(std::string_view text) {
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return make_error(ErrorKind::kGeneric, "not valid JSON");
  auto str = [&](const char* key) -> std::optional<std::string> {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  auto time = [&](const char* key) -> std::optional<TimePoint> {
    auto s = str(key);
    if (!s) return std::nullopt;
    auto t = parse_rfc3339(*s);
    if (!t) return std::nullopt;
    return *t;
  };
  auto missing = [](const char* key) { return make_error(ErrorKind::kGeneric, "field '{}' missing or invalid", key); };

  auto version = j.find("version");
  if (version == j.end() || !version->is_number_integer() || version->get<int>() != CachedSession::kVersion)
    return make_error(ErrorKind::kGeneric, "written by another version of mfaenv (format {} expected)",
                      CachedSession::kVersion);
  CachedSession s;
  const auto kind = str("kind");
  if (kind == kind_name(SessionKind::kMfaSession)) s.kind = SessionKind::kMfaSession;
  else if (kind == kind_name(SessionKind::kRole)) s.kind = SessionKind::kRole;
  else if (kind == kind_name(SessionKind::kSession)) s.kind = SessionKind::kSession;
  else return missing("kind");
  for (auto [field, key] : {std::pair{&s.profile, "profile"}, {&s.source, "source"}, {&s.parent, "parent"}, {&s.arn, "arn"},
                            {&s.account, "account"}, {&s.mfa_serial, "mfa_serial"},
                            {&s.credentials.access_key_id, "access_key_id"},
                            {&s.credentials.secret_access_key, "secret_access_key"},
                            {&s.credentials.session_token, "session_token"}}) {
    auto v = str(key);
    if (!v) return missing(key);
    *field = std::move(*v);
  }
  if (s.credentials.access_key_id.empty()) return missing("access_key_id");
  if (s.credentials.secret_access_key.empty()) return missing("secret_access_key");
  if (s.credentials.session_token.empty()) return missing("session_token");
  auto issued = time("issued");
  auto expiration = time("expiration");
  if (!issued) return missing("issued");
  if (!expiration) return missing("expiration");
  s.issued = *issued;
  s.credentials.expiration = *expiration;
  for (auto [field, key] : {std::pair{&s.mfa_time, "mfa_time"}, {&s.not_after, "not_after"}}) {
    auto it = j.find(key);
    if (it == j.end()) return missing(key);
    if (it->is_null()) continue;
    *field = time(key);
    if (!*field) return missing(key);
  }
  return s;
}

}  // namespace mfaenv
