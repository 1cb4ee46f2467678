// Every way an STS call can fail, as a machine-readable reason (so that the MFA layer can re-prompt
// on a wrong code) and as one line for people that says what happened and what to do.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sts/response.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

enum class StsOperation { kGetSessionToken, kAssumeRole, kGetCallerIdentity };
std::string_view action_name(StsOperation operation);

enum class StsErrorReason {
  kNone,
  kInvalidMfaCode,          // wrong, expired or already used code: ask for the next one
  kMfaSerialMismatch,       // mfa_serial is not a device of this user
  kSessionCredentials,      // GetSessionToken called with temporary credentials
  kExpiredToken,            // the session token has expired
  kInvalidClientTokenId,    // unknown, deleted or deactivated access key / invalid session token
  kSignatureDoesNotMatch,   // wrong secret key (or a badly skewed clock)
  kRequestExpired,          // the request's time is too far from AWS's: clock skew
  kRoleChainingLimit,       // DurationSeconds over 1 h for a role assumed with role credentials
  kDurationOutOfRange,      // DurationSeconds outside what the operation or role allows
  kAssumeRoleDenied,        // AccessDenied on AssumeRole: trust policy, MFA, external id
  kAccessDenied,            // any other AccessDenied
  kRegionDisabled,          // STS is not activated in this region for the account
  kInvalidParameter,        // any other ValidationError / invalid parameter
  kRefused,                 // any other 4xx error code
  kThrottled,               // Throttling, RequestLimitExceeded, HTTP 429 ... after retries
  kServerError,             // HTTP 5xx after retries
  kMalformedResponse,       // broken, truncated or unexpected XML
  kUnreachable,             // DNS, refused, timeout, TLS: the network part failed
  kLocalSetup,              // nothing sent: CA bundle unreadable, libcurl missing (kind kept)
};
std::string_view reason_name(StsErrorReason reason);

// Whether a failure may be retried at all (the retry policy adds the MFA rule and the limits).
enum class FailureClass { kFinal, kThrottled, kServerError, kMalformedResponse, kNetwork };
FailureClass failure_class(StsErrorReason reason);

enum class CredentialKind { kLongTerm, kTemporary };

// What the messages may mention about the call; nothing here is secret.
struct StsCallContext {
  StsOperation operation = StsOperation::kGetCallerIdentity;
  std::string endpoint_url;
  std::string access_key_id;
  CredentialKind credential_kind = CredentialKind::kLongTerm;
  std::string credentials_origin;  // "profile 'dev'", "AWS_ACCESS_KEY_ID"; may be empty
  std::string serial_number;       // MFA device, when the call carries a code
  std::string role_arn;            // AssumeRole
  bool has_external_id = false;
  std::optional<Seconds> duration;
  TimePoint local_time{};          // the time the request was signed with
  std::vector<std::string> secrets;  // texts that must never be echoed (code, secret, token)
};

// An HTTP answer that was not a success.
struct StsFailedResponse {
  long http_status = 0;
  std::optional<StsErrorBody> body;       // nullopt when the body held no STS error
  std::optional<TimePoint> server_date;   // the Date header
};

struct StsFailure {
  Error error;
  StsErrorReason reason = StsErrorReason::kNone;
};

// Classifies an error response (status + body) into a reason.
StsErrorReason classify_error_response(const StsFailedResponse& response, StsOperation operation);

// How the retries of a failed call ended, for its message (only retryable failures mention it).
struct RetryOutcome {
  std::string tried;    // "", " after 3 attempts", " after 2 attempts in 10 s"
  bool mfa_not_resent = false;  // stopped because the request carried an MFA code (or was not idempotent)
};

// The messages for people.
StsFailure describe_error_response(const StsFailedResponse& response, const StsCallContext& context,
                                   const RetryOutcome& retries = {});
// `cause` is the HTTP client's error (DNS, refused, timeout, certificate).
StsFailure describe_network_failure(const Error& cause, const StsCallContext& context,
                                    const RetryOutcome& retries = {});
// `cause` is the parser's error: what is wrong with the document.
StsFailure describe_malformed_response(const Error& cause, long http_status,
                                       const StsCallContext& context,
                                       const RetryOutcome& retries = {});

// "your clock is 12m ahead of STS's" when |server - local| > 5 minutes; empty otherwise.
std::string clock_skew_note(std::optional<TimePoint> server_date, TimePoint local_time);

// Replaces every occurrence of each non-empty secret in `text` by "***".
std::string redact(std::string_view text, const std::vector<std::string>& secrets);

}  // namespace mfaenv
