// Reading the AWS config and credentials files as botocore's Session does: configloader.load_config
// for the config file, raw_config_parse for the credentials file, merged per key as in
// Session.full_config. Runs on every `mfaenv env`, so it is one pass over each file and no regex.
#include "aws/config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <forward_list>
#include <unordered_map>

#include "aws/ini_file.h"
#include "aws/python_text.h"
#include "aws/section_names.h"
#include "util/file.h"
#include "util/strings.h"

namespace mfaenv {

namespace {

constexpr size_t kMaxConfigBytes = 16 << 20;

// The text of a config file. Like botocore, a path that is missing or is not a regular file (a
// directory, a FIFO) counts as an empty file, and so does one it cannot open; people get a warning.
// The file is the user's own: a symbolic link (dotfile managers) is followed. What it is comes from
// fstat on the descriptor read, not from a second look at the path.
Result<std::string> read_config_text(const std::string& path, std::string_view variable,
                                     std::vector<std::string>& warnings) {
  struct stat st {};
  auto text = read_file(path, Symlinks::kFollow, kMaxConfigBytes, &st);
  if (text.ok()) return std::move(*text).value_or(std::string());  // moved: a 16 MiB file is not copied
  if (S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) > kMaxConfigBytes) {
    return make_error(ErrorKind::kConfigInvalid, "{}:1: the file is {} MiB, larger than any AWS config file "
                      "(mfaenv reads at most {} MiB); check {} or the file", path, st.st_size >> 20,
                      kMaxConfigBytes >> 20, variable);
  }
  if (S_ISREG(st.st_mode)) return std::move(text).error();  // it grew past the limit, or a read error
  if (S_ISDIR(st.st_mode)) {
    warnings.push_back(fmt::format("{} is a directory, not a file; it is ignored (as the AWS CLI does)", path));
  } else if (st.st_mode != 0) {
    warnings.push_back(fmt::format("{} is {}, not a file; it is ignored (as the AWS CLI does)", path,
                                   file_kind(st.st_mode)));
  } else {
    warnings.push_back(fmt::format("{}; it is ignored (as the AWS CLI does)", text.error().message));
  }
  return std::string();
}

struct SectionValues {
  std::map<std::string, std::string> values;
  std::map<std::string, std::map<std::string, std::string>> nested;
  std::map<std::string, int> lines;

  bool has(const std::string& key) const { return values.count(key) != 0 || nested.count(key) != 0; }
};

void add_option(const IniOption& option, std::string_view file, SectionValues& out) {
  std::string key(option.key);
  out.lines.emplace(key, option.line);
  if (!option.is_nested()) {
    out.values.emplace(std::move(key), option.value());
    return;
  }
  // A bad block never gets here: check_nested_blocks refused the file when it was loaded.
  if (auto block = parse_nested_block(option, file); block.ok()) out.nested.emplace(std::move(key), std::move(*block));
}

// raw_config_parse for one section: its own options, then the [DEFAULT] ones it does not override.
SectionValues section_values(std::string_view text, const IniIndex& ini, uint32_t section, std::string_view file) {
  IniKeyStorage lowered_keys;
  const IniSection own = read_ini_section(text, ini.sections[section], lowered_keys);
  SectionValues values;
  for (const IniOption& option : own.options) add_option(option, file, values);
  for (const IniOption& option : ini.defaults.options) {
    if (!values.has(std::string(option.key))) add_option(option, file, values);
  }
  return values;
}

// raw_config_parse reads each section's own options and then the [DEFAULT] ones it does not set,
// parsing nested blocks as it goes: the first bad block in that order is botocore's error. index_ini
// found the first bad block among the sections' own options; a bad one in [DEFAULT] counts from the
// first section that inherits it.
Status check_nested_blocks(std::string_view text, const IniIndex& ini, std::string_view file) {
  std::vector<std::pair<std::string_view, Error>> bad_defaults;
  for (const IniOption& option : ini.defaults.options) {
    if (!option.is_nested()) continue;
    if (auto block = parse_nested_block(option, file); !block.ok()) bad_defaults.emplace_back(option.key, block.error());
  }
  if (bad_defaults.empty()) return ini.nested_error ? Status(*ini.nested_error) : Status();
  for (size_t i = 0; i < ini.sections.size(); ++i) {
    if (ini.nested_error && i == ini.nested_error_section) return *ini.nested_error;
    IniKeyStorage lowered_keys;
    const IniSection own = read_ini_section(text, ini.sections[i], lowered_keys);
    for (const auto& bad : bad_defaults) {
      // Not a structured binding: clang 14 (Debian 12) cannot capture one in a lambda.
      const bool overridden =
          std::any_of(own.options.begin(), own.options.end(), [&](const IniOption& o) { return o.key == bad.first; });
      if (!overridden) return bad.second;
    }
  }
  return {};
}

// Sections of the config file that are not profiles but are the AWS CLI's own.
bool is_cli_section(std::string_view name) { return name == "plugins" || name == "preview" || name == "toplevel"; }

std::string where(std::string_view file, int line) { return fmt::format("{}:{}", file, line); }

constexpr uint32_t kNoSection = UINT32_MAX;
constexpr size_t kMaxWarningsPerFile = 20;  // a generated file with 800k odd sections must not print 800k lines

}  // namespace

