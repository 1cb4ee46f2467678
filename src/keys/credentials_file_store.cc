// The `credentials-file` backend: today's plaintext ~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE),
// read as botocore reads it. Reading warns when the file is open to group or others: anyone who
// can read it holds the keys.
#include <sys/stat.h>

#include <cstdio>

#include "keys/key_record.h"
#include "keys/store_backends.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

void warn_if_readable_by_others(const std::string& path) {
  static bool warned = false;
  struct stat st {};
  if (warned || ::stat(path.c_str(), &st) != 0 || (st.st_mode & 077) == 0) return;
  warned = true;
  fmt::print(stderr,
             "mfaenv: warning: {} holds long-term keys and can be read by others (mode {:04o}): run 'chmod 600 {}', "
             "or move the keys into a key store with 'mfaenv keys import PROFILE'\n",
             path, st.st_mode & 07777, path);
}

class CredentialsFileStore : public KeyStore {
 public:
  explicit CredentialsFileStore(KeyStoreOptions options) : options_(options) {}
  KeyBackend backend() const override { return KeyBackend::kCredentialsFile; }
  std::string location(std::string_view profile) const override {
    return fmt::format("{} [{}]", paths().credentials, profile);
  }

  Result<std::optional<Credentials>> get(std::string_view profile) override {
    const AwsConfig config = MFAENV_TRY(current());
    const std::optional<Profile> p = config.profile(profile);
    if (!p || !p->get("aws_access_key_id")) return std::optional<Credentials>();
    warn_if_readable_by_others(config.paths().credentials);
    Credentials c;
    c.access_key_id = *p->get("aws_access_key_id");
    c.secret_access_key = p->get("aws_secret_access_key").value_or("");
    if (c.secret_access_key.empty())
      return make_error(ErrorKind::kConfigInvalid, "profile '{}' has aws_access_key_id but no aws_secret_access_key ({})",
                        profile, config.paths().credentials);
    return std::optional<Credentials>(std::move(c));
  }

  Status put(std::string_view profile, const Credentials& keys) override {
    const std::string path = paths().credentials;
    MFAENV_CHECK(set_config_value(path, profile, "aws_access_key_id", keys.access_key_id, ConfigFileKind::kCredentials));
    return set_config_value(path, profile, "aws_secret_access_key", keys.secret_access_key, ConfigFileKind::kCredentials);
  }

  Status remove(std::string_view profile) override {
    auto removed = remove_config_keys(paths().credentials, profile,
                                      {"aws_access_key_id", "aws_secret_access_key", "aws_session_token"},
                                      ConfigFileKind::kCredentials);
    if (!removed) return removed.error();
    return {};
  }

  Result<std::vector<StoredKeyInfo>> list() override {
    const AwsConfig config = MFAENV_TRY(current());
    std::vector<StoredKeyInfo> out;
    for (const std::string_view name : config.profile_names()) {
      const std::optional<Profile> p = config.profile(name);
      if (!p) continue;
      const bool from_credentials_file =
          std::find(p->credentials_keys.begin(), p->credentials_keys.end(), "aws_access_key_id") != p->credentials_keys.end();
      if (!from_credentials_file) continue;
      StoredKeyInfo info;
      info.profile = name;
      info.key_hint = key_hint(*p->get("aws_access_key_id"));
      out.push_back(std::move(info));
    }
    return out;
  }

 private:
  ConfigPaths paths() const { return options_.config ? options_.config->paths() : config_paths_from_env(); }
  // Re-read every time: `keys import` changes the file between calls.
  Result<AwsConfig> current() const { return AwsConfig::load(paths()); }

  KeyStoreOptions options_;
};

}  // namespace

std::unique_ptr<KeyStore> make_credentials_file_store(const KeyStoreOptions& options) {
  return std::make_unique<CredentialsFileStore>(options);
}

}  // namespace mfaenv
