// A tiny program for the hot-path tests: reports whether libcurl is mapped into this process before
// and after one request to https://HOST/ (argument 1; a CA bundle may follow), reading
// /proc/self/maps, so that a test can see the lazy loading from the outside.
#include <cstdio>
#include <fstream>
#include <string>

#include "http/client.h"

namespace {

bool libcurl_mapped() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find("libcurl") != std::string::npos) return true;
  }
  return false;
}

void report(const char* when) {
  std::printf("%s loaded=%d mapped=%d\n", when, mfaenv::http_library_loaded() ? 1 : 0, libcurl_mapped() ? 1 : 0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: http_probe HOST[:PORT] [CA_BUNDLE]\n");
    return 2;
  }
  report("before");
  mfaenv::HttpRequest request;
  request.host = argv[1];
  mfaenv::HttpOptions options;
  if (argc > 2) options.ca_bundle = argv[2];
  options.connect_timeout = mfaenv::Seconds(2);
  options.total_timeout = mfaenv::Seconds(2);
  const auto response = mfaenv::send_request(request, options);
  if (response.ok()) {
    std::printf("result ok status=%ld\n", response->status);
  } else {
    std::printf("result error exit=%d message=%s\n", response.error().exit_code(), response.error().message.c_str());
  }
  report("after");
  return 0;
}
