// mfaenv keys import P [--backend B] [--from-envrc FILE]: moves P's plaintext keys into a key
// store. Order: store, read back, write mfaenv_keyring, and only then take the plaintext lines out
// (every other byte of the file kept). A failure at any step leaves the plaintext where it was.
// A .envrc is read, never run: its `export MASTER_AWS_…=` lines are parsed, and the lines to
// delete are printed with the `use mfaenv P` line to put instead.
#include <fmt/format.h>

#include "cli/keys_commands.h"
#include "cli/profile_options.h"
#include "keys/key_record.h"
#include "util/file.h"
#include "util/strings.h"
#include "util/shell_word.h"

namespace mfaenv {
namespace {

struct KeysImportOptions {
  std::string profile_argument;
  std::string profile_flag;
  std::string backend;
  std::string envrc;
};

struct EnvrcKeys {
  Credentials keys;
  std::vector<int> lines;  // 1-based lines holding them
};

// `export NAME=value`, value bare, '…' or "…" (no expansion: a value with $ is refused).
std::optional<std::pair<std::string, std::string>> export_line(std::string_view line) {
  line = trim(line);
  if (!starts_with(line, "export ")) return std::nullopt;
  line = trim(line.substr(7));
  const size_t eq = line.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  std::string name(line.substr(0, eq));
  std::string_view value = line.substr(eq + 1);
  if (const size_t hash = value.find(" #"); hash != std::string_view::npos) value = trim(value.substr(0, hash));
  if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') && value.back() == value.front())
    value = value.substr(1, value.size() - 2);
  return std::pair{name, std::string(value)};
}

Result<EnvrcKeys> read_envrc(const std::string& path) {
  auto text = MFAENV_TRY(read_file(path, Symlinks::kFollow, 1 << 20));
  if (!text) return make_error(ErrorKind::kUsage, "--from-envrc {}: no such file", path);
  EnvrcKeys out;
  const auto lines = split(*text, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    auto kv = export_line(lines[i]);
    if (!kv) continue;
    // sh joins a line ending in a backslash with the next one and drops other backslashes; reading
    // it differently would store a wrong key and name only some of the lines to delete. No AWS key
    // holds a backslash.
    const bool key_line = kv->first.find("AWS_ACCESS_KEY_ID") != std::string::npos ||
                          kv->first.find("AWS_SECRET_ACCESS_KEY") != std::string::npos;
    if (key_line && kv->second.find('\\') != std::string::npos) {
      wipe(kv->second);
      wipe(*text);
      return make_error(ErrorKind::kUsage, "{}:{}: {} holds a backslash (a line continued, or an escape), which sh "
                        "reads differently from the text; write the key on one line without it, or use 'mfaenv keys add P'",
                        path, i + 1, kv->first);
    }
    if (kv->first == "MASTER_AWS_ACCESS_KEY_ID" || kv->first == "AWS_ACCESS_KEY_ID") {
      out.keys.access_key_id = kv->second;
      out.lines.push_back(static_cast<int>(i + 1));
    } else if (kv->first == "MASTER_AWS_SECRET_ACCESS_KEY" || kv->first == "AWS_SECRET_ACCESS_KEY") {
      out.keys.secret_access_key = kv->second;
      out.lines.push_back(static_cast<int>(i + 1));
    }
    wipe(kv->second);
  }
  wipe(*text);
  if (out.keys.access_key_id.empty() || out.keys.secret_access_key.empty())
    return make_error(ErrorKind::kUsage, "{} has no 'export MASTER_AWS_ACCESS_KEY_ID=…' and 'export "
                      "MASTER_AWS_SECRET_ACCESS_KEY=…' lines", path);
  if (out.keys.access_key_id.find('$') != std::string::npos || out.keys.secret_access_key.find('$') != std::string::npos)
    return make_error(ErrorKind::kUsage, "{}: the keys are built from other variables ($…); mfaenv reads the file, never "
                      "runs it: use 'mfaenv keys add P' instead", path);
  return out;
}

Status run_keys_import(const KeysImportOptions& options) {
  auto profile = MFAENV_TRY(load_keys_profile(options.profile_argument, options.profile_flag,
                                              options.envrc.empty() ? ProfileMustExist::kYes : ProfileMustExist::kNo));
  KeyBackend backend = MFAENV_TRY(backend_to_write(options.backend, *profile));
  if (backend == KeyBackend::kCredentialsFile) {
    if (!options.backend.empty())
      return make_error(ErrorKind::kUsage, "import moves keys out of the credentials file: choose another --backend ({})", backend_names());
    backend = env("DBUS_SESSION_BUS_ADDRESS").value_or("") != "" ? KeyBackend::kSecretService : KeyBackend::kFile;
  }
  const std::string credentials = profile->config.paths().credentials;
  Credentials keys;
  std::optional<EnvrcKeys> envrc;
  if (!options.envrc.empty()) {
    envrc = MFAENV_TRY(read_envrc(options.envrc));
    keys = envrc->keys;
  } else {
    const ProfileSettings& s = *profile->settings;
    const std::optional<Profile> raw = profile->config.profile(profile->name);
    const bool in_credentials_file =
        raw && std::find(raw->credentials_keys.begin(), raw->credentials_keys.end(), "aws_access_key_id") != raw->credentials_keys.end();
    if (!s.access_key_id || !in_credentials_file)
      return make_error(ErrorKind::kUsage, "profile '{}' has no keys in {} to import{}", profile->name, credentials,
                        s.access_key_id ? " (they are in the config file: move them to the credentials file first, or use 'mfaenv keys add')" : "");
    keys.access_key_id = *s.access_key_id;
    keys.secret_access_key = s.secret_access_key.value_or("");
  }
  MFAENV_CHECK(check_long_term_keys(keys));
  auto store = open_key_store(backend, store_options(*profile));
  const std::string kept = fmt::format("; the plaintext keys are still in {}", envrc ? options.envrc : credentials);
  auto fail = [&](const Error& e) { return Error{e.kind, e.message + kept}; };
  if (auto st = store_and_verify(*store, profile->name, keys); !st.ok()) return fail(st.error());
  if (auto st = keys_fault_point("record"); !st.ok()) return fail(st.error());
  if (auto st = record_backend(*profile, backend); !st.ok()) return fail(st.error());
  const auto stored_line = [&] {
    fmt::print(stderr, "mfaenv: stored key {} of profile '{}' in {}\n", key_hint(keys.access_key_id), profile->name,
               store->location(profile->name));
  };
  if (envrc) {
    stored_line();
    fmt::print(stderr, "mfaenv: now delete these lines of {} (mfaenv never edits it): {}\n", options.envrc,
               fmt::join(envrc->lines, ", "));
    fmt::print(stderr, "mfaenv: and put this line there instead:\n");
    fmt::print("use mfaenv {}\n", sh_word(profile->name));
    return {};
  }
  if (auto st = keys_fault_point("remove-plaintext"); !st.ok()) return fail(st.error());
  auto removed = remove_config_keys(credentials, profile->name, {"aws_access_key_id", "aws_secret_access_key"});
  if (!removed) return fail(removed.error());
  stored_line();
  fmt::print(stderr, "mfaenv: removed the plaintext keys of '{}' from {} ({} lines; the rest of the file is unchanged)\n",
             profile->name, credentials, *removed);
  return {};
}

}  // namespace

void add_keys_import_command(CLI::App* keys, CommandAction& run) {
  auto options = std::make_shared<KeysImportOptions>();
  auto* cmd = keys->add_subcommand("import", "Move a profile's plaintext keys from ~/.aws/credentials (or a .envrc) into a key store");
  add_profile_options(cmd, options->profile_argument, options->profile_flag);
  cmd->add_option("--backend", options->backend, "secret-service, pass or file");
  cmd->add_option("--from-envrc", options->envrc, "Read the export MASTER_AWS_…= lines of this .envrc (never run)");
  cmd->callback([options, &run] { run = [options] { return run_keys_import(*options); }; });
}

}  // namespace mfaenv
