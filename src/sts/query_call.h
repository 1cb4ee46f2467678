// One AWS Query API call (STS and IAM speak the same protocol): build the form POST, sign it with
// SigV4, send it, retry by the rules of sts/retry.h, and hand back either the accepted answer or
// what went wrong in the last attempt. The service clients (StsClient, IamClient) turn that into
// their own messages.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "http/client.h"
#include "sts/endpoint.h"
#include "sts/error.h"
#include "sts/request.h"
#include "sts/retry.h"
#include "util/result.h"

namespace mfaenv {

// What a Query API client needs from the world; unit tests inject fakes (no network, no sleeping).
struct QueryRuntime {
  std::function<Result<HttpResponse>(const HttpRequest&, const HttpOptions&, HttpFailure*)> send;
  std::function<TimePoint()> wall_clock;              // signing time: the system clock, never faked
  std::function<std::chrono::steady_clock::time_point()> monotonic_clock;
  std::function<void(Milliseconds)> sleep;
  std::function<double()> random01;                   // uniform in [0, 1), for jitter

  // send_request() of src/http, the system clock, the steady clock, a real sleep and real jitter.
  static QueryRuntime real();
};

// What an HTTP failure means for retries: DNS and connection refused certainly happened before
// the request left (kNotSent); a timeout, a lost connection or a TLS failure may not have.
SendStage send_stage_of(HttpFailure failure);
// kNetwork for the failures that may pass (DNS, refused, timeout, lost connection, TLS, other);
// kFinal for those that will fail the same way again (certificate, CA bundle, libcurl missing).
FailureClass failure_class_of(HttpFailure failure);

struct QueryCall {
  std::string_view service;        // SigV4 service name: "sts", "iam"
  std::string_view version;        // API version: "2011-06-15", "2010-05-08"
  std::string_view action;
  FormParameters parameters;
  RequestReplay replay = RequestReplay::kSafe;
  std::vector<std::string_view> masked_parameters;  // shown masked in --debug (TokenCode, ...)
  std::function<Status(std::string_view body)> accept;  // parses a 2xx body and keeps the output
  // Retry class of an error answer (throttled, 5xx, final).
  std::function<FailureClass(const StsFailedResponse&)> classify;
};

// The last attempt of a call that did not succeed.
struct QueryFailure {
  enum class Kind { kNetwork, kMalformed, kErrorResponse };
  Kind kind = Kind::kNetwork;
  Error cause;                  // kNetwork: src/http's error; kMalformed: the parser's
  long http_status = 0;         // kMalformed
  StsFailedResponse response;   // kErrorResponse
  TimePoint local_time{};       // the time the last attempt was signed with
  RetryOutcome retries;
};

// nullopt when `call.accept` took a 2xx answer.
std::optional<QueryFailure> run_query_call(const StsEndpoint& endpoint, const HttpOptions& http,
                                           const RetryPolicy& policy, const QueryRuntime& runtime,
                                           const Credentials& credentials, const QueryCall& call);

// An access key id as --debug shows it: the first four and last four characters.
std::string shown_key_id(std::string_view access_key_id);

}  // namespace mfaenv
