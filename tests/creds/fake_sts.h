// A scripted StsApi for the credential chain's tests: counts calls, checks codes, expires sessions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "creds/sts_api.h"

namespace mfaenv {

class FakeSts : public StsApi {
 public:
  std::string valid_code = "123456";
  int get_session_token_calls = 0;
  int assume_role_calls = 0;
  std::vector<std::string> sources_seen;  // access key ids STS was called with
  std::vector<Seconds> durations;
  std::vector<AssumeRoleRequest> role_requests;

  int sessions_without_mfa = 0;
  std::vector<std::string> prepared;            // profiles prepare() was asked about, in order
  std::optional<std::string> unusable_profile;  // prepare() fails for it, as a bad endpoint would

  Status prepare(const ProfileSettings& profile) override {
    prepared.push_back(profile.name);
    if (unusable_profile == profile.name)
      return make_error(ErrorKind::kConfigInvalid, "profile '{}': unusable endpoint", profile.name);
    return {};
  }

  Result<StsSession> get_session_token(const ProfileSettings&, const Credentials& source,
                                       const std::optional<MfaProof>& mfa, Seconds duration) override {
    ++get_session_token_calls;
    sources_seen.push_back(source.access_key_id);
    durations.push_back(duration);
    if (!mfa) {
      ++sessions_without_mfa;
      return session("ASIANOMFA" + std::to_string(get_session_token_calls), "arn:aws:iam::123456789012:user/alice",
                     duration);
    }
    if (mfa->code != valid_code) return Error{ErrorKind::kAwsRefused, "invalid MFA one time pass code"};
    return session("ASIASESSION" + std::to_string(get_session_token_calls), "arn:aws:iam::123456789012:user/alice",
                   duration);
  }

  Result<StsSession> assume_role(const ProfileSettings&, const Credentials& source, const AssumeRoleRequest& request) override {
    ++assume_role_calls;
    sources_seen.push_back(source.access_key_id);
    role_requests.push_back(request);
    if (request.mfa && request.mfa->code != valid_code) return Error{ErrorKind::kAwsRefused, "invalid MFA one time pass code"};
    const std::string role = request.role_arn.substr(request.role_arn.rfind('/') + 1);
    return session("ASIAROLE" + std::to_string(assume_role_calls),
                   "arn:aws:sts::123456789012:assumed-role/" + role + "/" + request.session_name, request.duration);
  }

  bool is_invalid_mfa_code(const Error& error) const override {
    return error.message.find("MFA one time pass code") != std::string::npos;
  }

 private:
  static StsSession session(std::string key, std::string arn, Seconds duration) {
    StsSession s;
    s.credentials.access_key_id = std::move(key);
    s.credentials.secret_access_key = "session-secret";
    s.credentials.session_token = "session-token";
    s.credentials.expiration = now() + duration;
    s.arn = std::move(arn);
    s.account = "123456789012";
    return s;
  }
};

}  // namespace mfaenv
