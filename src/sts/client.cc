// StsClient: builds, signs and sends each attempt, and turns the answer into an output or a failure.
#include "sts/client.h"

#include "util/debug_log.h"

#include <random>
#include <thread>

#include "sigv4/signer.h"
#include "sts/request.h"
#include "util/strings.h"

namespace mfaenv {

struct StsClient::Call {
  StsCallContext context;
  FormParameters parameters;
  RequestReplay replay = RequestReplay::kSafe;
  std::function<Status(std::string_view body)> accept;  // parses a 2xx body and keeps the output
};

namespace {

std::optional<std::string> header(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers)
    if (iequals(key, name)) return value;
  return std::nullopt;
}

StsCallContext base_context(StsOperation operation, const StsEndpoint& endpoint,
                            const Credentials& credentials, std::string_view origin) {
  StsCallContext c;
  c.operation = operation;
  c.endpoint_url = endpoint.url;
  c.access_key_id = credentials.access_key_id;
  c.credential_kind =
      credentials.is_temporary() ? CredentialKind::kTemporary : CredentialKind::kLongTerm;
  c.credentials_origin = std::string(origin);
  c.secrets = {credentials.secret_access_key, credentials.session_token};
  return c;
}

// Serial and code go together; a lone one is a bug in the caller, not a user error.
std::optional<StsFailure> check_mfa_pair(std::string_view serial, std::string_view code) {
  if (serial.empty() == code.empty()) return std::nullopt;
  return StsFailure{Error{ErrorKind::kGeneric, "internal error: an MFA serial number and a token "
                                               "code must be given together"},
                    StsErrorReason::kNone};
}

}  // namespace

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

