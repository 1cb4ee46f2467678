// STS error mapping: each AWS error (texts as AWS and the emulator send them) to its reason, exit
// code class and a message that says what to do, never quoting a secret or the MFA code.
#include "sts/error.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
constexpr char kToken[] = "FwoGZXIvYXdzEFAKEtokenEXAMPLE";
constexpr char kCode[] = "909090";  // not a substring of the ARNs in the context

StsCallContext context(StsOperation op) {
  StsCallContext c;
  c.operation = op;
  c.endpoint_url = "https://sts.eu-west-1.amazonaws.com";
  c.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  c.credentials_origin = "profile 'dev'";
  c.serial_number = "arn:aws:iam::123456789012:mfa/alice";
  c.role_arn = "arn:aws:iam::123456789012:role/Admin";
  c.duration = Seconds(7200);
  c.local_time = *parse_rfc3339("2026-11-23T12:00:00Z");
  c.secrets = {kSecret, kToken, kCode};
  return c;
}

StsFailedResponse answer(long status, std::string code, std::string message) {
  StsFailedResponse r;
  r.http_status = status;
  r.body = StsErrorBody{"Sender", std::move(code), std::move(message), "req-1"};
  return r;
}

struct MappingCase {
  StsOperation op;
  long status;
  std::string code;
  std::string message;
  StsErrorReason reason;
  ErrorKind kind;
  std::vector<std::string> says;  // substrings the message must contain
};

