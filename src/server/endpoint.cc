// The request checks and the answers. The order of the checks is deliberate: a request naming
// another Host is refused first (a web page's script reaching 127.0.0.1 through DNS rebinding), then
// one without the token, so that a caller without the token learns nothing else about the server.
#include "server/endpoint.h"

#include <nlohmann/json.hpp>

#include "server/token.h"

namespace mfaenv {

std::string error_body(std::string_view code, std::string_view message) {
  nlohmann::ordered_json j;
  j["Code"] = code;
  j["Message"] = message;
  return j.dump();
}

CredentialEndpoint::CredentialEndpoint(std::string token, std::string address, int port, CredentialSupplier supplier)
    : token_(std::move(token)),
      host_(address + ":" + std::to_string(port)),
      address_(std::move(address)),
      port_(port),
      supplier_(std::move(supplier)) {}

std::string CredentialEndpoint::url() const { return "http://" + host_ + kCredentialsPath; }

namespace {

HttpResponse refuse(int status, std::string_view code, std::string_view message) {
  return HttpResponse{status, error_body(code, message)};
}

// Which failures are whose: the SDK retries 5xx, and a person reads the message.
int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kStsUnavailable: return 502;
    default: return 503;
  }
}

}  // namespace

HttpResponse CredentialEndpoint::answer(const HttpRequest& request) const {
  if (request.host != host_) {
    return refuse(403, "InvalidHost", "this credential server answers only requests for " + host_);
  }
  if (request.authorization.empty()) {
    return refuse(401, "MissingToken",
                  "no Authorization header: set AWS_CONTAINER_AUTHORIZATION_TOKEN as 'mfaenv exec --server' does");
  }
  if (!token_matches(request.authorization, token_)) {
    return refuse(403, "InvalidToken", "the Authorization header is not this server's token");
  }
  if (request.method != "GET") return refuse(405, "MethodNotAllowed", "only GET is served");
  if (request.path != kCredentialsPath || request.has_query) {
    return refuse(404, "NotFound", std::string("credentials are served at ") + kCredentialsPath);
  }
  auto served = supplier_();
  if (!served.ok()) return refuse(status_for(served.error().kind), "CredentialsUnavailable", served.error().message);
  nlohmann::ordered_json j;
  j["AccessKeyId"] = served->credentials.access_key_id;
  j["SecretAccessKey"] = served->credentials.secret_access_key;
  j["Token"] = served->credentials.session_token;
  j["Expiration"] = format_rfc3339(served->expiry);
  HttpResponse response{200, j.dump()};
  j.clear();
  return response;
}

}  // namespace mfaenv
