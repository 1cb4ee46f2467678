// `mfaenv keys …` (docs/keys.md): the subcommands, one file each, and what they share: the
// profile's settings, which backend to write to, the mfaenv_keyring line, forgetting sessions.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/cli11.h"

#include "aws/config.h"
#include "aws/profile_settings.h"
#include "cli/command.h"
#include "keys/key_store.h"

namespace mfaenv {

void add_keys_add_command(CLI::App* keys, CommandAction& run);
void add_keys_import_command(CLI::App* keys, CommandAction& run);
void add_keys_list_command(CLI::App* keys, CommandAction& run);
void add_keys_remove_command(CLI::App* keys, CommandAction& run);
void add_keys_rotate_command(CLI::App* keys, CommandAction& run);

// The config files and, when it exists, the profile's typed settings.
struct KeysProfile {
  KeysProfile() = default;
  KeysProfile(const KeysProfile&) = delete;
  KeysProfile& operator=(const KeysProfile&) = delete;
  AwsConfig config;
  std::unique_ptr<ProfileLoader> loader;
  std::string name;
  const ProfileSettings* settings = nullptr;  // null: no such profile yet (keys add makes one)
};
enum class ProfileMustExist { kYes, kNo };
Result<std::unique_ptr<KeysProfile>> load_keys_profile(const std::string& argument, const std::string& flag,
                                                       ProfileMustExist must_exist);

// --backend B, else the profile's mfaenv_keyring, else MFAENV_KEYRING, else secret-service when a
// D-Bus session exists, else file.
Result<KeyBackend> backend_to_write(const std::string& flag, const KeysProfile& profile);
// `flag` parsed (empty: nullopt); kUsage naming the valid names.
Result<std::optional<KeyBackend>> parse_backend_flag(const std::string& flag);

KeyStoreOptions store_options(const KeysProfile& profile, KeyPrompt prompt = KeyPrompt::kAllowed);

// Writes mfaenv_keyring = B into the profile's config section.
Status record_backend(const KeysProfile& profile, KeyBackend backend);

// Forgets the cached sessions of `profile` and those made from them (their key changed).
Status forget_sessions_of(const std::string& profile);

}  // namespace mfaenv

namespace mfaenv {

// Test hook (docs/keys.md): MFAENV_TEST_FAULT=fail:STEP makes step STEP fail, kill:STEP kills
// mfaenv with SIGKILL there; the tests prove every step leaves a working key.
Status keys_fault_point(std::string_view step);

// Stores `keys` and reads them back: an Error unless the store gives back the same key.
Status store_and_verify(KeyStore& store, const std::string& profile, const Credentials& keys);

}  // namespace mfaenv
