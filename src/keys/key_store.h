// Where a profile's long-term keys live (docs/keys.md): one small interface, one file per backend
// (secret-service, pass, file, credentials-file). Opening a store does nothing expensive; a backend
// loads its library or runs its program only when a key is read or written, and never on the
// warm-cache path (docs/design.md §7).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/config.h"
#include "aws/profile_settings.h"
#include "aws/credentials.h"
#include "util/result.h"
#include "util/time.h"

namespace mfaenv {

// The profile model's enum (mfaenv_keyring): kSecretService, kPass, kFile, kCredentialsFile.
using KeyBackend = KeyringBackend;
std::string_view backend_name(KeyBackend backend);  // "secret-service", "pass", "file", "credentials-file"
std::optional<KeyBackend> parse_backend(std::string_view name);
// "secret-service, pass, file, credentials-file": for messages.
std::string backend_names();

// Whether a backend may ask (unlock prompt, passphrase on /dev/tty). kNever: a locked store is
// ErrorKind::kMfaCodeNeeded (exit 3) with a line saying what to unlock.
enum class KeyPrompt { kAllowed, kNever };

// What `keys list` shows; nothing secret (the key id is shown masked by the command).
struct StoredKeyInfo {
  std::string profile;
  std::string key_hint;               // "AKIA…WXYZ"; empty when the store cannot tell without unlocking
  std::optional<TimePoint> stored_at;  // when mfaenv stored it (a proxy for the key's age)
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual KeyBackend backend() const = 0;
  // nullopt: nothing stored for the profile.
  virtual Result<std::optional<Credentials>> get(std::string_view profile) = 0;
  // Replaces what is stored for the profile; on failure the previous entry is untouched.
  virtual Status put(std::string_view profile, const Credentials& keys) = 0;
  // Removing nothing is not an error.
  virtual Status remove(std::string_view profile) = 0;
  virtual Result<std::vector<StoredKeyInfo>> list() = 0;
  // Where the keys are, for messages: "GNOME Keyring / Secret Service", "~/.local/share/mfaenv/keys/dev.keys".
  virtual std::string location(std::string_view profile) const = 0;
};

struct KeyStoreOptions {
  KeyPrompt prompt = KeyPrompt::kAllowed;
  const AwsConfig* config = nullptr;  // credentials-file: the files; file: mfaenv_passphrase_process
  const ProfileSettings* profile = nullptr;  // for mfaenv_passphrase_process
};

std::unique_ptr<KeyStore> open_key_store(KeyBackend backend, const KeyStoreOptions& options);

// The backend that holds `profile`'s keys: `mfaenv_keyring` on the profile, else MFAENV_KEYRING,
// else the credentials file when it has keys for the profile; nullopt when none applies. An
// unknown backend name is kConfigInvalid naming where it was set.
Result<std::optional<KeyBackend>> backend_for(const ProfileSettings& profile);

// The profile setting `keys add/import` writes.
inline constexpr const char* kKeyringSetting = "mfaenv_keyring";

// Profile names become file and entry names: letters, digits and ._-@+= only, no leading dot.
Status check_profile_name_for_store(std::string_view profile);

}  // namespace mfaenv
