// StsClient with a scripted transport and fake clocks: the requests it sends (signed, form body,
// session token), the outputs it parses, and its retries, counted, with no real network or sleep.
#include "sts/client.h"

#include <deque>

#include <gtest/gtest.h>

#include "util/strings.h"

namespace mfaenv {
namespace {

constexpr char kClientSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
constexpr char kSerial[] = "arn:aws:iam::123456789012:mfa/alice";

const char kIdentityXml[] =
    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <GetCallerIdentityResult>\n    <Arn>arn:aws:iam::123456789012:user/alice</Arn>\n"
    "    <UserId>AIDAALICE</UserId>\n    <Account>123456789012</Account>\n  </GetCallerIdentityResult>\n"
    "  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>\n</GetCallerIdentityResponse>\n";

const char kSessionXml[] =
    "<GetSessionTokenResponse><GetSessionTokenResult><Credentials>"
    "<AccessKeyId>ASIASESSION</AccessKeyId><SecretAccessKey>sessionSecret</SecretAccessKey>"
    "<SessionToken>sessionToken</SessionToken><Expiration>2026-11-24T00:00:00Z</Expiration>"
    "</Credentials></GetSessionTokenResult></GetSessionTokenResponse>";

const char kRoleXml[] =
    "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
    "<AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>roleSecret</SecretAccessKey>"
    "<SessionToken>roleToken</SessionToken><Expiration>2026-11-23T13:00:00Z</Expiration>"
    "</Credentials><AssumedRoleUser><AssumedRoleId>AROAADMIN:s1</AssumedRoleId>"
    "<Arn>arn:aws:sts::123456789012:assumed-role/Admin/s1</Arn></AssumedRoleUser>"
    "</AssumeRoleResult></AssumeRoleResponse>";

std::string error_xml(const std::string& code, const std::string& message) {
  return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message +
         "</Message></Error><RequestId>r-2</RequestId></ErrorResponse>";
}

// One scripted answer: an HTTP response, or a transport failure.
struct Answer {
  long status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  HttpFailure failure = HttpFailure::kNone;
  std::string failure_message;
};

Answer ok(std::string body) { return Answer{200, std::move(body), {}, HttpFailure::kNone, ""}; }
Answer aws_error(long status, const std::string& code, const std::string& message) {
  return Answer{status, error_xml(code, message), {}, HttpFailure::kNone, ""};
}
Answer network(HttpFailure failure, std::string message) {
  return Answer{0, "", {}, failure, std::move(message)};
}

class FakeWorld {
 public:
  std::deque<Answer> script;
  std::vector<HttpRequest> sent;
  std::vector<HttpOptions> options;
  std::vector<Milliseconds> sleeps;
  std::chrono::steady_clock::time_point monotonic{};
  TimePoint wall = *parse_rfc3339("2026-11-23T12:00:00Z");

