// mfaenv keys remove P [--force]: deletes the profile's stored keys (asking first on /dev/tty
// unless --force) and its cached sessions, and drops mfaenv_keyring from the profile.
#include <fmt/format.h>

#include "cli/keys_commands.h"
#include "cli/profile_options.h"
#include "keys/tty_input.h"
#include "util/strings.h"

namespace mfaenv {
namespace {

enum class Confirm { kAsk, kForce };

struct KeysRemoveOptions {
  std::string profile_argument;
  std::string profile_flag;
  std::string backend;
  Confirm confirm = Confirm::kAsk;
};

Status run_keys_remove(const KeysRemoveOptions& options) {
  auto profile = MFAENV_TRY(load_keys_profile(options.profile_argument, options.profile_flag, ProfileMustExist::kNo));
  std::optional<KeyBackend> backend = MFAENV_TRY(parse_backend_flag(options.backend));
  if (!backend && profile->settings) backend = MFAENV_TRY(backend_for(*profile->settings));
  if (!backend)
    return make_error(ErrorKind::kUsage, "profile '{}' has no stored keys mfaenv knows of; name the store with --backend",
                      profile->name);
  auto store = open_key_store(*backend, store_options(*profile));
  if (options.confirm == Confirm::kAsk) {
    std::string answer = MFAENV_TRY(ask_on_tty(
        fmt::format("Delete the keys of profile '{}' from {}? They cannot be recovered there. [y/N] ", profile->name,
                    store->location(profile->name)),
        TtyEcho::kShow, "pass --force to delete without asking"));
    if (to_lower(trim(answer)) != "y" && to_lower(trim(answer)) != "yes")
      return make_error(ErrorKind::kGeneric, "nothing deleted");
  }
  MFAENV_CHECK(store->remove(profile->name));
  MFAENV_CHECK(forget_sessions_of(profile->name));
  if (profile->settings && profile->settings->keyring)
    if (auto r = remove_config_keys(profile->config.paths().config, profile->name, {kKeyringSetting}, ConfigFileKind::kConfig); !r) return r.error();
  fmt::print(stderr, "mfaenv: deleted the keys of profile '{}' from {}\n", profile->name, store->location(profile->name));
  return {};
}

}  // namespace

void add_keys_remove_command(CLI::App* keys, CommandAction& run) {
  auto options = std::make_shared<KeysRemoveOptions>();
  auto* cmd = keys->add_subcommand("remove", "Delete a profile's stored keys (asks first unless --force)");
  add_profile_options(cmd, options->profile_argument, options->profile_flag);
  cmd->add_option("--backend", options->backend, "The store to delete from (default: the profile's)");
  cmd->add_flag_function("--force", [options](int64_t) { options->confirm = Confirm::kForce; }, "Do not ask");
  cmd->callback([options, &run] { run = [options] { return run_keys_remove(*options); }; });
}

}  // namespace mfaenv
