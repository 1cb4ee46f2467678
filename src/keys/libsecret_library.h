// The few libsecret (and GLib) functions the secret-service backend calls, found with dlsym in
// libsecret-1.so.0 the first time keys are needed: commands that use no keyring never map
// libsecret, GLib or D-Bus (the hot-path rule of docs/design.md §7). libsecret's headers are used for
// types and constants only.
#pragma once

#include <libsecret/secret.h>

#include "util/result.h"

namespace mfaenv {

struct LibsecretLibrary {
  gboolean (*password_store_sync)(const SecretSchema*, const gchar*, const gchar*, const gchar*, GCancellable*, GError**, ...);
  gchar* (*password_lookup_sync)(const SecretSchema*, GCancellable*, GError**, ...);
  gboolean (*password_clear_sync)(const SecretSchema*, GCancellable*, GError**, ...);
  GList* (*password_search_sync)(const SecretSchema*, SecretSearchFlags, GCancellable*, GError**, ...);
  void (*password_free)(gchar*);
  GHashTable* (*retrievable_get_attributes)(SecretRetrievable*);
  SecretValue* (*retrievable_retrieve_secret_sync)(SecretRetrievable*, GCancellable*, GError**);
  const gchar* (*value_get_text)(SecretValue*);
  void (*value_unref)(gpointer);
  gboolean (*item_get_locked)(SecretItem*);
  gpointer (*hash_table_lookup)(GHashTable*, gconstpointer);
  void (*hash_table_unref)(GHashTable*);
  void (*list_free_full)(GList*, GDestroyNotify);
  void (*object_unref)(gpointer);
  void (*error_free)(GError*);
};

// Loads libsecret-1.so.0 (MFAENV_LIBSECRET names another file, for tests), once per process.
Result<const LibsecretLibrary*> load_libsecret_library();
bool libsecret_library_loaded();

}  // namespace mfaenv
