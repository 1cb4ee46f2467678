// The refresh thread and the answer for each request.
#include "server/session_keeper.h"

#include <fmt/format.h>

#include "util/debug_log.h"
#include "util/warnings.h"
#include "util/shell_word.h"

namespace mfaenv {

namespace {

// A session is handed out only while it has at least this long left: the SDK needs time to use it.
constexpr Seconds kLeastLeft{10};
// How often the keeper looks at the cache while it waits (a login elsewhere, a refresh to retry).
constexpr Seconds kPoll{5};
// After a refresh that needed a person and failed (cancelled, no prompt), the keeper does not ask
// again for this long: a dialog that keeps coming back is worse than the notice.
constexpr Seconds kPromptPause{300};
constexpr Seconds kRetryPause{15};

}  // namespace

SessionKeeper::SessionKeeper(ProfileLoader& profiles, const SessionCache& cache, const Chain& chain, StsApi& sts,
                             ResolveOptions refresh)
    : cache_(cache), chain_(chain), resolver_(profiles, cache, sts), refresh_(std::move(refresh)) {
  refresh_.goal = Goal::kCachedSession;  // a failure is reported here, not papered over by the resolver
  refresh_.refresh = Refresh::kIfNeeded;
}

SessionKeeper::~SessionKeeper() { stop(); }

void SessionKeeper::start(const ResolvedCredentials& first) {
  if (first.session) remember(*first.session);
  thread_ = std::thread([this, done = done_] {
    loop();
    done->store(true);
  });
}

void SessionKeeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (!thread_.joinable()) return;
  // A refresh may be waiting for a person (a dialog) or for STS: the server does not wait for it.
  for (int i = 0; i < 1000 && !done_->load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (done_->load()) {
    thread_.join();
  } else {
    thread_.detach();
  }
}

void SessionKeeper::remember(const CachedSession& session) {
  // Caller may or may not hold mutex_: only called from start() (before the thread) and with the lock.
  if (last_good_issued_ && session.issued < *last_good_issued_) return;
  last_good_ = ServedCredentials{session.credentials, effective_expiry(session, chain_.limits)};
  last_good_issued_ = session.issued;
}

Result<ServedCredentials> SessionKeeper::current() {
  const TimePoint t = now();
  CacheLookup lookup = cache_.read(chain_.links.back().cache_key);
  std::lock_guard lock(mutex_);
  if (lookup.session && serves(chain_, *lookup.session, t)) {
    remember(*lookup.session);
    return ServedCredentials{lookup.session->credentials, effective_expiry(*lookup.session, chain_.limits)};
  }
  // Due: the keeper refreshes; meanwhile the session it has is served while it is still valid.
  poked_ = true;
  wake_.notify_all();
  if (last_good_ && t + kLeastLeft < last_good_->expiry) return *last_good_;
  if (!last_error_.empty()) return make_error(ErrorKind::kMfaCodeNeeded, "{}", last_error_);
  return make_error(ErrorKind::kMfaCodeNeeded, "the session of profile '{}' has ended and no new one is ready yet; run "
                    "'{}' in any terminal", chain_.profile, suggested_command("login", {chain_.profile}));
}

void SessionKeeper::notice(TimePoint t, const std::string& why) {
  // Once per session: one line on the terminal, however many times the refresh is tried.
  std::optional<TimePoint> expiry;
  {
    std::lock_guard lock(mutex_);
    if (last_good_) expiry = last_good_->expiry;
    if (noticed_for_ && expiry && *noticed_for_ == *expiry) return;
    noticed_for_ = expiry.value_or(TimePoint{});
  }
  if (expiry && t < *expiry) {
    note(fmt::format("the session of profile '{}' ends {} ({}) and {}; run '{}' in any terminal to "
                     "continue", chain_.profile, format_local(*expiry), format_relative(*expiry, t), why,
                     suggested_command("login", {chain_.profile})));
  } else {
    note(fmt::format("the session of profile '{}' has ended and {}; run '{}' in any terminal to continue",
                     chain_.profile, why, suggested_command("login", {chain_.profile})));
  }
}

void SessionKeeper::refresh_now(TimePoint t) {
  debug("credential server: refreshing the session of profile '{}'", chain_.profile);
  auto refreshed = resolver_.resolve(chain_, refresh_);
  if (refreshed.ok()) {
    std::lock_guard lock(mutex_);
    if (refreshed->session) remember(*refreshed->session);
    last_error_.clear();
    return;
  }
  const Error& e = refreshed.error();
  const bool needs_person = e.kind == ErrorKind::kMfaCodeNeeded || e.kind == ErrorKind::kUsage;
  retry_at_ = t + (needs_person ? kPromptPause : kRetryPause);
  {
    std::lock_guard lock(mutex_);
    last_error_ = fmt::format("the session of profile '{}' could not be refreshed: {}; run '{}' in any "
                              "terminal", chain_.profile, e.message, suggested_command("login", {chain_.profile}));
  }
  notice(t, needs_person ? "no MFA code could be had (" + e.message + ")" : "it could not be refreshed (" + e.message + ")");
}

void SessionKeeper::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const TimePoint t = now();
    CacheLookup lookup = cache_.read(chain_.links.back().cache_key);
    Seconds wait = kPoll;
    if (lookup.session && serves(chain_, *lookup.session, t)) {
      lock.lock();
      remember(*lookup.session);
      last_error_.clear();
      lock.unlock();
      const TimePoint due = refresh_due(*lookup.session, chain_.limits);
      wait = std::clamp(due - t, Seconds(1), kPoll * 6);
    } else if (t >= retry_at_) {
      refresh_now(t);
      wait = Seconds(1);
    }
    lock.lock();
    if (stopping_) break;
    wake_.wait_for(lock, wait, [this] { return stopping_ || poked_; });
    poked_ = false;
  }
}

}  // namespace mfaenv
