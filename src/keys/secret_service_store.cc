// The `secret-service` backend: the freedesktop Secret Service (GNOME Keyring, KWallet,
// KeePassXC) through libsecret, loaded on first use. One item per profile in the default
// collection, schema "io.github.mfaenv.AccessKey" with attributes `profile`, `key_hint` (AKIA…WXYZ)
// and `stored_at` (RFC 3339); the secret is the key record of keys/key_record.h.
#include "keys/key_record.h"
#include "keys/libsecret_library.h"
#include "keys/store_backends.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

const SecretSchema kAccessKeySchema = {
    "io.github.mfaenv.AccessKey",
    SECRET_SCHEMA_NONE,
    {{"profile", SECRET_SCHEMA_ATTRIBUTE_STRING},
     {"key_hint", SECRET_SCHEMA_ATTRIBUTE_STRING},
     {"stored_at", SECRET_SCHEMA_ATTRIBUTE_STRING},
     {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING}},
    0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

constexpr const char* kUnreachableHint =
    "is a keyring (GNOME Keyring, KWallet, KeePassXC) running in this desktop session, with "
    "DBUS_SESSION_BUS_ADDRESS set?";

// Takes ownership of a GError and turns it into one line.
std::string take_error(const LibsecretLibrary& lib, GError* error) {
  std::string text = error && error->message ? error->message : "unknown error";
  if (error) lib.error_free(error);
  return text;
}

class SecretServiceStore : public KeyStore {
 public:
  explicit SecretServiceStore(KeyStoreOptions options) : options_(options) {}
  KeyBackend backend() const override { return KeyBackend::kSecretService; }
  std::string location(std::string_view profile) const override {
    return fmt::format("the Secret Service (item '{}' of schema io.github.mfaenv.AccessKey)", profile);
  }

  Result<std::optional<Credentials>> get(std::string_view profile) override {
    const LibsecretLibrary& lib = *MFAENV_TRY(load_libsecret_library());
    const std::string p(profile);
    const std::string where = fmt::format("the Secret Service item of profile '{}'", profile);
    std::string text;
    if (options_.prompt == KeyPrompt::kAllowed) {
      GError* error = nullptr;
      gchar* secret = lib.password_lookup_sync(&kAccessKeySchema, nullptr, &error, "profile", p.c_str(), nullptr);
      if (error) return make_error(ErrorKind::kGeneric, "cannot read {}: {}; {}", where, take_error(lib, error), kUnreachableHint);
      if (!secret) return std::optional<Credentials>();
      text = secret;
      lib.password_free(secret);  // libsecret wipes it
    } else {
      // Never unlock (an unlock opens a prompt): a locked item is exit 3 with what to unlock.
      GError* error = nullptr;
      GList* items = lib.password_search_sync(&kAccessKeySchema, SECRET_SEARCH_NONE, nullptr, &error, "profile",
                                              p.c_str(), nullptr);
      if (error) return make_error(ErrorKind::kGeneric, "cannot search the Secret Service: {}; {}", take_error(lib, error), kUnreachableHint);
      if (!items) return std::optional<Credentials>();
      auto* item = static_cast<SecretRetrievable*>(items->data);
      const bool locked = lib.item_get_locked(reinterpret_cast<SecretItem*>(item));
      SecretValue* value = locked ? nullptr : lib.retrievable_retrieve_secret_sync(item, nullptr, &error);
      lib.list_free_full(items, lib.object_unref);
      if (locked || !value) {
        if (error) lib.error_free(error);
        return make_error(ErrorKind::kMfaCodeNeeded,
                          "the keys of profile '{}' are in a locked keyring: unlock it (log in to the desktop, or open "
                          "Passwords and Keys / seahorse) and try again, or run without --no-prompt",
                          profile);
      }
      text = lib.value_get_text(value) ? lib.value_get_text(value) : "";
      lib.value_unref(value);
    }
    auto record = decode_key_record(text, where);
    wipe(text);
    if (!record) return record.error();
    return std::optional<Credentials>(std::move(record->keys));
  }

  Status put(std::string_view profile, const Credentials& keys) override {
    const LibsecretLibrary& lib = *MFAENV_TRY(load_libsecret_library());
    const std::string p(profile), hint = key_hint(keys.access_key_id);
    const TimePoint stored = system_now();
    const std::string stored_text = format_rfc3339(stored);
    const std::string label = fmt::format("mfaenv: AWS access key of profile {}", profile);
    std::string record = encode_key_record(keys, stored);
    GError* error = nullptr;
    const gboolean ok = lib.password_store_sync(&kAccessKeySchema, SECRET_COLLECTION_DEFAULT, label.c_str(), record.c_str(),
                                                nullptr, &error, "profile", p.c_str(), "key_hint", hint.c_str(),
                                                "stored_at", stored_text.c_str(), nullptr);
    wipe(record);
    if (!ok || error)
      return make_error(ErrorKind::kGeneric, "cannot store the keys of profile '{}' in the Secret Service: {}; {}", profile,
                        take_error(lib, error), kUnreachableHint);
    return {};
  }

  Status remove(std::string_view profile) override {
    const LibsecretLibrary& lib = *MFAENV_TRY(load_libsecret_library());
    const std::string p(profile);
    GError* error = nullptr;
    lib.password_clear_sync(&kAccessKeySchema, nullptr, &error, "profile", p.c_str(), nullptr);
    if (error)
      return make_error(ErrorKind::kGeneric, "cannot remove the keys of profile '{}' from the Secret Service: {}", profile,
                        take_error(lib, error));
    // A locked item is not deleted (and libsecret does not say so): look again.
    GList* left = lib.password_search_sync(&kAccessKeySchema, SECRET_SEARCH_NONE, nullptr, &error, "profile", p.c_str(), nullptr);
    if (error) lib.error_free(error);
    if (left) {
      lib.list_free_full(left, lib.object_unref);
      return make_error(ErrorKind::kGeneric, "the keys of profile '{}' are in a locked keyring and were not deleted: unlock it "
                        "(log in to the desktop, or open Passwords and Keys / seahorse) and try again", profile);
    }
    return {};
  }

  Result<std::vector<StoredKeyInfo>> list() override {
    const LibsecretLibrary& lib = *MFAENV_TRY(load_libsecret_library());
    GError* error = nullptr;
    GList* items = lib.password_search_sync(&kAccessKeySchema, SECRET_SEARCH_ALL, nullptr, &error, nullptr);
    if (error) return make_error(ErrorKind::kGeneric, "cannot search the Secret Service: {}; {}", take_error(lib, error), kUnreachableHint);
    std::vector<StoredKeyInfo> out;
    for (GList* i = items; i != nullptr; i = i->next) {
      GHashTable* attributes = lib.retrievable_get_attributes(static_cast<SecretRetrievable*>(i->data));
      auto attribute = [&](const char* name) {
        auto* v = static_cast<const char*>(lib.hash_table_lookup(attributes, name));
        return std::string(v ? v : "");
      };
      StoredKeyInfo info;
      info.profile = attribute("profile");
      info.key_hint = attribute("key_hint");
      info.stored_at = stored_time(attribute("stored_at"));
      lib.hash_table_unref(attributes);
      if (!info.profile.empty()) out.push_back(std::move(info));
    }
    if (items) lib.list_free_full(items, lib.object_unref);
    return out;
  }

 private:
  KeyStoreOptions options_;
};

}  // namespace

std::unique_ptr<KeyStore> make_secret_service_store(const KeyStoreOptions& options) {
  return std::make_unique<SecretServiceStore>(options);
}

}  // namespace mfaenv
