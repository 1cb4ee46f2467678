// mfaenv keys add P [--backend B] [--from-env]: asks for a key id and secret on /dev/tty (secret
// not echoed), or takes AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the seed's MASTER_… pair),
// stores them, reads them back, writes mfaenv_keyring, and forgets the profile's cached sessions.
#include <fmt/format.h>

#include "cli/keys_commands.h"
#include "cli/profile_options.h"
#include "keys/key_record.h"
#include "keys/tty_input.h"
#include "util/strings.h"
#include "util/shell_word.h"

namespace mfaenv {
namespace {

enum class KeysInput { kTerminal, kEnvironment };

struct KeysAddOptions {
  std::string profile_argument;
  std::string profile_flag;
  std::string backend;
  KeysInput input = KeysInput::kTerminal;
};

Result<Credentials> keys_from_environment() {
  Credentials c;
  for (auto [id, secret] : {std::pair{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"},
                            std::pair{"MASTER_AWS_ACCESS_KEY_ID", "MASTER_AWS_SECRET_ACCESS_KEY"}}) {
    auto i = env(id), s = env(secret);
    if (i && !i->empty() && s && !s->empty()) {
      c.access_key_id = *i;
      c.secret_access_key = *s;
      return c;
    }
  }
  return make_error(ErrorKind::kUsage,
                    "--from-env: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or MASTER_AWS_ACCESS_KEY_ID and "
                    "MASTER_AWS_SECRET_ACCESS_KEY)");
}

Result<Credentials> keys_from_terminal(const std::string& profile) {
  const std::string without = "run '" + suggested_command("keys add", {profile, "--from-env"}) + "' with the keys in the environment";
  Credentials c;
  c.access_key_id = std::string(trim(MFAENV_TRY(ask_on_tty("Access key id: ", TtyEcho::kShow, without))));
  c.secret_access_key = MFAENV_TRY(ask_on_tty("Secret access key (not shown): ", TtyEcho::kHide, without));
  return c;
}

Status run_keys_add(const KeysAddOptions& options) {
  auto profile = MFAENV_TRY(load_keys_profile(options.profile_argument, options.profile_flag, ProfileMustExist::kNo));
  const KeyBackend backend = MFAENV_TRY(backend_to_write(options.backend, *profile));
  Credentials keys = MFAENV_TRY(options.input == KeysInput::kEnvironment ? keys_from_environment()
                                                                          : keys_from_terminal(profile->name));
  MFAENV_CHECK(check_long_term_keys(keys));
  auto store = open_key_store(backend, store_options(*profile));
  MFAENV_CHECK(store_and_verify(*store, profile->name, keys));
  MFAENV_CHECK(keys_fault_point("record"));
  MFAENV_CHECK(record_backend(*profile, backend));
  MFAENV_CHECK(forget_sessions_of(profile->name));
  fmt::print(stderr, "mfaenv: stored key {} of profile '{}' in {}; mfaenv_keyring = {} written to {}\n",
             key_hint(keys.access_key_id), profile->name, store->location(profile->name), backend_name(backend),
             profile->config.paths().config);
  if (backend != KeyBackend::kCredentialsFile && profile->settings && profile->settings->access_key_id)
    fmt::print(stderr, "mfaenv: plaintext keys of '{}' are still in {}: '{}' would have moved them; "
               "remove them there\n", profile->name, profile->config.paths().credentials,
               suggested_command("keys import", {profile->name}));
  return {};
}

}  // namespace

void add_keys_add_command(CLI::App* keys, CommandAction& run) {
  auto options = std::make_shared<KeysAddOptions>();
  auto* cmd = keys->add_subcommand("add", "Store a profile's long-term keys (asked on the terminal) in a key store");
  add_profile_options(cmd, options->profile_argument, options->profile_flag);
  cmd->add_option("--backend", options->backend, "secret-service, pass, file or credentials-file");
  cmd->add_flag_function("--from-env", [options](int64_t) { options->input = KeysInput::kEnvironment; },
                         "Take AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or MASTER_AWS_…) from the environment");
  cmd->callback([options, &run] { run = [options] { return run_keys_add(*options); }; });
}

}  // namespace mfaenv
