// The table of profile keys mfaenv reads (in the spirit of ccache's k_config_key_table): one row per
// key with the function that parses its value into ProfileSettings. Keys not in the table are left
// to other tools, but one that looks like a misspelt known key is warned about.
#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include <fmt/format.h>

#include "aws/credentials.h"
#include "aws/profile_settings.h"
#include "util/edit_distance.h"
#include "util/strings.h"
#include "util/warnings.h"

namespace mfaenv {

namespace {

struct KeyValue {
  std::string_view key;
  std::string_view value;  // stripped by the reader; never empty here
  const AwsConfig& config;
  const Profile& profile;
};

// "FILE:LINE: profile 'P': KEY = 'VALUE' WHAT", plus a hint when the value holds what looks like
// an inline comment (configparser keeps "# ..." after a value as part of it).
Error bad_value(const KeyValue& v, std::string_view what) {
  const bool comment = v.value.find(" #") != std::string_view::npos || v.value.find(" ;") != std::string_view::npos ||
                       v.value.find("\t#") != std::string_view::npos;
  return make_error(ErrorKind::kConfigInvalid, "{}: profile '{}': {} = '{}' {}{}", v.config.where(v.profile, v.key),
                    v.profile.name, v.key, v.value, what,
                    comment ? "; a '#' after a value is part of the value: put comments on a line of their own" : "");
}

template <auto Field>
Status read_text(ProfileSettings& s, const KeyValue& v) {
  s.*Field = std::string(v.value);
  return {};
}

// Values that end up in shell code, environments or file names: a NUL or line break would be lost
// or split there. (A line break can only come from a continuation line.)
template <auto Field>
Status read_one_line(ProfileSettings& s, const KeyValue& v) {
  if (v.value.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos)
    return make_error(ErrorKind::kConfigInvalid, "{}: profile '{}': {} holds a NUL byte or a line break (an indented "
                      "line below it continues the value); write it on one line",
                      v.config.where(v.profile, v.key), v.profile.name, v.key);
  s.*Field = std::string(v.value);
  return {};
}

// STS's own limits on the values it is sent (its API reference: length, then the characters its
// pattern allows besides A-Z a-z 0-9 _). A value outside them is refused by STS only after the MFA
// code was spent on the request below it, so it is refused here, when the profile is read.
struct StsTextShape {
  size_t min_length;
  size_t max_length;
  std::string_view extra_characters;
};
constexpr StsTextShape kSessionNameShape{2, 64, "+=,.@-"};        // RoleSessionName
constexpr StsTextShape kExternalIdShape{2, 1224, "+=,.@:/-"};     // ExternalId
constexpr StsTextShape kSerialNumberShape{9, 256, "+=/:,.@-"};    // SerialNumber (an ARN or a serial)

bool has_sts_shape(std::string_view value, const StsTextShape& shape) {
  if (value.size() < shape.min_length || value.size() > shape.max_length) return false;
  return std::all_of(value.begin(), value.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           shape.extra_characters.find(c) != std::string_view::npos;
  });
}

template <auto Field, const StsTextShape& Shape>
Status read_sts_text(ProfileSettings& s, const KeyValue& v) {
  if (!has_sts_shape(v.value, Shape))
    return bad_value(v, fmt::format("is not what STS accepts: {} to {} characters of A-Z a-z 0-9 _ {}", Shape.min_length,
                                    Shape.max_length, Shape.extra_characters));
  s.*Field = std::string(v.value);
  return {};
}

// arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME, the shape AssumeRole accepts (IAM's rules for a role
// name and path; an account is 12 digits).
bool is_role_arn(std::string_view arn) {
  auto fields = split(arn, ':');
  if (arn.size() > 2048 || fields.size() != 6 || fields[0] != "arn" || fields[2] != "iam" || !fields[3].empty())
    return false;
  const std::string& partition = fields[1];
  const std::string& account = fields[4];
  const std::string& resource = fields[5];
  auto partition_char = [](char c) { return std::islower(static_cast<unsigned char>(c)) || c == '-'; };
  if (!starts_with(partition, "aws") || !std::all_of(partition.begin(), partition.end(), partition_char)) return false;
  if (account.size() != 12 || !std::all_of(account.begin(), account.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  if (!starts_with(resource, "role/")) return false;
  const std::string_view path_and_name = std::string_view(resource).substr(5);
  const std::string_view name = path_and_name.substr(path_and_name.rfind('/') + 1);  // npos + 1 == 0
  auto role_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_+=,.@-").find(c) != std::string_view::npos;
  };
  return !name.empty() && name.size() <= 64 &&
         std::all_of(path_and_name.begin(), path_and_name.end(), [&](char c) { return role_char(c) || c == '/'; });
}

Status read_role_arn(ProfileSettings& s, const KeyValue& v) {
  if (!is_role_arn(v.value))
    return bad_value(v, "is not a role ARN: write arn:aws:iam::ACCOUNT:role/NAME (a 12-digit account, the role's "
                        "name and path in A-Z a-z 0-9 _+=,.@-)");
  s.role_arn = std::string(v.value);
  return {};
}

Status read_region(ProfileSettings& s, const KeyValue& v) {
  MFAENV_CHECK(read_one_line<&ProfileSettings::region>(s, v));  // its own message for a continuation line
  if (!is_region_name(v.value))
    return bad_value(v, "is not a region name: letters, digits and '-', like eu-west-1");
  s.region = std::string(v.value);
  return {};
}

template <auto Field, long long Low, long long High>
Status read_duration(ProfileSettings& s, const KeyValue& v) {
  auto d = parse_duration(v.value);
  if (!d) return bad_value(v, "is not a duration: use seconds (3600) or 15m, 12h, 1h30m");
  if (d->count() < Low || d->count() > High)
    return bad_value(v, fmt::format("is outside {} to {}", format_duration(Seconds(Low)), format_duration(Seconds(High))));
  s.*Field = *d;
  return {};
}

// botocore's ensure_boolean: only "true" (any case) is true. Anything but true/false gets a warning,
// because every AWS tool reads it as false.
template <auto Field>
Status read_aws_bool(ProfileSettings& s, const KeyValue& v) {
  const bool on = iequals(v.value, "true");
  if (!on && !iequals(v.value, "false"))
    warn(fmt::format("{}: profile '{}': {} = '{}' is read as false by the AWS CLI and SDKs (only 'true' is true); "
                     "write true or false",
                     v.config.where(v.profile, v.key), v.profile.name, v.key, v.value));
  s.*Field = on;
  return {};
}

template <auto Field>
Status read_bool(ProfileSettings& s, const KeyValue& v) {
  if (iequals(v.value, "true")) s.*Field = true;
  else if (iequals(v.value, "false")) s.*Field = false;
  else return bad_value(v, "is not true or false");
  return {};
}

template <typename Enum, size_t N>
std::optional<Enum> choice(std::string_view value, const std::array<std::pair<std::string_view, Enum>, N>& names) {
  for (const auto& [name, e] : names)
    if (value == name) return e;
  return std::nullopt;
}

template <typename Enum, size_t N>
std::string choices(const std::array<std::pair<std::string_view, Enum>, N>& names) {
  std::string out;
  for (const auto& [name, e] : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

constexpr std::array<std::pair<std::string_view, CredentialSource>, 3> kCredentialSources = {{
    {"Environment", CredentialSource::kEnvironment},
    {"Ec2InstanceMetadata", CredentialSource::kEc2InstanceMetadata},
    {"EcsContainer", CredentialSource::kEcsContainer},
}};
constexpr std::array<std::pair<std::string_view, StsRegionalEndpoints>, 2> kRegionalEndpoints = {{
    {"regional", StsRegionalEndpoints::kRegional},
    {"legacy", StsRegionalEndpoints::kLegacy},
}};
constexpr std::array<std::pair<std::string_view, KeyringBackend>, 4> kKeyrings = {{
    {"secret-service", KeyringBackend::kSecretService},
    {"pass", KeyringBackend::kPass},
    {"file", KeyringBackend::kFile},
    {"credentials-file", KeyringBackend::kCredentialsFile},
}};
constexpr std::array<std::pair<std::string_view, PromptDriver>, 5> kPromptDrivers = {{
    {"terminal", PromptDriver::kTerminal},
    {"zenity", PromptDriver::kZenity},
    {"kdialog", PromptDriver::kKdialog},
    {"osascript", PromptDriver::kOsascript},
    {"ykman", PromptDriver::kYkman},
}};
constexpr std::array<std::pair<std::string_view, SessionMode>, 2> kSessionModes = {{
    {"session", SessionMode::kSession},
    {"none", SessionMode::kNone},
}};

template <auto Field, const auto& Names>
Status read_choice(ProfileSettings& s, const KeyValue& v) {
  auto e = choice(v.value, Names);
  if (!e) return bad_value(v, fmt::format("is not one of: {}", choices(Names)));
  s.*Field = *e;
  return {};
}

// mfaenv_prompt: driver names separated by commas and/or spaces, tried in that order.
Status read_prompt(ProfileSettings& s, const KeyValue& v) {
  std::vector<PromptDriver> drivers;
  std::string word;
  auto flush = [&]() -> Status {
    if (word.empty()) return {};
    auto e = choice(std::string_view(word), kPromptDrivers);
    if (!e) return bad_value(v, fmt::format("names '{}', which is not one of: {}", word, choices(kPromptDrivers)));
    drivers.push_back(*e);
    word.clear();
    return {};
  };
  for (char c : v.value) {
    if (c == ',' || c == ' ' || c == '\t') MFAENV_CHECK(flush());
    else word += c;
  }
  MFAENV_CHECK(flush());
  s.prompt = std::move(drivers);
  return {};
}

Status read_sso(ProfileSettings& s, const KeyValue& v) {
  if (!s.sso_key) s.sso_key = std::string(v.key);
  return {};
}

struct ProfileKey {
  std::string_view name;
  Status (*read)(ProfileSettings&, const KeyValue&);
};

using S = ProfileSettings;
constexpr long long kNoLimit = 1LL << 40;

// Sorted by name (binary search). Adding a key: a row here, a field in ProfileSettings, a line in
// docs/config.md.
constexpr ProfileKey kProfileKeys[] = {
    {"aws_access_key_id", read_one_line<&S::access_key_id>},
    {"aws_secret_access_key", read_text<&S::secret_access_key>},
    {"aws_session_token", read_text<&S::session_token>},
    {"ca_bundle", read_text<&S::ca_bundle>},
    {"credential_process", read_text<&S::credential_process>},
    {"credential_source", read_choice<&S::credential_source, kCredentialSources>},
    {"duration_seconds", read_duration<&S::duration_seconds, 900, 43200>},
    {"endpoint_url", read_text<&S::endpoint_url>},
    {"external_id", read_sts_text<&S::external_id, kExternalIdShape>},
    {"ignore_configured_endpoint_urls", read_aws_bool<&S::ignore_configured_endpoint_urls>},
    {"mfa_process", read_text<&S::mfa_process>},
    {"mfa_serial", read_sts_text<&S::mfa_serial, kSerialNumberShape>},
    {"mfaenv_keyring", read_choice<&S::keyring, kKeyrings>},
    {"mfaenv_mfa_max_age", read_duration<&S::mfa_max_age, 1, kNoLimit>},
    {"mfaenv_mfa_per_role", read_bool<&S::mfa_per_role>},
    {"mfaenv_passphrase_process", read_text<&S::passphrase_process>},
    {"mfaenv_prompt", read_prompt},
    {"mfaenv_refresh_margin", read_duration<&S::refresh_margin, 0, kNoLimit>},
    {"mfaenv_session", read_choice<&S::session, kSessionModes>},
    {"mfaenv_session_duration", read_duration<&S::session_duration, 900, 129600>},
    {"mfaenv_ykman_account", read_one_line<&S::ykman_account>},
    {"region", read_region},
    {"role_arn", read_role_arn},
    {"role_session_name", read_sts_text<&S::role_session_name, kSessionNameShape>},
    {"services", read_text<&S::services>},
    {"source_profile", read_text<&S::source_profile>},
    {"sso_account_id", read_sso},
    {"sso_role_name", read_sso},
    {"sso_session", read_sso},
    {"sso_start_url", read_sso},
    {"sts_regional_endpoints", read_choice<&S::sts_regional_endpoints, kRegionalEndpoints>},
    {"use_dualstack_endpoint", read_aws_bool<&S::use_dualstack_endpoint>},
    {"use_fips_endpoint", read_aws_bool<&S::use_fips_endpoint>},
};

const ProfileKey* find_key(std::string_view name) {
  const auto* end = std::end(kProfileKeys);
  const auto* it = std::lower_bound(std::begin(kProfileKeys), end, name,
                                    [](const ProfileKey& k, std::string_view n) { return k.name < n; });
  return it != end && it->name == name ? it : nullptr;
}

// Keys other AWS tools read that mfaenv does not: never "misspelt".
constexpr std::string_view kOtherAwsKeys[] = {
    "output", "cli_pager", "cli_timestamp_format", "cli_binary_format", "cli_follow_urlparam", "cli_auto_prompt",
    "cli_history", "max_attempts", "retry_mode", "parameter_validation", "tcp_keepalive", "s3", "api_versions",
    "sso_region", "sso_registration_scopes", "web_identity_token_file", "metadata_service_timeout",
    "metadata_service_num_attempts", "ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint_mode",
    "ec2_metadata_v1_disabled", "defaults_mode", "account_id_endpoint_mode", "aws_account_id",
    "request_min_compression_size_bytes", "disable_request_compression", "sigv4a_signing_region_set",
    "endpoint_discovery_enabled", "csm_enabled", "csm_host", "csm_port", "csm_client_id", "imds_use_ipv6",
    "aws_security_token", "s3api", "dynamodb", "role_name", "mfa_serial_number"};

bool is_other_aws_key(std::string_view key) {
  return std::find(std::begin(kOtherAwsKeys), std::end(kOtherAwsKeys), key) != std::end(kOtherAwsKeys);
}


// A key not in the table: warn when it looks like a misspelling of one that is. Never echoes a value.
void check_unknown_key(const AwsConfig& config, const Profile& profile, std::string_view key) {
  if (is_other_aws_key(key) || starts_with(key, "sso_")) return;
  const std::string where = config.where(profile, key);
  // "mfa_serial arn:aws:..." without '=': configparser splits at the first ':', so the key is
  // "mfa_serial arn" and the rest of the ARN its value.
  if (const size_t space = key.find_first_of(" \t"); space != std::string_view::npos) {
    const std::string_view first = key.substr(0, space);
    if (find_key(first) != nullptr || is_other_aws_key(first)) {
      warn(fmt::format("{}: profile '{}': this line sets a key named '{} ...', not {}: the line has no '=' before "
                       "its first ':'; write '{} = VALUE'",
                       where, profile.name, first, first, first));
    }
    return;
  }
  std::string underscored(key);
  std::replace(underscored.begin(), underscored.end(), '-', '_');
  if (underscored != key && (find_key(underscored) != nullptr || is_other_aws_key(underscored))) {
    warn(fmt::format("{}: profile '{}': '{}' is not a key the AWS CLI, SDKs or mfaenv read; write '{}' (with '_')",
                     where, profile.name, key, underscored));
    return;
  }
  const ProfileKey* best = nullptr;
  size_t best_distance = 3;
  for (const ProfileKey& k : kProfileKeys) {
    if (std::max(k.name.size(), key.size()) - std::min(k.name.size(), key.size()) >= best_distance) continue;
    const size_t distance = edit_distance(key, k.name);
    if (distance < best_distance) best = &k, best_distance = distance;
  }
  const size_t allowed = key.size() >= 8 ? 2 : 1;
  if (best != nullptr && best_distance <= allowed) {
    warn(fmt::format("{}: profile '{}': '{}' is not a key the AWS CLI, SDKs or mfaenv read; did you mean '{}'?", where,
                     profile.name, key, best->name));
    return;
  }
  if (starts_with(key, "mfaenv_")) {
    std::string known;
    for (const ProfileKey& k : kProfileKeys)
      if (starts_with(k.name, "mfaenv_")) known += (known.empty() ? "" : ", ") + std::string(k.name);
    warn(fmt::format("{}: profile '{}': mfaenv has no key '{}'; its keys are {}", where, profile.name, key, known));
  }
}

}  // namespace

bool is_region_name(std::string_view region) {
  if (region.empty() || region.size() > 63 || region.front() == '-' || region.back() == '-') return false;
  return std::all_of(region.begin(), region.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

std::string_view credential_source_name(CredentialSource source) {
  for (const auto& [name, e] : kCredentialSources)
    if (e == source) return name;
  return "?";
}

std::string_view keyring_backend_name(KeyringBackend backend) {
  for (const auto& [name, e] : kKeyrings)
    if (e == backend) return name;
  return "?";
}

std::string_view prompt_driver_name(PromptDriver driver) {
  for (const auto& [name, e] : kPromptDrivers)
    if (e == driver) return name;
  return "?";
}

std::string ProfileSettings::where(std::string_view key) const {
  return config != nullptr && raw != nullptr ? config->where(*raw, key) : std::string();
}

ProfileSettings::~ProfileSettings() {
  if (secret_access_key) wipe(*secret_access_key);
  if (session_token) wipe(*session_token);
}

Result<std::unique_ptr<ProfileSettings>> parse_profile_settings(const AwsConfig& config, const Profile& profile) {
  auto s = std::make_unique<ProfileSettings>();
  s->name = profile.name;
  s->config = &config;
  s->raw = &profile;
  for (const auto& [key, value] : profile.values) {
    const ProfileKey* k = find_key(key);
    if (k == nullptr) {
      check_unknown_key(config, profile, key);
      continue;
    }
    if (value.empty()) continue;  // botocore gives ""; every reader treats it as not set
    MFAENV_CHECK(k->read(*s, KeyValue{key, value, config, profile}));
  }
  for (const auto& [key, block] : profile.nested) {
    if (find_key(key) == nullptr) check_unknown_key(config, profile, key);
  }
  return s;
}

}  // namespace mfaenv
