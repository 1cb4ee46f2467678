// IAM error classification and the messages for people. AWS's text is quoted only after redact().
#include "iam/error.h"

#include <algorithm>

#include "sts/query_call.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

bool iam_code_is(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string iam_one_line(std::string_view text, const IamCallContext& c) {
  std::string out(text);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  return redact(out, c.secrets);
}

std::string iam_says(const StsFailedResponse& r, const IamCallContext& c) {
  if (!r.body) return fmt::format("HTTP {}, not an IAM error document", r.http_status);
  const std::string code = iam_one_line(r.body->code, c);
  const std::string message = iam_one_line(r.body->message, c);
  return message.empty() ? code : fmt::format("{}: {}", code, trim(message));
}

std::string iam_from(const IamCallContext& c) {
  return c.credentials_origin.empty() ? std::string() : " with the credentials of " + c.credentials_origin;
}

std::string not_resent(const RetryOutcome& r) {
  return r.mfa_not_resent ? "; the request may have reached IAM, so it was not sent again (check the result "
                            "with 'aws iam list-access-keys' or 'aws iam list-mfa-devices')"
                          : "";
}

}  // namespace

std::string_view iam_reason_name(IamErrorReason reason) {
  switch (reason) {
    case IamErrorReason::kNone: return "none";
    case IamErrorReason::kNoSuchEntity: return "no-such-entity";
    case IamErrorReason::kLimitExceeded: return "limit-exceeded";
    case IamErrorReason::kEntityAlreadyExists: return "entity-already-exists";
    case IamErrorReason::kDeleteConflict: return "delete-conflict";
    case IamErrorReason::kInvalidAuthenticationCode: return "invalid-authentication-code";
    case IamErrorReason::kAccessDenied: return "access-denied";
    case IamErrorReason::kInvalidClientTokenId: return "invalid-client-token-id";
    case IamErrorReason::kSignatureDoesNotMatch: return "signature-does-not-match";
    case IamErrorReason::kRequestExpired: return "request-expired";
    case IamErrorReason::kExpiredToken: return "expired-token";
    case IamErrorReason::kMalformedPolicyDocument: return "malformed-policy-document";
    case IamErrorReason::kInvalidParameter: return "invalid-parameter";
    case IamErrorReason::kRefused: return "refused";
    case IamErrorReason::kThrottled: return "throttled";
    case IamErrorReason::kServerError: return "server-error";
    case IamErrorReason::kMalformedResponse: return "malformed-response";
    case IamErrorReason::kUnreachable: return "unreachable";
    case IamErrorReason::kLocalSetup: return "local-setup";
  }
  return "?";
}

IamErrorReason classify_iam_error(const StsFailedResponse& r) {
  // Throttling, 5xx and the authentication codes are the same for every Query API service.
  const StsErrorReason common = classify_error_response(r, StsOperation::kGetCallerIdentity);
  switch (common) {
    case StsErrorReason::kThrottled: return IamErrorReason::kThrottled;
    case StsErrorReason::kServerError: return IamErrorReason::kServerError;
    case StsErrorReason::kExpiredToken: return IamErrorReason::kExpiredToken;
    case StsErrorReason::kInvalidClientTokenId: return IamErrorReason::kInvalidClientTokenId;
    case StsErrorReason::kSignatureDoesNotMatch: return IamErrorReason::kSignatureDoesNotMatch;
    case StsErrorReason::kRequestExpired: return IamErrorReason::kRequestExpired;
    default: break;
  }
  if (!r.body) return IamErrorReason::kRefused;
  const std::string& code = r.body->code;
  if (code == "ServiceFailure") return IamErrorReason::kServerError;
  if (code == "NoSuchEntity") return IamErrorReason::kNoSuchEntity;
  if (code == "LimitExceeded") return IamErrorReason::kLimitExceeded;
  if (code == "EntityAlreadyExists") return IamErrorReason::kEntityAlreadyExists;
  if (code == "DeleteConflict") return IamErrorReason::kDeleteConflict;
  if (code == "InvalidAuthenticationCode") return IamErrorReason::kInvalidAuthenticationCode;
  if (code == "MalformedPolicyDocument") return IamErrorReason::kMalformedPolicyDocument;
  if (iam_code_is(code, {"AccessDenied", "AccessDeniedException"})) return IamErrorReason::kAccessDenied;
  if (iam_code_is(code, {"ValidationError", "InvalidInput", "InvalidParameterValue"}))
    return IamErrorReason::kInvalidParameter;
  return IamErrorReason::kRefused;
}

