// SigV4 rules one at a time, and the signer's behaviour around the vectors: re-signing, header
// replacement, the host header, unsigned headers, and an STS request cross-checked with botocore.
#include "sigv4/canonical.h"

#include <gtest/gtest.h>

#include "sigv4/signer.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

TEST(UriEncode, OnlyUnreservedCharactersStay) {
  EXPECT_EQ(uri_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(uri_encode("a b+c*d=e&f"), "a%20b%2Bc%2Ad%3De%26f");
  EXPECT_EQ(uri_encode("/a/b"), "%2Fa%2Fb");
  EXPECT_EQ(uri_encode("/a b/", SlashEncoding::kKeep), "/a%20b/");
  EXPECT_EQ(uri_encode("\xe1\x88\xb4"), "%E1%88%B4");  // upper-case hex, byte by byte
  EXPECT_EQ(uri_encode("%20"), "%2520");                // what "double encoding" means
}

TEST(UriDecode, DecodesValidEscapesOnly) {
  EXPECT_EQ(uri_decode("%E1%88%B4=a%2fb"), "\xe1\x88\xb4=a/b");
  EXPECT_EQ(uri_decode("100%"), "100%");
  EXPECT_EQ(uri_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(uri_decode("a+b"), "a+b");
}

TEST(NormalizePath, RemovesDotSegmentsAndEmptySegments) {
  EXPECT_EQ(normalize_path(""), "/");
  EXPECT_EQ(normalize_path("/"), "/");
  EXPECT_EQ(normalize_path("//"), "/");
  EXPECT_EQ(normalize_path("/./"), "/");
  EXPECT_EQ(normalize_path("/example/.."), "/");
  EXPECT_EQ(normalize_path("/a/b/../../.."), "/");  // never above the root
  EXPECT_EQ(normalize_path("//example//"), "/example/");
  EXPECT_EQ(normalize_path("/./example"), "/example");
  EXPECT_EQ(normalize_path("/a/./b/../c/"), "/a/c/");
}

TEST(CanonicalQuery, SortsAndReencodes) {
  EXPECT_EQ(canonical_query(""), "");
  EXPECT_EQ(canonical_query("b=2&a=1"), "a=1&b=2");
  EXPECT_EQ(canonical_query("Param1=value2&Param1=Value1"), "Param1=Value1&Param1=value2");
  EXPECT_EQ(canonical_query("flag&x="), "flag=&x=");
  EXPECT_EQ(canonical_query("&&a=1&"), "a=1");
  EXPECT_EQ(canonical_query("k=a b"), "k=a%20b");
  EXPECT_EQ(canonical_query("k=%e1%88%b4"), "k=%E1%88%B4");
  EXPECT_EQ(canonical_query("k=a=b"), "k=a%3Db");  // only the first '=' separates
}

TEST(CanonicalHeaders, TrimFoldJoinSort) {
  EXPECT_EQ(canonical_header_value("  a   b\t c  "), "a b c");
  EXPECT_EQ(canonical_header_value("value1\n  value2\n     value3"), "value1 value2 value3");
  const auto headers = canonicalize_headers({{"X-B", " 2"}, {"host", "h"}, {"x-b", "1 "}, {"A", ""}});
  EXPECT_EQ(headers.block, "a:\nhost:h\nx-b:2,1\n");
  EXPECT_EQ(headers.signed_headers, "a;host;x-b");
}

TEST(AmzDate, FormatsUtc) {
  const auto t = *parse_rfc3339("2015-08-30T12:36:00Z");
  EXPECT_EQ(amz_date(t), "20150830T123600Z");
  EXPECT_EQ(amz_day(t), "20150830");
  EXPECT_EQ(amz_date(*parse_rfc3339("2024-02-29T23:59:59+01:00")), "20240229T225959Z");
}

TEST(SigningKey, MatchesTheAwsDocumentationExample) {
  // "Examples of how to derive a signing key for Signature Version 4" in the IAM user guide.
  EXPECT_EQ(to_hex(derive_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

HttpRequest sts_request() {
  HttpRequest request;
  request.method = "POST";
  request.host = "127.0.0.1:8443";
  request.body =
      "Action=GetSessionToken&Version=2011-06-15&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice"
      "&TokenCode=123456&DurationSeconds=3600";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                     {"User-Agent", "mfaenv/0.1.0"}};
  return request;
}

Credentials temporary_credentials() {
  Credentials credentials;
  credentials.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  credentials.session_token = "FwoGZXIvYXdzEXAMPLETOKEN+/=";
  return credentials;
}

SigningParams sts_params() {
  SigningParams params;
  params.region = "eu-west-1";
  params.service = "sts";
  params.time = *parse_rfc3339("2026-11-23T18:00:00Z");
  return params;
}

size_t count_headers(const HttpRequest& request, std::string_view name) {
  size_t n = 0;
  for (const auto& header : request.headers) n += iequals(header.first, name) ? 1 : 0;
  return n;
}

TEST(Sign, StsRequestMatchesBotocore) {
  // Expected value from botocore.auth.SigV4Auth.add_auth on the same request (Debian's botocore).
  HttpRequest request = sts_request();
  const auto result = sign(request, temporary_credentials(), sts_params());
  EXPECT_EQ(result.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261123/eu-west-1/sts/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
            "Signature=03007204ecd41083ecf3c3e10f0bca50f433b258a1d81220eddac4339f779786");
  // The port is part of the signed host; User-Agent is not signed.
  EXPECT_NE(result.canonical_request.find("\nhost:127.0.0.1:8443\n"), std::string::npos);
  EXPECT_EQ(result.canonical_request.find("user-agent"), std::string::npos);
}

TEST(Sign, ResigningReplacesInsteadOfAdding) {
  HttpRequest request = sts_request();
  const auto first = sign(request, temporary_credentials(), sts_params());
  SigningParams later = sts_params();
  later.time += Seconds(60);
  const auto second = sign(request, temporary_credentials(), later);
  EXPECT_NE(first.signature, second.signature);
  EXPECT_EQ(count_headers(request, "authorization"), 1u);
  EXPECT_EQ(count_headers(request, "x-amz-date"), 1u);
  EXPECT_EQ(count_headers(request, "x-amz-security-token"), 1u);
  EXPECT_EQ(request.headers.back().second, second.authorization);
}

TEST(Sign, LongTermKeysAddNoTokenHeader) {
  HttpRequest request = sts_request();
  Credentials credentials = temporary_credentials();
  credentials.session_token.clear();
  const auto result = sign(request, credentials, sts_params());
  EXPECT_EQ(count_headers(request, "x-amz-security-token"), 0u);
  EXPECT_NE(result.authorization.find("SignedHeaders=content-type;host;x-amz-date,"), std::string::npos);
}

TEST(Sign, TokenAfterSigningIsSentButNotSigned) {
  HttpRequest request = sts_request();
  SigningParams params = sts_params();
  params.token_placement = SessionTokenPlacement::kAfterSigning;
  const auto result = sign(request, temporary_credentials(), params);
  EXPECT_EQ(count_headers(request, "x-amz-security-token"), 1u);
  EXPECT_EQ(result.canonical_request.find("x-amz-security-token"), std::string::npos);
}

TEST(Sign, PayloadHashHeaderAndSingleEncoding) {
  HttpRequest request;
  request.method = "PUT";
  request.host = "bucket.s3.amazonaws.com";
  request.path = "/a%20b//c";
  request.body = "x";
  SigningParams params = sts_params();
  params.service = "s3";
  params.uri_encoding = UriEncoding::kSingle;
  params.path_normalization = PathNormalization::kKeep;
  params.payload_hash_header = PayloadHashHeader::kAdd;
  const auto result = sign(request, temporary_credentials(), params);
  const std::string body_hash = to_hex(sha256("x"));
  EXPECT_TRUE(result.canonical_request.starts_with("PUT\n/a%20b//c\n\n"));
  EXPECT_NE(result.canonical_request.find("x-amz-content-sha256:" + body_hash + "\n"), std::string::npos);
  EXPECT_TRUE(result.canonical_request.ends_with("\n" + body_hash));
}

TEST(Presign, AddsQueryParametersOnly) {
  HttpRequest request;
  request.host = "sts.amazonaws.com";
  request.query = "Action=GetCallerIdentity&Version=2011-06-15";
  const auto result = presign(request, temporary_credentials(), sts_params(), Seconds(900));
  EXPECT_TRUE(request.headers.empty());
  EXPECT_TRUE(result.authorization.empty());
  EXPECT_TRUE(request.query.starts_with("Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
  EXPECT_NE(request.query.find("&X-Amz-Expires=900&"), std::string::npos);
  EXPECT_NE(request.query.find("&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLETOKEN%2B%2F%3D&"), std::string::npos);
  EXPECT_TRUE(request.query.ends_with("&X-Amz-Signature=" + result.signature));
}

}  // namespace
}  // namespace mfaenv
