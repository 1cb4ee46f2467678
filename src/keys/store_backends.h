// The backends' constructors, for key_store.cc's factory only (callers use open_key_store()).
#pragma once

#include <memory>

#include "keys/key_store.h"

namespace mfaenv {

std::unique_ptr<KeyStore> make_secret_service_store(const KeyStoreOptions& options);
std::unique_ptr<KeyStore> make_pass_store(const KeyStoreOptions& options);
std::unique_ptr<KeyStore> make_file_store(const KeyStoreOptions& options);
std::unique_ptr<KeyStore> make_credentials_file_store(const KeyStoreOptions& options);

}  // namespace mfaenv