TEST(StsErrorMapping, EveryKnownErrorHasItsReasonKindAndAdvice) {
  using Op = StsOperation;
  using R = StsErrorReason;
  const ErrorKind refused = ErrorKind::kAwsRefused, unavailable = ErrorKind::kStsUnavailable;
  const std::vector<MappingCase> cases = {
      {Op::kGetSessionToken, 403, "AccessDenied",
       "MultiFactorAuthentication failed with invalid MFA one time pass code. ", R::kInvalidMfaCode, refused,
       {"rejected the MFA code", "arn:aws:iam::123456789012:mfa/alice", "already used", "next code"}},
      {Op::kAssumeRole, 403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.",
       R::kInvalidMfaCode, refused, {"rejected the MFA code"}},
      {Op::kGetSessionToken, 403, "AccessDenied",
       "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is "
       "valid and associated with this user.",
       R::kMfaSerialMismatch, refused, {"mfa_serial", "AKIA…MPLE", "list-mfa-devices"}},
      {Op::kGetSessionToken, 403, "AccessDenied",
       "GetSessionToken call failed, unable to validate MFA code.  Please verify your MFA serial number is valid "
       "and associated with this user.",
       R::kMfaSerialMismatch, refused, {"mfa_serial"}},
      {Op::kGetSessionToken, 403, "AccessDenied", "Cannot call GetSessionToken with session credentials",
       R::kSessionCredentials, refused, {"temporary credentials", "long-term keys", "profile 'dev'"}},
      {Op::kGetCallerIdentity, 403, "ExpiredToken", "The security token included in the request is expired",
       R::kExpiredToken, refused, {"has expired", "mfaenv login", "aws_session_token"}},
      {Op::kGetCallerIdentity, 403, "InvalidClientTokenId", "The security token included in the request is invalid.",
       R::kInvalidClientTokenId, refused, {"AKIA…MPLE", "aws_access_key_id", "deactivated"}},
      {Op::kGetCallerIdentity, 403, "SignatureDoesNotMatch",
       "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
       "Access Key and signing method. Consult the service documentation for details.",
       R::kSignatureDoesNotMatch, refused, {"SignatureDoesNotMatch", "aws_secret_access_key", "clock"}},
      {Op::kGetCallerIdentity, 403, "SignatureDoesNotMatch",
       "Signature expired: 20261123T113000Z is now earlier than 20261123T114500Z (20261123T120000Z - 15 min.)",
       R::kRequestExpired, refused, {"clock", "NTP"}},
      {Op::kGetCallerIdentity, 400, "RequestExpired", "Request has expired.", R::kRequestExpired, refused,
       {"clock"}},
      {Op::kAssumeRole, 400, "ValidationError",
       "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
       R::kRoleChainingLimit, refused, {"1 hour", "role chaining", "7200 s", "duration_seconds = 3600"}},
      {Op::kAssumeRole, 400, "ValidationError",
       "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", R::kDurationOutOfRange,
       refused, {"MaxSessionDuration", "duration_seconds", "arn:aws:iam::123456789012:role/Admin"}},
      {Op::kGetSessionToken, 400, "ValidationError",
       "1 validation error detected: Value '200000' at 'durationSeconds' failed to satisfy constraint: Member "
       "must have value less than or equal to 129600",
       R::kDurationOutOfRange, refused, {"900 to 129600", "mfaenv_session_duration", "--duration"}},
      {Op::kAssumeRole, 403, "AccessDenied",
       "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:AssumeRole on resource: "
       "arn:aws:iam::123456789012:role/Admin",
       R::kAssumeRoleDenied, refused, {"trust policy", "mfa_serial", "external_id", "user/bob"}},
      {Op::kGetCallerIdentity, 403, "AccessDenied", "Explicit deny", R::kAccessDenied, refused,
       {"GetCallerIdentity", "Explicit deny"}},
      {Op::kGetSessionToken, 403, "RegionDisabledException",
       "STS is not activated in this region for account:123456789012.", R::kRegionDisabled, refused,
       {"activate", "https://sts.eu-west-1.amazonaws.com"}},
      {Op::kAssumeRole, 400, "ValidationError",
       "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must "
       "have length greater than or equal to 2",
       R::kInvalidParameter, refused, {"role_session_name", "roleSessionName"}},
      {Op::kGetCallerIdentity, 403, "MissingAuthenticationToken", "Request is missing Authentication Token",
       R::kRefused, refused, {"MissingAuthenticationToken"}},
      {Op::kGetCallerIdentity, 400, "Throttling", "Rate exceeded", R::kThrottled, unavailable,
       {"throttling", "Rate exceeded"}},
      {Op::kGetCallerIdentity, 400, "RequestLimitExceeded", "Request limit exceeded.", R::kThrottled,
       unavailable, {"throttling"}},
      {Op::kGetCallerIdentity, 400, "ThrottlingException", "", R::kThrottled, unavailable, {"throttling"}},
      {Op::kGetCallerIdentity, 429, "SomethingElse", "slow down", R::kThrottled, unavailable, {"throttling"}},
      {Op::kGetCallerIdentity, 500, "InternalFailure", "The request processing has failed", R::kServerError,
       unavailable, {"HTTP 500", "InternalFailure", "try again later"}},
      {Op::kGetCallerIdentity, 503, "ServiceUnavailable", "Service is unable to handle request.",
       R::kServerError, unavailable, {"HTTP 503"}},
  };
  for (const MappingCase& c : cases) {
    StsFailedResponse r = answer(c.status, c.code, c.message);
    EXPECT_EQ(classify_error_response(r, c.op), c.reason) << c.code << ": " << c.message;
    StsFailure f = describe_error_response(r, context(c.op), RetryOutcome{" after 3 attempts"});
    EXPECT_EQ(f.reason, c.reason) << c.code;
    EXPECT_EQ(f.error.kind, c.kind) << c.code << ": " << f.error.message;
    for (const std::string& s : c.says)
      EXPECT_NE(f.error.message.find(s), std::string::npos) << "'" << s << "' missing from: " << f.error.message;
    EXPECT_EQ(f.error.message.find('\n'), std::string::npos) << f.error.message;
    if (failure_class(c.reason) != FailureClass::kFinal) {
      EXPECT_NE(f.error.message.find("after 3 attempts"), std::string::npos) << f.error.message;
    }
  }
}

