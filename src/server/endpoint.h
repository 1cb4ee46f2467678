// What the credential server answers (the container-credentials contract the AWS SDKs implement,
// see docs/server.md): checks Host, token, method and path, then hands out the credentials its
// supplier has, as {AccessKeyId, SecretAccessKey, Token, Expiration}, or a JSON error the SDKs show.
#pragma once

#include <functional>
#include <string>

#include "aws/credentials.h"
#include "server/http_listener.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

struct ServedCredentials {
  Credentials credentials;
  TimePoint expiry;  // the effective expiry: the SDK comes back before it
};

// Called for every authorized request; never blocks on a person or the network.
using CredentialSupplier = std::function<Result<ServedCredentials>()>;

inline constexpr const char* kCredentialsPath = "/credentials";

class CredentialEndpoint {
 public:
  CredentialEndpoint(std::string token, std::string address, int port, CredentialSupplier supplier);

  HttpResponse answer(const HttpRequest& request) const;

  // AWS_CONTAINER_CREDENTIALS_FULL_URI: http://ADDRESS:PORT/credentials
  std::string url() const;

 private:
  std::string token_;
  std::string host_;  // "127.0.0.1:PORT": the only Host a request may name (no DNS rebinding)
  std::string address_;
  int port_;
  CredentialSupplier supplier_;
};

// The JSON of an error answer: {"Code": code, "Message": message}.
std::string error_body(std::string_view code, std::string_view message);

}  // namespace mfaenv
