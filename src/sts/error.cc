// STS error classification and the messages for people. AWS's own message is quoted only after
// redact(), because ValidationErrors echo request values (a TokenCode among them).
#include "sts/error.h"

#include <algorithm>
#include <array>

#include "sts/query_call.h"
#include "util/debug_log.h"
#include "util/printable.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

constexpr Seconds kSkewTolerance{300};  // AWS rejects requests signed more than 5 minutes off

bool contains(std::string_view text, std::string_view needle) {
  return to_lower(text).find(to_lower(needle)) != std::string::npos;
}

bool is_one_of(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// botocore's retryhandler/standard throttling codes.
bool is_throttling_code(std::string_view code) {
  return is_one_of(code, {"Throttling", "ThrottlingException", "ThrottledException",
                          "RequestThrottledException", "TooManyRequestsException",
                          "ProvisionedThroughputExceededException", "TransactionInProgressException",
                          "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException",
                          "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
                          "EC2ThrottledException"});
}

// " from profile 'dev'", or nothing.
std::string from(const StsCallContext& c) {
  return c.credentials_origin.empty() ? std::string() : " from " + c.credentials_origin;
}

std::string device(const StsCallContext& c) {
  return c.serial_number.empty() ? std::string("the MFA device") : c.serial_number;
}

std::string role(const StsCallContext& c) {
  return c.role_arn.empty() ? std::string("the role") : c.role_arn;
}

std::string duration(const StsCallContext& c) {
  return c.duration ? fmt::format("{} s", c.duration->count()) : std::string("the default duration");
}

// Text from the answer, quoted on one line with secrets removed: AWS's has no newlines, but a
// proxy's (or a fake endpoint's, which received the MFA code) may hold anything: line breaks and
// escape sequences are shown escaped, and megabytes are cut to kMaxQuotedText.
std::string one_line_redacted(std::string_view text, const StsCallContext& c) {
  std::string out(text);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  // Redacted first, on the whole text, so that cutting it can never leave part of a secret.
  return printable(redact(out, c.secrets), kMaxQuotedText);
}

// "AccessDenied: <AWS's message>" with secrets removed; just the code when AWS said nothing.
std::string aws_says(const StsFailedResponse& r, const StsCallContext& c) {
  if (!r.body) return "not an STS error document";
  const std::string code = one_line_redacted(r.body->code, c);
  const std::string message = one_line_redacted(r.body->message, c);
  if (message.empty()) return code;
  return fmt::format("{}: {}", code, trim(message));
}

// Said when a request with an MFA code was not resent: AWS may have used the code already.
std::string caution(const RetryOutcome& r) {
  return r.mfa_not_resent ? "; the request carried an MFA code and may have reached AWS, so it was "
                            "not sent again (a code works only once)"
                          : "";
}

std::string_view with_next_code(const RetryOutcome& r) {
  return r.mfa_not_resent ? " with the next code" : "";
}

}  // namespace

std::string_view action_name(StsOperation operation) {
  switch (operation) {
    case StsOperation::kGetSessionToken: return "GetSessionToken";
    case StsOperation::kAssumeRole: return "AssumeRole";
    case StsOperation::kGetCallerIdentity: return "GetCallerIdentity";
  }
  return "?";
}

std::string_view reason_name(StsErrorReason reason) {
  switch (reason) {
    case StsErrorReason::kNone: return "none";
    case StsErrorReason::kInvalidMfaCode: return "invalid-mfa-code";
    case StsErrorReason::kMfaSerialMismatch: return "mfa-serial-mismatch";
    case StsErrorReason::kSessionCredentials: return "session-credentials";
    case StsErrorReason::kExpiredToken: return "expired-token";
    case StsErrorReason::kInvalidClientTokenId: return "invalid-client-token-id";
    case StsErrorReason::kSignatureDoesNotMatch: return "signature-does-not-match";
    case StsErrorReason::kRequestExpired: return "request-expired";
    case StsErrorReason::kRoleChainingLimit: return "role-chaining-limit";
    case StsErrorReason::kDurationOutOfRange: return "duration-out-of-range";
    case StsErrorReason::kAssumeRoleDenied: return "assume-role-denied";
    case StsErrorReason::kAccessDenied: return "access-denied";
    case StsErrorReason::kRegionDisabled: return "region-disabled";
    case StsErrorReason::kInvalidParameter: return "invalid-parameter";
    case StsErrorReason::kRefused: return "refused";
    case StsErrorReason::kThrottled: return "throttled";
    case StsErrorReason::kServerError: return "server-error";
    case StsErrorReason::kMalformedResponse: return "malformed-response";
    case StsErrorReason::kUnreachable: return "unreachable";
    case StsErrorReason::kLocalSetup: return "local-setup";
  }
  return "?";
}

