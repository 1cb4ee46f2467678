// StsClient: the STS operations' parameters and outputs; sts/query_call.cc sends them, and the
// failures become the messages of sts/error.cc.
#include "sts/client.h"

#include "util/strings.h"

namespace mfaenv {

struct StsClient::Call {
  StsCallContext context;
  FormParameters parameters;
  RequestReplay replay = RequestReplay::kSafe;
  std::function<Status(std::string_view body)> accept;  // parses a 2xx body and keeps the output
};

namespace {

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

StsClient::StsClient(StsEndpoint endpoint, HttpOptions http_options, RetryPolicy retry_policy,
                     StsRuntime runtime)
    : endpoint_(std::move(endpoint)),
      http_options_(std::move(http_options)),
      retry_policy_(retry_policy),
      runtime_(std::move(runtime)) {
  http_options_.scheme = endpoint_.scheme == UrlScheme::kHttp ? "http" : "https";
}

std::optional<StsFailure> StsClient::run(const Credentials& credentials, Call& call) {
  QueryCall query;
  query.service = "sts";
  query.version = "2011-06-15";
  query.action = action_name(call.context.operation);
  query.parameters = std::move(call.parameters);
  query.replay = call.replay;
  query.masked_parameters = {"TokenCode"};
  query.accept = call.accept;
  const StsOperation operation = call.context.operation;
  query.classify = [operation](const StsFailedResponse& r) {
    return failure_class(classify_error_response(r, operation));
  };
  auto failure = run_query_call(endpoint_, http_options_, retry_policy_, runtime_, credentials, query);
  if (!failure) return std::nullopt;
  StsCallContext context = call.context;
  context.local_time = failure->local_time;
  switch (failure->kind) {
    case QueryFailure::Kind::kNetwork:
      return describe_network_failure(failure->cause, context, failure->retries);
    case QueryFailure::Kind::kMalformed:
      return describe_malformed_response(failure->cause, failure->http_status, context, failure->retries);
    case QueryFailure::Kind::kErrorResponse:
      break;
  }
  return describe_error_response(failure->response, context, failure->retries);
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
