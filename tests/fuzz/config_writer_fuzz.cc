// Fuzz target: the config writer (set_config_value, set_nested_config_value of src/aws/config.h),
// checked by reading the file back with the reader. Input, NUL-separated:
//   MODE \0 PROFILE \0 KEY \0 SUB_KEY \0 VALUE \0 FILE TEXT
// MODE starting with "cred" edits a credentials file, else a config file; an empty SUB_KEY sets a
// plain value; without the last field the file does not exist yet. Checks: after a successful set
// the file parses, the profile's key reads back as VALUE, every other key of that profile and every
// other profile is unchanged; after a refusal the file is byte for byte what it was, a file the
// reader rejects is never rewritten, and the writer never fails its own read-back check.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "aws/config.h"
#include "aws/python_text.h"
#include "fuzz_check.h"

namespace {

using namespace mfaenv;

// One private folder per process, removed at exit; in memory when possible, because the writer
// fsyncs every file it writes.
struct ScratchDir {
  std::string path;
  ScratchDir() {
    const char* tmp = std::getenv("TMPDIR");
    const std::string parent = tmp != nullptr && *tmp != '\0' ? tmp
                               : std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    path = parent + "/mfaenv-fuzz-writer-XXXXXX";
    FUZZ_CHECK(::mkdtemp(path.data()) != nullptr, "cannot create a scratch folder");
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

std::optional<std::string> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Result<AwsConfig> parse_as(ConfigFileKind kind, std::string_view text) {
  const ConfigPaths names{"config", "credentials"};
  return kind == ConfigFileKind::kCredentials ? AwsConfig::parse("", text, names) : AwsConfig::parse(text, "", names);
}

std::string lowered(std::string_view key) {
  std::string out;
  return python::lower(key, out) ? out : std::string(key);
}

// `after` equals `before` except for `key` (lower-cased) of profile `target`.
void check_others_unchanged(const AwsConfig& before, const AwsConfig& after, std::string_view target,
                            const std::string& key, bool nested, std::string_view sub_key) {
  for (const std::string_view name : before.profile_names()) {
    const std::optional<Profile> b = before.profile(name);
    const std::optional<Profile> a = after.profile(name);
    FUZZ_CHECK(a.has_value(), "a profile disappeared");
    if (name != target) {
      FUZZ_CHECK(a->values == b->values && a->nested == b->nested, "another profile changed");
      continue;
    }
    auto b_values = b->values, a_values = a->values;
    auto b_nested = b->nested, a_nested = a->nested;
    b_values.erase(key), a_values.erase(key);
    if (nested && b_nested.count(key) != 0 && a_nested.count(key) != 0) {
      b_nested[key].erase(std::string(sub_key)), a_nested[key].erase(std::string(sub_key));
    } else {
      b_nested.erase(key), a_nested.erase(key);
    }
    FUZZ_CHECK(a_values == b_values && a_nested == b_nested, "another key of the profile changed");
  }
  for (const std::string_view name : after.profile_names()) {
    FUZZ_CHECK(name == target || before.has_profile(name), "a profile appeared");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto fields = fuzz::split_fields(fuzz::as_text(data, size), 6);
  if (fields.size() < 5) return 0;
  const ConfigFileKind kind = fields[0].starts_with("cred") ? ConfigFileKind::kCredentials : ConfigFileKind::kConfig;
  const std::string_view profile = fields[1], key = fields[2], sub_key = fields[3], value = fields[4];
  const bool nested = !sub_key.empty();
  const bool existed = fields.size() == 6;
  const std::string_view text = existed ? fields[5] : std::string_view();

  static const ScratchDir scratch;
  const std::string path = scratch.path + "/config";
  std::filesystem::remove(path);
  if (existed) {
    std::ofstream(path, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
    ::chmod(path.c_str(), 0600);
  }
  const auto before = parse_as(kind, text);

  const Status status = nested ? set_nested_config_value(path, profile, key, sub_key, value, kind)
                               : set_config_value(path, profile, key, value, kind);
  const std::optional<std::string> written = read_all(path);

  if (!status.ok()) {
    FUZZ_CHECK(written.has_value() == existed, "a refused change created or removed the file");
    FUZZ_CHECK(!existed || *written == text, "a refused change modified the file");
    FUZZ_CHECK(status.error().kind != ErrorKind::kGeneric ||
                   status.error().message.find("would not read back as written") == std::string::npos,
               "the writer produced a file that does not read back as written");
    return 0;
  }
  FUZZ_CHECK(before.ok(), "the writer rewrote a file that the reader rejects");
  FUZZ_CHECK(written.has_value(), "a successful change left no file");
  const auto after = parse_as(kind, *written);
  FUZZ_CHECK(after.ok(), "the written file does not parse");
  const std::optional<Profile> p = after->profile(profile);
  FUZZ_CHECK(p.has_value(), "the profile is missing after the change");
  const std::string k = lowered(key);
  if (!nested) {
    FUZZ_CHECK(p->get(k) == value, "the value does not read back");
  } else {
    const auto block = p->nested.find(k);
    FUZZ_CHECK(block != p->nested.end(), "the nested block does not read back");
    const auto entry = block->second.find(std::string(sub_key));
    FUZZ_CHECK(entry != block->second.end() && entry->second == value, "the nested value does not read back");
  }
  check_others_unchanged(*before, *after, profile, k, nested, sub_key);
  return 0;
}