FailureClass failure_class(StsErrorReason reason) {
  switch (reason) {
    case StsErrorReason::kThrottled: return FailureClass::kThrottled;
    case StsErrorReason::kServerError: return FailureClass::kServerError;
    case StsErrorReason::kMalformedResponse: return FailureClass::kMalformedResponse;
    case StsErrorReason::kUnreachable: return FailureClass::kNetwork;
    default: return FailureClass::kFinal;
  }
}

StsErrorReason classify_error_response(const StsFailedResponse& r, StsOperation operation) {
  if (!r.body) {
    if (r.http_status == 429) return StsErrorReason::kThrottled;
    if (r.http_status >= 500) return StsErrorReason::kServerError;
    return StsErrorReason::kRefused;
  }
  const std::string& code = r.body->code;
  const std::string& message = r.body->message;
  if (r.http_status == 429 || is_throttling_code(code)) return StsErrorReason::kThrottled;
  if (r.http_status >= 500 || is_one_of(code, {"RequestTimeout", "RequestTimeoutException"}))
    return StsErrorReason::kServerError;
  if (code == "AccessDenied" || code == "AccessDeniedException") {
    if (contains(message, "Cannot call GetSessionToken with session credentials"))
      return StsErrorReason::kSessionCredentials;
    if (contains(message, "unable to validate MFA code") || contains(message, "MFA serial number"))
      return StsErrorReason::kMfaSerialMismatch;
    if (contains(message, "MultiFactorAuthentication failed") ||
        contains(message, "invalid MFA one time pass code"))
      return StsErrorReason::kInvalidMfaCode;
    return operation == StsOperation::kAssumeRole ? StsErrorReason::kAssumeRoleDenied
                                                  : StsErrorReason::kAccessDenied;
  }
  if (is_one_of(code, {"ExpiredToken", "ExpiredTokenException"})) return StsErrorReason::kExpiredToken;
  if (is_one_of(code, {"InvalidClientTokenId", "UnrecognizedClientException"}))
    return StsErrorReason::kInvalidClientTokenId;
  if (code == "SignatureDoesNotMatch" || code == "InvalidSignatureException") {
    // STS reports a stale X-Amz-Date as SignatureDoesNotMatch "Signature expired: ...".
    return contains(message, "Signature expired") || contains(message, "Signature not yet current")
               ? StsErrorReason::kRequestExpired
               : StsErrorReason::kSignatureDoesNotMatch;
  }
  if (is_one_of(code, {"RequestExpired", "RequestTimeTooSkewed"})) return StsErrorReason::kRequestExpired;
  if (code == "RegionDisabledException") return StsErrorReason::kRegionDisabled;
  if (is_one_of(code, {"ValidationError", "ValidationException", "InvalidParameterValue",
                       "InvalidParameterCombination", "MalformedPolicyDocument"})) {
    if (contains(message, "role chaining")) return StsErrorReason::kRoleChainingLimit;
    if (contains(message, "durationSeconds") || contains(message, "MaxSessionDuration"))
      return StsErrorReason::kDurationOutOfRange;
    return StsErrorReason::kInvalidParameter;
  }
  return StsErrorReason::kRefused;
}

std::string clock_skew_note(std::optional<TimePoint> server_date, TimePoint local_time) {
  if (!server_date) return {};
  Seconds offset = local_time - *server_date;  // positive: this computer is ahead
  Seconds magnitude = offset < Seconds(0) ? -offset : offset;
  if (magnitude <= kSkewTolerance) return {};
  return fmt::format("this computer's clock is {} {} STS's (server time {})",
                     format_duration(magnitude), offset > Seconds(0) ? "ahead of" : "behind",
                     format_rfc3339(*server_date));
}

std::string redact(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out(text);
  for (const std::string& secret : secrets) {
    if (secret.size() < kMinScrubbedSecret) continue;
    for (size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + 3))
      out.replace(at, secret.size(), "***");
  }
  return out;
}