  StsRuntime runtime() {
    StsRuntime r;
    r.send = [this](const HttpRequest& request, const HttpOptions& o, HttpFailure* failure) -> Result<HttpResponse> {
      sent.push_back(request);
      options.push_back(o);
      monotonic += Milliseconds(20);  // every exchange takes a little time
      if (script.empty()) return Error{ErrorKind::kGeneric, "test script exhausted"};
      Answer a = script.front();
      script.pop_front();
      if (a.failure != HttpFailure::kNone) {
        if (failure) *failure = a.failure;
        ErrorKind kind = a.failure == HttpFailure::kCaBundleUnreadable ? ErrorKind::kConfigInvalid
                                                                      : ErrorKind::kStsUnavailable;
        return Error{kind, a.failure_message};
      }
      HttpResponse response;
      response.status = a.status;
      response.body = a.body;
      response.headers = a.headers;
      return response;
    };
    r.wall_clock = [this] { return wall; };
    r.monotonic_clock = [this] { return monotonic; };
    r.sleep = [this](Milliseconds d) {
      sleeps.push_back(d);
      monotonic += d;
    };
    r.random01 = [] { return 0.5; };
    return r;
  }
};

StsEndpoint test_endpoint() {
  auto e = parse_endpoint_url("https://127.0.0.1:8443", "AWS_ENDPOINT_URL_STS");
  e->signing_region = "eu-west-1";
  return *e;
}

Credentials long_term() {
  Credentials c;
  c.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  c.secret_access_key = kClientSecret;
  return c;
}

std::optional<std::string> header(const HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (iequals(k, name)) return v;
  return std::nullopt;
}

class StsClientTest : public ::testing::Test {
 protected:
  FakeWorld world;
  StsClient client() { return StsClient(test_endpoint(), HttpOptions{}, RetryPolicy{}, world.runtime()); }
};

TEST_F(StsClientTest, GetCallerIdentitySendsASignedFormPostAndParsesTheAnswer) {
  world.script = {ok(kIdentityXml)};
  auto who = client().get_caller_identity(long_term(), {"profile 'dev'"});
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who.reason(), StsErrorReason::kNone);
  EXPECT_EQ(who->arn, "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(who->account, "123456789012");
  EXPECT_EQ(who->user_id, "AIDAALICE");

  ASSERT_EQ(world.sent.size(), 1u);
  const HttpRequest& r = world.sent[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.host, "127.0.0.1:8443");
  EXPECT_EQ(r.path, "/");
  EXPECT_EQ(header(r, "Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(header(r, "X-Amz-Date"), "20261123T120000Z");
  auto authorization = header(r, "Authorization");
  ASSERT_TRUE(authorization.has_value());
  EXPECT_TRUE(starts_with(*authorization,
                          "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261123/eu-west-1/sts/aws4_request"))
      << *authorization;
  EXPECT_FALSE(header(r, "X-Amz-Security-Token").has_value());
  EXPECT_EQ(world.options[0].scheme, "https");
  EXPECT_TRUE(world.sleeps.empty());
}

TEST_F(StsClientTest, TemporaryCredentialsSendTheSessionToken) {
  world.script = {ok(kIdentityXml)};
  Credentials c = long_term();
  c.access_key_id = "ASIATEMP";
  c.session_token = "theSessionToken";
  ASSERT_TRUE(client().get_caller_identity(c).ok());
  EXPECT_EQ(header(world.sent[0], "X-Amz-Security-Token"), "theSessionToken");
  EXPECT_NE(header(world.sent[0], "Authorization")->find("x-amz-security-token"), std::string::npos);
}

TEST_F(StsClientTest, GetSessionTokenWithMfa) {
  world.script = {ok(kSessionXml)};
  auto s = client().get_session_token(long_term(), {Seconds(3600), kSerial, "123456", "profile 'dev'"});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->credentials.access_key_id, "ASIASESSION");
  EXPECT_EQ(s->credentials.secret_access_key, "sessionSecret");
  EXPECT_EQ(s->credentials.session_token, "sessionToken");
  EXPECT_EQ(s->credentials.expiration, *parse_rfc3339("2026-11-24T00:00:00Z"));
  EXPECT_EQ(world.sent[0].body,
            "Action=GetSessionToken&Version=2011-06-15&DurationSeconds=3600"
            "&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice&TokenCode=123456");
}

TEST_F(StsClientTest, AssumeRoleReturnsCredentialsAndTheRoleArn) {
  world.script = {ok(kRoleXml)};
  AssumeRoleInput in;
  in.role_arn = "arn:aws:iam::123456789012:role/Admin";
  in.role_session_name = "s1";
  in.external_id = "ext";
  in.duration = Seconds(3600);
  auto r = client().assume_role(long_term(), in);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->credentials.access_key_id, "ASIAROLE");
  EXPECT_EQ(r->assumed_role_arn, "arn:aws:sts::123456789012:assumed-role/Admin/s1");
  EXPECT_EQ(r->assumed_role_id, "AROAADMIN:s1");
}

TEST_F(StsClientTest, SerialWithoutCodeIsRefusedBeforeSending) {
  auto s = client().get_session_token(long_term(), {std::nullopt, kSerial, "", ""});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(world.sent.empty());
}

TEST_F(StsClientTest, ThrottlingThenSuccess) {
  world.script = {aws_error(400, "Throttling", "Rate exceeded"), ok(kIdentityXml)};
  auto who = client().get_caller_identity(long_term());
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(world.sent.size(), 2u);
  ASSERT_EQ(world.sleeps.size(), 1u);
  EXPECT_EQ(world.sleeps[0], Milliseconds(150));  // random 0.5 of [100, 200]
}

TEST_F(StsClientTest, AccessDeniedIsNotRetried) {
  world.script = {aws_error(403, "AccessDenied", "Explicit deny"), ok(kIdentityXml)};
  auto who = client().get_caller_identity(long_term());
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.reason(), StsErrorReason::kAccessDenied);
  EXPECT_EQ(who.error().kind, ErrorKind::kAwsRefused);
  EXPECT_EQ(world.sent.size(), 1u);
  EXPECT_TRUE(world.sleeps.empty());
}

TEST_F(StsClientTest, ServerErrorsGiveUpAfterThreeAttempts) {
  world.script = {aws_error(500, "InternalFailure", "x"), aws_error(503, "ServiceUnavailable", "y"),
                  aws_error(500, "InternalFailure", "z"), ok(kIdentityXml)};
  auto who = client().get_caller_identity(long_term());
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.reason(), StsErrorReason::kServerError);
  EXPECT_EQ(who.error().kind, ErrorKind::kStsUnavailable);
  EXPECT_NE(who.error().message.find("after 3 attempts"), std::string::npos) << who.error().message;
  EXPECT_EQ(world.sent.size(), 3u);
  ASSERT_EQ(world.sleeps.size(), 2u);
  EXPECT_EQ(world.sleeps[1], Milliseconds(300));
}

