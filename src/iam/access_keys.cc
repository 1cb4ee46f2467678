// Parsing IAM's user and access-key answers (IAM's Query XML, namespace
// https://iam.amazonaws.com/doc/2010-05-08/, lists as <member> elements).
#include "iam/access_keys.h"

#include "iam/iam_xml.h"
#include "sts/query_xml.h"

namespace mfaenv {
namespace {

using namespace query_xml;
using iam_xml::optional_time;

Result<AccessKeyMetadata> read_key(pugi::xml_node node, std::string_view action) {
  AccessKeyMetadata k;
  k.user_name = optional_text(node, {"UserName"});
  k.access_key_id = MFAENV_TRY(required_text(node, action, {"AccessKeyId"}));
  const std::string status = MFAENV_TRY(required_text(node, action, {"Status"}));
  if (status == "Active") {
    k.status = AccessKeyStatus::kActive;
  } else if (status == "Inactive") {
    k.status = AccessKeyStatus::kInactive;
  } else {
    return make_error(ErrorKind::kStsUnavailable, "the {} response has an unknown key Status '{}'", action, status);
  }
  k.create_date = MFAENV_TRY(optional_time(node, action, {"CreateDate"}));
  return k;
}

}  // namespace

std::string_view access_key_status_name(AccessKeyStatus status) {
  return status == AccessKeyStatus::kActive ? "Active" : "Inactive";
}

Result<IamUser> parse_get_user_response(std::string_view xml) {
  constexpr std::string_view kAction = "GetUser";
  XmlDocument doc(xml);
  pugi::xml_node root = MFAENV_TRY(open_response(doc, kAction));
  pugi::xml_node user = descend(root, {"GetUserResult", "User"});
  if (!user) return make_error(ErrorKind::kStsUnavailable, "the GetUser response has no GetUserResult/User");
  IamUser out;
  out.arn = MFAENV_TRY(required_text(user, kAction, {"Arn"}));
  out.user_id = MFAENV_TRY(required_text(user, kAction, {"UserId"}));
  // The root user has no UserName (GetUser answers with the account's ARN).
  out.user_name = optional_text(user, {"UserName"});
  out.path = optional_text(user, {"Path"});
  out.create_date = MFAENV_TRY(optional_time(user, kAction, {"CreateDate"}));
  return out;
}

Result<IamPage<AccessKeyMetadata>> parse_list_access_keys_response(std::string_view xml) {
  return iam_xml::parse_list_page<AccessKeyMetadata>(xml, "ListAccessKeys", "AccessKeyMetadata",
                                                     [](pugi::xml_node member) { return read_key(member, "ListAccessKeys"); });
}

Result<NewAccessKey> parse_create_access_key_response(std::string_view xml) {
  constexpr std::string_view kAction = "CreateAccessKey";
  XmlDocument doc(xml);
  pugi::xml_node root = MFAENV_TRY(open_response(doc, kAction));
  pugi::xml_node key = descend(root, {"CreateAccessKeyResult", "AccessKey"});
  if (!key) return make_error(ErrorKind::kStsUnavailable, "the CreateAccessKey response has no CreateAccessKeyResult/AccessKey");
  NewAccessKey out;
  out.metadata = MFAENV_TRY(read_key(key, kAction));
  out.credentials.access_key_id = out.metadata.access_key_id;
  out.credentials.secret_access_key = MFAENV_TRY(required_text(key, kAction, {"SecretAccessKey"}));
  return out;
}

Status parse_empty_response(std::string_view xml, std::string_view action) {
  XmlDocument doc(xml);
  MFAENV_TRY(open_response(doc, action));
  return {};
}

}  // namespace mfaenv
