// What the credential chain needs from STS, as an interface: the real one is sts_adapter.cc over
// src/sts; unit tests use a fake. Errors are ordinary Errors; `is_invalid_mfa_code` tells the MFA
// loop when asking for another code makes sense.
#pragma once

#include <optional>
#include <string>

#include "aws/profile_settings.h"
#include "aws/credentials.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

struct StsSession {
  Credentials credentials;  // expiration set
  std::string arn;          // the caller (GetSessionToken) or the assumed role (AssumeRole)
  std::string account;
};

struct MfaProof {
  std::string serial;
  std::string code;
};

struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;
  std::optional<std::string> external_id;
  Seconds duration{3600};
  std::optional<MfaProof> mfa;  // only with mfaenv_mfa_per_role
};

class StsApi {
 public:
  virtual ~StsApi() = default;
  // Works out everything a request for `profile` needs before it can be sent (endpoint, region,
  // CA bundle, timeout) and fails as a call would before sending anything. The resolver runs it for
  // every link of a chain before it asks for a code or runs a helper (docs/hardening.md, defect 13).
  virtual Status prepare(const ProfileSettings& profile) = 0;
  // `profile` selects endpoint, region and CA bundle.
  // `mfa` is absent for a session without MFA (a chain with no MFA device).
  virtual Result<StsSession> get_session_token(const ProfileSettings& profile, const Credentials& source,
                                               const std::optional<MfaProof>& mfa, Seconds duration) = 0;
  virtual Result<StsSession> assume_role(const ProfileSettings& profile, const Credentials& source,
                                         const AssumeRoleRequest& request) = 0;
  // True when `error` (from one of the calls above) means the MFA code was wrong or already used.
  virtual bool is_invalid_mfa_code(const Error& error) const = 0;
};

}  // namespace mfaenv
