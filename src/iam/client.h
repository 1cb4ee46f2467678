// IamClient: the IAM Query API (Version 2010-05-08) over SigV4, with the request loop, retries and
// XML helpers shared with STS (sts/query_call.h). Access keys (rotation), virtual MFA devices
// (enrolment) and inline policies. Errors carry an IamErrorReason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "iam/access_keys.h"
#include "iam/error.h"
#include "iam/mfa_devices.h"
#include "sts/connection.h"
#include "sts/query_call.h"

namespace mfaenv {

class IamClient {
 public:
  IamClient(StsConnection connection, RetryPolicy retry_policy = {}, QueryRuntime runtime = QueryRuntime::real());

  const StsEndpoint& endpoint() const { return connection_.endpoint; }
  // Named in messages: "profile 'dev'".
  void set_credentials_origin(std::string origin) { credentials_origin_ = std::move(origin); }

  // `user_name` empty: the caller (IAM derives the user from the signing key).
  IamResult<IamUser> get_user(const Credentials& credentials, const std::string& user_name = {});
  // Every page.
  IamResult<std::vector<AccessKeyMetadata>> list_access_keys(const Credentials& credentials,
                                                            const std::string& user_name = {});
  // Not resent after an answer is lost: a resend could make a second key (sts/retry.h).
  IamResult<NewAccessKey> create_access_key(const Credentials& credentials, const std::string& user_name = {});
  IamResult<IamDone> update_access_key(const Credentials& credentials, const std::string& access_key_id,
                                       AccessKeyStatus status, const std::string& user_name = {});
  IamResult<IamDone> delete_access_key(const Credentials& credentials, const std::string& access_key_id,
                                       const std::string& user_name = {});

  IamResult<VirtualMfaDevice> create_virtual_mfa_device(const Credentials& credentials, const std::string& name,
                                                        const std::string& path = {});
  // The two consecutive codes; carries codes, so never resent unless certainly not sent.
  IamResult<IamDone> enable_mfa_device(const Credentials& credentials, const std::string& user_name,
                                       const std::string& serial_number, const std::string& code1,
                                       const std::string& code2);
  IamResult<std::vector<MfaDeviceInfo>> list_mfa_devices(const Credentials& credentials,
                                                        const std::string& user_name = {});
  IamResult<IamDone> deactivate_mfa_device(const Credentials& credentials, const std::string& user_name,
                                           const std::string& serial_number);
  IamResult<IamDone> delete_virtual_mfa_device(const Credentials& credentials, const std::string& serial_number);

  IamResult<IamDone> put_user_policy(const Credentials& credentials, const std::string& user_name,
                                     const std::string& policy_name, const std::string& document);
  IamResult<IamDone> put_group_policy(const Credentials& credentials, const std::string& group_name,
                                      const std::string& policy_name, const std::string& document);

 private:
  // Sends `call` (action, parameters, replay, accept); nullopt when accepted, else the failure.
  std::optional<IamFailure> run(const Credentials& credentials, QueryCall& call,
                                std::vector<std::string> secrets = {});
  IamResult<IamDone> run_empty(const Credentials& credentials, QueryCall call, std::vector<std::string> secrets = {});

  StsConnection connection_;
  RetryPolicy retry_policy_;
  QueryRuntime runtime_;
  std::string credentials_origin_;
};

}  // namespace mfaenv
