// Backend names, the backend choice for a profile, and the factory.
#include "keys/key_store.h"

#include <algorithm>

#include "keys/store_backends.h"
#include "util/strings.h"

namespace mfaenv {

std::string_view backend_name(KeyBackend backend) { return keyring_backend_name(backend); }

std::optional<KeyBackend> parse_backend(std::string_view name) {
  for (KeyBackend b : {KeyBackend::kSecretService, KeyBackend::kPass, KeyBackend::kFile, KeyBackend::kCredentialsFile})
    if (trim(name) == backend_name(b)) return b;
  return std::nullopt;
}

std::string backend_names() { return "secret-service, pass, file, credentials-file"; }

Status check_profile_name_for_store(std::string_view profile) {
  const bool ok = !profile.empty() && profile.size() <= 128 && profile.front() != '.' &&
                  std::all_of(profile.begin(), profile.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("._-@+=").find(c) != std::string_view::npos;
                  });
  if (ok) return {};
  return make_error(ErrorKind::kUsage,
                    "profile name '{}' cannot name a key store entry: use letters, digits and . _ - @ + = only", profile);
}

Result<std::optional<KeyBackend>> backend_for(const ProfileSettings& profile) {
  if (profile.keyring) return profile.keyring;  // checked when the profile was read
  if (auto name = env("MFAENV_KEYRING"); name && !trim(*name).empty()) {
    auto backend = parse_backend(*name);
    if (!backend)
      return make_error(ErrorKind::kConfigInvalid, "MFAENV_KEYRING = {} is not a key backend (one of {})", *name,
                        backend_names());
    return backend;
  }
  if (profile.access_key_id) return std::optional(KeyBackend::kCredentialsFile);
  return std::optional<KeyBackend>();
}

std::unique_ptr<KeyStore> open_key_store(KeyBackend backend, const KeyStoreOptions& options) {
  switch (backend) {
    case KeyBackend::kSecretService: return make_secret_service_store(options);
    case KeyBackend::kPass: return make_pass_store(options);
    case KeyBackend::kFile: return make_file_store(options);
    case KeyBackend::kCredentialsFile: return make_credentials_file_store(options);
  }
  return nullptr;
}

}  // namespace mfaenv