StsFailure describe_error_response(const StsFailedResponse& r, const StsCallContext& c,
                                   const RetryOutcome& retries) {
  const StsErrorReason reason = classify_error_response(r, c.operation);
  const std::string_view action = action_name(c.operation);
  const std::string says = aws_says(r, c);
  const std::string skew = clock_skew_note(r.server_date, c.local_time);
  auto refused = [&](std::string message) {
    return StsFailure{Error{ErrorKind::kAwsRefused, std::move(message)}, reason};
  };
  // STS never redirects: a 3xx comes from something in the way (a captive portal, a proxy, a wrong
  // URL), so STS was not reached (exit 5), it did not refuse (exit 4). Redirects are not followed.
  if (r.http_status >= 300 && r.http_status < 400) {
    return StsFailure{Error{ErrorKind::kStsUnavailable,
                            fmt::format("{} answered {} with a redirect (HTTP {}), which STS never sends: something "
                                        "between here and STS (a proxy, a captive portal) or a wrong endpoint URL; "
                                        "check the endpoint and proxy settings{}",
                                        c.endpoint_url, action, r.http_status, caution(retries))},
                      StsErrorReason::kUnreachable};
  }
  switch (reason) {
    case StsErrorReason::kInvalidMfaCode:
      return refused(fmt::format(
          "STS rejected the MFA code for {} ({}): the code is wrong, expired or was already used; "
          "wait for the next code and try again",
          device(c), says));
    case StsErrorReason::kMfaSerialMismatch:
      return refused(fmt::format(
          "STS could not validate the MFA code with {} ({}): check that mfa_serial is the ARN of "
          "an MFA device assigned to the IAM user of access key {} (aws iam list-mfa-devices)",
          device(c), says, shown_key_id(c.access_key_id)));
    case StsErrorReason::kSessionCredentials:
      return refused(fmt::format(
          "STS refuses GetSessionToken with temporary credentials ({}): access key {}{} already "
          "belongs to a session; give mfaenv the IAM user's long-term keys (AKIA...) without "
          "aws_session_token",
          says, shown_key_id(c.access_key_id), from(c)));
    case StsErrorReason::kExpiredToken:
      return refused(fmt::format(
          "the session token of access key {}{} has expired ({}): get fresh credentials "
          "(mfaenv login) or remove the stale aws_session_token / AWS_SESSION_TOKEN",
          shown_key_id(c.access_key_id), from(c), says));
    case StsErrorReason::kInvalidClientTokenId:
      if (c.credential_kind == CredentialKind::kTemporary) {
        return refused(fmt::format(
            "STS does not accept the session token of access key {}{} ({}): the session was "
            "revoked or is for another partition or disabled region; get fresh credentials",
            shown_key_id(c.access_key_id), from(c), says));
      }
      return refused(fmt::format(
          "STS does not know access key {}{} ({}): the key was deleted, deactivated or mistyped; "
          "check aws_access_key_id and that the key is Active in IAM",
          shown_key_id(c.access_key_id), from(c), says));
    case StsErrorReason::kSignatureDoesNotMatch:
      if (!skew.empty()) {
        return refused(fmt::format(
            "STS rejected the request signature (SignatureDoesNotMatch): {}; set the system "
            "clock right (enable NTP) and try again, and if that is not it, check "
            "aws_secret_access_key for access key {}{}",
            skew, shown_key_id(c.access_key_id), from(c)));
      }
      return refused(fmt::format(
          "STS rejected the request signature (SignatureDoesNotMatch): the secret access key does "
          "not belong to access key {}{}; check aws_secret_access_key (also check that the "
          "system clock is right: AWS rejects requests more than 5 minutes off{})",
          shown_key_id(c.access_key_id), from(c),
          r.server_date ? "; the clock looks right compared to the server's Date" : ""));
    case StsErrorReason::kRequestExpired:
      return refused(fmt::format(
          "STS says the request was signed at the wrong time ({}): {}; set the system clock right "
          "(enable NTP) and try again",
          says, skew.empty() ? "this computer's clock is more than 5 minutes off" : skew));
    case StsErrorReason::kRoleChainingLimit:
      return refused(fmt::format(
          "AWS allows at most 1 hour for a role assumed with another role's credentials (role "
          "chaining), and {} was asked for {} ({}): set duration_seconds = 3600 or less",
          duration(c), role(c), says));
    case StsErrorReason::kDurationOutOfRange:
      if (c.operation == StsOperation::kAssumeRole) {
        return refused(fmt::format(
            "STS refused a session of {} for {} ({}): AssumeRole allows 900 s up to the role's "
            "MaxSessionDuration; lower duration_seconds or raise the role's maximum in IAM",
            duration(c), role(c), says));
      }
      return refused(fmt::format(
          "STS refused a session of {} ({}): {} allows 900 to 129600 s (900 to 3600 s for the "
          "root user); change mfaenv_session_duration or --duration",
          duration(c), says, action));
    case StsErrorReason::kAssumeRoleDenied:
      return refused(fmt::format(
          "not allowed to assume {} ({}): check the role's trust policy: it must allow this "
          "user or account, an MFA condition needs mfa_serial in the profile{}",
          role(c), says,
          c.has_external_id ? ", and its sts:ExternalId must equal external_id"
                            : ", and an sts:ExternalId condition needs external_id"));
    case StsErrorReason::kAccessDenied:
      return refused(fmt::format(
          "AWS denied {} for access key {}{} ({}): check the IAM policies (and SCPs) that apply",
          action, shown_key_id(c.access_key_id), from(c), says));
    case StsErrorReason::kRegionDisabled:
      return refused(fmt::format(
          "STS at {} is not activated for this account ({}): activate the region in IAM account "
          "settings, or use another region",
          c.endpoint_url, says));
    case StsErrorReason::kInvalidParameter:
      return refused(fmt::format(
          "STS rejected a parameter of {} ({}): check role_arn, role_session_name, external_id, "
          "mfa_serial and the duration",
          action, says));
    case StsErrorReason::kRefused:
      if (!r.body) {
        return refused(fmt::format(
            "{} answered {} with HTTP {} and no STS error: is that an STS endpoint? Check the "
            "endpoint URL",
            c.endpoint_url, action, r.http_status));
      }
      return refused(fmt::format("STS refused {} ({})", action, says));
    case StsErrorReason::kThrottled:
      return StsFailure{
          Error{ErrorKind::kStsUnavailable,
                fmt::format("STS at {} is throttling requests ({}){}{}; wait a minute and try again{}",
                            c.endpoint_url, says, retries.tried, caution(retries),
                            with_next_code(retries))},
          reason};
    case StsErrorReason::kServerError:
      return StsFailure{
          Error{ErrorKind::kStsUnavailable,
                fmt::format("STS at {} failed with HTTP {} ({}){}{}; try again later{}",
                            c.endpoint_url, r.http_status, says, retries.tried, caution(retries),
                            with_next_code(retries))},
          reason};
    case StsErrorReason::kNone:
    case StsErrorReason::kMalformedResponse:
    case StsErrorReason::kUnreachable:
    case StsErrorReason::kLocalSetup:
      break;
  }
  return refused(fmt::format("STS refused {} ({})", action, says));
}

