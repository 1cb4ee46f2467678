// Reading the AWS config and credentials files as botocore's Session does: configloader.load_config
// for the config file, raw_config_parse for the credentials file, merged per key as in
// Session.full_config. Runs on every `mfaenv env`, so it is one pass over each file and no regex.
#include "aws/config.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <unordered_map>

#include "aws/ini_file.h"
#include "aws/python_text.h"
#include "aws/section_names.h"
#include "util/file.h"
#include "util/strings.h"

namespace mfaenv {

namespace {

constexpr size_t kMaxConfigBytes = 16 << 20;

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// os.path.expandvars: $NAME and ${NAME} are replaced when NAME is set; anything else stays.
std::string expand_vars(std::string_view path) {
  if (path.find('$') == std::string_view::npos) return std::string(path);
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] != '$') {
      out += path[i++];
      continue;
    }
    size_t j = i + 1;
    std::string_view name;
    if (j < path.size() && path[j] == '{') {
      const size_t close = path.find('}', j);
      if (close != std::string_view::npos) {
        name = path.substr(j + 1, close - j - 1);
        j = close + 1;
      }
    } else {
      while (j < path.size() && is_word_char(path[j])) ++j;
      name = path.substr(i + 1, j - i - 1);
    }
    if (j == i + 1) {  // no variable here
      out += path[i++];
      continue;
    }
    std::optional<std::string> value;
    if (!name.empty() && name.find('=') == std::string_view::npos) value = env(std::string(name).c_str());
    out += value ? std::string_view(*value) : path.substr(i, j - i);
    i = j;
  }
  return out;
}

// os.path.expanduser, including ~user and the removal of the home folder's trailing slashes.
std::string expand_user_like_python(std::string path) {
  if (path.empty() || path[0] != '~') return path;
  size_t slash = path.find('/', 1);
  if (slash == std::string::npos) slash = path.size();
  std::string home;
  if (slash == 1) {
    if (auto h = env("HOME")) {
      home = *h;
    } else if (const passwd* pw = getpwuid(getuid())) {
      home = pw->pw_dir;
    } else {
      return path;
    }
  } else {
    const passwd* pw = getpwnam(path.substr(1, slash - 1).c_str());
    if (pw == nullptr) return path;
    home = pw->pw_dir;
  }
  while (!home.empty() && home.back() == '/') home.pop_back();
  std::string result = home + path.substr(slash);
  return result.empty() ? "/" : result;
}

// The text of a config file. Like botocore, a path that is missing or is not a regular file (a
// directory, a FIFO) counts as an empty file, and so does one it cannot open; people get a warning.
// The file is the user's own: a symbolic link (dotfile managers) is followed. What it is comes from
// fstat on the descriptor read, not from a second look at the path.
Result<std::string> read_config_text(const std::string& path, std::string_view variable,
                                     std::vector<std::string>& warnings) {
  struct stat st {};
  auto text = read_file(path, Symlinks::kFollow, kMaxConfigBytes, &st);
  if (text.ok()) return text->value_or("");
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

// configloader._parse_nested: every non-blank line of the block must be "name = value".
Status add_option(const IniOption& option, std::string_view file, SectionValues& out) {
  std::string key(option.key);
  out.lines.emplace(key, option.line);
  if (!option.is_nested()) {
    out.values.emplace(std::move(key), option.value());
    return {};
  }
  std::map<std::string, std::string> block;
  for (const IniPiece& piece : option.pieces) {
    const std::string_view text = piece.text;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = start;
      while (end < text.size() && python::line_break_at(text, end) == 0) ++end;
      const std::string_view line = python::strip(text.substr(start, end - start));
      start = end + python::line_break_at(text, end);
      if (line.empty()) continue;
      const size_t equals = line.find('=');
      if (equals == std::string_view::npos) {
        return config_error(file, piece.line,
                            fmt::format("the indented line under '{}' is not 'name = value'; nested settings "
                                        "need '=' (or un-indent the line if it is a setting of its own)",
                                        key));
      }
      block[std::string(python::strip(line.substr(0, equals)))] = std::string(python::strip(line.substr(equals + 1)));
    }
  }
  out.nested.emplace(std::move(key), std::move(block));
  return {};
}

// raw_config_parse: each section's own options, then the [DEFAULT] ones it does not override.
Result<std::vector<SectionValues>> section_values(const IniFile& ini, std::string_view file) {
  std::vector<SectionValues> all;
  all.reserve(ini.sections.size());
  for (const IniSection& section : ini.sections) {
    SectionValues values;
    for (const IniOption& option : section.options) MFAENV_CHECK(add_option(option, file, values));
    for (const IniOption& option : ini.defaults.options) {
      if (!values.has(std::string(option.key))) MFAENV_CHECK(add_option(option, file, values));
    }
    all.push_back(std::move(values));
  }
  return all;
}

// Sections of the config file that are not profiles but are the AWS CLI's own.
bool is_cli_section(std::string_view name) { return name == "plugins" || name == "preview" || name == "toplevel"; }

std::string where(std::string_view file, int line) { return fmt::format("{}:{}", file, line); }

}  // namespace

// Fills an AwsConfig from parsed sections; a friend so that AwsConfig's data stays private.
class AwsConfigBuilder {
 public:
  explicit AwsConfigBuilder(AwsConfig& config) : config_(config) {}