IamFailure describe_iam_error(const StsFailedResponse& r, const IamCallContext& c, const RetryOutcome& retries) {
  const IamErrorReason reason = classify_iam_error(r);
  const std::string says = iam_says(r, c);
  auto refused = [&](std::string message) { return IamFailure{Error{ErrorKind::kAwsRefused, std::move(message)}, reason}; };
  switch (reason) {
    case IamErrorReason::kAccessDenied:
      return refused(fmt::format(
          "IAM refused {}{} ({}); if a policy requires MFA for this, mfaenv must call IAM with an MFA session: "
          "give the profile an mfa_serial",
          c.action, iam_from(c), says));
    case IamErrorReason::kInvalidClientTokenId:
      return refused(fmt::format(
          "IAM does not know the access key {}{} ({}): it was deleted or deactivated, or it is new and IAM has not "
          "spread it yet (wait a few seconds)",
          shown_key_id(c.access_key_id), iam_from(c), says));
    case IamErrorReason::kSignatureDoesNotMatch:
      return refused(fmt::format("IAM rejected the signature of {}{} ({}): check the secret access key{}", c.action,
                                 iam_from(c), says,
                                 [&] {
                                   auto note = clock_skew_note(r.server_date, c.local_time);
                                   return note.empty() ? std::string() : " (" + note + ")";
                                 }()));
    case IamErrorReason::kRequestExpired:
      return refused(fmt::format("IAM refused {} because of the time ({}): set this computer's clock right", c.action, says));
    case IamErrorReason::kExpiredToken:
      return refused(fmt::format("IAM refused {}: the session used has expired ({}); log in again", c.action, says));
    case IamErrorReason::kThrottled:
    case IamErrorReason::kServerError:
      return IamFailure{Error{ErrorKind::kStsUnavailable,
                              fmt::format("IAM at {} failed {} with HTTP {} ({}){}{}; try again later", c.endpoint_url,
                                          c.action, r.http_status, says, retries.tried, not_resent(retries))},
                        reason};
    default:
      break;
  }
  return refused(fmt::format("IAM refused {} ({})", c.action, says));
}

IamFailure describe_iam_network_failure(const Error& cause, const IamCallContext& c, const RetryOutcome& retries) {
  if (cause.kind != ErrorKind::kStsUnavailable)
    return IamFailure{Error{cause.kind, redact(cause.message, c.secrets)}, IamErrorReason::kLocalSetup};
  return IamFailure{Error{ErrorKind::kStsUnavailable,
                          fmt::format("cannot reach IAM at {} for {}{}: {}{}", c.endpoint_url, c.action, retries.tried,
                                      redact(cause.message, c.secrets), not_resent(retries))},
                    IamErrorReason::kUnreachable};
}

IamFailure describe_iam_malformed_response(const Error& cause, long http_status, const IamCallContext& c,
                                           const RetryOutcome& retries) {
  return IamFailure{Error{ErrorKind::kStsUnavailable,
                          fmt::format("IAM at {} sent an unusable answer to {} (HTTP {}){}: {}{}", c.endpoint_url,
                                      c.action, http_status, retries.tried, iam_one_line(cause.message, c),
                                      not_resent(retries))},
                    IamErrorReason::kMalformedResponse};
}

}  // namespace mfaenv
