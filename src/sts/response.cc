// STS XML parsing. pugixml parses a private copy of the body in place, and the copy is wiped
// afterwards, because the document holds a secret access key and a session token.
#include "sts/response.h"

#include <array>
#include <cctype>
#include <initializer_list>

#include <pugixml.hpp>

#include "sts/query_xml.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

using namespace query_xml;

Result<Credentials> read_credentials(pugi::xml_node root, std::string_view action,
                                     std::string_view result) {
  Credentials c;
  c.access_key_id = MFAENV_TRY(required_text(root, action, {result, "Credentials", "AccessKeyId"}));
  c.secret_access_key =
      MFAENV_TRY(required_text(root, action, {result, "Credentials", "SecretAccessKey"}));
  c.session_token = MFAENV_TRY(required_text(root, action, {result, "Credentials", "SessionToken"}));
  std::string expiration =
      MFAENV_TRY(required_text(root, action, {result, "Credentials", "Expiration"}));
  auto time = parse_rfc3339(expiration);
  if (!time) {
    return make_error(ErrorKind::kStsUnavailable,
                      "the {} response has an Expiration that is not a time: '{}'", action,
                      expiration);
  }
  c.expiration = *time;
  if (const std::string problem = credential_problem(c); !problem.empty())
    return make_error(ErrorKind::kStsUnavailable,
                      "the {} response has {}: a broken endpoint or something in the way; nothing was saved", action,
                      problem);
  return c;
}

}  // namespace

Result<GetSessionTokenOutput> parse_get_session_token_response(std::string_view xml) {
  constexpr std::string_view kAction = "GetSessionToken";
  XmlDocument doc(xml);
  pugi::xml_node root = MFAENV_TRY(open_response(doc, kAction));
  GetSessionTokenOutput out;
  out.credentials = MFAENV_TRY(read_credentials(root, kAction, "GetSessionTokenResult"));
  out.request_id = optional_text(root, {"ResponseMetadata", "RequestId"});
  return out;
}

Result<AssumeRoleOutput> parse_assume_role_response(std::string_view xml) {
  constexpr std::string_view kAction = "AssumeRole";
  XmlDocument doc(xml);
  pugi::xml_node root = MFAENV_TRY(open_response(doc, kAction));
  AssumeRoleOutput out;
  out.credentials = MFAENV_TRY(read_credentials(root, kAction, "AssumeRoleResult"));
  out.assumed_role_arn =
      MFAENV_TRY(required_text(root, kAction, {"AssumeRoleResult", "AssumedRoleUser", "Arn"}));
  out.assumed_role_id = MFAENV_TRY(
      required_text(root, kAction, {"AssumeRoleResult", "AssumedRoleUser", "AssumedRoleId"}));
  out.request_id = optional_text(root, {"ResponseMetadata", "RequestId"});
  return out;
}

Result<CallerIdentity> parse_get_caller_identity_response(std::string_view xml) {
  constexpr std::string_view kAction = "GetCallerIdentity";
  XmlDocument doc(xml);
  pugi::xml_node root = MFAENV_TRY(open_response(doc, kAction));
  CallerIdentity out;
  out.account = MFAENV_TRY(required_text(root, kAction, {"GetCallerIdentityResult", "Account"}));
  out.arn = MFAENV_TRY(required_text(root, kAction, {"GetCallerIdentityResult", "Arn"}));
  out.user_id = MFAENV_TRY(required_text(root, kAction, {"GetCallerIdentityResult", "UserId"}));
  out.request_id = optional_text(root, {"ResponseMetadata", "RequestId"});
  return out;
}

std::optional<StsErrorBody> parse_error_response(std::string_view xml) {
  XmlDocument doc(xml);
  if (!doc.ok()) return std::nullopt;
  pugi::xml_node root = doc.root();
  // <ErrorResponse><Error>, or the EC2-style <Response><Errors><Error> some endpoints send.
  pugi::xml_node error = root.find_node([](pugi::xml_node n) {
    return n.type() == pugi::node_element && local_name(n) == "Error" && child(n, "Code");
  });
  if (local_name(root) == "Error" && child(root, "Code")) error = root;
  if (!error) return std::nullopt;
  StsErrorBody body;
  body.type = optional_text(error, {"Type"});
  body.code = std::string(trim(optional_text(error, {"Code"})));
  body.message = std::string(trim(optional_text(error, {"Message"})));
  body.request_id = optional_text(root, {"RequestId"});
  if (body.request_id.empty()) body.request_id = optional_text(root, {"RequestID"});
  if (body.request_id.empty()) body.request_id = optional_text(root, {"ResponseMetadata", "RequestId"});
  if (body.code.empty()) return std::nullopt;
  return body;
}

std::optional<TimePoint> parse_http_date(std::string_view text) {
  // "Sun, 23 Nov 2026 17:43:42 GMT": the weekday is redundant and not checked.
  std::string_view s = trim(text);
  if (size_t comma = s.find(','); comma != std::string_view::npos) s.remove_prefix(comma + 1);
  std::vector<std::string> parts;
  for (const std::string& p : split(s, ' '))
    if (!p.empty()) parts.push_back(p);
  if (parts.size() != 5 || (parts[4] != "GMT" && parts[4] != "UTC")) return std::nullopt;
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i)
    if (iequals(parts[1], kMonths[i])) month = i + 1;
  auto day = parse_int(parts[0]);
  auto year = parse_int(parts[2]);
  std::vector<std::string> hms = split(parts[3], ':');
  if (!month || !day || !year || hms.size() != 3) return std::nullopt;
  auto h = parse_int(hms[0]), m = parse_int(hms[1]), sec = parse_int(hms[2]);
  if (!h || !m || !sec || *h < 0 || *h > 23 || *m < 0 || *m > 59 || *sec < 0 || *sec > 60)
    return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(*year)),
                                  std::chrono::month(month),
                                  std::chrono::day(static_cast<unsigned>(*day))};
  if (!ymd.ok() || *day < 1) return std::nullopt;
  return TimePoint(std::chrono::sys_days(ymd)) +
         Seconds(*h * 3600 + *m * 60 + std::min<long long>(*sec, 59));
}

}  // namespace mfaenv
