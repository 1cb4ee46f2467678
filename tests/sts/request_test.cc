// The STS request: form encoding byte for byte as Python's urlencode (which botocore uses), and the
// method, path, Content-Type and body order of a Query API call.
#include "sts/request.h"

#include <gtest/gtest.h>

namespace mfaenv {
namespace {

TEST(StsFormEncode, MatchesPythonUrlencode) {
  // Expected strings printed by /usr/bin/python3 urllib.parse.urlencode.
  EXPECT_EQ(form_encode({{"RoleSessionName", "a b+c/d=e&f"},
                         {"ExternalId", "\xC3\xBC\xE2\x82\xAC~._-*!'()"},
                         {"X", ""}}),
            "RoleSessionName=a+b%2Bc%2Fd%3De%26f&ExternalId=%C3%BC%E2%82%AC~._-%2A%21%27%28%29&X=");
  EXPECT_EQ(form_encode({}), "");
  EXPECT_EQ(form_encode({{"K", std::string("\x00\x7f\xff\n", 4)}}), "K=%00%7F%FF%0A");
}

TEST(StsRequest, AssumeRoleIsAFormPostInBotocoreParameterOrder) {
  StsEndpoint endpoint;
  endpoint.host = "127.0.0.1:8443";
  endpoint.path = "/base/";
  HttpRequest r = make_sts_request(endpoint, "AssumeRole",
                                   {{"RoleArn", "arn:aws:iam::123456789012:role/Admin"},
                                    {"RoleSessionName", "alice@example.com"},
                                    {"DurationSeconds", "3600"},
                                    {"ExternalId", "audit-ext-1"},
                                    {"SerialNumber", "arn:aws:iam::123456789012:mfa/alice"},
                                    {"TokenCode", "123456"}});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.host, "127.0.0.1:8443");
  EXPECT_EQ(r.path, "/base/");
  EXPECT_EQ(r.query, "");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Content-Type");
  EXPECT_EQ(r.headers[0].second, "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(r.body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FAdmin"
            "&RoleSessionName=alice%40example.com&DurationSeconds=3600&ExternalId=audit-ext-1"
            "&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice&TokenCode=123456");
}

TEST(StsRequest, GetCallerIdentityHasOnlyActionAndVersion) {
  StsEndpoint endpoint;
  endpoint.host = "sts.eu-west-1.amazonaws.com";
  HttpRequest r = make_sts_request(endpoint, "GetCallerIdentity", {});
  EXPECT_EQ(r.path, "/");
  EXPECT_EQ(r.body, "Action=GetCallerIdentity&Version=2011-06-15");
}

}  // namespace
}  // namespace mfaenv