TEST(StsErrorMapping, OnlyTransientFailuresAreRetryable) {
  EXPECT_EQ(failure_class(StsErrorReason::kThrottled), FailureClass::kThrottled);
  EXPECT_EQ(failure_class(StsErrorReason::kServerError), FailureClass::kServerError);
  EXPECT_EQ(failure_class(StsErrorReason::kMalformedResponse), FailureClass::kMalformedResponse);
  EXPECT_EQ(failure_class(StsErrorReason::kUnreachable), FailureClass::kNetwork);
  for (StsErrorReason final_reason :
       {StsErrorReason::kInvalidMfaCode, StsErrorReason::kAccessDenied, StsErrorReason::kAssumeRoleDenied,
        StsErrorReason::kSignatureDoesNotMatch, StsErrorReason::kExpiredToken, StsErrorReason::kRefused,
        StsErrorReason::kDurationOutOfRange, StsErrorReason::kLocalSetup}) {
    EXPECT_EQ(failure_class(final_reason), FailureClass::kFinal) << reason_name(final_reason);
  }
}

TEST(StsErrorMapping, SignatureMismatchMeasuresTheClockSkewFromTheDateHeader) {
  StsFailedResponse r = answer(403, "SignatureDoesNotMatch", "The request signature we calculated does not match");
  r.server_date = *parse_rfc3339("2026-11-23T11:43:00Z");  // local time is 12:00:00
  StsFailure f = describe_error_response(r, context(StsOperation::kGetCallerIdentity));
  EXPECT_EQ(f.reason, StsErrorReason::kSignatureDoesNotMatch);
  EXPECT_NE(f.error.message.find("SignatureDoesNotMatch"), std::string::npos);
  EXPECT_NE(f.error.message.find("clock is 17m ahead of STS's"), std::string::npos) << f.error.message;

  r.server_date = *parse_rfc3339("2026-11-23T12:02:00Z");  // within 5 minutes: not the clock
  f = describe_error_response(r, context(StsOperation::kGetCallerIdentity));
  EXPECT_EQ(f.error.message.find("ahead of"), std::string::npos) << f.error.message;
  EXPECT_NE(f.error.message.find("clock looks right"), std::string::npos) << f.error.message;

  r.server_date.reset();  // no Date header: the hint stays general
  f = describe_error_response(r, context(StsOperation::kGetCallerIdentity));
  EXPECT_NE(f.error.message.find("5 minutes"), std::string::npos) << f.error.message;
}

TEST(StsErrorMapping, ClockSkewNote) {
  const TimePoint local = *parse_rfc3339("2026-11-23T12:00:00Z");
  EXPECT_EQ(clock_skew_note(std::nullopt, local), "");
  EXPECT_EQ(clock_skew_note(local + Seconds(300), local), "");
  EXPECT_EQ(clock_skew_note(local - Seconds(300), local), "");
  EXPECT_NE(clock_skew_note(local + Seconds(3600 + 300), local).find("1h5m behind STS's"), std::string::npos);
  EXPECT_NE(clock_skew_note(local - Seconds(301), local).find("ahead of"), std::string::npos);
}

TEST(StsErrorMapping, InvalidClientTokenIdForASessionTalksAboutTheSession) {
  StsCallContext c = context(StsOperation::kGetCallerIdentity);
  c.credential_kind = CredentialKind::kTemporary;
  StsFailure f = describe_error_response(answer(403, "InvalidClientTokenId", "invalid"), c);
  EXPECT_NE(f.error.message.find("session token"), std::string::npos) << f.error.message;
}

TEST(StsErrorMapping, AnswersWithoutAnStsErrorBody) {
  StsFailedResponse html;
  html.http_status = 403;
  StsFailure f = describe_error_response(html, context(StsOperation::kGetCallerIdentity));
  EXPECT_EQ(f.reason, StsErrorReason::kRefused);
  EXPECT_EQ(f.error.kind, ErrorKind::kAwsRefused);
  EXPECT_NE(f.error.message.find("HTTP 403"), std::string::npos);
  EXPECT_NE(f.error.message.find("endpoint URL"), std::string::npos);

  html.http_status = 502;
  EXPECT_EQ(classify_error_response(html, StsOperation::kGetCallerIdentity), StsErrorReason::kServerError);
  html.http_status = 429;
  EXPECT_EQ(classify_error_response(html, StsOperation::kGetCallerIdentity), StsErrorReason::kThrottled);
}

