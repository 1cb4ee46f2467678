// Every way an IAM call can fail, as a machine-readable reason (rotation and enrolment act on some
// of them: LimitExceeded, NoSuchEntity, InvalidAuthenticationCode) and as one line for people.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sts/error.h"
#include "util/result.h"

namespace mfaenv {

enum class IamErrorReason {
  kNone,
  kNoSuchEntity,              // the user, key, device or group does not exist
  kLimitExceeded,             // two access keys already, too many MFA devices
  kEntityAlreadyExists,       // a virtual MFA device of that name exists
  kDeleteConflict,            // e.g. deleting a device still enabled
  kInvalidAuthenticationCode, // EnableMFADevice: the two codes are wrong or not consecutive
  kAccessDenied,              // a policy said no (often: MFA required for this action)
  kInvalidClientTokenId,      // unknown, deleted or deactivated key (or not yet propagated)
  kSignatureDoesNotMatch,     // wrong secret
  kRequestExpired,            // clock skew
  kExpiredToken,              // the session used has expired
  kMalformedPolicyDocument,   // PutUserPolicy / PutGroupPolicy with a bad document
  kInvalidParameter,          // ValidationError, InvalidInput
  kRefused,                   // any other 4xx
  kThrottled,                 // after retries
  kServerError,               // ServiceFailure / 5xx after retries
  kMalformedResponse,         // broken or unexpected XML after retries
  kUnreachable,               // network
  kLocalSetup,                // CA bundle unreadable, libcurl missing
};
std::string_view iam_reason_name(IamErrorReason reason);

IamErrorReason classify_iam_error(const StsFailedResponse& response);

struct IamFailure {
  Error error;
  IamErrorReason reason = IamErrorReason::kNone;
};

// What the messages may mention about the call; nothing here is secret.
struct IamCallContext {
  std::string action;                // "CreateAccessKey"
  std::string endpoint_url;
  std::string access_key_id;         // the caller's key (shown masked)
  std::string credentials_origin;    // "profile 'dev'"; may be empty
  std::vector<std::string> secrets;  // never echoed: secret, token, codes
  TimePoint local_time{};
};

IamFailure describe_iam_error(const StsFailedResponse& response, const IamCallContext& context,
                              const RetryOutcome& retries);
IamFailure describe_iam_network_failure(const Error& cause, const IamCallContext& context,
                                        const RetryOutcome& retries);
IamFailure describe_iam_malformed_response(const Error& cause, long http_status,
                                           const IamCallContext& context, const RetryOutcome& retries);

// A Result that also says why it failed; works with MFAENV_TRY like any Result.
template <typename T>
class [[nodiscard]] IamResult : public Result<T> {
 public:
  IamResult(T value) : Result<T>(std::move(value)) {}  // NOLINT: implicit by design
  IamResult(IamFailure failure)                        // NOLINT: implicit by design
      : Result<T>(std::move(failure.error)), reason_(failure.reason) {}

  IamErrorReason reason() const { return reason_; }

 private:
  IamErrorReason reason_ = IamErrorReason::kNone;
};

// IAM calls with no output.
struct IamDone {};

}  // namespace mfaenv
