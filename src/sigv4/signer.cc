// Puts the canonical pieces together and signs them. The header order it produces (token, date,
// content hash, Authorization, after the caller's headers) is the one aws-c-auth produces.
#include "sigv4/signer.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "sigv4/canonical.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
using Headers = std::vector<std::pair<std::string, std::string>>;

// Hop-by-hop or proxy-rewritten headers (botocore's and aws-c-auth's lists): signing them would
// break the signature whenever something between client and AWS touches them.
bool never_signed(std::string_view name) {
  static constexpr std::array<std::string_view, 6> kNames = {
      "authorization", "connection", "expect", "transfer-encoding", "user-agent", "x-amzn-trace-id"};
  return std::any_of(kNames.begin(), kNames.end(), [&](std::string_view n) { return iequals(n, name); });
}

void remove_header(Headers& headers, std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return iequals(h.first, name); });
}

// Replaces the first header of that name (dropping any repeats) or appends one.
void set_header(Headers& headers, std::string_view name, std::string value) {
  auto it = std::find_if(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); });
  if (it == headers.end()) {
    headers.emplace_back(std::string(name), std::move(value));
    return;
  }
  it->second = std::move(value);
  const auto first = it - headers.begin();
  for (auto i = headers.size(); i-- > static_cast<size_t>(first) + 1;) {
    if (iequals(headers[i].first, name)) headers.erase(headers.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

Headers headers_to_sign(const HttpRequest& request, const SigningParams& params) {
  Headers out;
  const bool has_host =
      std::any_of(request.headers.begin(), request.headers.end(), [](const auto& h) { return iequals(h.first, "host"); });
  if (!has_host) out.emplace_back("host", request.host);
  for (const auto& header : request.headers) {
    if (never_signed(header.first)) continue;
    if (params.token_placement == SessionTokenPlacement::kAfterSigning && iequals(header.first, "x-amz-security-token"))
      continue;
    out.push_back(header);
  }
  return out;
}

std::string canonical_path(std::string_view path, const SigningParams& params) {
  std::string out = params.path_normalization == PathNormalization::kNormalize ? normalize_path(path) : std::string(path);
  if (out.empty()) out = "/";
  // The path arrives encoded once (as it goes on the wire); services other than S3 sign it encoded
  // a second time.
  if (params.uri_encoding == UriEncoding::kDouble) out = uri_encode(out, SlashEncoding::kKeep);
  return out;
}

std::string payload_hash(const HttpRequest& request, const SigningParams& params) {
  return params.payload_hash.empty() ? to_hex(sha256(request.body)) : params.payload_hash;
}

std::string upper(std::string_view method) {
  std::string out(method);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string credential_scope(const SigningParams& params) {
  return amz_day(params.time) + '/' + params.region + '/' + params.service + "/aws4_request";
}

// Fills canonical_request, string_to_sign and signature of `result`.
void compute_signature(SigningResult& result, const HttpRequest& request, std::string_view query,
                       const CanonicalHeaders& headers, std::string_view body_hash,
                       const Credentials& credentials, const SigningParams& params) {
  result.canonical_request = upper(request.method);
  result.canonical_request += '\n' + canonical_path(request.path, params);
  result.canonical_request += '\n' + canonical_query(query);
  result.canonical_request += '\n' + headers.block;
  result.canonical_request += '\n' + headers.signed_headers;
  result.canonical_request += '\n';
  result.canonical_request += body_hash;

  result.string_to_sign = std::string(kAlgorithm) + '\n' + amz_date(params.time) + '\n' + credential_scope(params) +
                          '\n' + to_hex(sha256(result.canonical_request));
  Sha256 key = derive_signing_key(credentials.secret_access_key, amz_day(params.time), params.region, params.service);
  result.signature = to_hex(hmac_sha256(as_bytes(key), result.string_to_sign));
  secure_zero(key.data(), key.size());
}

}  // namespace

Sha256 derive_signing_key(std::string_view secret_access_key, std::string_view day, std::string_view region,
                          std::string_view service) {
  std::string secret = "AWS4";
  secret += secret_access_key;
  Sha256 key = hmac_sha256(secret, day);
  secure_zero(secret.data(), secret.size());
  for (std::string_view part : {region, service, std::string_view("aws4_request")}) {
    const Sha256 next = hmac_sha256(as_bytes(key), part);
    key = next;
  }
  return key;
}

SigningResult sign(HttpRequest& request, const Credentials& credentials, const SigningParams& params) {
  remove_header(request.headers, "authorization");
  if (credentials.is_temporary()) set_header(request.headers, "X-Amz-Security-Token", credentials.session_token);
  set_header(request.headers, "X-Amz-Date", amz_date(params.time));
  const std::string body_hash = payload_hash(request, params);
  if (params.payload_hash_header == PayloadHashHeader::kAdd) set_header(request.headers, "x-amz-content-sha256", body_hash);

  const CanonicalHeaders headers = canonicalize_headers(headers_to_sign(request, params));
  SigningResult result;
  compute_signature(result, request, request.query, headers, body_hash, credentials, params);
  result.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + '/' +
                         credential_scope(params) + ", SignedHeaders=" + headers.signed_headers +
                         ", Signature=" + result.signature;
  request.headers.emplace_back("Authorization", result.authorization);
  return result;
}

SigningResult presign(HttpRequest& request, const Credentials& credentials, const SigningParams& params,
                      Seconds expires) {
  const CanonicalHeaders headers = canonicalize_headers(headers_to_sign(request, params));
  const std::string token_param =
      credentials.is_temporary() ? "&X-Amz-Security-Token=" + uri_encode(credentials.session_token) : "";
  std::string added = "X-Amz-Algorithm=" + std::string(kAlgorithm) +
                      "&X-Amz-Credential=" + uri_encode(credentials.access_key_id + '/' + credential_scope(params)) +
                      "&X-Amz-Date=" + amz_date(params.time) +
                      "&X-Amz-SignedHeaders=" + uri_encode(headers.signed_headers) +
                      "&X-Amz-Expires=" + std::to_string(expires.count());
  std::string query = request.query;
  if (!query.empty()) query += '&';
  query += added;
  if (params.token_placement == SessionTokenPlacement::kSigned) query += token_param;

  SigningResult result;
  compute_signature(result, request, query, headers, payload_hash(request, params), credentials, params);
  if (params.token_placement == SessionTokenPlacement::kAfterSigning) query += token_param;
  request.query = query + "&X-Amz-Signature=" + result.signature;
  return result;
}

}  // namespace mfaenv
