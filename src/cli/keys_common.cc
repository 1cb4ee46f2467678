// What the `keys` subcommands share (cli/keys_commands.h), and `mfaenv keys` itself.
#include <signal.h>
#include <unistd.h>

#include "cache/session_cache.h"
#include "cli/keys_commands.h"
#include "cli/profile_options.h"
#include "cli/session_context.h"
#include "util/strings.h"

namespace mfaenv {

Result<std::unique_ptr<KeysProfile>> load_keys_profile(const std::string& argument, const std::string& flag,
                                                       ProfileMustExist must_exist) {
  auto p = std::make_unique<KeysProfile>();
  p->config = MFAENV_TRY(load_aws_config());
  p->loader = std::make_unique<ProfileLoader>(p->config);
  const ProfileName name = choose_profile_name(argument, flag);
  p->name = name.name;
  MFAENV_CHECK(check_profile_name_for_store(p->name));
  if (p->config.has_profile(p->name)) {
    p->settings = MFAENV_TRY(p->loader->load(name));
  } else if (must_exist == ProfileMustExist::kYes) {
    return profile_not_found(p->config, name);
  }
  return p;
}

Result<std::optional<KeyBackend>> parse_backend_flag(const std::string& flag) {
  if (flag.empty()) return std::optional<KeyBackend>();
  auto b = parse_backend(flag);
  if (!b) return make_error(ErrorKind::kUsage, "--backend {} is not a key backend; use one of {}", flag, backend_names());
  return b;
}

Result<KeyBackend> backend_to_write(const std::string& flag, const KeysProfile& profile) {
  if (auto b = MFAENV_TRY(parse_backend_flag(flag))) return *b;
  if (profile.settings && profile.settings->keyring) return *profile.settings->keyring;
  if (auto name = env("MFAENV_KEYRING"); name && !trim(*name).empty()) {
    auto b = parse_backend(*name);
    if (!b) return make_error(ErrorKind::kConfigInvalid, "MFAENV_KEYRING = {} is not a key backend (one of {})", *name, backend_names());
    return *b;
  }
  if (env("DBUS_SESSION_BUS_ADDRESS").value_or("") != "") return KeyBackend::kSecretService;
  return KeyBackend::kFile;
}

KeyStoreOptions store_options(const KeysProfile& profile, KeyPrompt prompt) {
  KeyStoreOptions o;
  o.prompt = prompt;
  o.config = &profile.config;
  o.profile = profile.settings;
  return o;
}

Status record_backend(const KeysProfile& profile, KeyBackend backend) {
  return set_config_value(profile.config.paths().config, profile.name, kKeyringSetting, backend_name(backend));
}

Status forget_sessions_of(const std::string& profile) {
  auto cache = SessionCache::open(default_cache_dir(), CreateMissing::kNo);
  if (!cache) return {};  // no cache folder: nothing to forget
  std::vector<std::string> doomed;
  const std::vector<std::string> all = cache->keys();
  for (const auto& key : all)
    if (auto lookup = cache->read(key); lookup.session && lookup.session->profile == profile) doomed.push_back(key);
  for (size_t i = 0; i < doomed.size(); ++i)  // sessions made from them, however deep
    for (const auto& key : all)
      if (auto lookup = cache->read(key); lookup.session && lookup.session->parent == doomed[i] &&
                                          std::find(doomed.begin(), doomed.end(), key) == doomed.end())
        doomed.push_back(key);
  for (const auto& key : doomed) MFAENV_CHECK(cache->remove(key));
  return {};
}

Status keys_fault_point(std::string_view step) {
  const std::string fault = env("MFAENV_TEST_FAULT").value_or("");
  if (fault == "fail:" + std::string(step))
    return make_error(ErrorKind::kGeneric, "injected failure at step '{}' (MFAENV_TEST_FAULT)", step);
  if (fault == "kill:" + std::string(step)) ::kill(::getpid(), SIGKILL);
  return {};
}

Status store_and_verify(KeyStore& store, const std::string& profile, const Credentials& keys) {
  MFAENV_CHECK(keys_fault_point("store"));
  MFAENV_CHECK(store.put(profile, keys));
  MFAENV_CHECK(keys_fault_point("read-back"));
  auto back = MFAENV_TRY(store.get(profile));
  const bool same = back && back->access_key_id == keys.access_key_id && back->secret_access_key == keys.secret_access_key;
  if (!same)
    return make_error(ErrorKind::kGeneric, "the {} backend did not give back the key just stored for profile '{}'",
                      backend_name(store.backend()), profile);
  return {};
}

void add_keys_command(CLI::App& app, CommandAction& run) {
  auto* keys = app.add_subcommand("keys", "Keep long-term keys in a key store: add, import, list, remove, rotate");
  keys->require_subcommand(1);
  add_keys_add_command(keys, run);
  add_keys_import_command(keys, run);
  add_keys_list_command(keys, run);
  add_keys_remove_command(keys, run);
  add_keys_rotate_command(keys, run);
}

}  // namespace mfaenv
