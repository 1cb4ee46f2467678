// STS XML parsing. pugixml parses a private copy of the body in place, and the copy is wiped
// afterwards, because the document holds a secret access key and a session token.
#include "sts/response.h"

#include <array>
#include <cctype>
#include <initializer_list>

#include <pugixml.hpp>

#include "util/utf8.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

class XmlDocument {
 public:
  explicit XmlDocument(std::string_view xml) : buffer_(xml) {
    result_ = document_.load_buffer_inplace(buffer_.data(), buffer_.size(), pugi::parse_default,
                                            pugi::encoding_utf8);
  }
  ~XmlDocument() {
    document_.reset();
    wipe(buffer_);
  }
  XmlDocument(const XmlDocument&) = delete;
  XmlDocument& operator=(const XmlDocument&) = delete;

  bool ok() const { return static_cast<bool>(result_); }
  const pugi::xml_parse_result& result() const { return result_; }
  pugi::xml_node root() const { return document_.document_element(); }

 private:
  std::string buffer_;
  pugi::xml_document document_;
  pugi::xml_parse_result result_;
};

// Element names compared without any namespace prefix ("sts:Arn" is "Arn").
std::string_view local_name(pugi::xml_node node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  return {};
}

pugi::xml_node descend(pugi::xml_node node, std::initializer_list<std::string_view> path) {
  for (std::string_view name : path) {
    node = child(node, name);
    if (!node) break;
  }
  return node;
}

std::string join_path(std::string_view root, std::initializer_list<std::string_view> path) {
  std::string out(root);
  for (std::string_view p : path) out += fmt::format("/{}", p);
  return out;
}

// Checks the document and its root element; the Error names the operation, never a value.
Result<pugi::xml_node> open_response(const XmlDocument& doc, std::string_view action) {
  if (!doc.ok()) {
    return make_error(ErrorKind::kStsUnavailable,
                      "the {} response is not well-formed XML ({} at byte {})", action,
                      doc.result().description(), doc.result().offset);
  }
  std::string expected = fmt::format("{}Response", action);
  pugi::xml_node root = doc.root();
  if (local_name(root) != expected) {
    return make_error(ErrorKind::kStsUnavailable,
                      "the {} response has root element <{}>, expected <{}>", action,
                      std::string_view(root.name()), expected);
  }
  return root;
}

Result<std::string> required_text(pugi::xml_node root, std::string_view action,
                                  std::initializer_list<std::string_view> path) {
  pugi::xml_node node = descend(root, path);
  if (!node || std::string_view(node.text().get()).empty()) {
    return make_error(ErrorKind::kStsUnavailable, "the {} response has no {}", action,
                      join_path(local_name(root), path));
  }
  // pugixml passes any bytes through (and makes surrogates of "&#xD800;"); these values end up in
  // the cache's JSON, whose writer throws on text that is not UTF-8. STS itself sends ASCII.
  if (invalid_utf8_offset(node.text().get()) != std::string_view::npos) {
    return make_error(ErrorKind::kStsUnavailable, "the {} response has text that is not UTF-8 in {}", action,
                      join_path(local_name(root), path));
  }
  return std::string(node.text().get());
}

std::string optional_text(pugi::xml_node root, std::initializer_list<std::string_view> path) {
  pugi::xml_node node = descend(root, path);
  return node ? std::string(node.text().get()) : std::string();
}

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
