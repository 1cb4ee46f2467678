// Which hosts are this computer: literal IPv4 addresses in 127.0.0.0/8 (dotted, four parts), ::1,
// and the name localhost. A prefix test on "127." would let a name such as 127.0.0.1.example.net,
// which DNS may point anywhere, pass for loopback. Header-only: the credential server's module
// (mfaenv-httplib.so) links nothing of mfaenv. Knows nothing of AWS.
#pragma once

#include <string_view>

namespace mfaenv {

inline bool is_loopback_ipv4(std::string_view host) {
  int parts = 0, value = -1, digits = 0;
  for (size_t i = 0; i <= host.size(); ++i) {
    const char c = i < host.size() ? host[i] : '.';
    if (c == '.') {
      if (value < 0 || (parts == 0 && value != 127)) return false;
      ++parts;
      value = -1;
      digits = 0;
    } else if (c >= '0' && c <= '9') {
      if (++digits > 3) return false;
      value = (value < 0 ? 0 : value * 10) + (c - '0');
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  return parts == 4;
}

// `host` as it appears in a URL, without the port: "127.0.0.1", "localhost", "[::1]".
inline bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "[::1]" || host == "::1" || is_loopback_ipv4(host);
}

}  // namespace mfaenv
