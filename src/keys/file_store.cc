// The `file` backend: one sealed file per profile (keys/sealed_file.h) in
// ${XDG_DATA_HOME:-~/.local/share}/mfaenv/keys (0700), each file 0600, replaced atomically.
#include <sys/stat.h>
#include <unistd.h>

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

constexpr std::string_view kKeyDirMovedBy = "XDG_DATA_HOME";

// An empty or relative HOME is refused, as for the cache folder (docs/hardening.md, defect 12):
// keys stored under "/" or the current folder would be lost from any other folder.
Result<std::string> key_dir() {
  if (auto data = env("XDG_DATA_HOME"); data && !data->empty() && starts_with(*data, "/")) return *data + "/mfaenv/keys";
  MFAENV_CHECK(check_home("key store folder", kKeyDirMovedBy));
  return expand_user("~/.local/share/mfaenv/keys");
}

// A key file is used only when it is ours and private, as a session file is (docs/keys.md): one
// planted by someone else would make every session theirs. Unlike a cache file it is not replaced
// (it holds the only copy of the keys), so the error says how to fix it.
Status check_key_file(const struct stat& st, const std::string& path) {
  Status mine = check_private_file(st, path);
  if (mine.ok()) return {};
  if (S_ISREG(st.st_mode) && st.st_uid == ::geteuid())
    return make_error(ErrorKind::kGeneric, "{} is open to other users (mode {:o}): run 'chmod 600 {}'", path,
                      st.st_mode & 07777, path);
  return make_error(ErrorKind::kGeneric, "{}; it is not used: remove it, then store your keys again with 'mfaenv keys "
                    "add'", mine.error().message);
}

class FileStore : public KeyStore {
 public:
  explicit FileStore(KeyStoreOptions options) : options_(options), dir_(key_dir()) {}
  KeyBackend backend() const override { return KeyBackend::kFile; }
  std::string location(std::string_view profile) const override {
    return (dir_.ok() ? *dir_ : std::string("~/.local/share/mfaenv/keys")) + "/" + std::string(profile) + std::string(kSuffix);
  }

  Result<std::optional<Credentials>> get(std::string_view profile) override {
    MFAENV_CHECK(check_profile_name_for_store(profile));
    const std::string dir_path = MFAENV_TRY(dir_path_or_error());
    auto dir = PrivateDir::open(dir_path, CreateMissing::kNo, kKeyDirMovedBy);
    if (!dir) {
      if (file_type(dir_path) == FileType::kMissing) return std::optional<Credentials>();
      return dir.error();
    }
    const std::string name = std::string(profile) + std::string(kSuffix);
    struct stat st {};
    auto file = MFAENV_TRY(dir->read(name, kMaxKeyFile, &st));
    if (!file) return std::optional<Credentials>();
    if (Status mine = check_key_file(st, location(profile)); !mine.ok()) {
      wipe(*file);
      return std::move(mine).error();
    }
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
    const std::string dir_path = MFAENV_TRY(dir_path_or_error());
    PrivateDir dir = MFAENV_TRY(PrivateDir::open(dir_path, CreateMissing::kYes, kKeyDirMovedBy));
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
    const std::string dir_path = MFAENV_TRY(dir_path_or_error());
    if (file_type(dir_path) == FileType::kMissing) return {};
    PrivateDir dir = MFAENV_TRY(PrivateDir::open(dir_path, CreateMissing::kNo, kKeyDirMovedBy));
    return dir.remove(std::string(profile) + std::string(kSuffix));
  }

  Result<std::vector<StoredKeyInfo>> list() override {
    std::vector<StoredKeyInfo> out;
    const std::string dir_path = MFAENV_TRY(dir_path_or_error());
    if (file_type(dir_path) == FileType::kMissing) return out;
    PrivateDir dir = MFAENV_TRY(PrivateDir::open(dir_path, CreateMissing::kNo, kKeyDirMovedBy));
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
  Result<std::string> dir_path_or_error() const {
    if (!dir_.ok()) return dir_.error();
    return *dir_;
  }

  KeyStoreOptions options_;
  Result<std::string> dir_;
};

}  // namespace

std::unique_ptr<KeyStore> make_file_store(const KeyStoreOptions& options) { return std::make_unique<FileStore>(options); }

}  // namespace mfaenv
