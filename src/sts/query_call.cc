// The Query API request loop shared by STS and IAM: sign, send, classify, wait, resend.
#include "sts/query_call.h"

#include <random>
#include <thread>

#include "sigv4/signer.h"
#include "util/debug_log.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

std::optional<std::string> response_header(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers)
    if (iequals(key, name)) return value;
  return std::nullopt;
}

// The request as a user debugging it wants to see it: codes, secrets and the key id masked.
void debug_query_request(const StsEndpoint& endpoint, const QueryCall& call,
                         const Credentials& credentials, int attempt) {
  std::string shown;
  for (const auto& [name, value] : call.parameters) {
    bool secret = false;
    for (std::string_view m : call.masked_parameters) secret = secret || name == m;
    shown += fmt::format(" {}={}", name, secret ? masked(value) : value);
  }
  debug_secret(credentials.secret_access_key);
  debug_secret(credentials.session_token);
  debug("{} attempt {}: POST {} signed with access key id {}{}", call.action, attempt, endpoint.url,
        shown_key_id(credentials.access_key_id), shown);
}

}  // namespace

std::string shown_key_id(std::string_view id) {
  if (id.size() < 12) return "****";
  return fmt::format("{}…{}", id.substr(0, 4), id.substr(id.size() - 4));
}

SendStage send_stage_of(HttpFailure failure) {
  return failure == HttpFailure::kDns || failure == HttpFailure::kRefused ? SendStage::kNotSent
                                                                          : SendStage::kMaybeSent;
}

FailureClass failure_class_of(HttpFailure failure) {
  switch (failure) {
    case HttpFailure::kDns:
    case HttpFailure::kRefused:
    case HttpFailure::kTimeout:
    case HttpFailure::kConnectionLost:
    case HttpFailure::kTls:
    case HttpFailure::kOther:
      return FailureClass::kNetwork;
    case HttpFailure::kNone:
    case HttpFailure::kLibraryMissing:
    case HttpFailure::kInvalidRequest:
    case HttpFailure::kCaBundleUnreadable:
    case HttpFailure::kCertificate:
    case HttpFailure::kResponseTooLarge:
      break;
  }
  return FailureClass::kFinal;
}

QueryRuntime QueryRuntime::real() {
  QueryRuntime r;
  r.send = [](const HttpRequest& request, const HttpOptions& options, HttpFailure* failure) {
    return send_request(request, options, failure);
  };
  r.wall_clock = [] { return system_now(); };  // signing time: the real clock, as AWS sees it
  r.monotonic_clock = [] { return std::chrono::steady_clock::now(); };
  r.sleep = [](Milliseconds d) { std::this_thread::sleep_for(d); };
  r.random01 = [] {
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
  return r;
}

std::optional<QueryFailure> run_query_call(const StsEndpoint& endpoint, const HttpOptions& http,
                                           const RetryPolicy& policy, const QueryRuntime& runtime,
                                           const Credentials& credentials, const QueryCall& call) {
  HttpOptions options = http;
  options.scheme = endpoint.scheme == UrlScheme::kHttp ? "http" : "https";
  const auto started = runtime.monotonic_clock();
  for (int attempt = 1;; ++attempt) {
    QueryFailure failure;
    failure.local_time = runtime.wall_clock();
    HttpRequest request = make_query_request(endpoint, call.action, call.version, call.parameters);
    SigningParams signing;
    signing.region = endpoint.signing_region;
    signing.service = std::string(call.service);
    signing.time = failure.local_time;
    sign(request, credentials, signing);

    if (debug_enabled()) debug_query_request(endpoint, call, credentials, attempt);
    HttpFailure http_failure = HttpFailure::kNone;
    Result<HttpResponse> sent = runtime.send(request, options, &http_failure);
    wipe(request.body);  // it may hold an MFA code or a policy
    if (debug_enabled()) {
      debug("{} attempt {}: {} after {} ms", call.action, attempt,
            sent.ok() ? fmt::format("HTTP {}", sent->status) : "no answer: " + sent.error().message,
            std::chrono::duration_cast<Milliseconds>(runtime.monotonic_clock() - started).count());
    }

    FailureClass failure_class;
    SendStage stage = SendStage::kMaybeSent;
    if (!sent.ok()) {
      failure.kind = QueryFailure::Kind::kNetwork;
      failure.cause = std::move(sent).error();
      failure_class = failure_class_of(http_failure);
      stage = send_stage_of(http_failure);
    } else {
      HttpResponse response = std::move(sent).value();
      if (response.status >= 200 && response.status < 300) {
        Status accepted = call.accept(response.body);
        wipe(response.body);  // it may hold a new secret
        if (accepted.ok()) return std::nullopt;
        failure.kind = QueryFailure::Kind::kMalformed;
        failure.cause = accepted.error();
        failure.http_status = response.status;
        failure_class = FailureClass::kMalformedResponse;
      } else {
        failure.kind = QueryFailure::Kind::kErrorResponse;
        failure.response.http_status = response.status;
        failure.response.body = parse_error_response(response.body);
        if (auto date = response_header(response, "date")) failure.response.server_date = parse_http_date(*date);
        wipe(response.body);
        failure_class = call.classify(failure.response);
      }
    }

    auto elapsed = std::chrono::duration_cast<Milliseconds>(runtime.monotonic_clock() - started);
    RetryDecision decision = decide_retry(policy, failure_class, stage, call.replay, attempt, elapsed);
    if (!decision.retry) {
      failure.retries = decision.outcome;
      return failure;
    }
    runtime.sleep(backoff_delay(policy, attempt, runtime.random01()));
  }
}

}  // namespace mfaenv
