// getSigninToken over the HTTPS client, and the URLs around it.
#include "signin/federation.h"

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "sigv4/canonical.h"
#include "util/strings.h"
#include "util/loopback.h"

namespace mfaenv {
namespace {

// "https://host[:port][/path]" split; nullopt when it is not such a URL.
struct UrlParts {
  std::string scheme, host, hostname, path;
};
std::optional<UrlParts> split_url(std::string_view url) {
  UrlParts parts;
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  parts.scheme = std::string(url.substr(0, colon));
  std::string_view rest = url.substr(colon + 3);
  const size_t slash = rest.find_first_of("/?#");
  parts.host = std::string(rest.substr(0, slash));
  parts.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  if (parts.host.empty() || parts.host.find('@') != std::string::npos) return std::nullopt;
  parts.hostname = parts.host.substr(0, parts.host.rfind(':') == std::string::npos ? parts.host.size()
                                                                                     : parts.host.rfind(':'));
  return parts;
}

// The start of an error page for a message: tags dropped, control characters and runs of blanks
// turned into one space, at most `limit` bytes, and none of `secrets` in it.
std::string error_page_excerpt(std::string_view page, size_t limit, const Credentials& secrets) {
  std::string text;
  bool in_tag = false;
  for (char c : page) {
    if (c == '<') in_tag = true;
    if (in_tag) {
      if (c == '>') in_tag = false;
      continue;
    }
    const bool blank = static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == ' ';
    if (blank && (text.empty() || text.back() == ' ')) continue;
    text += blank ? ' ' : c;
    if (text.size() >= limit) break;
  }
  // A page that echoes the request may hold a piece of a secret: any 12 bytes of its start count.
  for (const std::string* secret : {&secrets.secret_access_key, &secrets.session_token})
    if (secret->size() >= 12 && text.find(std::string_view(*secret).substr(0, 12)) != std::string::npos)
      return "(an answer that quoted the credentials)";
  return std::string(trim(text));
}

}  // namespace

Result<FederationEndpoint> federation_endpoint(const SigninPartition& partition) {
  FederationEndpoint endpoint;
  const auto configured = env("MFAENV_SIGNIN_ENDPOINT");
  if (!configured || configured->empty()) {
    endpoint.host = partition.signin_host;
    endpoint.origin = "partition " + partition.name;
    return endpoint;
  }
  auto parts = split_url(*configured);
  if (!parts || (parts->scheme != "https" && !(parts->scheme == "http" && is_loopback_host(parts->hostname))))
    return make_error(ErrorKind::kConfigInvalid, "MFAENV_SIGNIN_ENDPOINT='{}' is not an https:// URL (http:// only "
                      "for 127.0.0.1 or localhost); unset it to use {}", *configured, partition.signin_host);
  endpoint.scheme = parts->scheme;
  endpoint.host = parts->host;
  endpoint.path = parts->path.empty() ? "/federation" : parts->path;
  if (endpoint.path.find_first_of("?#") != std::string::npos)
    return make_error(ErrorKind::kConfigInvalid, "MFAENV_SIGNIN_ENDPOINT='{}' must not have a query", *configured);
  endpoint.origin = "MFAENV_SIGNIN_ENDPOINT";
  return endpoint;
}

Result<std::string> console_destination(const SigninPartition& partition, const std::optional<std::string>& service,
                                        const std::optional<std::string>& region,
                                        const std::optional<std::string>& destination) {
  if (destination) {
    auto parts = split_url(*destination);
    if (!parts || parts->scheme != "https" || !is_console_host(partition, parts->hostname))
      return make_error(ErrorKind::kUsage, "--destination '{}' must be an https:// URL on {} (the console of "
                        "partition {}); the sign-in endpoint refuses other pages", *destination,
                        partition.console_host, partition.name);
    return *destination;
  }
  std::string url = "https://" + partition.console_host + "/";
  if (service) {
    for (char c : *service)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
        return make_error(ErrorKind::kUsage, "--service '{}': use the console's name for it, as in its URL "
                          "(s3, ec2, iam, cloudwatch)", *service);
    url += *service + "/home";
  } else if (region) {
    url += "console/home";
  }
  if (region) url += "?region=" + uri_encode(*region);
  return url;
}

Result<std::string> get_signin_token(const FederationEndpoint& endpoint, const HttpOptions& http,
                                     const Credentials& credentials, std::optional<Seconds> session_duration) {
  if (!credentials.is_temporary())
    return make_error(ErrorKind::kGeneric, "console sign-in needs temporary role credentials, not long-term keys");
  std::string session = nlohmann::json{{"sessionId", credentials.access_key_id},
                                       {"sessionKey", credentials.secret_access_key},
                                       {"sessionToken", credentials.session_token}}.dump();
  HttpRequest request;
  request.method = "GET";
  request.host = endpoint.host;
  request.path = endpoint.path;
  request.query = "Action=getSigninToken";
  if (session_duration) request.query += "&SessionDuration=" + std::to_string(session_duration->count());
  request.query += "&Session=" + uri_encode(session);
  secure_zero(session.data(), session.size());
  HttpOptions options = http;
  options.scheme = endpoint.scheme;
  auto response = send_request(request, options);
  secure_zero(request.query.data(), request.query.size());
  if (!response.ok())
    return make_error(response.error().kind, "console sign-in endpoint {} ({}): {}", endpoint.url(), endpoint.origin,
                      response.error().message);
  std::string body = std::move(response->body);
  if (response->status >= 300 && response->status < 400)
    // As for STS: the endpoint never redirects, so something is in the way; the request (which
    // carries the session) is not sent again to wherever it points.
    return make_error(ErrorKind::kStsUnavailable,
                      "the console sign-in endpoint {} answered with a redirect (HTTP {}), which it never sends: "
                      "something is in the way (a proxy, a captive portal) or MFAENV_SIGNIN_ENDPOINT is wrong",
                      endpoint.url(), response->status);
  if (response->status >= 500)
    return make_error(ErrorKind::kStsUnavailable,
                      "the console sign-in endpoint {} is failing (HTTP {}); try again in a minute", endpoint.url(),
                      response->status);
  if (response->status != 200) {
    // The endpoint answers errors as short pages; quote the start of it, escaped, never the token.
    std::string said = error_page_excerpt(body, 160, credentials);
    return make_error(ErrorKind::kAwsRefused, "the console sign-in endpoint {} refused the credentials (HTTP {}){}{}",
                      endpoint.url(), response->status, said.empty() ? "" : ": ", said);
  }
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  secure_zero(body.data(), body.size());
  if (!parsed.is_object() || !parsed.contains("SigninToken") || !parsed["SigninToken"].is_string() ||
      parsed["SigninToken"].get_ref<const std::string&>().empty())
    return make_error(ErrorKind::kStsUnavailable, "the console sign-in endpoint {} answered without a SigninToken; "
                      "try again, or check MFAENV_SIGNIN_ENDPOINT and proxies", endpoint.url());
  return parsed["SigninToken"].get<std::string>();
}

std::string login_url(const FederationEndpoint& endpoint, const std::string& destination,
                      const std::string& signin_token) {
  return endpoint.url() + "?Action=login&Issuer=mfaenv&Destination=" + uri_encode(destination) +
         "&SigninToken=" + uri_encode(signin_token);
}

}  // namespace mfaenv
