// STS responses: the XML of GetSessionToken, AssumeRole and GetCallerIdentity results and of
// ErrorResponse, read with pugixml as botocore's QueryParser reads them (element text kept as is).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

struct GetSessionTokenOutput {
  Credentials credentials;  // with expiration
  std::string request_id;
};

struct AssumeRoleOutput {
  Credentials credentials;  // with expiration
  std::string assumed_role_id;   // "AROA...:session-name"
  std::string assumed_role_arn;  // "arn:aws:sts::123456789012:assumed-role/Admin/session-name"
  std::string request_id;
};

struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
  std::string request_id;
};

// The <Error> of an <ErrorResponse>.
struct StsErrorBody {
  std::string type;     // "Sender" or "Receiver"
  std::string code;     // "AccessDenied"
  std::string message;  // AWS's text; may quote request values (see redact() in sts/error.h)
  std::string request_id;
};

// A document that is not the expected response (broken, truncated, wrong root, a required element
// missing) is an Error of kind kStsUnavailable whose message says what is wrong, without values.
Result<GetSessionTokenOutput> parse_get_session_token_response(std::string_view xml);
Result<AssumeRoleOutput> parse_assume_role_response(std::string_view xml);
Result<CallerIdentity> parse_get_caller_identity_response(std::string_view xml);

// nullopt when `xml` holds no <Error><Code> (an HTML page from a proxy, an empty body, ...).
std::optional<StsErrorBody> parse_error_response(std::string_view xml);

// An HTTP Date header, IMF-fixdate ("Sun, 23 Nov 2026 17:43:42 GMT"); nullopt otherwise.
std::optional<TimePoint> parse_http_date(std::string_view text);

}  // namespace mfaenv
