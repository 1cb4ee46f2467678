// AWS Signature Version 4: canonical request, string to sign, signing key, Authorization header.
#pragma once

#include <string>

#include "aws/credentials.h"
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
};

// The intermediate products, for tests and --debug (none of them is secret).
struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string authorization;
};

// Adds X-Amz-Date (and X-Amz-Security-Token for temporary credentials) and Authorization.
SigningResult sign(HttpRequest& request, const Credentials& credentials, const SigningParams& params);

}  // namespace mfaenv
