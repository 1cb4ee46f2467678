// Fuzz target: STS response parsing (src/sts/response.h: the three success shapes, ErrorResponse,
// the HTTP Date header) and the messages made from it (src/sts/error.h). Checks: no crash; a
// refused document is kStsUnavailable and its message never holds the text of a SecretAccessKey or
// SessionToken element; accepted credentials are complete and survive the session cache's JSON
// (what mfaenv does next with them); an error message for people is one line and holds none of the
// call's secrets.
#include <pugixml.hpp>

#include <string>
#include <vector>

#include "cache/session.h"
#include "fuzz_check.h"
#include "session_equal.h"
#include "sts/error.h"
#include "sts/response.h"

namespace {

using namespace mfaenv;

std::string_view local(const char* name) {
  std::string_view n = name;
  const size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

void collect_secrets(pugi::xml_node node, std::vector<std::string>& out) {
  for (pugi::xml_node c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view name = local(c.name());
    if (name == "SecretAccessKey" || name == "SessionToken") {
      if (std::string text = c.text().get(); text.size() >= 8) out.push_back(std::move(text));
    }
    collect_secrets(c, out);
  }
}

// The texts of the document's secret elements (wherever they are), as pugixml reads them.
std::vector<std::string> secret_texts(std::string_view xml) {
  std::vector<std::string> out;
  pugi::xml_document doc;
  if (doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8)) collect_secrets(doc, out);
  return out;
}

void check_refusal(const Error& error, const std::vector<std::string>& secrets) {
  FUZZ_CHECK(error.kind == ErrorKind::kStsUnavailable, "a refused STS document is not kStsUnavailable");
  for (const std::string& secret : secrets) {
    // The Expiration text is quoted on purpose; a secret equal to part of it is not a leak.
    if (error.message.find("Expiration") != std::string::npos) continue;
    FUZZ_CHECK(error.message.find(secret) == std::string::npos, "a parse error quotes a secret element");
  }
}

void check_credentials(const Credentials& c) {
  FUZZ_CHECK(!c.access_key_id.empty() && !c.secret_access_key.empty() && !c.session_token.empty(),
             "accepted credentials are incomplete");
  FUZZ_CHECK(c.expiration.has_value(), "accepted credentials have no expiration");
}

// resolver.cc caches every new session: it must serialise (nlohmann-json throws on bytes that are
// not UTF-8) and read back the same.
void check_caches(const Credentials& c, SessionKind kind, const std::string& arn) {
  CachedSession s;
  s.kind = kind;
  s.credentials = c;
  s.issued = *c.expiration - Seconds(3600);
  s.mfa_time = s.issued;
  s.arn = arn;
  s.account = "123456789012";
  s.profile = "fuzz";
  s.source = "access key AKIAIOSFODNN7EXAMPLE";
  const std::string json = session_to_json(s);
  auto back = session_from_json(json);
  FUZZ_CHECK(back.ok(), "a session made from an STS answer does not read back from the cache");
  FUZZ_CHECK(fuzz::same_session(s, *back), "a session made from an STS answer changes in the cache");
}

StsCallContext context(StsOperation operation) {
  StsCallContext c;
  c.operation = operation;
  c.endpoint_url = "https://sts.amazonaws.com";
  c.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  c.serial_number = "arn:aws:iam::123456789012:mfa/alice";
  c.role_arn = "arn:aws:iam::123456789012:role/Admin";
  c.duration = Seconds(3600);
  c.local_time = TimePoint(Seconds(1795000000));
  c.secrets = {"481516", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};
  return c;
}

void check_message(const std::string& message, const StsCallContext& c) {
  FUZZ_CHECK(message.find_first_of("\r\n") == std::string::npos, "an STS error message is not one line");
  for (const std::string& secret : c.secrets) {
    FUZZ_CHECK(message.find(secret) == std::string::npos, "an STS error message holds a secret of the call");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml = fuzz::as_text(data, size);
  const std::vector<std::string> secrets = secret_texts(xml);

  if (auto out = parse_get_session_token_response(xml); out.ok()) {
    check_credentials(out->credentials);
    check_caches(out->credentials, SessionKind::kMfaSession, "arn:aws:iam::123456789012:user/alice");
  } else {
    check_refusal(out.error(), secrets);
    const StsCallContext c = context(StsOperation::kGetSessionToken);
    check_message(describe_malformed_response(out.error(), 200, c).error.message, c);
  }
  if (auto out = parse_assume_role_response(xml); out.ok()) {
    check_credentials(out->credentials);
    FUZZ_CHECK(!out->assumed_role_arn.empty() && !out->assumed_role_id.empty(), "accepted role output is incomplete");
    check_caches(out->credentials, SessionKind::kRole, out->assumed_role_arn);
  } else {
    check_refusal(out.error(), secrets);
  }
  if (auto out = parse_get_caller_identity_response(xml); out.ok()) {
    FUZZ_CHECK(!out->account.empty() && !out->arn.empty() && !out->user_id.empty(), "accepted identity is incomplete");
  } else {
    check_refusal(out.error(), secrets);
  }

  const std::optional<StsErrorBody> body = parse_error_response(xml);
  FUZZ_CHECK(!body || !body->code.empty(), "an error body without a code");
  const std::optional<TimePoint> date = parse_http_date(xml);
  for (long status : {400L, 403L, 429L, 500L}) {
    for (StsOperation op : {StsOperation::kGetSessionToken, StsOperation::kAssumeRole}) {
      const StsCallContext c = context(op);
      const StsFailure failure = describe_error_response(StsFailedResponse{status, body, date}, c);
      check_message(failure.error.message, c);
    }
  }
  return 0;
}