StsRuntime StsRuntime::real() {
  StsRuntime r;
  r.send = [](const HttpRequest& request, const HttpOptions& options, HttpFailure* failure) {
    return send_request(request, options, failure);
  };
  r.wall_clock = [] { return system_now(); };  // signing time: the real clock, as STS sees it
  r.monotonic_clock = [] { return std::chrono::steady_clock::now(); };
  r.sleep = [](Milliseconds d) { std::this_thread::sleep_for(d); };
  r.random01 = [] {
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
  return r;
}

namespace {

// The request as a user debugging it wants to see it: the code and any secret masked.
void debug_request(const StsEndpoint& endpoint, std::string_view action, const FormParameters& parameters,
                   const Credentials& credentials, int attempt) {
  std::string shown;
  for (const auto& [name, value] : parameters) {
    const bool secret = name == "TokenCode";
    shown += fmt::format(" {}={}", name, secret ? masked(value) : value);
  }
  debug_secret(credentials.secret_access_key);
  debug_secret(credentials.session_token);
  debug("{} attempt {}: POST {} signed with access key id {}{}", action, attempt, endpoint.url,
        credentials.access_key_id, shown);
}

}  // namespace

StsClient::StsClient(StsEndpoint endpoint, HttpOptions http_options, RetryPolicy retry_policy,
                     StsRuntime runtime)
    : endpoint_(std::move(endpoint)),
      http_options_(std::move(http_options)),
      retry_policy_(retry_policy),
      runtime_(std::move(runtime)) {
  http_options_.scheme = endpoint_.scheme == UrlScheme::kHttp ? "http" : "https";
}

std::optional<StsFailure> StsClient::run(const Credentials& credentials, const Call& call) {
  const auto started = runtime_.monotonic_clock();
  const std::string_view action = action_name(call.context.operation);
  for (int attempt = 1;; ++attempt) {
    StsCallContext context = call.context;
    context.local_time = runtime_.wall_clock();
    HttpRequest request = make_sts_request(endpoint_, action, call.parameters);
    SigningParams signing;
    signing.region = endpoint_.signing_region;
    signing.service = "sts";
    signing.time = context.local_time;
    sign(request, credentials, signing);

    if (debug_enabled()) debug_request(endpoint_, action, call.parameters, credentials, attempt);
    HttpFailure http_failure = HttpFailure::kNone;
    Result<HttpResponse> sent = runtime_.send(request, http_options_, &http_failure);
    wipe(request.body);  // it may hold the MFA code
    if (debug_enabled()) {
      debug("{} attempt {}: {} after {} ms", action, attempt,
            sent.ok() ? fmt::format("HTTP {}", sent->status) : "no answer: " + sent.error().message,
            std::chrono::duration_cast<Milliseconds>(runtime_.monotonic_clock() - started).count());
    }

    // Each branch either returns, or leaves the failure's class and how to describe it.
    FailureClass failure;
    SendStage stage = SendStage::kMaybeSent;
    std::function<StsFailure(const RetryOutcome&)> describe;
    if (!sent.ok()) {
      Error cause = std::move(sent).error();
      failure = failure_class_of(http_failure);
      stage = send_stage_of(http_failure);
      describe = [cause, context](const RetryOutcome& retries) {
        return describe_network_failure(cause, context, retries);
      };
    } else {
      HttpResponse response = std::move(sent).value();
      if (response.status >= 200 && response.status < 300) {
        Status accepted = call.accept(response.body);
        wipe(response.body);
        if (accepted.ok()) return std::nullopt;
        failure = FailureClass::kMalformedResponse;
        describe = [cause = accepted.error(), status = response.status,
                    context](const RetryOutcome& retries) {
          return describe_malformed_response(cause, status, context, retries);
        };
      } else {
        StsFailedResponse failed;
        failed.http_status = response.status;
        failed.body = parse_error_response(response.body);
        if (auto date = header(response, "date")) failed.server_date = parse_http_date(*date);
        wipe(response.body);
        failure = failure_class(classify_error_response(failed, context.operation));
        describe = [failed, context](const RetryOutcome& retries) {
          return describe_error_response(failed, context, retries);
        };
      }
    }

    auto elapsed = std::chrono::duration_cast<Milliseconds>(runtime_.monotonic_clock() - started);
    RetryDecision decision =
        decide_retry(retry_policy_, failure, stage, call.replay, attempt, elapsed);
    if (!decision.retry) return describe(decision.outcome);
    runtime_.sleep(backoff_delay(retry_policy_, attempt, runtime_.random01()));
  }
}

StsResult<GetSessionTokenOutput> StsClient::get_session_token(const Credentials& credentials,
                                                              const GetSessionTokenInput& input) {
  if (auto bad = check_mfa_pair(input.serial_number, input.token_code)) return *bad;
  Call call;
  call.context = base_context(StsOperation::kGetSessionToken, endpoint_, credentials,
                              input.credentials_origin);
  call.context.serial_number = input.serial_number;
  call.context.duration = input.duration;
  call.context.secrets.push_back(input.token_code);
  if (input.duration)
    call.parameters.emplace_back("DurationSeconds", std::to_string(input.duration->count()));
  if (!input.serial_number.empty()) {
    call.parameters.emplace_back("SerialNumber", input.serial_number);
    call.parameters.emplace_back("TokenCode", input.token_code);
    call.replay = RequestReplay::kCarriesMfaCode;
  }
  std::optional<GetSessionTokenOutput> output;
  call.accept = [&output](std::string_view body) -> Status {
    output = MFAENV_TRY(parse_get_session_token_response(body));
    return {};
  };
  if (auto failure = run(credentials, call)) return *failure;
  return std::move(*output);
}

StsResult<AssumeRoleOutput> StsClient::assume_role(const Credentials& credentials,
                                                   const AssumeRoleInput& input) {
  if (auto bad = check_mfa_pair(input.serial_number, input.token_code)) return *bad;
  Call call;
  call.context =
      base_context(StsOperation::kAssumeRole, endpoint_, credentials, input.credentials_origin);
  call.context.serial_number = input.serial_number;
  call.context.role_arn = input.role_arn;
  call.context.has_external_id = !input.external_id.empty();
  call.context.duration = input.duration;
  call.context.secrets.push_back(input.token_code);
  // In the order of botocore's AssumeRoleRequest shape.
  call.parameters.emplace_back("RoleArn", input.role_arn);
  call.parameters.emplace_back("RoleSessionName", input.role_session_name);
  if (input.duration)
    call.parameters.emplace_back("DurationSeconds", std::to_string(input.duration->count()));
  if (!input.external_id.empty()) call.parameters.emplace_back("ExternalId", input.external_id);
  if (!input.serial_number.empty()) {
    call.parameters.emplace_back("SerialNumber", input.serial_number);
    call.parameters.emplace_back("TokenCode", input.token_code);
    call.replay = RequestReplay::kCarriesMfaCode;
  }
  std::optional<AssumeRoleOutput> output;
  call.accept = [&output](std::string_view body) -> Status {
    output = MFAENV_TRY(parse_assume_role_response(body));
    return {};
  };
  if (auto failure = run(credentials, call)) return *failure;
  return std::move(*output);
}

StsResult<CallerIdentity> StsClient::get_caller_identity(const Credentials& credentials,
                                                         const GetCallerIdentityInput& input) {
  Call call;
  call.context = base_context(StsOperation::kGetCallerIdentity, endpoint_, credentials,
                              input.credentials_origin);
  std::optional<CallerIdentity> output;
  call.accept = [&output](std::string_view body) -> Status {
    output = MFAENV_TRY(parse_get_caller_identity_response(body));
    return {};
  };
  if (auto failure = run(credentials, call)) return *failure;
  return std::move(*output);
}

}  // namespace mfaenv
