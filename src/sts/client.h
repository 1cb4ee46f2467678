// StsClient: GetSessionToken, AssumeRole and GetCallerIdentity over the Query API, signed with
// SigV4, with the retry rules of sts/retry.h and the error messages of sts/error.h.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "aws/credentials.h"
#include "http/client.h"
#include "sts/endpoint.h"
#include "sts/error.h"
#include "sts/response.h"
#include "sts/query_call.h"
#include "sts/retry.h"
#include "util/result.h"

namespace mfaenv {

// The client's view of the world (sts/query_call.h); unit tests inject fakes.
using StsRuntime = QueryRuntime;

struct GetSessionTokenInput {
  std::optional<Seconds> duration;  // DurationSeconds; AWS's default (12 h) when absent
  std::string serial_number;        // SerialNumber and TokenCode: both or neither
  std::string token_code;
  std::string credentials_origin;   // for messages: "profile 'dev'"
};

struct AssumeRoleInput {
  std::string role_arn;
  std::string role_session_name;
  std::string external_id;          // empty: not sent
  std::optional<Seconds> duration;
  std::string serial_number;        // both or neither
  std::string token_code;
  std::string credentials_origin;
};

struct GetCallerIdentityInput {
  std::string credentials_origin;
};

// A Result that also says, when it failed, why (so that the MFA layer can re-prompt on
// StsErrorReason::kInvalidMfaCode). Works with MFAENV_TRY like any Result.
template <typename T>
class [[nodiscard]] StsResult : public Result<T> {
 public:
  StsResult(T value) : Result<T>(std::move(value)) {}  // NOLINT: implicit by design
  StsResult(StsFailure failure)                        // NOLINT: implicit by design
      : Result<T>(std::move(failure.error)), reason_(failure.reason) {}

  StsErrorReason reason() const { return reason_; }

 private:
  StsErrorReason reason_ = StsErrorReason::kNone;
};

class StsClient {
 public:
  StsClient(StsEndpoint endpoint, HttpOptions http_options, RetryPolicy retry_policy = {},
            StsRuntime runtime = StsRuntime::real());

  const StsEndpoint& endpoint() const { return endpoint_; }

  StsResult<GetSessionTokenOutput> get_session_token(const Credentials& credentials,
                                                     const GetSessionTokenInput& input);
  StsResult<AssumeRoleOutput> assume_role(const Credentials& credentials,
                                          const AssumeRoleInput& input);
  StsResult<CallerIdentity> get_caller_identity(const Credentials& credentials,
                                                const GetCallerIdentityInput& input = {});

 private:
  struct Call;
  // Sends `call` with retries until its `accept` takes a 2xx body; nullopt then, else the failure.
  std::optional<StsFailure> run(const Credentials& credentials, Call& call);

  StsEndpoint endpoint_;
  HttpOptions http_options_;
  RetryPolicy retry_policy_;
  StsRuntime runtime_;
};

}  // namespace mfaenv
