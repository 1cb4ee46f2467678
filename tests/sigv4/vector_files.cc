// Parsing and discovery for the SigV4 vector runner.
#include "vector_files.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "util/strings.h"

namespace mfaenv {
namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

namespace {

bool is_botocore_case(const fs::path& dir) {
  return fs::exists(dir / (dir.filename().string() + ".req"));
}

bool is_aws_c_auth_case(const fs::path& dir) {
  return fs::exists(dir / "request.txt") && fs::exists(dir / "context.json");
}

void walk(const fs::path& root, const fs::path& dir, VectorDiscovery& out) {
  std::vector<fs::path> children;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory()) children.push_back(entry.path());
  }
  std::sort(children.begin(), children.end());
  bool has_case_child = false;
  std::vector<fs::path> plain_children;
  for (const auto& child : children) {
    const std::string name = fs::relative(child, root).generic_string();
    if (child.filename() == "v4a") {
      out.skipped.push_back(name + " (SigV4a, ECDSA: not implemented)");
    } else if (is_aws_c_auth_case(child)) {
      out.cases.push_back({VectorFormat::kAwsCAuth, child, name});
      has_case_child = true;
    } else if (is_botocore_case(child)) {
      out.cases.push_back({VectorFormat::kBotocore, child, name});
      has_case_child = true;
    } else {
      plain_children.push_back(child);
    }
  }
  for (const auto& child : plain_children) {
    // botocore nests cases one level down (normalize-path/get-slash/...), so a plain folder next
    // to cases is only a problem when it contains no case at all.
    const auto before = out.cases.size();
    walk(root, child, out);
    if (has_case_child && out.cases.size() == before)
      out.problems.push_back(fs::relative(child, root).generic_string() + " holds no test case");
  }
}

}  // namespace

VectorDiscovery find_vector_cases(const fs::path& root) {
  VectorDiscovery out;
  if (is_aws_c_auth_case(root)) {
    out.cases.push_back({VectorFormat::kAwsCAuth, root, root.filename().string()});
  } else if (is_botocore_case(root)) {
    out.cases.push_back({VectorFormat::kBotocore, root, root.filename().string()});
  } else {
    walk(root, root, out);
  }
  return out;
}

std::optional<HttpRequest> parse_raw_request(const std::string& text) {
  HttpRequest request;
  size_t pos = 0;
  auto next_line = [&]() -> std::optional<std::string> {
    if (pos >= text.size()) return std::nullopt;
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos = end + 1;
    return line;
  };

  const auto request_line = next_line();
  if (!request_line) return std::nullopt;
  // The target may contain spaces (get-space): the method ends at the first space, the version
  // starts at the last.
  const auto first_space = request_line->find(' ');
  const auto last_space = request_line->rfind(' ');
  if (first_space == std::string::npos || last_space <= first_space) return std::nullopt;
  request.method = request_line->substr(0, first_space);
  const std::string target = request_line->substr(first_space + 1, last_space - first_space - 1);
  const auto question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);

  while (auto line = next_line()) {
    if (line->empty()) break;
    if ((line->front() == ' ' || line->front() == '\t') && !request.headers.empty()) {
      request.headers.back().second += '\n' + *line;  // obsolete line folding, kept for the output
      continue;
    }
    const auto colon = line->find(':');
    if (colon == std::string::npos) return std::nullopt;
    request.headers.emplace_back(line->substr(0, colon), line->substr(colon + 1));
  }
  if (pos < text.size()) request.body = text.substr(pos);
  for (const auto& [name, value] : request.headers) {
    if (iequals(name, "host")) request.host = std::string(trim(value));
  }
  return request;
}

std::string format_signed_request(const HttpRequest& request) {
  std::string out = request.method + ' ' + request.path;
  if (!request.query.empty()) out += '?' + request.query;
  out += " HTTP/1.1\n";
  for (const auto& [name, value] : request.headers) out += name + ':' + value + '\n';
  out += '\n';
  out += request.body;
  return out;
}

}  // namespace mfaenv
