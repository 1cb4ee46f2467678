// Long-term source credentials: static keys, credential_process, environment.
#include "creds/source.h"


#include <cerrno>
#include <cstring>
#include <vector>

#include <nlohmann/json.hpp>

#include "keys/key_store.h"
#include "util/debug_log.h"
#include "util/strings.h"
#include "util/subprocess.h"
#include "util/shell_word.h"

namespace mfaenv {

namespace {

bool has_long_term_env_keys() {
  // Keys that mfaenv itself exported (MFAENV_PROFILE set) are session keys, never a source.
  if (env("MFAENV_PROFILE").value_or("") != "") return false;
  if (env("AWS_SESSION_TOKEN").value_or("") != "") return false;
  return !env("AWS_ACCESS_KEY_ID").value_or("").empty() && !env("AWS_SECRET_ACCESS_KEY").value_or("").empty();
}

std::vector<std::string> split_resolving() {
  auto value = env(kResolvingVariable).value_or("");
  if (value.empty()) return {};
  return split(value, '\n');
}

}  // namespace

Status check_not_resolving(std::string_view profile) {
  for (const auto& p : split_resolving()) {
    if (p == profile)
      return make_error(ErrorKind::kConfigInvalid,
                        "profile '{}' runs mfaenv for itself through credential_process or mfa_process (a loop); "
                        "put its long-term keys in a profile of their own and point credential_process at that one, "
                        "and let mfa_process print a code without asking mfaenv for this profile",
                        profile);
  }
  return {};
}

Result<SourceSpec> find_source(const ProfileSettings& profile) {
  SourceSpec spec;
  spec.profile = profile.name;
  spec.settings = &profile;
  // A key store, chosen from the settings alone: nothing is opened here (the warm path runs this).
  // The identity names the store entry, not the key (its id is inside the store); `keys add`
  // forgets the sessions of a profile whose key changes.
  std::optional<KeyringBackend> store = profile.keyring;
  if (!store && !profile.credential_process && !profile.credential_source) {
    if (auto name = env("MFAENV_KEYRING"); name && !trim(*name).empty()) {
      store = parse_backend(*name);
      if (!store)
        return make_error(ErrorKind::kConfigInvalid, "MFAENV_KEYRING = {} is not a key backend (one of {})", *name,
                          backend_names());
    }
  }
  if (store && *store != KeyringBackend::kCredentialsFile) {
    spec.kind = SourceKind::kKeyStore;
    spec.backend = *store;
    spec.identity = fmt::format("keyring:{}:{}", keyring_backend_name(*store), profile.name);
    return spec;
  }
  if (profile.access_key_id) {
    if (!profile.secret_access_key)
      return make_error(ErrorKind::kConfigInvalid, "{}: profile '{}' has aws_access_key_id but no aws_secret_access_key; "
                        "add it next to the key id",
                        profile.where("aws_access_key_id"), profile.name);
    spec.kind = SourceKind::kStaticKeys;
    spec.access_key_id = *profile.access_key_id;
    spec.identity = "key:" + *profile.access_key_id;
    spec.temporary = profile.session_token.has_value();
    return spec;
  }
  if (profile.credential_process) {
    spec.kind = SourceKind::kProcess;
    spec.process = *profile.credential_process;
    spec.identity = "process:" + spec.process;
    return spec;
  }
  if (profile.credential_source && *profile.credential_source != CredentialSource::kEnvironment)
    return make_error(ErrorKind::kConfigInvalid,
                      "{}: profile '{}': credential_source = {} is not supported; mfaenv supports Environment (or "
                      "static keys, credential_process, source_profile)",
                      profile.where("credential_source"), profile.name, credential_source_name(*profile.credential_source));
  if (has_long_term_env_keys()) {
    spec.kind = SourceKind::kEnvironment;
    spec.access_key_id = *env("AWS_ACCESS_KEY_ID");
    spec.identity = "key:" + spec.access_key_id;
    return spec;
  }
  const std::string file = profile.config != nullptr ? profile.config->paths().credentials : "the credentials file";
  return make_error(ErrorKind::kConfigInvalid,
                    "profile '{}' has no credentials: add aws_access_key_id and aws_secret_access_key to it in {} "
                    "(or credential_process), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                    profile.name, file);
}

Result<Credentials> parse_process_output(std::string_view json, std::string_view profile) {
  const auto j = nlohmann::json::parse(json, nullptr, false);
  // The profile and the setting, never the command: it may hold keys or a seed.
  auto bad = [&](std::string_view what) {
    return make_error(ErrorKind::kGeneric,
                      "the credential_process of profile '{}' printed {}; it must print AWS's Version 1 JSON", profile,
                      what);
  };
  if (j.is_discarded() || !j.is_object()) return bad("something that is not a JSON object");
  auto version = j.find("Version");
  if (version == j.end() || !version->is_number_integer() || version->get<int>() != 1) return bad("no \"Version\": 1");
  Credentials c;
  auto str = [&](const char* key) -> std::string {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  c.access_key_id = str("AccessKeyId");
  c.secret_access_key = str("SecretAccessKey");
  c.session_token = str("SessionToken");
  if (c.access_key_id.empty() || c.secret_access_key.empty()) return bad("no AccessKeyId or SecretAccessKey");
  if (const std::string problem = credential_problem(c); !problem.empty()) return bad(problem);
  if (auto exp = str("Expiration"); !exp.empty()) {
    auto t = parse_rfc3339(exp);
    if (!t) return bad("an Expiration that is not an RFC 3339 time");
    // As for STS answers (docs/hardening.md): credentials already dead are not handed on.
    if (*t <= now())
      return make_error(ErrorKind::kGeneric,
                        "the credential_process of profile '{}' printed credentials that expired {} ({}); it must "
                        "print fresh ones",
                        profile, format_rfc3339(*t), format_relative(*t, now()));
    c.expiration = *t;
  }
  return c;
}

namespace {

Result<Credentials> run_credential_process(const SourceSpec& spec) {
  // The child learns which profiles are being resolved, so that mfaenv inside it can refuse a loop.
  std::string resolving = env(kResolvingVariable).value_or("");
  resolving += (resolving.empty() ? "" : "\n") + spec.profile;
  const std::string marker = std::string(kResolvingVariable) + "=";
  std::vector<std::string> environment =
      current_environment_without([&](std::string_view entry) { return starts_with(entry, marker); });
  environment.push_back(marker + resolving);
  // botocore splits credential_process like a command line and runs it without a shell; /bin/sh -c
  // gives the same result for ordinary commands and lets quoted paths with spaces work. stdin is
  // inherited: an mfaenv inside may need the terminal.
  const CommandLimits limits{1 << 20, MFAENV_TRY(process_timeout())};
  debug("running the credential_process of profile '{}' (program {}), at most {}", spec.profile,
        program_name(spec.process), format_duration(limits.timeout));
  auto run = run_shell_command(spec.process, environment, ChildStdin::kInherit, limits);
  if (!run) return make_error(ErrorKind::kGeneric, "credential_process of profile '{}': {}", spec.profile, run.error().message);
  std::string out = std::move(run->out);
  if (run->end != CommandEnd::kExited) {
    wipe(out);
    return make_error(ErrorKind::kGeneric, "the credential_process of profile '{}' {}", spec.profile,
                      stopped_helper_reason(run->end, limits, "AWS's Version 1 JSON"));
  }
  if (run->exit_status != 0) {
    wipe(out);
    // An mfaenv inside said what was wrong on stderr already; keep its class (a missing MFA code stays 3).
    const ErrorKind kind = run->exit_status == 3 ? ErrorKind::kMfaCodeNeeded : ErrorKind::kGeneric;
    return make_error(kind, "credential_process of profile '{}' failed (exit status {})", spec.profile, run->exit_status);
  }
  auto creds = parse_process_output(out, spec.profile);
  wipe(out);
  return creds;
}

}  // namespace

namespace {

Result<Credentials> load_from_store(const SourceSpec& spec, SourcePrompt prompt) {
  KeyStoreOptions options;
  options.prompt = prompt == SourcePrompt::kNever ? KeyPrompt::kNever : KeyPrompt::kAllowed;
  options.config = spec.settings != nullptr ? spec.settings->config : nullptr;
  options.profile = spec.settings;
  auto store = open_key_store(spec.backend, options);
  auto keys = MFAENV_TRY(store->get(spec.profile));
  if (!keys)
    return make_error(ErrorKind::kConfigInvalid,
                      "profile '{}' keeps its keys in the {} backend, but none are stored there for it: add them with "
                      "'{}'",
                      spec.profile, keyring_backend_name(spec.backend),
                      suggested_command("keys add", {spec.profile, "--backend", keyring_backend_name(spec.backend)}));
  return std::move(*keys);
}

}  // namespace

Result<Credentials> load_source(const SourceSpec& spec, SourcePrompt prompt) {
  switch (spec.kind) {
    case SourceKind::kKeyStore:
      return load_from_store(spec, prompt);
    case SourceKind::kStaticKeys: {
      Credentials c;
      c.access_key_id = spec.access_key_id;
      if (spec.settings != nullptr) {
        c.secret_access_key = spec.settings->secret_access_key.value_or("");
        c.session_token = spec.settings->session_token.value_or("");
      }
      return c;
    }
    case SourceKind::kProcess:
      return run_credential_process(spec);
    case SourceKind::kEnvironment: {
      Credentials c;
      c.access_key_id = env("AWS_ACCESS_KEY_ID").value_or("");
      c.secret_access_key = env("AWS_SECRET_ACCESS_KEY").value_or("");
      c.session_token = env("AWS_SESSION_TOKEN").value_or("");
      return c;
    }
  }
  return make_error(ErrorKind::kGeneric, "unknown credential source");
}

}  // namespace mfaenv
