// The AWS shared config and credentials files, read exactly as botocore reads them (docs/design.md §3),
// and the profile a command acts on. One read of each file, checked whole; profiles are read from it
// on demand (docs/hardening.md: memory follows what a command uses).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace mfaenv {

struct ConfigPaths {
  std::string config;       // AWS_CONFIG_FILE, default ~/.aws/config (with ~ expanded)
  std::string credentials;  // AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials
};
ConfigPaths config_paths_from_env();

// A path as botocore expands it: os.path.expandvars ($VAR, ${VAR}; unknown ones kept), then
// os.path.expanduser (~, ~user).
std::string expand_config_path(std::string_view path);

enum class ConfigFileKind { kConfig, kCredentials };

// One profile after merging: values from the config file's [profile NAME] (or [default]) with the
// credentials file's [NAME] winning per key, as botocore's get_scoped_config() gives them.
struct Profile {
  std::string name;
  std::map<std::string, std::string> values;  // keys as botocore gives them; nested blocks are below
  std::map<std::string, std::map<std::string, std::string>> nested;  // "s3" -> {"addressing_style": "path"}
  std::vector<std::string> credentials_keys;  // keys whose value comes from the credentials file
  std::map<std::string, int> lines;           // the line of each key (values and nested blocks) in its file

  // nullopt when absent (or a nested block); an empty value is "" (botocore gives "").
  std::optional<std::string> get(std::string_view key) const;
};

// A section that is not a profile: [sso-session NAME], [services NAME].
struct Section {
  std::string name;
  std::map<std::string, std::string> values;
  std::map<std::string, std::map<std::string, std::string>> nested;
};

// The two files, checked whole when loaded (any error botocore would raise is raised here), but
// kept as their text and an index of section headers: a profile's values are read from its
// sections when asked for, so that a command holds what it uses, not every profile of a huge file.
class AwsConfig {
 public:
  // Errors are of kind kConfigInvalid and name file:line. A missing file, or a directory in its
  // place, is treated as empty (as botocore does), with a warning in `warnings()` for the latter.
  static Result<AwsConfig> load(const ConfigPaths& paths);
  // Parses given text (tests, fuzzing); `name` is used in messages.
  static Result<AwsConfig> parse(std::string_view config_text, std::string_view credentials_text,
                                 const ConfigPaths& names);

  AwsConfig();
  AwsConfig(AwsConfig&&) noexcept;
  AwsConfig& operator=(AwsConfig&&) noexcept;
  ~AwsConfig();

  // botocore's Session.available_profiles, in its order (views into this AwsConfig).
  const std::vector<std::string_view>& profile_names() const;
  bool has_profile(std::string_view name) const;
  // The profile read from its sections now (each call reads them again); nullopt when no such
  // profile exists in either file.
  std::optional<Profile> profile(std::string_view name) const;
  std::optional<Section> sso_session(std::string_view name) const;
  std::optional<Section> services(std::string_view name) const;
  // At most the first 20 warnings of each file, then one line saying how many more there were.
  const std::vector<std::string>& warnings() const { return warnings_; }
  const ConfigPaths& paths() const { return paths_; }
  // "FILE:LINE" of `key` in `profile` (the credentials file when its value comes from there); the
  // file alone when the line is not known.
  std::string where(const Profile& profile, std::string_view key) const;

 private:
  struct Files;  // the texts and their indexes (config.cc), in one heap block so views into it survive a move
  ConfigPaths paths_;
  std::unique_ptr<Files> files_;
  std::vector<std::string> warnings_;

  friend class AwsConfigBuilder;
};

// Sets `key` = `value` in profile `profile` of the config file at `path` (section [default] or
// [profile NAME]), creating the file or section if needed; every other byte, comment and the order
// of the file are kept; written atomically, the file's mode kept (new files 0600).
// With kCredentials the file is a credentials file and the section is [NAME].
// The section written is the one botocore reads for the profile (the last, when several map to it).
// A file that botocore cannot parse is left alone (kConfigInvalid, naming file:line); a key or value
// that would not read back as given is refused (kUsage). A symbolic link is written through.
Status set_config_value(const std::string& path, std::string_view profile, std::string_view key,
                        std::string_view value, ConfigFileKind kind = ConfigFileKind::kConfig);

// Removes `key` (and its continuation lines) from profile `profile`'s section, under the same rules
// as set_config_value; a key that is not there, or a missing file, is no change.
Status remove_config_value(const std::string& path, std::string_view profile, std::string_view key,
                           ConfigFileKind kind = ConfigFileKind::kConfig);

// Sets `sub_key` inside the nested block `key` (as `aws configure set s3.addressing_style path`):
//   key =
//       sub_key = value
// A plain value already under `key` is replaced by the block.
Status set_nested_config_value(const std::string& path, std::string_view profile, std::string_view key,
                               std::string_view sub_key, std::string_view value,
                               ConfigFileKind kind = ConfigFileKind::kConfig);

// Removes the lines of `keys` (with their continuation lines) from the section of `profile` and
// leaves every other byte as it was; returns how many lines went. The file's mode is kept. A
// symbolic link is written through (its target is replaced).
Result<int> remove_config_keys(const std::string& path, std::string_view profile, const std::vector<std::string>& keys,
                               ConfigFileKind kind = ConfigFileKind::kCredentials);

}  // namespace mfaenv