  Status add_config_file(std::string_view text, const std::string& file) {
    const IniFile ini = MFAENV_TRY(parse_ini(text, file));
    std::vector<SectionValues> values = MFAENV_TRY(section_values(ini, file));
    std::unordered_map<std::string, int> profile_lines;
    for (size_t i = 0; i < ini.sections.size(); ++i) {
      const IniSection& section = ini.sections[i];
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
          auto [seen, first] = profile_lines.emplace(meaning.name, section.line);
          if (!first) {
            warn(file, section.line,
                 fmt::format("section [{}] replaces profile '{}' of line {} entirely (botocore keeps only the "
                             "last section of a profile); merge them into one",
                             section.name, meaning.name, seen->second));
            seen->second = section.line;
          }
          put_profile(std::move(meaning.name), std::move(values[i]));
          break;
        }
        case SectionKind::kSsoSession:
          put_section(config_.sso_sessions_, std::move(meaning.name), std::move(values[i]));
          break;
        case SectionKind::kServices:
          put_section(config_.services_, std::move(meaning.name), std::move(values[i]));
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
    return {};
  }

  Status add_credentials_file(std::string_view text, const std::string& file) {
    const IniFile ini = MFAENV_TRY(parse_ini(text, file));
    std::vector<SectionValues> values = MFAENV_TRY(section_values(ini, file));
    for (size_t i = 0; i < ini.sections.size(); ++i) {
      const IniSection& section = ini.sections[i];
      if (starts_with(section.name, "profile ")) {
        warn(file, section.line,
             fmt::format("the credentials file names profiles without the word 'profile': this section is "
                         "profile '{}'; write [{}]",
                         section.name, python::strip(section.name.substr(8))));
      }
      merge_profile(std::string(section.name), std::move(values[i]));
    }
    return {};
  }

 private:
  void warn(std::string_view file, int line, std::string message) {
    config_.warnings_.push_back(fmt::format("{}: {}", where(file, line), message));
  }

  Profile& find_or_add(std::string name) {
    auto [it, added] = config_.profile_index_.emplace(name, config_.profiles_.size());
    if (added) {
      config_.profile_order_.push_back(name);
      config_.profiles_.push_back(Profile{std::move(name), {}, {}, {}, {}});
    }
    return config_.profiles_[it->second];
  }

  void put_profile(std::string name, SectionValues&& values) {
    Profile& profile = find_or_add(std::move(name));
    profile.values = std::move(values.values);
    profile.nested = std::move(values.nested);
    profile.lines = std::move(values.lines);
    profile.credentials_keys.clear();
  }

  // Session.full_config: the credentials file's values win per key.
  void merge_profile(std::string name, SectionValues&& values) {
    Profile& profile = find_or_add(std::move(name));
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

  static void put_section(std::vector<Section>& sections, std::string name, SectionValues&& values) {
    for (Section& section : sections) {
      if (section.name == name) {
        section.values = std::move(values.values);
        section.nested = std::move(values.nested);
        return;
      }
    }
    sections.push_back(Section{std::move(name), std::move(values.values), std::move(values.nested)});
  }

  AwsConfig& config_;
};

std::string expand_config_path(std::string_view path) { return expand_user_like_python(expand_vars(path)); }

ConfigPaths config_paths_from_env() {
  // botocore reads the variables even when they are empty: an empty path names no file.
  const auto config = env("AWS_CONFIG_FILE");
  const auto credentials = env("AWS_SHARED_CREDENTIALS_FILE");
  return ConfigPaths{expand_config_path(config ? *config : "~/.aws/config"),
                     expand_config_path(credentials ? *credentials : "~/.aws/credentials")};
}

std::optional<std::string> Profile::get(std::string_view key) const {
  const auto it = values.find(std::string(key));
  if (it == values.end()) return std::nullopt;
  return it->second;
}

Result<AwsConfig> AwsConfig::load(const ConfigPaths& paths) {
  std::vector<std::string> warnings;
  const std::string config_text = MFAENV_TRY(read_config_text(paths.config, "AWS_CONFIG_FILE", warnings));
  const std::string credentials_text =
      MFAENV_TRY(read_config_text(paths.credentials, "AWS_SHARED_CREDENTIALS_FILE", warnings));
  AwsConfig config = MFAENV_TRY(parse(config_text, credentials_text, paths));
  config.warnings_.insert(config.warnings_.begin(), warnings.begin(), warnings.end());
  return config;
}

Result<AwsConfig> AwsConfig::parse(std::string_view config_text, std::string_view credentials_text,
                                   const ConfigPaths& names) {
  AwsConfig config;
  config.paths_ = names;
  AwsConfigBuilder builder(config);
  MFAENV_CHECK(builder.add_config_file(config_text, names.config));
  MFAENV_CHECK(builder.add_credentials_file(credentials_text, names.credentials));
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

std::vector<std::string> AwsConfig::profile_names() const { return profile_order_; }

const Profile* AwsConfig::profile(std::string_view name) const {
  const auto it = profile_index_.find(std::string(name));
  return it == profile_index_.end() ? nullptr : &profiles_[it->second];
}

const Section* AwsConfig::sso_session(std::string_view name) const {
  for (const Section& section : sso_sessions_) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

const Section* AwsConfig::services(std::string_view name) const {
  for (const Section& section : services_) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

}  // namespace mfaenv