TEST_F(StsClientTest, UnreachableEndpointIsRetriedThenNamed) {
  for (int i = 0; i < 3; ++i)
    world.script.push_back(network(HttpFailure::kRefused, "connection to https://127.0.0.1:8443 refused"));
  auto who = client().get_caller_identity(long_term());
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.reason(), StsErrorReason::kUnreachable);
  EXPECT_EQ(who.error().kind, ErrorKind::kStsUnavailable);
  EXPECT_EQ(who.error().message,
            "cannot reach STS at https://127.0.0.1:8443 after 3 attempts: connection to https://127.0.0.1:8443 refused");
  EXPECT_EQ(world.sent.size(), 3u);
}

TEST_F(StsClientTest, TruncatedAnswerIsRetriedForSafeCalls) {
  std::string half(kIdentityXml, sizeof(kIdentityXml) / 2);
  world.script = {ok(half), ok(kIdentityXml)};
  auto who = client().get_caller_identity(long_term());
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(world.sent.size(), 2u);
}

TEST_F(StsClientTest, TruncatedAnswersEndInAClearError) {
  std::string half(kIdentityXml, sizeof(kIdentityXml) / 2);
  world.script = {ok(half), ok(half), ok(half)};
  auto who = client().get_caller_identity(long_term());
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.reason(), StsErrorReason::kMalformedResponse);
  EXPECT_EQ(who.error().kind, ErrorKind::kStsUnavailable);
  EXPECT_NE(who.error().message.find("not well-formed XML"), std::string::npos) << who.error().message;
  EXPECT_NE(who.error().message.find("after 3 attempts"), std::string::npos) << who.error().message;
}

// The MFA rule: never resend a code unless the request certainly never left.
TEST_F(StsClientTest, MfaRequestIsNotResentAfterAnAnswerOrAnUncertainFailure) {
  const std::vector<Answer> uncertain = {
      aws_error(400, "Throttling", "Rate exceeded"), aws_error(500, "InternalFailure", "x"),
      ok(std::string(kSessionXml, 40)), network(HttpFailure::kTimeout, "timed out waiting for https://h"),
      network(HttpFailure::kConnectionLost, "connection to https://h lost")};
  for (const Answer& a : uncertain) {
    FakeWorld w;
    w.script = {a, ok(kSessionXml)};
    StsClient c(test_endpoint(), HttpOptions{}, RetryPolicy{}, w.runtime());
    auto s = c.get_session_token(long_term(), {std::nullopt, kSerial, "123456", ""});
    ASSERT_FALSE(s.ok()) << a.body << a.failure_message;
    EXPECT_EQ(w.sent.size(), 1u) << a.body << a.failure_message;
    EXPECT_EQ(s.error().kind, ErrorKind::kStsUnavailable);
    EXPECT_NE(s.error().message.find("not sent again"), std::string::npos) << s.error().message;
    EXPECT_EQ(s.error().message.find("after"), std::string::npos) << s.error().message;
    EXPECT_EQ(s.error().message.find("123456"), std::string::npos) << s.error().message;
  }
}

