// dlopen()ing libsecret. The handle is never closed: GLib's type system does not survive unloading.
#include "keys/libsecret_library.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace mfaenv {
namespace {

std::atomic<bool> g_secret_loaded{false};

struct SecretLoadOutcome {
  LibsecretLibrary library{};
  std::string error;
};

template <typename Function>
bool resolve_secret(void* handle, const char* name, Function& out, std::string& missing) {
  void* symbol = dlsym(handle, name);  // also searches libsecret's dependencies (GLib, GObject)
  if (symbol == nullptr) {
    missing = name;
    return false;
  }
  out = reinterpret_cast<Function>(symbol);
  return true;
}

SecretLoadOutcome load_secret() {
  SecretLoadOutcome outcome;
  const char* override_name = std::getenv("MFAENV_LIBSECRET");
  const char* file = override_name != nullptr && *override_name != '\0' ? override_name : "libsecret-1.so.0";
  void* handle = dlopen(file, RTLD_LAZY | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = dlerror();
    outcome.error = std::string("cannot load ") + file + " (" + (reason ? reason : "unknown error") +
                    "); the secret-service backend needs libsecret: 'apt-get install libsecret-1-0', or choose "
                    "another backend (mfaenv_keyring = pass | file)";
    return outcome;
  }
  LibsecretLibrary& l = outcome.library;
  std::string missing;
  const bool ok = resolve_secret(handle, "secret_password_store_sync", l.password_store_sync, missing) &&
                  resolve_secret(handle, "secret_password_lookup_sync", l.password_lookup_sync, missing) &&
                  resolve_secret(handle, "secret_password_clear_sync", l.password_clear_sync, missing) &&
                  resolve_secret(handle, "secret_password_search_sync", l.password_search_sync, missing) &&
                  resolve_secret(handle, "secret_password_free", l.password_free, missing) &&
                  resolve_secret(handle, "secret_retrievable_get_attributes", l.retrievable_get_attributes, missing) &&
                  resolve_secret(handle, "secret_retrievable_retrieve_secret_sync", l.retrievable_retrieve_secret_sync, missing) &&
                  resolve_secret(handle, "secret_value_get_text", l.value_get_text, missing) &&
                  resolve_secret(handle, "secret_value_unref", l.value_unref, missing) &&
                  resolve_secret(handle, "secret_item_get_locked", l.item_get_locked, missing) &&
                  resolve_secret(handle, "g_hash_table_lookup", l.hash_table_lookup, missing) &&
                  resolve_secret(handle, "g_hash_table_unref", l.hash_table_unref, missing) &&
                  resolve_secret(handle, "g_list_free_full", l.list_free_full, missing) &&
                  resolve_secret(handle, "g_object_unref", l.object_unref, missing) &&
                  resolve_secret(handle, "g_error_free", l.error_free, missing);
  if (!ok) {
    outcome.error = std::string(file) + " is not a usable libsecret (it has no " + missing + "); libsecret 0.19 or newer is needed";
    return outcome;
  }
  g_secret_loaded = true;
  return outcome;
}

}  // namespace

Result<const LibsecretLibrary*> load_libsecret_library() {
  static const SecretLoadOutcome outcome = load_secret();
  if (!outcome.error.empty()) return Error{ErrorKind::kGeneric, outcome.error};
  return &outcome.library;
}

bool libsecret_library_loaded() { return g_secret_loaded; }

}  // namespace mfaenv
