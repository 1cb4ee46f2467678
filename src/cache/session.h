// A cached STS session and the arithmetic of when it stops being usable (docs/design.md §4):
// effective expiry = min(STS expiry, MFA time + mfaenv_mfa_max_age), usable until that minus a margin.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

// kSession: GetSessionToken without MFA (a chain with no MFA device).
enum class SessionKind { kMfaSession, kRole, kSession };

struct CachedSession {
  static constexpr int kVersion = 1;

  SessionKind kind = SessionKind::kMfaSession;
  Credentials credentials;               // credentials.expiration is the STS expiry
  TimePoint issued{};                    // when mfaenv asked STS for it
  std::optional<TimePoint> mfa_time;     // when the MFA code was accepted (for roles: their MFA session's)
  std::optional<TimePoint> not_after;    // the requested duration's end, or the parent session's if sooner
  std::string arn;                       // the identity the credentials act as
  std::string account;
  std::string profile;                   // the profile that made it (for status and people)
  std::string mfa_serial;                // empty without MFA
  std::string source;                    // what made it: the access key, or the role ARN (for status)
  std::string parent;                    // the cache key of the session it was made with (roles)
};

// How long a session may be used: the policy's MFA age limit and the safety margin.
struct SessionLimits {
  std::optional<Seconds> mfa_max_age;    // mfaenv_mfa_max_age
  Seconds refresh_margin{15 * 60};       // mfaenv_refresh_margin
};

// min(STS expiry, MFA time + max age, inherited limit).
TimePoint effective_expiry(const CachedSession& session, const SessionLimits& limits);

// Who the session is, for people: its ARN, or a note that GetCallerIdentity could not say (the
// session works; only its name is unknown). Never an empty string after "as".
std::string identity_text(const CachedSession& session);

// The margin actually applied: the configured one, but never more than a quarter of the session's
// whole life, so that a 15-minute session is not born unusable under a 15-minute margin.
Seconds applied_margin(const CachedSession& session, const SessionLimits& limits);

// When mfaenv stops serving the session: effective expiry minus the applied margin.
TimePoint refresh_due(const CachedSession& session, const SessionLimits& limits);

bool is_usable(const CachedSession& session, const SessionLimits& limits, TimePoint now);

// The JSON of a cache file. Parsing rejects anything it does not fully understand (other versions,
// missing fields, wrong types) with an Error saying what is wrong.
std::string session_to_json(const CachedSession& session);
Result<CachedSession> session_from_json(std::string_view json);

}  // namespace mfaenv
