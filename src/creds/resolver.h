// Resolving a profile to credentials (docs/design.md §4): walks the chain bottom-up through the session
// cache with the lock + re-check + atomic-rename protocol, so that many processes at once cause one
// prompt and one STS call; asks for an MFA code only when a link must be refreshed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/profile_settings.h"
#include "cache/session_cache.h"
#include "creds/chain.h"
#include "creds/sts_api.h"
#include "mfa/code_source.h"

namespace mfaenv {

enum class Refresh { kIfNeeded, kForce };

// What the caller needs: credentials now (env, exec, credential-process), or a new session in the
// cache (login). It decides what a failed refresh of a session that is due but still valid means
// (serve that one, with a warning / fail), and a cache write that fails (warn / fail).
enum class Goal { kCredentials, kCachedSession };

struct ResolveOptions {
  Prompting prompting = Prompting::kAllowed;
  std::optional<std::string> token_code;
  Refresh refresh = Refresh::kIfNeeded;
  Goal goal = Goal::kCredentials;
  // Not the terminal while `exec --server`'s command runs on it (docs/prompts.md).
  TerminalPrompt terminal = TerminalPrompt::kAllowed;
  // --min-remaining: a cached session with less left than this is refreshed (docs/sessions.md).
  std::optional<Seconds> min_remaining;
};

enum class Freshness { kLongTerm, kCached, kRefreshed };

struct ResolvedCredentials {
  Credentials credentials;
  Freshness freshness = Freshness::kLongTerm;
  std::optional<CachedSession> session;   // the top link's session (none for long-term keys)
  std::optional<TimePoint> expiry;        // effective expiry (none for long-term keys)
  std::optional<TimePoint> refresh_due;   // when mfaenv stops serving it
  std::string cache_file;                 // the top link's file (empty for long-term keys)
};

class CredentialResolver {
 public:
  // `sts` is called only when a link must be refreshed.
  CredentialResolver(ProfileLoader& profiles, const SessionCache& cache, StsApi& sts)
      : profiles_(profiles), cache_(cache), sts_(sts) {}

  Result<ResolvedCredentials> resolve(const Chain& chain, const ResolveOptions& options);

  // What the cache holds for the chain's top link, without a lock or a network call.
  CacheLookup cached(const Chain& chain) const;

 private:
  // The link's session: the cached one while it is served, else refreshed (and *freshness says so).
  Result<CachedSession> resolve_link(const Chain& chain, size_t index, const ResolveOptions& options,
                                     Freshness* freshness = nullptr);
  Result<CachedSession> refresh_link(const Chain& chain, size_t index, const ResolveOptions& options);
  // StsApi::prepare for the profile of every link (cheap after the first: the clients are kept).
  Status prepare_requests(const Chain& chain);
  Result<StsSession> call_with_mfa(const Chain& chain, const ChainLink& link, const ResolveOptions& options,
                                   const std::function<Result<StsSession>(const MfaProof&)>& call);
  bool usable(const Chain& chain, const CachedSession& session, const ResolveOptions& options) const;
  Result<Credentials> credentials_below(const Chain& chain, size_t index, const ResolveOptions& options,
                                        std::optional<CachedSession>& parent);

  ProfileLoader& profiles_;
  const SessionCache& cache_;
  StsApi& sts_;
  std::optional<std::unique_ptr<MfaCodeSource>> code_source_;  // chosen once, at the first need
};

// Whether a usable cached session may be served for `chain`'s top link: the limits of the chain.
bool serves(const Chain& chain, const CachedSession& session, TimePoint now);

}  // namespace mfaenv
