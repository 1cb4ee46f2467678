// The long-term credentials at the bottom of a chain (docs/design.md §4): a key store (mfaenv_keyring,
// else MFAENV_KEYRING; docs/keys.md), else static keys in the profile, else its credential_process, else (credential_source = Environment, or nothing at all) the
// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY of the environment.
#pragma once

#include <string>

#include "aws/credentials.h"
#include "aws/profile_settings.h"
#include "util/result.h"

namespace mfaenv {

enum class SourceKind { kStaticKeys, kProcess, kEnvironment, kKeyStore };

struct SourceSpec {
  SourceKind kind = SourceKind::kStaticKeys;
  std::string profile;       // the profile the source was found in
  std::string identity;      // stable and not secret: names the cache entries made from it
  std::string process;       // the credential_process command (kProcess)
  std::string access_key_id; // known without running anything (kStaticKeys, kEnvironment)
  bool temporary = false;    // static keys with aws_session_token: already a session
  const ProfileSettings* settings = nullptr;  // the profile above (kStaticKeys reads its secret)
  KeyringBackend backend = KeyringBackend::kCredentialsFile;  // kKeyStore: which store holds the keys
};

// Decides where `profile`'s long-term credentials come from without reading any secret or
// running anything: cheap enough for the warm-cache path.
Result<SourceSpec> find_source(const ProfileSettings& profile);

// Gets the credentials (runs credential_process, or opens the key store, if that is the source).
// With kNever a store that would ask (locked keyring, passphrase) is kMfaCodeNeeded (exit 3).
enum class SourcePrompt { kAllowed, kNever };
Result<Credentials> load_source(const SourceSpec& spec, SourcePrompt prompt = SourcePrompt::kAllowed);

// Parses credential_process output (Version 1 JSON); errors name `profile` (never the command,
// which may hold a secret).
Result<Credentials> parse_process_output(std::string_view json, std::string_view profile);

// The variable that marks profiles being resolved, so that a credential_process running mfaenv
// for the same profile is refused instead of forking forever.
inline constexpr const char* kResolvingVariable = "MFAENV_RESOLVING";
Status check_not_resolving(std::string_view profile);

}  // namespace mfaenv
