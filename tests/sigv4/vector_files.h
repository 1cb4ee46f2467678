// Reading the SigV4 test-suite files: raw HTTP requests (.req, request.txt) into HttpRequest, a
// signed request back into the suite's text form, and finding the cases under a folder.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "http/request.h"

namespace mfaenv {

enum class VectorFormat { kAwsCAuth, kBotocore };

struct VectorCase {
  VectorFormat format;
  std::filesystem::path dir;
  std::string name;  // path relative to the folder given to the runner, '/'-separated
};

// The cases under `root`, sorted by name. Folders named v4a (ECDSA signing, not implemented) are
// left out and listed in `skipped`. A folder that holds neither kind of case but has a sibling
// case is an error (a broken copy), reported in `problems`.
struct VectorDiscovery {
  std::vector<VectorCase> cases;
  std::vector<std::string> skipped;
  std::vector<std::string> problems;
};
VectorDiscovery find_vector_cases(const std::filesystem::path& root);

// "GET /path?query HTTP/1.1", headers (continuation lines kept, joined with '\n'), blank line, body.
// The Host header also becomes request.host. nullopt when the request line is malformed.
std::optional<HttpRequest> parse_raw_request(const std::string& text);
// The inverse, in aws-c-auth's *-signed-request.txt form: "Name:value" lines, blank line, body.
std::string format_signed_request(const HttpRequest& request);

std::string read_text(const std::filesystem::path& path);

}  // namespace mfaenv
