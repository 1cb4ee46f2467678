// IAM users and access keys as GetUser, ListAccessKeys and CreateAccessKey return them, and the
// parsers of those answers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

struct IamUser {
  std::string user_name;
  std::string user_id;
  std::string arn;
  std::string path;
  std::optional<TimePoint> create_date;
};

enum class AccessKeyStatus { kActive, kInactive };
std::string_view access_key_status_name(AccessKeyStatus status);  // "Active", "Inactive"

struct AccessKeyMetadata {
  std::string user_name;
  std::string access_key_id;
  AccessKeyStatus status = AccessKeyStatus::kActive;
  std::optional<TimePoint> create_date;
};

struct NewAccessKey {
  AccessKeyMetadata metadata;
  Credentials credentials;  // long-term: id and secret
};

// One page of ListAccessKeys / ListMFADevices.
template <typename T>
struct IamPage {
  std::vector<T> items;
  std::optional<std::string> next_marker;  // set when IsTruncated
};

Result<IamUser> parse_get_user_response(std::string_view xml);
Result<IamPage<AccessKeyMetadata>> parse_list_access_keys_response(std::string_view xml);
Result<NewAccessKey> parse_create_access_key_response(std::string_view xml);
// UpdateAccessKey, DeleteAccessKey, EnableMFADevice, ...: only the root element is checked.
Status parse_empty_response(std::string_view xml, std::string_view action);

}  // namespace mfaenv
