// mfaenv logout: forgets cached sessions: one profile's (with the role sessions made from it), or all,
// with the lock files no refresh needs any more. Says what stays: a role's MFA session beneath it.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/session_context.h"
#include "util/printable.h"
#include "util/shell_word.h"

namespace mfaenv {

namespace {

enum class LogoutScope { kProfile, kProfileAndMfaSession, kAll };

struct LogoutOptions {
  std::string profile_argument;
  std::string profile_flag;
  LogoutScope scope = LogoutScope::kProfile;
};

// Removes `keys` and every cached session made from them, however deep.
Result<int> remove_with_descendants(const SessionCache& cache, std::vector<std::string> keys) {
  int removed = 0;
  std::vector<std::string> all = cache.keys();
  while (!keys.empty()) {
    const std::string key = keys.back();
    keys.pop_back();
    if (cache.read(key).session || file_type(cache.file_for(key)) != FileType::kMissing) ++removed;
    MFAENV_CHECK(cache.remove(key));
    for (const auto& other : all) {
      auto lookup = cache.read(other);
      if (lookup.session && lookup.session->parent == key) keys.push_back(other);
    }
  }
  return removed;
}

// A role profile's logout keeps the MFA session beneath it (other roles share it): say so, and how
// to forget it too, so nobody believes the MFA login is gone when it is not.
void say_what_stays(const SessionContext& ctx) {
  for (const auto& link : ctx.chain.links) {
    if (link.kind != LinkKind::kMfaSession || link.cache_key == ctx.chain.links.back().cache_key) continue;
    auto lookup = ctx.cache->read(link.cache_key);
    if (!lookup.session || !is_usable(*lookup.session, ctx.chain.limits, now())) continue;
    const TimePoint due = refresh_due(*lookup.session, ctx.chain.limits);
    tell("the MFA session beneath it (profile '{}', {}) stays, served until {} ({}), so the next use "
               "asks for no code; '{}' forgets it too",
               link.profile, link.mfa_serial, format_local(due), format_relative(due, now()),
               suggested_command("logout", {ctx.profile, "--mfa-session"}));
  }
}

Status run_logout(const LogoutOptions& options) {
  if (options.scope == LogoutScope::kAll) {
    const std::string cache_dir = default_cache_dir();
    auto cache = SessionCache::open(cache_dir, CreateMissing::kNo);
    if (!cache) {
      if (cache_dir.starts_with('/') && file_type(cache_dir) == FileType::kMissing) return {};
      return std::move(cache).error();
    }
    int removed = 0;
    for (const auto& key : cache->keys()) {
      MFAENV_CHECK(cache->remove(key));
      ++removed;
    }
    MFAENV_CHECK(cache->remove_unused_locks());
    tell("forgot {} cached session{}", removed, removed == 1 ? "" : "s");
    return {};
  }
  auto ctx = MFAENV_TRY(open_session(options.profile_argument, options.profile_flag));
  if (ctx->chain.links.empty()) {
    tell("profile '{}' has no session (it uses long-term keys)", ctx->profile);
    return {};
  }
  std::vector<std::string> keys{ctx->chain.links.back().cache_key};
  if (options.scope == LogoutScope::kProfileAndMfaSession) {
    for (const auto& link : ctx->chain.links)
      if (link.kind == LinkKind::kMfaSession) keys.push_back(link.cache_key);
  }
  const int removed = MFAENV_TRY(remove_with_descendants(*ctx->cache, keys));
  tell("forgot {} cached session{} of profile '{}'", removed, removed == 1 ? "" : "s", ctx->profile);
  if (options.scope == LogoutScope::kProfile) say_what_stays(*ctx);
  return {};
}

}  // namespace

void add_logout_command(CLI::App& app, CommandAction& run) {
  auto options = std::make_shared<LogoutOptions>();
  auto* cmd = app.add_subcommand("logout");
  add_profile_options(cmd, options->profile_argument, options->profile_flag);
  cmd->add_flag_function(
      "--all", [options](int64_t) { options->scope = LogoutScope::kAll; });
  cmd->add_flag_function(
      "--mfa-session", [options](int64_t) { options->scope = LogoutScope::kProfileAndMfaSession; });
  cmd->callback([options, &run] { run = [options] { return run_logout(*options); }; });
}

}  // namespace mfaenv
