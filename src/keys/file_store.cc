// The `file` backend: one sealed file per profile (keys/sealed_file.h) in
// ${XDG_DATA_HOME:-~/.local/share}/mfaenv/keys (0700), each file 0600, replaced atomically.
#include <sys/stat.h>

#include "keys/key_record.h"
#include "keys/passphrase.h"
#include "keys/sealed_file.h"
#include "keys/store_backends.h"
#include "util/file.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

constexpr size_t kMaxKeyFile = 64 * 1024;
constexpr std::string_view kSuffix = ".keys";

std::string key_dir() {
  if (auto data = env("XDG_DATA_HOME"); data && !data->empty() && starts_with(*data, "/")) return *data + "/mfaenv/keys";
  return expand_user("~/.local/share/mfaenv/keys");
}

class FileStore : public KeyStore {
 public:
  explicit FileStore(KeyStoreOptions options) : options_(options), dir_(key_dir()) {}
  KeyBackend backend() const override { return KeyBackend::kFile; }
  std::string location(std::string_view profile) const override { return dir_ + "/" + std::string(profile) + std::string(kSuffix); }

  Result<std::optional<Credentials>> get(std::string_view profile) override {
    MFAENV_CHECK(check_profile_name_for_store(profile));
    auto dir = PrivateDir::open(dir_, CreateMissing::kNo);
    if (!dir) {
      if (file_type(dir_) == FileType::kMissing) return std::optional<Credentials>();
      return dir.error();
    }
    const std::string name = std::string(profile) + std::string(kSuffix);
    auto file = MFAENV_TRY(dir->read(name, kMaxKeyFile));
    if (!file) return std::optional<Credentials>();
    std::string passphrase = MFAENV_TRY(get_file_passphrase(
        options_, PassphraseUse::kOpen, fmt::format("the key file of profile '{}' ({})", profile, location(profile))));
    auto plain = open_key_file(*file, passphrase, location(profile));
    wipe(passphrase);
    if (!plain) return plain.error();
    auto record = decode_key_record(*plain, location(profile));
    wipe(*plain);
    if (!record) return record.error();
    return std::optional<Credentials>(std::move(record->keys));
  }

  Status put(std::string_view profile, const Credentials& keys) override {
    MFAENV_CHECK(check_profile_name_for_store(profile));
    PrivateDir dir = MFAENV_TRY(PrivateDir::open(dir_, CreateMissing::kYes));
    const TimePoint stored = system_now();
    std::string passphrase = MFAENV_TRY(get_file_passphrase(
        options_, PassphraseUse::kCreate, fmt::format("storing the keys of profile '{}' in {}", profile, location(profile))));
    std::string record = encode_key_record(keys, stored);
    auto sealed = seal_key_file(record, passphrase,
                                SealedFileInfo{std::string(profile), key_hint(keys.access_key_id), format_rfc3339(stored)});
    wipe(record);
    wipe(passphrase);
    if (!sealed) return sealed.error();
    return dir.write_atomic(std::string(profile) + std::string(kSuffix), *sealed, 0600);
  }

  Status remove(std::string_view profile) override {
    MFAENV_CHECK(check_profile_name_for_store(profile));
    if (file_type(dir_) == FileType::kMissing) return {};
    PrivateDir dir = MFAENV_TRY(PrivateDir::open(dir_, CreateMissing::kNo));
    return dir.remove(std::string(profile) + std::string(kSuffix));
  }

  Result<std::vector<StoredKeyInfo>> list() override {
    std::vector<StoredKeyInfo> out;
    if (file_type(dir_) == FileType::kMissing) return out;
    PrivateDir dir = MFAENV_TRY(PrivateDir::open(dir_, CreateMissing::kNo));
    for (const std::string& name : dir.names()) {
      if (name.size() <= kSuffix.size() || name.substr(name.size() - kSuffix.size()) != kSuffix) continue;
      auto file = dir.read(name, kMaxKeyFile);
      if (!file || !*file) continue;
      StoredKeyInfo info;
      info.profile = name.substr(0, name.size() - kSuffix.size());
      if (auto header = read_key_file_info(**file, dir.path_of(name))) {
        info.key_hint = header->key_hint;  // the file keeps only the hint in the clear
        info.stored_at = stored_time(header->stored_at);
      }
      out.push_back(std::move(info));
    }
    return out;
  }

 private:
  KeyStoreOptions options_;
  std::string dir_;
};

}  // namespace

std::unique_ptr<KeyStore> make_file_store(const KeyStoreOptions& options) { return std::make_unique<FileStore>(options); }

}  // namespace mfaenv
