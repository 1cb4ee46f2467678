// The file backend's passphrase: MFAENV_FILE_PASSPHRASE, else the profile's
// mfaenv_passphrase_process (its first line of output), else a prompt on /dev/tty.
#pragma once

#include <string>
#include <string_view>

#include "keys/key_store.h"
#include "util/result.h"

namespace mfaenv {

enum class PassphraseUse { kOpen, kCreate };  // kCreate asks twice on a terminal

Result<std::string> get_file_passphrase(const KeyStoreOptions& options, PassphraseUse use, std::string_view what);

}  // namespace mfaenv
