// AWS Signature Version 4: canonical request, string to sign, signing key, Authorization header,
// and query-string signing (presigned URLs). docs/sigv4-and-http.md says which rules and why.
#pragma once

#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "crypto/digest.h"
#include "http/request.h"
#include "util/time.h"

namespace mfaenv {

enum class UriEncoding { kDouble, kSingle };       // every service but S3 encodes the path twice
enum class PathNormalization { kNormalize, kKeep };
enum class SessionTokenPlacement { kSigned, kAfterSigning };  // kAfterSigning: header added unsigned
enum class PayloadHashHeader { kOmit, kAdd };                 // x-amz-content-sha256

struct SigningParams {
  std::string region;
  std::string service;
  TimePoint time;
  UriEncoding uri_encoding = UriEncoding::kDouble;
  PathNormalization path_normalization = PathNormalization::kNormalize;
  SessionTokenPlacement token_placement = SessionTokenPlacement::kSigned;
  PayloadHashHeader payload_hash_header = PayloadHashHeader::kOmit;
  // The last line of the canonical request; empty means the hex SHA-256 of the body. S3 accepts
  // "UNSIGNED-PAYLOAD" here.
  std::string payload_hash;
};

// The intermediate products, for tests and --debug (none of them is secret).
struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string authorization;  // empty for presign()
};

// Adds X-Amz-Security-Token (temporary credentials only), X-Amz-Date, x-amz-content-sha256 (when
// asked) and Authorization to request.headers, replacing earlier values of the same names. Signs
// every header but Authorization, User-Agent, Expect, Connection, Transfer-Encoding and
// X-Amzn-Trace-Id, plus `host` from request.host when the headers have no Host.
SigningResult sign(HttpRequest& request, const Credentials& credentials, const SigningParams& params);

// Query-string signing: appends X-Amz-Algorithm, -Credential, -Date, -SignedHeaders, -Expires,
// -Security-Token (temporary credentials only) and -Signature to request.query; adds no header.
SigningResult presign(HttpRequest& request, const Credentials& credentials, const SigningParams& params,
                      Seconds expires);

// HMAC("AWS4" + secret, day) -> region -> service -> "aws4_request". `day` is "20150830".
Sha256 derive_signing_key(std::string_view secret_access_key, std::string_view day, std::string_view region,
                          std::string_view service);

}  // namespace mfaenv
