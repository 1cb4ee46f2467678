// A profile as typed settings: every key mfaenv reads (docs/design.md §3 / docs/config.md "Profile
// keys"), parsed, trimmed and validated once, with FILE:LINE in every error, from one table of keys
// (profile_keys.cc). Chain planning, the STS endpoint, status, policy and whoami read these fields,
// never the raw strings of aws/config.h.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/config.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

enum class CredentialSource { kEnvironment, kEc2InstanceMetadata, kEcsContainer };
enum class StsRegionalEndpoints { kRegional, kLegacy };
enum class KeyringBackend { kSecretService, kPass, kFile, kCredentialsFile };
enum class PromptDriver { kTerminal, kZenity, kKdialog, kOsascript, kYkman };
// mfaenv_session: what env/exec/credential-process hand out for a chain without an MFA device.
enum class SessionMode { kSession, kNone };

std::string_view credential_source_name(CredentialSource source);
std::string_view keyring_backend_name(KeyringBackend backend);
std::string_view prompt_driver_name(PromptDriver driver);

// A region name as botocore checks it before building a host from it: one DNS label (letters,
// digits and '-', not at either end). The `region` key and AWS_REGION/AWS_DEFAULT_REGION both use it.
bool is_region_name(std::string_view region);

// One profile's own values (no inheritance; see ProfileLineage). Unset keys, and keys set to an
// empty value, are nullopt. Points into the AwsConfig it was read from, which must outlive it.
struct ProfileSettings {
  std::string name;

  // Long-term keys (the credentials file wins per key, as in botocore).
  std::optional<std::string> access_key_id;
  std::optional<std::string> secret_access_key;
  std::optional<std::string> session_token;
  std::optional<std::string> credential_process;
  std::optional<CredentialSource> credential_source;

  // MFA and roles.
  std::optional<std::string> mfa_serial;
  std::optional<std::string> mfa_process;
  std::optional<std::string> role_arn;
  std::optional<std::string> source_profile;
  std::optional<std::string> external_id;
  std::optional<std::string> role_session_name;
  std::optional<Seconds> duration_seconds;
  std::optional<std::string> region;
  std::optional<std::string> sso_key;  // the first sso_* key: an SSO profile, which mfaenv refuses

  // Where STS is.
  std::optional<std::string> endpoint_url;
  std::optional<std::string> services;
  std::optional<std::string> ca_bundle;
  std::optional<StsRegionalEndpoints> sts_regional_endpoints;
  std::optional<bool> use_fips_endpoint;
  std::optional<bool> use_dualstack_endpoint;
  std::optional<bool> ignore_configured_endpoint_urls;

  // mfaenv's own (mfaenv_*).
  std::optional<Seconds> session_duration;   // mfaenv_session_duration
  std::optional<Seconds> mfa_max_age;        // mfaenv_mfa_max_age
  std::optional<Seconds> refresh_margin;     // mfaenv_refresh_margin
  std::optional<bool> mfa_per_role;          // mfaenv_mfa_per_role
  std::optional<KeyringBackend> keyring;     // mfaenv_keyring
  std::optional<std::string> passphrase_process;  // mfaenv_passphrase_process
  std::optional<std::vector<PromptDriver>> prompt;  // mfaenv_prompt, in order
  std::optional<std::string> ykman_account;  // mfaenv_ykman_account
  std::optional<SessionMode> session;        // mfaenv_session

  // "FILE:LINE" of `key`'s value, for messages ("FILE" alone when the line is unknown).
  std::string where(std::string_view key) const;

  const AwsConfig* config = nullptr;
  const Profile* raw = nullptr;

  ProfileSettings() = default;
  ProfileSettings(const ProfileSettings&) = delete;
  ProfileSettings& operator=(const ProfileSettings&) = delete;
  ~ProfileSettings();  // wipes the secret key and token
};

// Parses one profile. Errors (kConfigInvalid) name FILE:LINE, the key and the accepted values.
// Misspelt keys (`mfa-serial`, `role-arn`, `mfa_serial arn:...` without '=') are warned about
// through util/warnings.h, naming FILE:LINE and the fix.
Result<std::unique_ptr<ProfileSettings>> parse_profile_settings(const AwsConfig& config, const Profile& profile);

// Where a profile name came from, for "profile not found" and "no profile given".
enum class ProfileOrigin {
  kArgument,           // mfaenv env NAME
  kFlag,               // --profile NAME
  kAwsProfile,         // AWS_PROFILE
  kAwsDefaultProfile,  // AWS_DEFAULT_PROFILE
  kMfaenvProfile,      // MFAENV_PROFILE, set by mfaenv env / exec
  kDefault,            // nothing given: "default"
  kSourceProfile,      // source_profile of another profile
};

struct ProfileName {
  std::string name;
  ProfileOrigin origin = ProfileOrigin::kDefault;
  std::string referrer;  // kSourceProfile: "profile 'admin' (FILE:LINE)"
};

// The one wording of "profile not found" (kConfigInvalid), saying where the name came from.
// With kDefault (nothing given, no [default]): "no profile given: pass PROFILE or set AWS_PROFILE"
// (kUsage).
Error profile_not_found(const AwsConfig& config, const ProfileName& name);

// Reads profiles on demand and keeps them: the warm path parses only the profiles its chain uses.
class ProfileLoader {
 public:
  explicit ProfileLoader(const AwsConfig& config) : config_(config) {}
  ProfileLoader(const ProfileLoader&) = delete;
  ProfileLoader& operator=(const ProfileLoader&) = delete;

  // The profile's settings, parsed at the first call; profile_not_found() when there is none.
  Result<const ProfileSettings*> load(const ProfileName& name);
  Result<const ProfileSettings*> load(std::string_view name) { return load(ProfileName{std::string(name), ProfileOrigin::kArgument, {}}); }

  const AwsConfig& config() const { return config_; }

 private:
  // A profile read from the config, and its settings (which point into it).
  struct Loaded {
    std::unique_ptr<const Profile> raw;
    std::unique_ptr<ProfileSettings> settings;
  };
  const AwsConfig& config_;
  std::vector<Loaded> loaded_;
};

// A profile and the profiles below it through source_profile, top (the one used) first. Settings
// that docs/sessions.md lets a profile inherit are looked up top-down: the first that sets it wins.
class ProfileLineage {
 public:
  const ProfileSettings& top() const { return *profiles_.front(); }
  const std::vector<const ProfileSettings*>& profiles() const { return profiles_; }

  // The first value of `field` from the top down, and the profile that set it.
  template <typename T>
  const std::optional<T>& inherited(std::optional<T> ProfileSettings::*field) const {
    static const std::optional<T> kNone;
    const ProfileSettings* from = inherited_from(field);
    return from != nullptr ? from->*field : kNone;
  }
  template <typename T>
  const ProfileSettings* inherited_from(std::optional<T> ProfileSettings::*field) const {
    for (const ProfileSettings* p : profiles_)
      if (p->*field) return p;
    return nullptr;
  }

 private:
  std::vector<const ProfileSettings*> profiles_;
  friend Result<ProfileLineage> resolve_profile_settings(ProfileLoader& loader, const ProfileName& name);
};

// Loads `name` and its source_profile chain. Errors: a missing profile (saying who named it), a
// cycle ("a -> b -> a"). A role profile naming itself as source_profile (its own keys) ends the chain.
Result<ProfileLineage> resolve_profile_settings(ProfileLoader& loader, const ProfileName& name);

}  // namespace mfaenv
