// STS Query API request building.
#include "sts/request.h"

namespace mfaenv {
namespace {

void append_encoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.' || c == '-' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0f];
    }
  }
}

}  // namespace

std::string form_encode(const FormParameters& parameters) {
  std::string out;
  for (const auto& [name, value] : parameters) {
    if (!out.empty()) out += '&';
    append_encoded(out, name);
    out += '=';
    append_encoded(out, value);
  }
  return out;
}

HttpRequest make_sts_request(const StsEndpoint& endpoint, std::string_view action,
                             const FormParameters& parameters) {
  return make_query_request(endpoint, action, "2011-06-15", parameters);
}

HttpRequest make_query_request(const StsEndpoint& endpoint, std::string_view action,
                               std::string_view version, const FormParameters& parameters) {
  FormParameters all;
  all.reserve(parameters.size() + 2);
  all.emplace_back("Action", std::string(action));
  all.emplace_back("Version", std::string(version));
  all.insert(all.end(), parameters.begin(), parameters.end());

  HttpRequest request;
  request.method = "POST";
  request.host = endpoint.host;
  request.path = endpoint.path.empty() ? "/" : endpoint.path;
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  request.body = form_encode(all);
  return request;
}

}  // namespace mfaenv
