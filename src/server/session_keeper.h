// Keeps a profile's session fresh for a long-running credential server: answers every request from
// the session cache (so a `mfaenv login P` anywhere, or another server, refreshes this one too) and
// refreshes ahead of expiry in a thread of its own, through the same lock protocol as every command
// (N servers: one STS call, one prompt). A request never waits for a person or for STS.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "creds/resolver.h"
#include "server/endpoint.h"

namespace mfaenv {

class SessionKeeper {
 public:
  // `refresh` is how the keeper's own refreshes may ask for a code (TerminalPrompt::kForbidden while
  // a child owns the terminal). The references must outlive the keeper.
  SessionKeeper(ProfileLoader& profiles, const SessionCache& cache, const Chain& chain, StsApi& sts,
                ResolveOptions refresh);
  ~SessionKeeper();

  // Starts the refresh thread with the session resolved before serving.
  void start(const ResolvedCredentials& first);
  // Stops the thread; does not wait for a prompt a person has not answered.
  void stop();

  // For a request: the cached session while it is served, else the last one this keeper served while
  // it is still valid (the refresh is under way), else the reason there is none. Never expired keys.
  Result<ServedCredentials> current();

 private:
  void loop();
  void refresh_now(TimePoint t);
  void remember(const CachedSession& session);
  void notice(TimePoint t, const std::string& why);

  const SessionCache& cache_;
  const Chain& chain_;
  CredentialResolver resolver_;
  ResolveOptions refresh_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool poked_ = false;
  std::optional<ServedCredentials> last_good_;
  std::optional<TimePoint> last_good_issued_;
  std::string last_error_;
  std::optional<TimePoint> noticed_for_;  // the expiry the notice was given for (once per session)
  TimePoint retry_at_{};
  std::thread thread_;
  std::shared_ptr<std::atomic<bool>> done_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace mfaenv
