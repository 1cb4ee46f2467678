// IamClient against a scripted transport: what it sends (signed for iam, Version 2010-05-08,
// parameters in botocore's order), pagination, which failures are retried (CreateAccessKey and
// EnableMFADevice never resent after the request may have reached IAM), and the error reasons.
#include "iam/client.h"

#include <deque>

#include <gtest/gtest.h>

#include "crypto/base64.h"
#include "sts/request.h"

namespace mfaenv {
namespace {

struct Reply {
  long status = 200;
  std::string body;
  HttpFailure failure = HttpFailure::kNone;
};

std::string iam_error(const std::string& code, const std::string& message) {
  return "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>" +
         code + "</Code><Message>" + message + "</Message></Error><RequestId>r</RequestId></ErrorResponse>";
}

class ScriptedIam {
 public:
  std::deque<Reply> script;
  std::vector<HttpRequest> sent;
  std::vector<Milliseconds> sleeps;
  std::chrono::steady_clock::time_point monotonic{};

  IamClient client() {
    QueryRuntime r;
    r.send = [this](const HttpRequest& request, const HttpOptions&, HttpFailure* failure) -> Result<HttpResponse> {
      sent.push_back(request);
      monotonic += Milliseconds(10);
      if (script.empty()) return Error{ErrorKind::kGeneric, "script exhausted"};
      Reply a = script.front();
      script.pop_front();
      if (a.failure != HttpFailure::kNone) {
        *failure = a.failure;
        return Error{ErrorKind::kStsUnavailable, "connection lost"};
      }
      return HttpResponse{a.status, {}, a.body};
    };
    r.wall_clock = [] { return *parse_rfc3339("2026-12-03T10:00:00Z"); };
    r.monotonic_clock = [this] { return monotonic; };
    r.sleep = [this](Milliseconds d) { sleeps.push_back(d); monotonic += d; };
    r.random01 = [] { return 0.5; };
    StsConnection c;
    c.endpoint = *parse_endpoint_url("https://127.0.0.1:9443", "AWS_ENDPOINT_URL_IAM");
    c.endpoint.signing_region = "us-east-1";
    IamClient client(c, RetryPolicy{}, r);
    client.set_credentials_origin("profile 'alice'");
    return client;
  }
};

Credentials caller() {
  Credentials c;
  c.access_key_id = "ASIAEXAMPLESESSION01";
  c.secret_access_key = "sessionSecretValue0123456789";
  c.session_token = "sessionTokenValue0123456789";
  return c;
}

std::string header(const HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

TEST(IamClient, CreateAccessKeySignsForIamAndParses) {
  ScriptedIam world;
  world.script.push_back({200,
                          "<CreateAccessKeyResponse><CreateAccessKeyResult><AccessKey><UserName>alice</UserName>"
                          "<AccessKeyId>AKIANEWKEY0000000001</AccessKeyId><Status>Active</Status>"
                          "<SecretAccessKey>newSecret/0123456789</SecretAccessKey></AccessKey>"
                          "</CreateAccessKeyResult></CreateAccessKeyResponse>"});
  IamClient client = world.client();
  auto key = client.create_access_key(caller(), "alice");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->credentials.access_key_id, "AKIANEWKEY0000000001");
  EXPECT_EQ(key->credentials.secret_access_key, "newSecret/0123456789");
  ASSERT_EQ(world.sent.size(), 1u);
  const HttpRequest& r = world.sent[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.host, "127.0.0.1:9443");
  EXPECT_EQ(r.body, "Action=CreateAccessKey&Version=2010-05-08&UserName=alice");
  EXPECT_NE(header(r, "Authorization").find("/us-east-1/iam/aws4_request"), std::string::npos);
  EXPECT_EQ(header(r, "X-Amz-Security-Token"), "sessionTokenValue0123456789");
}

TEST(IamClient, ListAccessKeysFollowsMarkers) {
  ScriptedIam world;
  world.script.push_back({200,
                          "<ListAccessKeysResponse><ListAccessKeysResult><AccessKeyMetadata><member>"
                          "<AccessKeyId>AKIAFIRST00000000001</AccessKeyId><Status>Active</Status></member>"
                          "</AccessKeyMetadata><IsTruncated>true</IsTruncated><Marker>m 2</Marker>"
                          "</ListAccessKeysResult></ListAccessKeysResponse>"});
  world.script.push_back({200,
                          "<ListAccessKeysResponse><ListAccessKeysResult><AccessKeyMetadata><member>"
                          "<AccessKeyId>AKIASECOND0000000001</AccessKeyId><Status>Inactive</Status></member>"
                          "</AccessKeyMetadata><IsTruncated>false</IsTruncated></ListAccessKeysResult>"
                          "</ListAccessKeysResponse>"});
  IamClient client = world.client();
  auto keys = client.list_access_keys(caller());
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[1].access_key_id, "AKIASECOND0000000001");
  ASSERT_EQ(world.sent.size(), 2u);
  EXPECT_EQ(world.sent[0].body, "Action=ListAccessKeys&Version=2010-05-08");
  EXPECT_EQ(world.sent[1].body, "Action=ListAccessKeys&Version=2010-05-08&Marker=m+2");
}

TEST(IamClient, UpdateDeleteAndPolicyParameters) {
  ScriptedIam world;
  for (int i = 0; i < 5; ++i) world.script.push_back({200, ""});
  world.script[0].body = "<UpdateAccessKeyResponse/>";
  world.script[1].body = "<DeleteAccessKeyResponse/>";
  world.script[2].body = "<PutUserPolicyResponse/>";
  world.script[3].body = "<PutGroupPolicyResponse/>";
  world.script[4].body = "<DeactivateMFADeviceResponse/>";
  IamClient client = world.client();
  ASSERT_TRUE(client.update_access_key(caller(), "AKIAOLD", AccessKeyStatus::kInactive).ok());
  ASSERT_TRUE(client.delete_access_key(caller(), "AKIAOLD", "alice").ok());
  ASSERT_TRUE(client.put_user_policy(caller(), "alice", "RequireMfa", "{\"Version\": \"2012-10-17\"}").ok());
  ASSERT_TRUE(client.put_group_policy(caller(), "devs", "RequireMfa", "{}").ok());
  ASSERT_TRUE(client.deactivate_mfa_device(caller(), "alice", "arn:aws:iam::1:mfa/alice").ok());
  EXPECT_EQ(world.sent[0].body, "Action=UpdateAccessKey&Version=2010-05-08&AccessKeyId=AKIAOLD&Status=Inactive");
  EXPECT_EQ(world.sent[1].body, "Action=DeleteAccessKey&Version=2010-05-08&UserName=alice&AccessKeyId=AKIAOLD");
  EXPECT_EQ(world.sent[2].body,
            "Action=PutUserPolicy&Version=2010-05-08&UserName=alice&PolicyName=RequireMfa&PolicyDocument="
            "%7B%22Version%22%3A+%222012-10-17%22%7D");
  EXPECT_EQ(world.sent[3].body, "Action=PutGroupPolicy&Version=2010-05-08&GroupName=devs&PolicyName=RequireMfa&PolicyDocument=%7B%7D");
  EXPECT_EQ(world.sent[4].body,
            "Action=DeactivateMFADevice&Version=2010-05-08&UserName=alice&SerialNumber=arn%3Aaws%3Aiam%3A%3A1%3Amfa%2Falice");
}

TEST(IamClient, VirtualMfaDeviceEnrolment) {
  ScriptedIam world;
  world.script.push_back({200, "<CreateVirtualMFADeviceResponse><CreateVirtualMFADeviceResult><VirtualMFADevice>"
                               "<SerialNumber>arn:aws:iam::1:mfa/phone</SerialNumber><Base32StringSeed>" +
                                   base64_encode("JBSWY3DPEHPK3PXP") + "</Base32StringSeed><QRCodePNG>" +
                                   base64_encode("png") + "</QRCodePNG></VirtualMFADevice>"
                                                          "</CreateVirtualMFADeviceResult></CreateVirtualMFADeviceResponse>"});
  world.script.push_back({403, iam_error("InvalidAuthenticationCode", "Authentication code for device is not valid.")});
  IamClient client = world.client();
  auto device = client.create_virtual_mfa_device(caller(), "phone");
  ASSERT_TRUE(device.ok()) << device.error().message;
  EXPECT_EQ(device->base32_seed, "JBSWY3DPEHPK3PXP");
  EXPECT_EQ(world.sent[0].body, "Action=CreateVirtualMFADevice&Version=2010-05-08&VirtualMFADeviceName=phone");
  auto enabled = client.enable_mfa_device(caller(), "alice", device->serial_number, "123456", "654321");
  ASSERT_FALSE(enabled.ok());
  EXPECT_EQ(enabled.reason(), IamErrorReason::kInvalidAuthenticationCode);
  EXPECT_EQ(enabled.error().kind, ErrorKind::kAwsRefused);
  EXPECT_EQ(world.sent[1].body,
            "Action=EnableMFADevice&Version=2010-05-08&UserName=alice&SerialNumber=arn%3Aaws%3Aiam%3A%3A1%3Amfa%2Fphone"
            "&AuthenticationCode1=123456&AuthenticationCode2=654321");
}

TEST(IamClient, ThrottlingIsRetriedForSafeCalls) {
  ScriptedIam world;
  world.script.push_back({400, iam_error("Throttling", "Rate exceeded")});
  world.script.push_back({500, iam_error("ServiceFailure", "oops")});
  world.script.push_back({200, "<GetUserResponse><GetUserResult><User><UserName>alice</UserName><UserId>AIDA1</UserId>"
                               "<Arn>arn:aws:iam::1:user/alice</Arn></User></GetUserResult></GetUserResponse>"});
  IamClient client = world.client();
  auto user = client.get_user(caller());
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(user->user_name, "alice");
  EXPECT_EQ(world.sent.size(), 3u);
  EXPECT_EQ(world.sleeps.size(), 2u);
}

TEST(IamClient, CreateAccessKeyIsNotResentAfterALostAnswer) {
  ScriptedIam world;
  world.script.push_back({0, "", HttpFailure::kConnectionLost});
  IamClient client = world.client();
  auto key = client.create_access_key(caller());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(world.sent.size(), 1u);
  EXPECT_EQ(key.reason(), IamErrorReason::kUnreachable);
  EXPECT_EQ(key.error().kind, ErrorKind::kStsUnavailable);
  EXPECT_NE(key.error().message.find("not sent again"), std::string::npos) << key.error().message;
  // Refused before sending (connection refused): resent.
  ScriptedIam again;
  again.script.push_back({0, "", HttpFailure::kRefused});
  again.script.push_back({409, iam_error("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")});
  IamClient second = again.client();
  auto limited = second.create_access_key(caller());
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(again.sent.size(), 2u);
  EXPECT_EQ(limited.reason(), IamErrorReason::kLimitExceeded);
  EXPECT_NE(limited.error().message.find("AccessKeysPerUser: 2"), std::string::npos);
}

TEST(IamClient, ErrorReasonsAndMessages) {
  struct Case {
    long status;
    std::string code;
    IamErrorReason reason;
    ErrorKind kind;
  };
  const std::vector<Case> cases = {
      {403, "AccessDenied", IamErrorReason::kAccessDenied, ErrorKind::kAwsRefused},
      {404, "NoSuchEntity", IamErrorReason::kNoSuchEntity, ErrorKind::kAwsRefused},
      {409, "EntityAlreadyExists", IamErrorReason::kEntityAlreadyExists, ErrorKind::kAwsRefused},
      {409, "DeleteConflict", IamErrorReason::kDeleteConflict, ErrorKind::kAwsRefused},
      {403, "InvalidClientTokenId", IamErrorReason::kInvalidClientTokenId, ErrorKind::kAwsRefused},
      {403, "SignatureDoesNotMatch", IamErrorReason::kSignatureDoesNotMatch, ErrorKind::kAwsRefused},
      {403, "ExpiredToken", IamErrorReason::kExpiredToken, ErrorKind::kAwsRefused},
      {400, "MalformedPolicyDocument", IamErrorReason::kMalformedPolicyDocument, ErrorKind::kAwsRefused},
      {400, "ValidationError", IamErrorReason::kInvalidParameter, ErrorKind::kAwsRefused},
      {400, "SomethingNew", IamErrorReason::kRefused, ErrorKind::kAwsRefused},
  };
  for (const Case& c : cases) {
    ScriptedIam world;
    // The message quotes the secret: it must come out redacted.
    world.script.push_back({c.status, iam_error(c.code, "echo sessionSecretValue0123456789")});
    IamClient client = world.client();
    auto r = client.delete_access_key(caller(), "AKIAOLD");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.reason(), c.reason) << c.code;
    EXPECT_EQ(r.error().kind, c.kind) << c.code;
    EXPECT_EQ(r.error().message.find("sessionSecretValue"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("ASIAEXAMPLESESSION01"), std::string::npos) << r.error().message;
    EXPECT_EQ(world.sent.size(), 1u) << c.code;
  }
  ScriptedIam denied;
  denied.script.push_back({403, iam_error("AccessDenied", "User: arn:aws:iam::1:user/alice is not authorized")});
  IamClient client = denied.client();
  auto r = client.create_access_key(caller());
  EXPECT_NE(r.error().message.find("mfa_serial"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("profile 'alice'"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace mfaenv
