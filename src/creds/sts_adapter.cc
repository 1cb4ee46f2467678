// StsApi over src/sts: one StsClient per profile (its endpoint, region and CA bundle), created at
// the first call, so the warm-cache path never resolves endpoints or loads libcurl.
#include "creds/sts_adapter.h"

#include <map>

#include <fmt/format.h>

#include "sts/client.h"
#include "sts/connection.h"
#include "util/strings.h"
#include "util/printable.h"
#include "util/warnings.h"

namespace mfaenv {

namespace {

class RealSts : public StsApi {
 public:
  // The client made here is the one the calls use, so a warning (plain http) is given once.
  Status prepare(const ProfileSettings& profile) override {
    auto client = client_for(profile);
    if (!client.ok()) return std::move(client).error();
    return {};
  }

  Result<StsSession> get_session_token(const ProfileSettings& profile, const Credentials& source,
                                       const std::optional<MfaProof>& mfa, Seconds duration) override {
    StsClient& client = MFAENV_TRY(client_for(profile));
    GetSessionTokenInput input;
    input.duration = duration;
    if (mfa) {
      input.serial_number = mfa->serial;
      input.token_code = mfa->code;
    }
    input.credentials_origin = fmt::format("profile '{}'", profile.name);
    auto answer = client.get_session_token(source, input);
    last_reason_ = answer.reason();
    if (!answer.ok()) return std::move(answer).error();
    StsSession session;
    session.credentials = std::move(answer->credentials);
    // GetSessionToken does not say who the session is; GetCallerIdentity does (on login only).
    auto who = client.get_caller_identity(session.credentials, GetCallerIdentityInput{input.credentials_origin});
    if (who.ok()) {
      session.arn = who->arn;
      session.account = who->account;
    } else {
      session.account = mfa ? account_of(mfa->serial) : "";
      note(fmt::format("the session works, but GetCallerIdentity could not say whose it is: {}", who.error().message));
    }
    return session;
  }

  Result<StsSession> assume_role(const ProfileSettings& profile, const Credentials& source,
                                 const AssumeRoleRequest& request) override {
    StsClient& client = MFAENV_TRY(client_for(profile));
    AssumeRoleInput input;
    input.role_arn = request.role_arn;
    input.role_session_name = request.session_name;
    input.external_id = request.external_id.value_or("");
    input.duration = request.duration;
    if (request.mfa) {
      input.serial_number = request.mfa->serial;
      input.token_code = request.mfa->code;
    }
    input.credentials_origin = fmt::format("profile '{}'", profile.name);
    auto answer = client.assume_role(source, input);
    last_reason_ = answer.reason();
    if (!answer.ok()) return std::move(answer).error();
    StsSession session;
    session.credentials = std::move(answer->credentials);
    session.arn = answer->assumed_role_arn;
    session.account = account_of(answer->assumed_role_arn);
    return session;
  }

  bool is_invalid_mfa_code(const Error&) const override { return last_reason_ == StsErrorReason::kInvalidMfaCode; }

 private:
  // arn:aws:iam::123456789012:... -> 123456789012
  static std::string account_of(const std::string& arn) {
    const auto parts = split(arn, ':');
    return parts.size() > 4 ? parts[4] : "";
  }

  Result<std::reference_wrapper<StsClient>> client_for(const ProfileSettings& profile) {
    auto it = clients_.find(profile.name);
    if (it == clients_.end()) {
      it = clients_.emplace(profile.name, MFAENV_TRY(make_sts_client(profile))).first;
    }
    return std::ref(it->second);
  }

  std::map<std::string, StsClient> clients_;
  StsErrorReason last_reason_ = StsErrorReason::kNone;
};

}  // namespace

Result<StsClient> make_sts_client(const ProfileSettings& profile) {
  StsConnection connection = MFAENV_TRY(sts_connection_for(&profile));
  if (!connection.endpoint.warning.empty()) warn(connection.endpoint.warning);
  return StsClient(std::move(connection.endpoint), std::move(connection.http));
}

std::unique_ptr<StsApi> make_sts_api() { return std::make_unique<RealSts>(); }

}  // namespace mfaenv