StsFailure describe_network_failure(const Error& cause, const StsCallContext& c,
                                    const RetryOutcome& retries) {
  // A problem on this machine (CA bundle unreadable, libcurl missing) keeps its own kind and words.
  if (cause.kind != ErrorKind::kStsUnavailable) {
    return StsFailure{Error{cause.kind, redact(cause.message, c.secrets)},
                      StsErrorReason::kLocalSetup};
  }
  return StsFailure{Error{ErrorKind::kStsUnavailable,
                          fmt::format("cannot reach STS at {}{}: {}{}", c.endpoint_url,
                                      retries.tried, redact(cause.message, c.secrets),
                                      retries.mfa_not_resent
                                          ? caution(retries) + "; try again with the next code"
                                          : "")},
                    StsErrorReason::kUnreachable};
}

StsFailure describe_malformed_response(const Error& cause, long http_status,
                                       const StsCallContext& c, const RetryOutcome& retries) {
  return StsFailure{
      Error{ErrorKind::kStsUnavailable,
            fmt::format("STS at {} sent an unusable answer (HTTP {}){}: {}{}; try again{}",
                        c.endpoint_url, http_status, retries.tried, one_line_redacted(cause.message, c),
                        caution(retries),
                        with_next_code(retries))},
      StsErrorReason::kMalformedResponse};
}

}  // namespace mfaenv
