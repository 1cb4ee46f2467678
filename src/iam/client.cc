// IamClient: each operation's parameters (in botocore's shape order) and output parser; the loop in
// sts/query_call.cc sends them and iam/error.cc words the failures.
#include "iam/client.h"

#include "util/debug_log.h"

namespace mfaenv {
namespace {

constexpr std::string_view kIamVersion = "2010-05-08";

QueryCall iam_call(std::string_view action) {
  QueryCall call;
  call.service = "iam";
  call.version = kIamVersion;
  call.action = action;
  call.classify = [](const StsFailedResponse& r) {
    switch (classify_iam_error(r)) {
      case IamErrorReason::kThrottled: return FailureClass::kThrottled;
      case IamErrorReason::kServerError: return FailureClass::kServerError;
      default: return FailureClass::kFinal;
    }
  };
  return call;
}

void add_optional(FormParameters& parameters, const char* name, const std::string& value) {
  if (!value.empty()) parameters.emplace_back(name, value);
}

}  // namespace

IamClient::IamClient(StsConnection connection, RetryPolicy retry_policy, QueryRuntime runtime)
    : connection_(std::move(connection)), retry_policy_(retry_policy), runtime_(std::move(runtime)) {}

std::optional<IamFailure> IamClient::run(const Credentials& credentials, QueryCall& call,
                                         std::vector<std::string> secrets) {
  auto failure = run_query_call(connection_.endpoint, connection_.http, retry_policy_, runtime_, credentials, call);
  if (!failure) return std::nullopt;
  IamCallContext context;
  context.action = std::string(call.action);
  context.endpoint_url = connection_.endpoint.url;
  context.access_key_id = credentials.access_key_id;
  context.credentials_origin = credentials_origin_;
  context.secrets = std::move(secrets);
  context.secrets.push_back(credentials.secret_access_key);
  context.secrets.push_back(credentials.session_token);
  context.local_time = failure->local_time;
  switch (failure->kind) {
    case QueryFailure::Kind::kNetwork:
      return describe_iam_network_failure(failure->cause, context, failure->retries);
    case QueryFailure::Kind::kMalformed:
      return describe_iam_malformed_response(failure->cause, failure->http_status, context, failure->retries);
    case QueryFailure::Kind::kErrorResponse:
      break;
  }
  return describe_iam_error(failure->response, context, failure->retries);
}

IamResult<IamDone> IamClient::run_empty(const Credentials& credentials, QueryCall call,
                                        std::vector<std::string> secrets) {
  const std::string_view action = call.action;
  call.accept = [action](std::string_view body) { return parse_empty_response(body, action); };
  if (auto failure = run(credentials, call, std::move(secrets))) return *failure;
  return IamDone{};
}

IamResult<IamUser> IamClient::get_user(const Credentials& credentials, const std::string& user_name) {
  QueryCall call = iam_call("GetUser");
  add_optional(call.parameters, "UserName", user_name);
  std::optional<IamUser> out;
  call.accept = [&out](std::string_view body) -> Status {
    out = MFAENV_TRY(parse_get_user_response(body));
    return {};
  };
  if (auto failure = run(credentials, call)) return *failure;
  return std::move(*out);
}

IamResult<std::vector<AccessKeyMetadata>> IamClient::list_access_keys(const Credentials& credentials,
                                                                     const std::string& user_name) {
  std::vector<AccessKeyMetadata> all;
  std::optional<std::string> marker;
  do {
    QueryCall call = iam_call("ListAccessKeys");
    add_optional(call.parameters, "UserName", user_name);
    if (marker) call.parameters.emplace_back("Marker", *marker);
    std::optional<IamPage<AccessKeyMetadata>> page;
    call.accept = [&page](std::string_view body) -> Status {
      page = MFAENV_TRY(parse_list_access_keys_response(body));
      return {};
    };
    if (auto failure = run(credentials, call)) return *failure;
    for (auto& k : page->items) all.push_back(std::move(k));
    marker = page->next_marker;
  } while (marker);
  return all;
}

IamResult<NewAccessKey> IamClient::create_access_key(const Credentials& credentials, const std::string& user_name) {
  QueryCall call = iam_call("CreateAccessKey");
  call.replay = RequestReplay::kNotIdempotent;
  add_optional(call.parameters, "UserName", user_name);
  std::optional<NewAccessKey> out;
  call.accept = [&out](std::string_view body) -> Status {
    out = MFAENV_TRY(parse_create_access_key_response(body));
    return {};
  };
  if (auto failure = run(credentials, call)) return *failure;
  debug_secret(out->credentials.secret_access_key);
  return std::move(*out);
}

IamResult<IamDone> IamClient::update_access_key(const Credentials& credentials, const std::string& access_key_id,
                                                AccessKeyStatus status, const std::string& user_name) {
  QueryCall call = iam_call("UpdateAccessKey");
  add_optional(call.parameters, "UserName", user_name);
  call.parameters.emplace_back("AccessKeyId", access_key_id);
  call.parameters.emplace_back("Status", std::string(access_key_status_name(status)));
  call.masked_parameters = {"AccessKeyId"};
  return run_empty(credentials, std::move(call));
}

IamResult<IamDone> IamClient::delete_access_key(const Credentials& credentials, const std::string& access_key_id,
                                                const std::string& user_name) {
  QueryCall call = iam_call("DeleteAccessKey");
  add_optional(call.parameters, "UserName", user_name);
  call.parameters.emplace_back("AccessKeyId", access_key_id);
  call.masked_parameters = {"AccessKeyId"};
  return run_empty(credentials, std::move(call));
}

IamResult<VirtualMfaDevice> IamClient::create_virtual_mfa_device(const Credentials& credentials,
                                                                 const std::string& name, const std::string& path) {
  QueryCall call = iam_call("CreateVirtualMFADevice");
  call.replay = RequestReplay::kNotIdempotent;
  add_optional(call.parameters, "Path", path);
  call.parameters.emplace_back("VirtualMFADeviceName", name);
  std::optional<VirtualMfaDevice> out;
  call.accept = [&out](std::string_view body) -> Status {
    out = MFAENV_TRY(parse_create_virtual_mfa_device_response(body));
    return {};
  };
  if (auto failure = run(credentials, call)) return *failure;
  debug_secret(out->base32_seed);
  return std::move(*out);
}

IamResult<IamDone> IamClient::enable_mfa_device(const Credentials& credentials, const std::string& user_name,
                                                const std::string& serial_number, const std::string& code1,
                                                const std::string& code2) {
  QueryCall call = iam_call("EnableMFADevice");
  call.replay = RequestReplay::kCarriesMfaCode;
  call.parameters = {{"UserName", user_name}, {"SerialNumber", serial_number},
                     {"AuthenticationCode1", code1}, {"AuthenticationCode2", code2}};
  call.masked_parameters = {"AuthenticationCode1", "AuthenticationCode2"};
  return run_empty(credentials, std::move(call), {code1, code2});
}

IamResult<std::vector<MfaDeviceInfo>> IamClient::list_mfa_devices(const Credentials& credentials,
                                                                 const std::string& user_name) {
  std::vector<MfaDeviceInfo> all;
  std::optional<std::string> marker;
  do {
    QueryCall call = iam_call("ListMFADevices");
    add_optional(call.parameters, "UserName", user_name);
    if (marker) call.parameters.emplace_back("Marker", *marker);
    std::optional<IamPage<MfaDeviceInfo>> page;
    call.accept = [&page](std::string_view body) -> Status {
      page = MFAENV_TRY(parse_list_mfa_devices_response(body));
      return {};
    };
    if (auto failure = run(credentials, call)) return *failure;
    for (auto& d : page->items) all.push_back(std::move(d));
    marker = page->next_marker;
  } while (marker);
  return all;
}

IamResult<IamDone> IamClient::deactivate_mfa_device(const Credentials& credentials, const std::string& user_name,
                                                    const std::string& serial_number) {
  QueryCall call = iam_call("DeactivateMFADevice");
  add_optional(call.parameters, "UserName", user_name);
  call.parameters.emplace_back("SerialNumber", serial_number);
  return run_empty(credentials, std::move(call));
}

IamResult<IamDone> IamClient::delete_virtual_mfa_device(const Credentials& credentials,
                                                        const std::string& serial_number) {
  QueryCall call = iam_call("DeleteVirtualMFADevice");
  call.parameters.emplace_back("SerialNumber", serial_number);
  return run_empty(credentials, std::move(call));
}

IamResult<IamDone> IamClient::put_user_policy(const Credentials& credentials, const std::string& user_name,
                                              const std::string& policy_name, const std::string& document) {
  QueryCall call = iam_call("PutUserPolicy");
  call.parameters = {{"UserName", user_name}, {"PolicyName", policy_name}, {"PolicyDocument", document}};
  return run_empty(credentials, std::move(call));
}

IamResult<IamDone> IamClient::put_group_policy(const Credentials& credentials, const std::string& group_name,
                                               const std::string& policy_name, const std::string& document) {
  QueryCall call = iam_call("PutGroupPolicy");
  call.parameters = {{"GroupName", group_name}, {"PolicyName", policy_name}, {"PolicyDocument", document}};
  return run_empty(credentials, std::move(call));
}

}  // namespace mfaenv
