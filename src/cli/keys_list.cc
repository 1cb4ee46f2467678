// mfaenv keys list [--json]: every profile with stored keys: backend, key id (masked), when it was
// stored, and how many cached sessions it has. Nothing is decrypted that needs a prompt.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cache/session_cache.h"
#include "cli/keys_commands.h"
#include "cli/session_context.h"
#include "keys/key_record.h"
#include "util/printable.h"

namespace mfaenv {
namespace {

enum class ListFormat { kTable, kJson };

struct KeysListOptions {
  ListFormat format = ListFormat::kTable;
};

struct ListedKey {
  StoredKeyInfo info;
  KeyBackend backend;
  int sessions = 0;
};

Status run_keys_list(const KeysListOptions& options) {
  AwsConfig config = MFAENV_TRY(load_aws_config());
  std::vector<ListedKey> rows;
  KeyStoreOptions o;
  o.prompt = KeyPrompt::kNever;
  o.config = &config;
  for (KeyBackend b : {KeyBackend::kSecretService, KeyBackend::kPass, KeyBackend::kFile, KeyBackend::kCredentialsFile}) {
    // A backend that is not set up (no keyring running, no pass) lists nothing rather than failing.
    const bool configured = b != KeyBackend::kSecretService || env("DBUS_SESSION_BUS_ADDRESS").value_or("") != "";
    if (!configured) continue;
    auto listed = open_key_store(b, o)->list();
    if (!listed) {
      fmt::print(stderr, "mfaenv: warning: cannot list the {} backend: {}\n", backend_name(b), listed.error().message);
      continue;
    }
    for (auto& info : *listed) rows.push_back({std::move(info), b, 0});
  }
  if (auto cache = SessionCache::open(default_cache_dir(), CreateMissing::kNo)) {
    for (const auto& key : cache->keys())
      if (auto lookup = cache->read(key); lookup.session)
        for (auto& row : rows)
          if (row.info.profile == lookup.session->profile) ++row.sessions;
  }
  const TimePoint t = now();
  if (options.format == ListFormat::kJson) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
      nlohmann::json j = {{"Profile", r.info.profile}, {"Backend", backend_name(r.backend)},
                          {"AccessKeyId", r.info.key_hint}, {"Sessions", r.sessions}};
      j["StoredAt"] = r.info.stored_at ? nlohmann::json(format_rfc3339(*r.info.stored_at)) : nlohmann::json(nullptr);
      out.push_back(std::move(j));
    }
    fmt::print("{}\n", out.dump(4));
    return {};
  }
  if (rows.empty()) {
    fmt::print(stderr, "mfaenv: no stored keys; add some with 'mfaenv keys add PROFILE' or 'mfaenv keys import PROFILE'\n");
    return {};
  }
  // print_line: a profile name is data and may hold terminal escapes (attack 2, F15).
  print_line("{:<20} {:<17} {:<12} {:<12} {}", "PROFILE", "BACKEND", "KEY", "STORED", "SESSIONS");
  for (const auto& r : rows) {
    const std::string age = r.info.stored_at ? format_duration(std::chrono::duration_cast<Seconds>(t - *r.info.stored_at)) + " ago" : "-";
    print_line("{:<20} {:<17} {:<12} {:<12} {}", r.info.profile, backend_name(r.backend),
               r.info.key_hint.empty() ? "(locked)" : r.info.key_hint, age, r.sessions);
  }
  return {};
}

}  // namespace

void add_keys_list_command(CLI::App* keys, CommandAction& run) {
  auto options = std::make_shared<KeysListOptions>();
  auto* cmd = keys->add_subcommand("list", "List stored keys: profile, backend, key id (masked), age, sessions");
  cmd->add_flag_function("--json", [options](int64_t) { options->format = ListFormat::kJson; }, "JSON output");
  cmd->callback([options, &run] { run = [options] { return run_keys_list(*options); }; });
}

}  // namespace mfaenv
