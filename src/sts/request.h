// The unsigned HTTP request of one Query API call (STS, IAM): a POST with a form body
// `Action=...&Version=2011-06-15&...`, encoded byte for byte as botocore encodes it.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.h"
#include "sts/endpoint.h"

namespace mfaenv {

using FormParameters = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded as Python's urlencode (quote_plus): A-Z a-z 0-9 _ . - ~ stay,
// space becomes '+', every other byte %XX with upper-case hex.
std::string form_encode(const FormParameters& parameters);

// Action and Version first, then `parameters` in the given order; Content-Type
// `application/x-www-form-urlencoded; charset=utf-8`. The signer adds the rest. IAM uses it too.
HttpRequest make_query_request(const StsEndpoint& endpoint, std::string_view action,
                               std::string_view version, const FormParameters& parameters);

// STS's: Action and Version first, then `parameters` in the given order; Content-Type
// `application/x-www-form-urlencoded; charset=utf-8`. The signer adds the rest.
HttpRequest make_sts_request(const StsEndpoint& endpoint, std::string_view action,
                             const FormParameters& parameters);

}  // namespace mfaenv