TEST_F(StsClientTest, MfaRequestIsResentWhenTheConnectionWasRefused) {
  world.script = {network(HttpFailure::kRefused, "connection refused"), network(HttpFailure::kDns, "cannot resolve"),
                  ok(kSessionXml)};
  auto s = client().get_session_token(long_term(), {std::nullopt, kSerial, "123456", ""});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(world.sent.size(), 3u);
}

TEST_F(StsClientTest, WrongMfaCodeIsMachineReadable) {
  world.script = {aws_error(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ")};
  auto s = client().get_session_token(long_term(), {std::nullopt, kSerial, "654321", "profile 'dev'"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.reason(), StsErrorReason::kInvalidMfaCode);
  EXPECT_EQ(s.error().kind, ErrorKind::kAwsRefused);
  EXPECT_EQ(s.error().message.find("654321"), std::string::npos);
  EXPECT_EQ(world.sent.size(), 1u);
}

TEST_F(StsClientTest, SignatureMismatchReportsTheSkewFromTheDateHeader) {
  Answer a = aws_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match");
  a.headers = {{"date", "Mon, 23 Nov 2026 12:20:00 GMT"}};  // our wall clock says 12:00:00
  world.script = {a};
  auto who = client().get_caller_identity(long_term(), {"profile 'dev'"});
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.reason(), StsErrorReason::kSignatureDoesNotMatch);
  EXPECT_EQ(who.error().kind, ErrorKind::kAwsRefused);
  EXPECT_NE(who.error().message.find("clock is 20m behind STS's"), std::string::npos) << who.error().message;
  EXPECT_EQ(who.error().message.find(kClientSecret), std::string::npos);
}

TEST_F(StsClientTest, LocalProblemsKeepTheirKindAndAreNotRetried) {
  world.script = {network(HttpFailure::kCaBundleUnreadable, "cannot read the CA bundle /x.pem")};
  auto who = client().get_caller_identity(long_term());
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.error().kind, ErrorKind::kConfigInvalid);
  EXPECT_EQ(who.reason(), StsErrorReason::kLocalSetup);
  EXPECT_EQ(world.sent.size(), 1u);

  FakeWorld w;
  w.script = {network(HttpFailure::kCertificate, "TLS certificate of 127.0.0.1 rejected")};
  StsClient c(test_endpoint(), HttpOptions{}, RetryPolicy{}, w.runtime());
  auto cert = c.get_caller_identity(long_term());
  ASSERT_FALSE(cert.ok());
  EXPECT_EQ(cert.error().kind, ErrorKind::kStsUnavailable);
  EXPECT_EQ(w.sent.size(), 1u);
}

TEST_F(StsClientTest, PlainHttpEndpointSetsTheScheme) {
  world.script = {ok(kIdentityXml)};
  auto e = parse_endpoint_url("http://localhost:4566", "AWS_ENDPOINT_URL");
  StsClient c(*e, HttpOptions{}, RetryPolicy{}, world.runtime());
  ASSERT_TRUE(c.get_caller_identity(long_term()).ok());
  EXPECT_EQ(world.options[0].scheme, "http");
}

TEST(StsHttpFailures, OnlyDnsAndRefusedAreCertainlyUnsent) {
  EXPECT_EQ(send_stage_of(HttpFailure::kDns), SendStage::kNotSent);
  EXPECT_EQ(send_stage_of(HttpFailure::kRefused), SendStage::kNotSent);
  for (HttpFailure f : {HttpFailure::kTimeout, HttpFailure::kConnectionLost, HttpFailure::kTls, HttpFailure::kOther})
    EXPECT_EQ(send_stage_of(f), SendStage::kMaybeSent);
  for (HttpFailure f : {HttpFailure::kCertificate, HttpFailure::kCaBundleUnreadable, HttpFailure::kLibraryMissing,
                        HttpFailure::kInvalidRequest, HttpFailure::kResponseTooLarge})
    EXPECT_EQ(failure_class_of(f), FailureClass::kFinal);
}

}  // namespace
}  // namespace mfaenv
