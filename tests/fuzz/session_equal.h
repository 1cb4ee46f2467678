// Field-by-field equality of two CachedSessions, shared by the cache and STS fuzz targets.
#pragma once

#include "cache/session.h"

namespace mfaenv::fuzz {

inline bool same_session(const CachedSession& a, const CachedSession& b) {
  return a.kind == b.kind && a.credentials.access_key_id == b.credentials.access_key_id &&
         a.credentials.secret_access_key == b.credentials.secret_access_key &&
         a.credentials.session_token == b.credentials.session_token &&
         a.credentials.expiration == b.credentials.expiration && a.issued == b.issued && a.mfa_time == b.mfa_time &&
         a.not_after == b.not_after && a.arn == b.arn && a.account == b.account && a.profile == b.profile &&
         a.mfa_serial == b.mfa_serial && a.source == b.source && a.parent == b.parent;
}

}  // namespace mfaenv::fuzz
