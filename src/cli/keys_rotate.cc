// mfaenv keys rotate P [--keep-old] (docs/keys.md, "Rotation"): with an MFA session made from the
// stored key: ListAccessKeys (two keys → refuse), CreateAccessKey, GetCallerIdentity with the new
// key until IAM has spread it (bounded), store it (read back), UpdateAccessKey old → Inactive,
// DeleteAccessKey old unless --keep-old. Whatever fails (or kills mfaenv) after any step, a key
// that works is stored, and the message says which key is where.
#include <thread>

#include <fmt/format.h>

#include "cli/keys_commands.h"
#include "cli/profile_options.h"
#include "cli/session_context.h"
#include "creds/sts_adapter.h"
#include "iam/client.h"
#include "iam/endpoint.h"
#include "keys/key_record.h"
#include "util/strings.h"
#include "util/shell_word.h"

namespace mfaenv {
namespace {

enum class OldKey { kDelete, kKeepInactive };

struct KeysRotateOptions {
  std::string profile_argument;
  std::string profile_flag;
  OldKey old_key = OldKey::kDelete;
};

// How long a new key may take to work (IAM is eventually consistent): MFAENV_ROTATE_WAIT, default 60 s.
Result<Seconds> propagation_budget() {
  auto v = env("MFAENV_ROTATE_WAIT");
  if (!v || v->empty()) return Seconds(60);
  auto d = parse_duration(*v);
  if (!d || d->count() < 1) return make_error(ErrorKind::kUsage, "MFAENV_ROTATE_WAIT must be a duration like 60s, not '{}'", *v);
  return *d;
}

Status wait_until_key_works(StsClient& sts, const Credentials& key, Seconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  for (int attempt = 1;; ++attempt) {
    MFAENV_CHECK(keys_fault_point("verify"));
    auto who = sts.get_caller_identity(key, GetCallerIdentityInput{"the new key"});
    if (who.ok()) return {};
    const bool not_yet = who.reason() == StsErrorReason::kInvalidClientTokenId ||
                         who.reason() == StsErrorReason::kSignatureDoesNotMatch;
    if (!not_yet || std::chrono::steady_clock::now() + Seconds(2) > deadline)
      return make_error(who.error().kind, "the new key {} does not work{}: {}", key_hint(key.access_key_id),
                        not_yet ? fmt::format(" after {} s", budget.count()) : "", who.error().message);
    if (attempt == 1)
      fmt::print(stderr, "mfaenv: waiting for IAM to spread the new key {} (up to {} s)\n", key_hint(key.access_key_id), budget.count());
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
}

Status run_keys_rotate(const KeysRotateOptions& options) {
  auto ctx = MFAENV_TRY(open_session(options.profile_argument, options.profile_flag));
  const std::string& profile = ctx->profile;
  if (ctx->chain.source.profile != profile || ctx->chain.links.size() > 1)
    return make_error(ErrorKind::kUsage, "profile '{}' does not hold keys itself; rotate those of profile '{}'", profile,
                      ctx->chain.source.profile);
  const ProfileSettings& settings = *MFAENV_TRY(ctx->profiles->load(profile));
  const KeyBackend backend = MFAENV_TRY(backend_for(settings)).value_or(KeyBackend::kCredentialsFile);
  if (backend == KeyBackend::kCredentialsFile)
    return make_error(ErrorKind::kUsage, "profile '{}' keeps its keys in plaintext; move them into a key store first with "
                      "'{}', then rotate", profile, suggested_command("keys import", {profile}));
  KeyStoreOptions store_opts;
  store_opts.config = &ctx->config;
  store_opts.profile = &settings;
  auto store = open_key_store(backend, store_opts);
  const Credentials old_key = MFAENV_TRY(store->get(profile)).value_or(Credentials{});
  if (old_key.access_key_id.empty())
    return make_error(ErrorKind::kUsage, "no keys are stored for profile '{}' in the {} backend", profile, backend_name(backend));
  const std::string old_hint = key_hint(old_key.access_key_id);
  const std::string where = store->location(profile);

  // An MFA session from the old key: IAM policies commonly refuse key changes without MFA.
  ResolveOptions resolve;
  const ResolvedCredentials caller = MFAENV_TRY(resolve_credentials(*ctx, resolve));
  IamClient iam(MFAENV_TRY(iam_connection_for(&settings)));
  iam.set_credentials_origin(fmt::format("profile '{}'", profile));
  StsClient sts = MFAENV_TRY(make_sts_client(settings));

  const auto unchanged = [&](const Error& e) {
    return Error{e.kind, fmt::format("{}; nothing changed: {} is still stored in {} and works", e.message, old_hint, where)};
  };
  auto keys = iam.list_access_keys(caller.credentials);
  if (!keys) return unchanged(keys.error());
  if (auto st = keys_fault_point("list"); !st.ok()) return unchanged(st.error());
  for (const auto& k : *keys) {
    if (keys->size() >= 2 && k.access_key_id != old_key.access_key_id)
      return make_error(ErrorKind::kGeneric,
                        "IAM allows two access keys per user and '{}' has two: the stored {} and {} ({}); delete the "
                        "other one first ('aws iam list-access-keys' shows its id, 'aws iam delete-access-key "
                        "--access-key-id ID' deletes it), then rotate",
                        profile, old_hint, key_hint(k.access_key_id), access_key_status_name(k.status));
  }
  fmt::print(stderr, "mfaenv: creating a new key for profile '{}' (the stored key {} stays until the new one works)\n",
             profile, old_hint);
  if (auto st = keys_fault_point("create"); !st.ok()) return unchanged(st.error());
  auto created = iam.create_access_key(caller.credentials);
  if (!created) return unchanged(created.error());
  const Credentials new_key = created->credentials;
  const std::string new_hint = key_hint(new_key.access_key_id);
  // From here on, a failure before the new key is stored leaves it unused at IAM: remove it.
  auto abandon = [&](const Error& e) {
    auto deleted = iam.delete_access_key(caller.credentials, new_key.access_key_id);
    return Error{e.kind, fmt::format("{}; {} is still stored in {} and works; the new key {} {}", e.message, old_hint, where,
                                     new_hint,
                                     deleted.ok() ? "was deleted again"
                                                  : "could not be deleted (" + deleted.error().message +
                                                        "): delete it with 'aws iam delete-access-key' (its id is in "
                                                        "'aws iam list-access-keys')")};
  };
  if (auto st = wait_until_key_works(sts, new_key, MFAENV_TRY(propagation_budget())); !st.ok()) return abandon(st.error());
  if (auto st = store_and_verify(*store, profile, new_key); !st.ok()) {
    // put() replaces atomically: the store holds the old key or the new one. Say which.
    auto now_stored = store->get(profile);
    if (now_stored && *now_stored && (*now_stored)->access_key_id == new_key.access_key_id)
      return make_error(st.error().kind, "{}; the new key {} is stored in {} and works; the old key {} is still active at "
                        "IAM: run '{}' again or deactivate it", st.error().message, new_hint, where,
                        old_hint, suggested_command("keys rotate", {profile}));
    return abandon(st.error());
  }
  fmt::print(stderr, "mfaenv: the new key {} works and is stored in {}\n", new_hint, where);
  MFAENV_CHECK(forget_sessions_of(profile));
  const std::string stored_note = fmt::format("the new key {} is stored in {} and works", new_hint, where);
  if (auto st = keys_fault_point("deactivate"); !st.ok())
    return make_error(st.error().kind, "{}; {}; the old key {} is still active: deactivate it with 'aws iam "
                      "update-access-key --status Inactive'", st.error().message, stored_note, old_hint);
  if (auto r = iam.update_access_key(caller.credentials, old_key.access_key_id, AccessKeyStatus::kInactive); !r)
    return make_error(r.error().kind, "{}; {}; the old key {} is still active: deactivate it with 'aws iam update-access-key "
                      "--status Inactive'", r.error().message, stored_note, old_hint);
  if (options.old_key == OldKey::kKeepInactive) {
    fmt::print(stderr, "mfaenv: the old key {} is now inactive (kept, as --keep-old asked)\n", old_hint);
    return {};
  }
  if (auto st = keys_fault_point("delete"); !st.ok())
    return make_error(st.error().kind, "{}; {}; the old key {} is inactive but not deleted", st.error().message, stored_note, old_hint);
  if (auto r = iam.delete_access_key(caller.credentials, old_key.access_key_id); !r)
    return make_error(r.error().kind, "{}; {}; the old key {} is inactive but not deleted", r.error().message, stored_note, old_hint);
  fmt::print(stderr, "mfaenv: the old key {} is deleted; sessions made with it stay valid until they expire (AWS cannot "
             "revoke them)\n", old_hint);
  return {};
}

}  // namespace

void add_keys_rotate_command(CLI::App* keys, CommandAction& run) {
  auto options = std::make_shared<KeysRotateOptions>();
  auto* cmd = keys->add_subcommand("rotate", "Replace a profile's stored key by a new one at IAM, safely");
  add_profile_options(cmd, options->profile_argument, options->profile_flag);
  cmd->add_flag_function("--keep-old", [options](int64_t) { options->old_key = OldKey::kKeepInactive; },
                         "Deactivate the old key but do not delete it");
  cmd->callback([options, &run] { run = [options] { return run_keys_rotate(*options); }; });
}

}  // namespace mfaenv