struct AwsConfig::Files {
  struct ProfileSections {
    uint32_t config = kNoSection;       // the last config-file section that names the profile
    uint32_t credentials = kNoSection;  // its credentials-file section
  };

  std::string config_text;
  std::string credentials_text;
  IniIndex config;
  IniIndex credentials;
  std::unordered_map<std::string_view, ProfileSections> profiles;
  std::vector<std::string_view> profile_order;
  std::unordered_map<std::string_view, uint32_t> sso_sessions;  // name -> last config-file section
  std::unordered_map<std::string_view, uint32_t> services;
  std::forward_list<std::string> names;  // names that are not spelt as they are inside their header ([profile "a\"b"])

  // A view of `name` that lives as long as the files: inside the header when it is spelt there.
  std::string_view keep(std::string_view header, std::string&& name) {
    if (const size_t at = header.find(name); at != std::string_view::npos) return header.substr(at, name.size());
    return names.emplace_front(std::move(name));
  }

  std::optional<Section> section(const std::unordered_map<std::string_view, uint32_t>& sections,
                                 std::string_view name, const std::string& file) const {
    const auto it = sections.find(name);
    if (it == sections.end()) return std::nullopt;
    SectionValues values = section_values(config_text, config, it->second, file);
    return Section{std::string(name), std::move(values.values), std::move(values.nested)};
  }
};

// Indexes the checked files; a friend so that AwsConfig's data stays private.
class AwsConfigBuilder {
 public:
  explicit AwsConfigBuilder(AwsConfig& config) : config_(config), files_(*config.files_) {}

  Status add_config_file(const std::string& file) {
    MFAENV_CHECK(index_checked(files_.config_text, files_.config, file));
    const std::vector<IniHeader>& sections = files_.config.sections;
    for (uint32_t i = 0; i < sections.size(); ++i) {
      const IniHeader& section = sections[i];
      SectionMeaning meaning = classify_config_section(section.name);
      switch (meaning.kind) {
        case SectionKind::kProfile: {
          if (section.name.size() > 7 && starts_with(section.name, "profile") &&
              std::string_view(" \t\r\n").find(section.name[7]) == std::string_view::npos) {
            warn(file, section.line,
                 fmt::format("section [{}] is read as profile '{}' (botocore only looks at the second word); "
                             "write [profile {}]",
                             section.name, meaning.name, meaning.name));
          }
          const std::string_view name = files_.keep(section.name, std::move(meaning.name));
          auto [it, added] = files_.profiles.try_emplace(name);
          if (added) {
            files_.profile_order.push_back(name);
          } else {
            warn(file, section.line,
                 fmt::format("section [{}] replaces profile '{}' of line {} entirely (botocore keeps only the "
                             "last section of a profile); merge them into one",
                             section.name, name, sections[it->second.config].line));
          }
          it->second.config = i;
          break;
        }
        case SectionKind::kSsoSession:
          files_.sso_sessions[files_.keep(section.name, std::move(meaning.name))] = i;
          break;
        case SectionKind::kServices:
          files_.services[files_.keep(section.name, std::move(meaning.name))] = i;
          break;
        case SectionKind::kIgnored:
          warn(file, section.line,
               fmt::format("section [{}] is ignored by the AWS CLI and SDKs: write [profile NAME] (or "
                           "[sso-session NAME]), with quotes around a name that has spaces",
                           section.name));
          break;
        case SectionKind::kOther: {
          const std::string_view trimmed = python::strip(section.name);
          const SectionKind meant = classify_config_section(trimmed).kind;
          if (trimmed.size() != section.name.size() && (meant == SectionKind::kProfile || meant == SectionKind::kSsoSession)) {
            warn(file, section.line,
                 fmt::format("section [{}] is not a profile for the AWS CLI and SDKs because of the spaces inside "
                             "the brackets; write [{}]",
                             section.name, trimmed));
          } else if (!is_cli_section(section.name) && !section.name.empty()) {
            // [alice] in the config file: the credentials file's spelling, which botocore ignores here.
            const std::optional<std::string> header = config_section_header(section.name);
            warn(file, section.line,
                 fmt::format("section [{}] is not a profile: the AWS CLI and SDKs ignore it in the config file; write [{}]",
                             section.name, header.value_or("profile NAME")));
          }
          break;
        }
      }
    }
    end_of_file(file);
    return {};
  }

  Status add_credentials_file(const std::string& file) {
    MFAENV_CHECK(index_checked(files_.credentials_text, files_.credentials, file));
    const std::vector<IniHeader>& sections = files_.credentials.sections;
    for (uint32_t i = 0; i < sections.size(); ++i) {
      const IniHeader& section = sections[i];
      if (starts_with(section.name, "profile ")) {
        warn(file, section.line,
             fmt::format("the credentials file names profiles without the word 'profile': this section is "
                         "profile '{}'; write [{}]",
                         section.name, python::strip(section.name.substr(8))));
      }
      auto [it, added] = files_.profiles.try_emplace(section.name);
      if (added) files_.profile_order.push_back(section.name);
      it->second.credentials = i;  // index_ini refused a repeated section
    }
    end_of_file(file);
    return {};
  }

