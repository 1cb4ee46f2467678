// The SigV4 vector runner: every case under the folder given as the first argument becomes one
// GoogleTest test. aws-c-auth cases (context.json + request.txt) are checked for header signing and,
// when the query-*.txt files exist, for query signing; botocore cases (.req) against .creq, .sts and
// .authz. Fails when the folder is missing or holds no case, so a lost checkout cannot pass.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sigv4/signer.h"
#include "vector_files.h"

namespace mfaenv {
namespace {
namespace fs = std::filesystem;

enum class QueryFiles { kCheck, kIgnore };

class AwsCAuthCase : public testing::Test {
 public:
  AwsCAuthCase(fs::path dir, QueryFiles query_files) : dir_(std::move(dir)), query_files_(query_files) {}

  void TestBody() override {
    const auto context = nlohmann::json::parse(read_text(dir_ / "context.json"));
    const auto parsed = parse_raw_request(read_text(dir_ / "request.txt"));
    ASSERT_TRUE(parsed) << "cannot parse request.txt";

    Credentials credentials;
    credentials.access_key_id = context["credentials"]["access_key_id"];
    credentials.secret_access_key = context["credentials"]["secret_access_key"];
    credentials.session_token = context["credentials"].value("token", "");

    SigningParams params;
    params.region = context["region"];
    params.service = context["service"];
    auto time = parse_rfc3339(context["timestamp"].get<std::string>());
    ASSERT_TRUE(time.ok());
    params.time = *time;
    // The aws-c-auth harness: use_double_uri_encode is always true.
    params.uri_encoding = UriEncoding::kDouble;
    params.path_normalization = context.value("normalize", true) ? PathNormalization::kNormalize : PathNormalization::kKeep;
    params.token_placement = context.value("omit_session_token", false) ? SessionTokenPlacement::kAfterSigning
                                                                        : SessionTokenPlacement::kSigned;
    params.payload_hash_header = context.value("sign_body", false) ? PayloadHashHeader::kAdd : PayloadHashHeader::kOmit;
    params.payload_hash = context.value("signed_body_value", "");

    {
      SCOPED_TRACE("header signing");
      HttpRequest request = *parsed;
      const SigningResult result = sign(request, credentials, params);
      EXPECT_EQ(result.canonical_request, read_text(dir_ / "header-canonical-request.txt"));
      EXPECT_EQ(result.string_to_sign, read_text(dir_ / "header-string-to-sign.txt"));
      EXPECT_EQ(result.signature, read_text(dir_ / "header-signature.txt"));
      EXPECT_EQ(format_signed_request(request), read_text(dir_ / "header-signed-request.txt"));
    }
    if (query_files_ == QueryFiles::kCheck && fs::exists(dir_ / "query-signature.txt")) {
      SCOPED_TRACE("query signing");
      HttpRequest request = *parsed;
      const SigningResult result =
          presign(request, credentials, params, Seconds(context.value("expiration_in_seconds", 3600)));
      EXPECT_EQ(result.canonical_request, read_text(dir_ / "query-canonical-request.txt"));
      EXPECT_EQ(result.string_to_sign, read_text(dir_ / "query-string-to-sign.txt"));
      EXPECT_EQ(result.signature, read_text(dir_ / "query-signature.txt"));
      EXPECT_EQ(format_signed_request(request), read_text(dir_ / "query-signed-request.txt"));
    }
  }

 private:
  fs::path dir_;
  QueryFiles query_files_;
};

class BotocoreCase : public testing::Test {
 public:
  explicit BotocoreCase(fs::path dir) : dir_(std::move(dir)) {}

  void TestBody() override {
    const fs::path base = dir_ / dir_.filename();
    auto request = parse_raw_request(read_text(base.string() + ".req"));
    ASSERT_TRUE(request) << "cannot parse .req";
    const std::string canonical = read_text(base.string() + ".creq");

    // botocore's harness (tests/unit/auth/test_sigv4.py): fixed keys, time, region and service;
    // the session token is whatever the expected canonical request carries.
    Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    constexpr std::string_view kTokenLine = "\nx-amz-security-token:";
    if (const auto at = canonical.find(kTokenLine); at != std::string::npos) {
      const auto start = at + kTokenLine.size();
      credentials.session_token = canonical.substr(start, canonical.find('\n', start) - start);
    }
    SigningParams params;
    params.region = "us-east-1";
    params.service = "service";
    params.time = *parse_rfc3339("2015-08-30T12:36:00Z");

    // The .sreq files are not compared: botocore's harness does not read them, and upstream's
    // get-vanilla-with-session-token.sreq carries the signature of get-vanilla.
    const SigningResult result = sign(*request, credentials, params);
    EXPECT_EQ(result.canonical_request, canonical);
    EXPECT_EQ(result.string_to_sign, read_text(base.string() + ".sts"));
    EXPECT_EQ(result.authorization, read_text(base.string() + ".authz"));
  }

 private:
  fs::path dir_;
};

std::string test_name(const std::string& case_name) {
  std::string out = case_name;
  for (auto& c : out) {
    if (c == '/' || c == '-' || c == '.') c = '_';
  }
  return out;
}

}  // namespace
}  // namespace mfaenv

int main(int argc, char** argv) {
  using namespace mfaenv;
  testing::InitGoogleTest(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s [gtest flags] FOLDER (e.g. tests/data/sigv4)\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root = argv[1];
  if (!std::filesystem::is_directory(root)) {
    std::fprintf(stderr, "sigv4 vectors: folder %s does not exist\n", root.c_str());
    return 1;
  }
  const VectorDiscovery found = find_vector_cases(root);
  for (const auto& skipped : found.skipped) std::fprintf(stderr, "sigv4 vectors: skipping %s\n", skipped.c_str());
  for (const auto& problem : found.problems) std::fprintf(stderr, "sigv4 vectors: %s\n", problem.c_str());
  if (found.cases.empty()) {
    std::fprintf(stderr, "sigv4 vectors: no test case under %s\n", root.c_str());
    return 1;
  }
  if (!found.problems.empty()) return 1;

  int aws_c_auth = 0;
  int botocore = 0;
  for (const auto& vector : found.cases) {
    const auto dir = vector.dir;
    if (vector.format == VectorFormat::kAwsCAuth) {
      ++aws_c_auth;
      // removed-upstream/post-unsigned-payload lived two days in aws-c-auth: its query files sign an
      // x-amz-content-sha256 header that no presigner (aws-c-auth's v4 cases, botocore) adds. Its
      // header files are checked; the query files are not.
      const auto query_files = vector.name.starts_with("removed-upstream/") ? QueryFiles::kIgnore : QueryFiles::kCheck;
      testing::RegisterTest("AwsCAuth", test_name(vector.name).c_str(), nullptr, vector.name.c_str(), __FILE__,
                            __LINE__, [dir, query_files]() -> testing::Test* { return new AwsCAuthCase(dir, query_files); });
    } else {
      ++botocore;
      testing::RegisterTest("Botocore", test_name(vector.name).c_str(), nullptr, vector.name.c_str(), __FILE__,
                            __LINE__, [dir]() -> testing::Test* { return new BotocoreCase(dir); });
    }
  }
  std::fprintf(stderr, "sigv4 vectors: %d aws-c-auth and %d botocore cases under %s\n", aws_c_auth, botocore,
               root.c_str());
  return RUN_ALL_TESTS();
}
