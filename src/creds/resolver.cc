// The refresh protocol and the MFA code loop.
#include "creds/resolver.h"

#include <thread>

#include <fmt/format.h>

#include "sts/query_call.h"
#include "util/debug_log.h"
#include "util/warnings.h"
#include "util/shell_word.h"

namespace mfaenv {

namespace {

// Callers check debug_enabled() first, so the warm path builds none of these strings.
void debug_session(const char* what, const std::string& file, const CachedSession& session, const SessionLimits& limits) {
  debug_secret(session.credentials.secret_access_key);
  debug_secret(session.credentials.session_token);
  debug("{} {}: {} {}, key id {}, STS expiry {}, effective expiry {}, refresh margin {}", what, file,
        session.kind == SessionKind::kRole ? "role session" : "MFA session", session.arn,
        session.credentials.access_key_id, session.credentials.expiration ? format_rfc3339(*session.credentials.expiration) : "-",
        format_rfc3339(effective_expiry(session, limits)), format_duration(applied_margin(session, limits)));
}

Result<Credentials> loaded_source(const SourceSpec& spec, const ResolveOptions& options) {
  auto loaded = load_source(spec, options.prompting == Prompting::kNever ? SourcePrompt::kNever : SourcePrompt::kAllowed);
  if (loaded.ok() && debug_enabled()) {
    debug_secret(loaded->secret_access_key);
    debug_secret(loaded->session_token);
    debug_secret(loaded->access_key_id);
    debug("long-term keys of profile '{}': access key id {}, secret {}", spec.profile,
          shown_key_id(loaded->access_key_id), masked(loaded->secret_access_key));
  }
  return loaded;
}

// For status: what a session was made from.
std::string source_text(const SourceSpec& source) {
  if (source.kind == SourceKind::kKeyStore)
    return fmt::format("keys of {} in the {} backend", source.profile, keyring_backend_name(source.backend));
  return source.kind == SourceKind::kProcess ? "credential_process of " + source.profile
                                             : "access key " + source.access_key_id;
}

// STS's clock may run ahead of ours by up to the 5 minutes AWS tolerates in a signature, so a
// session may end that much after the requested duration by our clock, but no later.
constexpr Seconds kExpirySlack{300};

// TOTP steps are 30 s: the next code appears at the next multiple of 30 s of Unix time.
Seconds until_next_code(TimePoint t) { return Seconds(30 - t.time_since_epoch().count() % 30 + 1); }

}  // namespace

bool serves(const Chain& chain, const CachedSession& session, TimePoint t) {
  return is_usable(session, chain.limits, t);
}

bool CredentialResolver::usable(const Chain& chain, const CachedSession& session, const ResolveOptions& options) const {
  const TimePoint t = now();
  if (!serves(chain, session, t)) return false;
  return !options.min_remaining || effective_expiry(session, chain.limits) - t >= *options.min_remaining;
}

CacheLookup CredentialResolver::cached(const Chain& chain) const {
  if (chain.links.empty()) return {};
  return cache_.read(chain.links.back().cache_key);
}

Result<ResolvedCredentials> CredentialResolver::resolve(const Chain& chain, const ResolveOptions& options) {
  ResolvedCredentials out;
  if (chain.links.empty()) {
    out.credentials = MFAENV_TRY(loaded_source(chain.source, options));
    out.freshness = Freshness::kLongTerm;
    // A credential_process may hand out temporary credentials: their expiry travels with them
    // (AWS_CREDENTIAL_EXPIRATION, credential-process's Expiration), or SDKs would keep them forever.
    out.expiry = out.credentials.expiration;
    if (chain.long_term_by_choice && !out.credentials.is_temporary()) {
      warn(fmt::format("handing out the long-term keys of profile '{}' (mfaenv_session = none, or --no-session): "
                       "whatever reads them can use them until they are rotated",
                       chain.source.profile));
    }
    return out;
  }
  const size_t top = chain.links.size() - 1;
  out.cache_file = cache_.file_for(chain.links[top].cache_key);
  out.freshness = Freshness::kCached;
  CachedSession session = MFAENV_TRY(resolve_link(chain, top, options, &out.freshness));
  out.credentials = session.credentials;
  out.expiry = effective_expiry(session, chain.limits);
  out.refresh_due = refresh_due(session, chain.limits);
  out.session = std::move(session);
  return out;
}

Result<CachedSession> CredentialResolver::resolve_link(const Chain& chain, size_t index, const ResolveOptions& options,
                                                       Freshness* freshness) {
  std::optional<CachedSession> current;  // due for refresh but not expired: served if the refresh fails
  if (options.refresh == Refresh::kIfNeeded) {
    // The hot path: one unlocked read.
    CacheLookup lookup = cache_.read(chain.links[index].cache_key);
    const bool usable = lookup.session && this->usable(chain, *lookup.session, options);
    if (debug_enabled()) {  // not even the file name is built on the warm path unless asked for
      const std::string file = cache_.file_for(chain.links[index].cache_key);
      if (lookup.session) debug_session("cached", file, *lookup.session, chain.limits);
      if (!usable) {
        debug("{}: {}", file, lookup.session ? "not usable now: refreshing"
                              : lookup.problem.empty() ? "no session: refreshing" : "unreadable: refreshing");
      }
    }
    if (usable) return std::move(*lookup.session);
    if (!lookup.problem.empty()) note(fmt::format("ignoring a cached session: {}", lookup.problem));
    if (lookup.session && now() < effective_expiry(*lookup.session, chain.limits)) current = std::move(lookup.session);
  }
  if (freshness != nullptr) *freshness = Freshness::kRefreshed;
  auto refreshed = refresh_link(chain, index, options);
  if (refreshed.ok() || !current || options.goal == Goal::kCachedSession) return refreshed;
  // --no-prompt promises only sessions that are not due; its exit 3 is what tells a hook to say "login".
  if (refreshed.error().kind == ErrorKind::kMfaCodeNeeded && options.prompting == Prompting::kNever) return refreshed;
  // Like botocore inside its advisory refresh window: a session that still works beats an error
  // (STS down or throttled, a stuck lock, no terminal for the code).
  const TimePoint t = now();
  const TimePoint expiry = effective_expiry(*current, chain.limits);
  if (t >= expiry) return refreshed;
  note(fmt::format("could not refresh the session of profile '{}': {}; serving the current one until it expires {} "
                   "({})",
                   chain.links[index].profile, refreshed.error().message, format_local(expiry),
                   format_relative(expiry, t)));
  if (freshness != nullptr) *freshness = Freshness::kCached;
  return std::move(*current);
}

Result<Credentials> CredentialResolver::credentials_below(const Chain& chain, size_t index, const ResolveOptions& options,
                                                          std::optional<CachedSession>& parent) {
  if (index == 0) return loaded_source(chain.source, options);
  parent = MFAENV_TRY(resolve_link(chain, index - 1, options));
  return parent->credentials;
}

Status CredentialResolver::prepare_requests(const Chain& chain) {
  for (const ChainLink& link : chain.links) {
    const ProfileSettings* profile = MFAENV_TRY(profiles_.load(link.profile));
    MFAENV_CHECK(sts_.prepare(*profile));
  }
  return {};
}

Result<CachedSession> CredentialResolver::refresh_link(const Chain& chain, size_t index, const ResolveOptions& options) {
  // Every request the refresh may make, up to the top of the chain, is checked before a code is
  // asked for or a helper runs: a code must never be spent on a chain that cannot finish.
  MFAENV_CHECK(prepare_requests(chain));
  const ChainLink& link = chain.links[index];
  const bool needs_code = link.kind == LinkKind::kMfaSession || link.mfa_per_role;
  if (needs_code && options.prompting == Prompting::kNever && !options.token_code) {
    return make_error(ErrorKind::kMfaCodeNeeded, "no valid session for profile '{}'; run '{}'", chain.profile,
                      suggested_command("login", {chain.profile}));
  }
  debug("locking {}.lock", link.cache_key);
  auto lock = MFAENV_TRY(cache_.lock(link.cache_key));
  // Another process may have refreshed it while we waited for the lock.
  CacheLookup again = cache_.read(link.cache_key);
  if (options.refresh == Refresh::kIfNeeded && again.session && usable(chain, *again.session, options))
    return std::move(*again.session);

  std::optional<CachedSession> parent;
  Credentials below = MFAENV_TRY(credentials_below(chain, index, options, parent));
  const ProfileSettings* profile = MFAENV_TRY(profiles_.load(link.profile));

  CachedSession session;
  session.profile = link.profile;
  session.mfa_serial = link.mfa_serial;
  const TimePoint asked = now();
  session.issued = asked;
  StsSession answer;
  if (link.kind == LinkKind::kSession) {
    session.kind = SessionKind::kSession;
    session.source = source_text(chain.source);
    if (below.is_temporary()) {
      // A credential_process that printed a session: it is one already, and it is not ours to cache.
      session.credentials = std::move(below);
      session.arn = "";
      return session;
    }
    answer = MFAENV_TRY(sts_.get_session_token(*profile, below, std::nullopt, link.duration));
  } else if (link.kind == LinkKind::kMfaSession) {
    session.kind = SessionKind::kMfaSession;
    session.source = source_text(chain.source);
    if (below.is_temporary()) {
      return make_error(ErrorKind::kConfigInvalid,
                        "profile '{}' has temporary keys (aws_session_token): STS cannot make an MFA session from a "
                        "session; give the profile long-term keys",
                        chain.source.profile);
    }
    TimePoint sent = asked;
    answer = MFAENV_TRY(call_with_mfa(chain, link, options, [&](const MfaProof& proof) {
      sent = now();  // after any wait for the next code window or for a person to type it
      return sts_.get_session_token(*profile, below, std::optional<MfaProof>(proof), link.duration);
    }));
    session.mfa_time = sent;  // AWS records a time at or after this: never later than the truth
  } else {
    session.kind = SessionKind::kRole;
    session.source = link.role.role_arn;
    AssumeRoleRequest request = link.role;
    if (link.mfa_per_role) {
      TimePoint sent = asked;
      answer = MFAENV_TRY(call_with_mfa(chain, link, options, [&](const MfaProof& proof) {
        request.mfa = proof;
        sent = now();
        return sts_.assume_role(*profile, below, request);
      }));
      session.mfa_time = sent;
    } else {
      answer = MFAENV_TRY(sts_.assume_role(*profile, below, request));
      if (parent) {
        session.parent = chain.links[index - 1].cache_key;
        // aws:MultiFactorAuthAge of a role session counts from the MFA session's authentication.
        session.mfa_time = parent->mfa_time;
        session.not_after = effective_expiry(*parent, chain.limits);
      }
    }
  }
  // An answer whose credentials are already dead would be reported as a success and then never
  // served; one from the far future would be served for longer than anyone asked.
  const TimePoint answered = now();
  if (!answer.credentials.expiration || *answer.credentials.expiration <= answered) {
    return make_error(ErrorKind::kStsUnavailable,
                      "STS answered for profile '{}' with credentials that {} ({}); nothing was saved: check this "
                      "computer's clock and the STS endpoint, then try again",
                      link.profile, answer.credentials.expiration ? "have already expired" : "have no expiry",
                      answer.credentials.expiration ? format_rfc3339(*answer.credentials.expiration) : "-");
  }
  const Seconds requested = link.kind == LinkKind::kRole ? link.role.duration : link.duration;
  const TimePoint longest = asked + requested + kExpirySlack;
  session.not_after = session.not_after ? std::min(*session.not_after, longest) : longest;
  for (const auto& text : link.notes) note(text);
  session.credentials = std::move(answer.credentials);
  session.arn = answer.arn;
  session.account = answer.account;
  if (debug_enabled()) debug_session("new", cache_.file_for(link.cache_key), session, chain.limits);
  if (auto written = cache_.write(link.cache_key, session); !written.ok()) {
    // The rename never happened: the cache still holds what it held before (see AtomicFile).
    if (options.goal == Goal::kCachedSession)
      return make_error(ErrorKind::kGeneric,
                        "the new session for profile '{}' could not be saved, the cache is unchanged: {}; make room "
                        "there and run '{}' again",
                        link.profile, written.error().message, suggested_command("login", {chain.profile}));
    note(fmt::format("the new session works but could not be cached: {}", written.error().message));
  }
  return session;
}

Result<StsSession> CredentialResolver::call_with_mfa(const Chain& chain, const ChainLink& link,
                                                     const ResolveOptions& options,
                                                     const std::function<Result<StsSession>(const MfaProof&)>& call) {
  if (!code_source_) {
    CodeSourceSettings settings;
    settings.token_code = options.token_code;
    settings.mfa_process = chain.mfa_process;
    settings.prompts = chain.prompt;
    settings.ykman_account = chain.ykman_account;
    settings.prompting = options.prompting;
    settings.terminal = options.terminal;
    settings.context = PromptContext{chain.profile, chain.source.profile};
    auto source = choose_code_source(settings);
    if (!source) return std::move(source).error();
    code_source_ = std::move(*source);
  }
  MfaCodeSource& source = **code_source_;
  const std::string device = device_key(link.mfa_serial);
  CodeRetry retry = CodeRetry::kFirst;
  int reuse_waits = 0;
  std::string waited_on;  // the used code mfaenv last waited out; wiped below
  struct Wipe {
    std::string& s;
    ~Wipe() { wipe(s); }
  } wipe_waited_on{waited_on};
  for (int attempt = 1;; ++attempt) {
    std::string code = MFAENV_TRY(source.code(link.mfa_serial, retry));
    debug("MFA code for {}: {}", link.mfa_serial, masked(code));
    if (cache_.code_was_used(device, code)) {
      // AWS answers a reused code as it answers a wrong one: refused (exit 4), not a usage error.
      const bool same_after_waiting = !waited_on.empty() && code == waited_on;
      wipe(waited_on);
      waited_on = std::move(code);
      if (!source.can_wait_for_next_code())
        return make_error(ErrorKind::kAwsRefused,
                          "that MFA code was already used for {} (sent to AWS, which refuses a code twice); give the next one",
                          link.mfa_serial);
      // Two windows' codes are equal once in a million: the same code again after a wait means
      // the source does not give the current code (a fixed number, a wrong clock or seed).
      if (same_after_waiting || ++reuse_waits > 3)
        return make_error(ErrorKind::kAwsRefused,
                          "{} gave the code already used for {} again after a new one was due: it does not give the "
                          "current code; check its seed and this computer's clock",
                          source.name(), link.mfa_serial);
      const Seconds wait = until_next_code(now());
      note(fmt::format("that MFA code was already used; waiting {} for the next one", format_duration(wait)));
      std::this_thread::sleep_for(wait);
      retry = CodeRetry::kAlreadyUsed;
      --attempt;
      continue;
    }
    // Remembered before it is sent, whatever comes back: accepted, refused as wrong or already used,
    // lost after it was sent ("may have reached AWS"), or never seen because mfaenv was killed
    // (SIGTERM, SIGKILL) while waiting. The code may be spent at AWS, so the next login in the same
    // window, or a source that prints the same code again, waits for the next one instead of sending
    // it twice. (A request that never left, e.g. a name that does not resolve, costs one 30 s window.)
    if (auto remembered = cache_.remember_used_code(device, code); !remembered.ok()) {
      // `login` exists to save a session; when the cache cannot take even the code's hash it
      // could not save the session either, and a second login would send the same code again.
      if (options.goal == Goal::kCachedSession) {
        wipe(code);
        return make_error(ErrorKind::kGeneric, "no MFA code was sent: the cache cannot record it ({}); make room there "
                          "and run 'mfaenv login' again", remembered.error().message);
      }
      note(fmt::format("could not remember the used code: {}", remembered.error().message));
    }
    auto answer = call(MfaProof{link.mfa_serial, code});
    wipe(code);
    if (answer.ok()) return answer;
    if (!sts_.is_invalid_mfa_code(answer.error()) || attempt >= source.max_attempts()) return answer;
    retry = CodeRetry::kRejected;
  }
}

}  // namespace mfaenv