 private:
  // Every error botocore would raise for the file, raised now: configparser's, then the nested blocks.
  static Status index_checked(const std::string& text, IniIndex& index, const std::string& file) {
    index = MFAENV_TRY(index_ini(text, file));
    return check_nested_blocks(text, index, file);
  }

  void warn(std::string_view file, int line, std::string message) {
    if (++file_warnings_ <= kMaxWarningsPerFile) config_.warnings_.push_back(fmt::format("{}: {}", where(file, line), message));
  }

  void end_of_file(std::string_view file) {
    if (file_warnings_ > kMaxWarningsPerFile) {
      config_.warnings_.push_back(fmt::format("{}: {} more warnings like the ones above are not shown; fix those first",
                                              file, file_warnings_ - kMaxWarningsPerFile));
    }
    file_warnings_ = 0;
  }

  AwsConfig& config_;
  AwsConfig::Files& files_;
  size_t file_warnings_ = 0;
};

std::optional<std::string> Profile::get(std::string_view key) const {
  const auto it = values.find(std::string(key));
  if (it == values.end()) return std::nullopt;
  return it->second;
}

AwsConfig::AwsConfig() : files_(std::make_unique<Files>()) {}
AwsConfig::AwsConfig(AwsConfig&&) noexcept = default;
AwsConfig& AwsConfig::operator=(AwsConfig&&) noexcept = default;
AwsConfig::~AwsConfig() = default;

Result<AwsConfig> AwsConfig::load(const ConfigPaths& paths) {
  std::vector<std::string> warnings;
  AwsConfig config;
  config.paths_ = paths;
  config.files_->config_text = MFAENV_TRY(read_config_text(paths.config, "AWS_CONFIG_FILE", warnings));
  config.files_->credentials_text =
      MFAENV_TRY(read_config_text(paths.credentials, "AWS_SHARED_CREDENTIALS_FILE", warnings));
  config.warnings_ = std::move(warnings);
  AwsConfigBuilder builder(config);
  MFAENV_CHECK(builder.add_config_file(paths.config));
  MFAENV_CHECK(builder.add_credentials_file(paths.credentials));
  return config;
}

Result<AwsConfig> AwsConfig::parse(std::string_view config_text, std::string_view credentials_text,
                                   const ConfigPaths& names) {
  AwsConfig config;
  config.paths_ = names;
  config.files_->config_text = std::string(config_text);
  config.files_->credentials_text = std::string(credentials_text);
  AwsConfigBuilder builder(config);
  MFAENV_CHECK(builder.add_config_file(names.config));
  MFAENV_CHECK(builder.add_credentials_file(names.credentials));
  return config;
}

std::string AwsConfig::where(const Profile& profile, std::string_view key) const {
  const std::string k(key);
  const bool from_credentials =
      std::find(profile.credentials_keys.begin(), profile.credentials_keys.end(), k) != profile.credentials_keys.end();
  const std::string& file = from_credentials ? paths_.credentials : paths_.config;
  const auto line = profile.lines.find(k);
  return line == profile.lines.end() ? file : fmt::format("{}:{}", file, line->second);
}

const std::vector<std::string_view>& AwsConfig::profile_names() const { return files_->profile_order; }

bool AwsConfig::has_profile(std::string_view name) const { return files_->profiles.count(name) != 0; }

std::optional<Profile> AwsConfig::profile(std::string_view name) const {
  const auto it = files_->profiles.find(name);
  if (it == files_->profiles.end()) return std::nullopt;
  Profile profile{std::string(name), {}, {}, {}, {}};
  if (it->second.config != kNoSection) {
    SectionValues values = section_values(files_->config_text, files_->config, it->second.config, paths_.config);
    profile.values = std::move(values.values);
    profile.nested = std::move(values.nested);
    profile.lines = std::move(values.lines);
  }
  if (it->second.credentials != kNoSection) {
    // Session.full_config: the credentials file's values win per key.
    SectionValues values =
        section_values(files_->credentials_text, files_->credentials, it->second.credentials, paths_.credentials);
    for (auto& [key, line] : values.lines) profile.lines[key] = line;
    for (auto& [key, value] : values.values) {
      profile.nested.erase(key);
      profile.credentials_keys.push_back(key);
      profile.values[key] = std::move(value);
    }
    for (auto& [key, block] : values.nested) {
      profile.values.erase(key);
      profile.credentials_keys.push_back(key);
      profile.nested[key] = std::move(block);
    }
  }
  return profile;
}

std::optional<Section> AwsConfig::sso_session(std::string_view name) const {
  return files_->section(files_->sso_sessions, name, paths_.config);
}

std::optional<Section> AwsConfig::services(std::string_view name) const {
  return files_->section(files_->services, name, paths_.config);
}

}  // namespace mfaenv
