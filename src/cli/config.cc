// mfaenv config get|set|list|profiles: the AWS config files read and changed as `aws configure
// get|set|list|list-profiles` do, with the same output and exit codes (docs/config.md).
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "aws/config.h"
#include "aws/python_text.h"
#include "cli/command.h"
#include "output/json_string.h"
#include "util/echo_off.h"
#include "util/strings.h"
#include "util/printable.h"
#include "util/subprocess.h"

namespace mfaenv {

namespace {

struct ConfigOptions {
  std::string key;
  std::string value;
  std::string profile_flag;
  bool json = false;
};

// Secrets the AWS CLI writes to the credentials file rather than the config file.
bool is_credentials_key(std::string_view key) {
  return key == "aws_access_key_id" || key == "aws_secret_access_key" || key == "aws_session_token";
}

bool is_secret_key(std::string_view key) {
  return key == "aws_secret_access_key" || key == "aws_session_token" || key == "aws_security_token";
}

Result<AwsConfig> load_config() {
  AwsConfig config = MFAENV_TRY(AwsConfig::load(config_paths_from_env()));
  for (const auto& warning : config.warnings()) tell("warning: {}", warning);
  return config;
}

// Whether the profile was asked for (flag or environment) rather than the "default" fallback: like
// botocore, a missing profile that was asked for is an error, a missing fallback is just empty.
bool profile_was_chosen(const std::string& flag) {
  if (!flag.empty()) return true;
  for (const char* name : {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"}) {
    if (auto v = env(name); v && !v->empty()) return true;
  }
  return false;
}

Error profile_not_found(const AwsConfig& config, std::string_view profile) {
  return make_error(ErrorKind::kGeneric, "the config profile ({}) could not be found in {} or {}", profile,
                    config.paths().config, config.paths().credentials);
}

// An empty message: main exits with the code and prints nothing (`aws configure get` of a missing key).
Status silent_failure() { return Error{ErrorKind::kGeneric, ""}; }

Status run_get(const ConfigOptions& options) {
  const AwsConfig config = MFAENV_TRY(load_config());
  const std::string chosen = choose_profile("", options.profile_flag);
  const std::vector<std::string> parts = split(options.key, '.');

  // `aws configure get` dotted forms: profile.NAME.KEY[.SUB], NAME.KEY[.SUB] for a known profile
  // (or default), else KEY.SUB in the chosen profile.
  std::string profile_name = chosen;
  size_t at = 0;
  if (parts.size() >= 3 && parts[0] == "profile") {
    profile_name = parts[1];
    at = 2;
  } else if (parts.size() >= 2 && (parts[0] == "default" || config.has_profile(parts[0]))) {
    profile_name = parts[0];
    at = 1;
  }
  const std::optional<Profile> profile = config.profile(profile_name);
  if (parts.size() == 1 && !profile && profile_was_chosen(options.profile_flag)) {
    return profile_not_found(config, profile_name);
  }
  if (!profile || parts.size() > at + 2) return silent_failure();
  const std::string& name = parts[at];
  if (parts.size() == at + 1) {
    if (auto value = profile->get(name)) {
      fmt::print("{}\n", *value);
      return {};
    }
    if (profile->nested.count(name) != 0) {
      return make_error(ErrorKind::kGeneric, "varname ({}) must reference a value, not a section or sub-section",
                        options.key);
    }
    return silent_failure();
  }
  const auto block = profile->nested.find(name);
  if (block == profile->nested.end()) return silent_failure();
  const auto entry = block->second.find(parts[at + 1]);
  if (entry == block->second.end()) return silent_failure();
  fmt::print("{}\n", entry->second);
  return {};
}

// `config set KEY -`: the value is the one line on standard input, so a secret never appears in
// argv (ps, /proc) or in the shell's history. At a terminal it asks, without echo.
Result<std::string> value_from_stdin(const std::string& key) {
  std::optional<EchoOff> echo_off;
  if (::isatty(STDIN_FILENO)) {
    std::fputs(fmt::format("Value for {}: ", printable(key)).c_str(), stderr);  // fputs: no exception on a closed stderr
    std::fflush(stderr);
    echo_off.emplace(STDIN_FILENO);
  }
  std::string text;
  char buffer[4096];
  constexpr size_t kMaxValue = 64 * 1024;
  while (text.size() <= kMaxValue) {
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(ErrorKind::kGeneric, "cannot read the value from standard input: {}", std::strerror(errno));
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (echo_off && text.find('\n') != std::string::npos) break;  // a terminal: one line is the answer
  }
  if (text.size() > kMaxValue) return make_error(ErrorKind::kUsage, "the value on standard input is over 64 KiB; a setting is one line");
  if (text.empty()) {
    return make_error(ErrorKind::kUsage, "'-' reads the value of {} from standard input, which was empty: "
                      "pipe it in, e.g. pass show aws/key | mfaenv config set {} -", key, key);
  }
  if (text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  if (text.find_first_of("\r\n") != std::string::npos)
    return make_error(ErrorKind::kUsage, "the value of {} on standard input has more than one line; a setting is one line", key);
  return text;
}

Status run_set(const ConfigOptions& original) {
  ConfigOptions options = original;
  if (options.value == "-") options.value = MFAENV_TRY(value_from_stdin(options.key));
  const ConfigPaths paths = config_paths_from_env();
  const std::vector<std::string> parts = split(options.key, '.');
  // `aws configure set` dotted forms: default.KEY[.SUB], profile.NAME.KEY[.SUB], KEY.SUB.
  std::string profile = choose_profile("", options.profile_flag);
  size_t at = 0;
  if (parts.size() >= 2 && parts[0] == "default") {
    profile = "default";
    at = 1;
  } else if (parts.size() >= 3 && parts[0] == "profile") {
    profile = parts[1];
    at = 2;
  }
  if (parts.size() > at + 2 || (parts.size() == 2 && parts[0] == "profile")) {
    return make_error(ErrorKind::kUsage, "cannot set '{}': use KEY, KEY.SUBKEY, default.KEY[.SUBKEY] or "
                      "profile.NAME.KEY[.SUBKEY]", options.key);
  }
  const std::string& key = parts[at];
  if (is_credentials_key(key)) {
    if (parts.size() == at + 2) return make_error(ErrorKind::kUsage, "'{}' cannot hold nested keys", key);
    return set_config_value(paths.credentials, profile, key, options.value, ConfigFileKind::kCredentials);
  }
  if (parts.size() == at + 2) {
    MFAENV_CHECK(set_nested_config_value(paths.config, profile, key, parts[at + 1], options.value));
  } else {
    MFAENV_CHECK(set_config_value(paths.config, profile, key, options.value));
  }
  // As with `aws configure set`, the credentials file still wins for a key it also sets: say so.
  if (auto config = AwsConfig::load(paths); config.ok()) {
    std::string lowered = key;
    python::lower(key, lowered);
    const std::optional<Profile> p = config->profile(profile);
    if (p && std::find(p->credentials_keys.begin(), p->credentials_keys.end(), lowered) !=
                            p->credentials_keys.end()) {
      tell("warning: {} also sets '{}' for profile '{}', and that value wins; change it there",
                 paths.credentials, lowered, profile);
    }
  }
  return {};
}

// A *_process setting (mfa_process, credential_process, mfaenv_passphrase_process) can hold a TOTP seed
// or inline keys in its arguments, and `config list` is what people paste into bug reports: the
// table shows the program only (attack 2, F8). `config get KEY` asks for the value and prints it whole.
bool is_process_key(std::string_view key) { return key.ends_with("_process"); }

std::string listed_process(std::string_view key, std::string_view command) {
  const std::string_view trimmed = trim(command);
  if (trimmed.find_first_of(" \t\n") == std::string_view::npos) return std::string(trimmed);
  return fmt::format("{} (arguments hidden; 'mfaenv config get {}' shows them)", program_name(trimmed), key);
}

std::string masked(std::string_view secret) {
  // As `aws configure list`, but a short value is not shown in part.
  return std::string(16, '*') + std::string(secret.size() >= 16 ? secret.substr(secret.size() - 4) : "");
}

void print_row(std::string_view name, std::string_view value, std::string_view type, std::string_view location) {
  print_line("{:>10} {:>24} {:>16}    {}", name, value, type, location);
}

void print_json(const Profile* profile) {
  std::string out = "{";
  bool first = true;
  const auto comma = [&] {
    if (!first) out += ", ";
    first = false;
  };
  if (profile != nullptr) {
    for (const auto& [key, value] : profile->values) {
      comma();
      append_json_string(out, key);
      out += ": ";
      append_json_string(out, value);
    }
    for (const auto& [key, block] : profile->nested) {
      comma();
      append_json_string(out, key);
      out += ": {";
      bool first_entry = true;
      for (const auto& [sub_key, value] : block) {
        if (!first_entry) out += ", ";
        first_entry = false;
        append_json_string(out, sub_key);
        out += ": ";
        append_json_string(out, value);
      }
      out += "}";
    }
  }
  out += "}\n";
  std::fputs(out.c_str(), stdout);
}

Status run_list(const ConfigOptions& options) {
  const AwsConfig config = MFAENV_TRY(load_config());
  const std::string profile_name = choose_profile("", options.profile_flag);
  const std::optional<Profile> profile = config.profile(profile_name);
  if (!profile && profile_was_chosen(options.profile_flag)) return profile_not_found(config, profile_name);
  if (options.json) {
    print_json(profile ? &*profile : nullptr);
    return {};
  }

  print_row("Name", "Value", "Type", "Location");
  print_row("----", "-----", "----", "--------");
  if (!options.profile_flag.empty()) {
    print_row("profile", profile_name, "manual", "--profile");
  } else if (auto v = env("AWS_PROFILE"); v && !v->empty()) {
    print_row("profile", *v, "env", "AWS_PROFILE");
  } else if (auto d = env("AWS_DEFAULT_PROFILE"); d && !d->empty()) {
    print_row("profile", *d, "env", "AWS_DEFAULT_PROFILE");
  } else {
    print_row("profile", "<not set>", "None", "None");
  }
  const auto row = [&](std::string_view label, const std::string& key, const std::string& value) {
    bool from_credentials = false;
    for (const auto& k : profile->credentials_keys) from_credentials = from_credentials || k == key;
    const std::string shown = is_secret_key(key) || key == "aws_access_key_id" ? masked(value)
                              : is_process_key(key)                              ? listed_process(key, value)
                                                                                 : value;
    print_row(label, shown,
              from_credentials ? "shared-credentials-file" : "config-file",
              from_credentials ? config.paths().credentials : config.paths().config);
  };
  const std::pair<const char*, const char*> standard[] = {
      {"access_key", "aws_access_key_id"}, {"secret_key", "aws_secret_access_key"}, {"region", "region"}};
  for (const auto& [label, key] : standard) {
    const auto value = profile ? profile->get(key) : std::nullopt;
    if (value) {
      row(label, key, *value);
    } else {
      print_row(label, "<not set>", "None", "None");
    }
  }
  if (!profile) return {};
  // Then everything else the profile sets (mfa_serial, role_arn, mfaenv_*, nested blocks).
  for (const auto& [key, value] : profile->values) {
    if (key != "aws_access_key_id" && key != "aws_secret_access_key" && key != "region") row(key, key, value);
  }
  for (const auto& [key, block] : profile->nested) {
    for (const auto& [sub_key, value] : block) row(key + "." + sub_key, key, value);
  }
  return {};
}

Status run_profiles() {
  const AwsConfig config = MFAENV_TRY(load_config());
  print_profile_names(config);
  return {};
}

}  // namespace

void add_config_command(CLI::App& app, CommandAction& run) {
  auto options = std::make_shared<ConfigOptions>();
  auto* cmd = app.add_subcommand("config");
  cmd->require_subcommand(1);

  auto* get = cmd->add_subcommand("get");
  get->add_option("KEY", options->key)->required();
  get->add_option("--profile", options->profile_flag);
  get->callback([&run, options] { run = [options] { return run_get(*options); }; });

  auto* set = cmd->add_subcommand("set");
  set->add_option("KEY", options->key)->required();
  set->add_option("VALUE", options->value)->required();
  set->add_option("--profile", options->profile_flag);
  set->callback([&run, options] { run = [options] { return run_set(*options); }; });

  auto* list = cmd->add_subcommand("list");
  list->add_option("--profile", options->profile_flag);
  list->add_flag("--json", options->json);
  list->callback([&run, options] { run = [options] { return run_list(*options); }; });

  auto* profiles = cmd->add_subcommand("profiles");
  profiles->callback([&run] { run = [] { return run_profiles(); }; });
}

}  // namespace mfaenv