// ValidationErrors echo request values, the MFA code among them.
TEST(StsErrorMapping, MessagesNeverQuoteTheCodeTheSecretOrTheToken) {
  const std::vector<StsFailedResponse> answers = {
      answer(400, "ValidationError",
             std::string("1 validation error detected: Value '") + kCode +
                 "' at 'tokenCode' failed to satisfy constraint"),
      answer(400, "Weird", std::string("echo ") + kSecret + " and " + kToken),
      answer(403, "AccessDenied", std::string("User with ") + kToken + " is not authorized"),
      answer(403, "SignatureDoesNotMatch", std::string("secret ") + kSecret),
  };
  for (StsOperation op : {StsOperation::kGetSessionToken, StsOperation::kAssumeRole, StsOperation::kGetCallerIdentity}) {
    for (const StsFailedResponse& a : answers) {
      const std::string m = describe_error_response(a, context(op)).error.message;
      EXPECT_EQ(m.find(kCode), std::string::npos) << m;
      EXPECT_EQ(m.find(kSecret), std::string::npos) << m;
      EXPECT_EQ(m.find(kToken), std::string::npos) << m;
    }
  }
  Error curl{ErrorKind::kStsUnavailable, std::string("weird failure mentioning ") + kSecret};
  EXPECT_EQ(describe_network_failure(curl, context(StsOperation::kGetCallerIdentity)).error.message.find(kSecret),
            std::string::npos);
}

TEST(StsErrorMapping, NetworkAndLocalFailures) {
  StsCallContext c = context(StsOperation::kGetCallerIdentity);
  StsFailure net = describe_network_failure(
      Error{ErrorKind::kStsUnavailable, "connection to https://127.0.0.1:9 refused"}, c, RetryOutcome{" after 3 attempts"});
  EXPECT_EQ(net.reason, StsErrorReason::kUnreachable);
  EXPECT_EQ(net.error.kind, ErrorKind::kStsUnavailable);
  EXPECT_EQ(net.error.message,
            "cannot reach STS at https://sts.eu-west-1.amazonaws.com after 3 attempts: connection to "
            "https://127.0.0.1:9 refused");

  StsFailure mfa = describe_network_failure(Error{ErrorKind::kStsUnavailable, "timed out"}, c,
                                            RetryOutcome{"", true});
  EXPECT_NE(mfa.error.message.find("carried an MFA code"), std::string::npos) << mfa.error.message;

  StsFailure local = describe_network_failure(
      Error{ErrorKind::kConfigInvalid, "cannot read the CA bundle /nope.pem"}, c);
  EXPECT_EQ(local.reason, StsErrorReason::kLocalSetup);
  EXPECT_EQ(local.error.kind, ErrorKind::kConfigInvalid);
  EXPECT_EQ(local.error.message, "cannot read the CA bundle /nope.pem");

  StsFailure broken = describe_malformed_response(
      Error{ErrorKind::kStsUnavailable, "the GetCallerIdentity response is not well-formed XML"}, 200, c);
  EXPECT_EQ(broken.reason, StsErrorReason::kMalformedResponse);
  EXPECT_EQ(broken.error.kind, ErrorKind::kStsUnavailable);
  EXPECT_NE(broken.error.message.find("HTTP 200"), std::string::npos);
}

TEST(StsErrorMapping, Redact) {
  EXPECT_EQ(redact("a 123456 b 123456", {"123456"}), "a *** b ***");
  EXPECT_EQ(redact("nothing", {"", "x"}), "nothing");
  EXPECT_EQ(redact("aaaaaaaaaaaa", {"aaaaaa"}), "******");
  // Under kMinScrubbedSecret: left alone, or "s" would cut letters out of every word (attack 2, F15).
  EXPECT_EQ(redact("The security token", {"s", "ab"}), "The security token");
}

}  // namespace
}  // namespace mfaenv
