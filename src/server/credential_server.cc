// Putting the pieces together: keeper, endpoint, listener (in its thread), and the child or the wait.
#include "server/credential_server.h"

#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "server/endpoint.h"
#include "server/listener_module.h"
#include "server/session_keeper.h"
#include "server/supervised_child.h"
#include "server/token.h"
#include "util/debug_log.h"
#include "util/hardening.h"
#include "util/strings.h"
#include "util/warnings.h"
#include "util/shell_word.h"

extern char** environ;

namespace mfaenv {

EnvChange server_environment(const std::string& url, const std::string& token, const Chain& chain) {
  EnvChange change;
  change.set.emplace_back("AWS_CONTAINER_CREDENTIALS_FULL_URI", url);
  change.set.emplace_back("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
  if (chain.region) {
    change.set.emplace_back("AWS_REGION", *chain.region);
    change.set.emplace_back("AWS_DEFAULT_REGION", *chain.region);
  }
  change.set.emplace_back("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
  change.set.emplace_back("MFAENV_PROFILE", chain.profile);
  // Everything an SDK would take before the container endpoint, or instead of its token.
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                           "AWS_CREDENTIAL_EXPIRATION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN",
                           "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                           "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"})
    change.unset.emplace_back(name);
  return change;
}

namespace {

std::vector<std::string> child_environment(const EnvChange& change) {
  auto named = [](std::string_view entry, std::string_view name) {
    return entry.size() > name.size() && entry.substr(0, name.size()) == name && entry[name.size()] == '=';
  };
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    bool replaced = false;
    for (const auto& name : change.unset) replaced = replaced || named(entry, name);
    for (const auto& [name, value] : change.set) replaced = replaced || named(entry, name);
    if (!replaced) out.emplace_back(entry);
  }
  for (const auto& [name, value] : change.set) out.push_back(name + "=" + value);
  return out;
}

// The running server: keeper, endpoint and listener thread. Stopped (listener first) on destruction.
class RunningServer {
 public:
  explicit RunningServer(const ServedProfile& served)
      : keeper_(served.profiles, served.cache, served.chain, served.sts, served.refresh), token_(make_server_token()) {}
  ~RunningServer() { stop(); }

  Status start(const ServedProfile& served) {
    if (served.chain.links.empty()) {
      return make_error(ErrorKind::kConfigInvalid,
                        "profile '{}' hands out its long-term keys (mfaenv_session = none): there is no session to "
                        "serve; run '{}' without --server", served.chain.profile,
                        suggested_command("exec", {served.chain.profile, "--"}) + " COMMAND");
    }
    // The endpoint needs the port, the listener needs the handler: the handler reaches the endpoint late.
    auto listener = open_http_listener("127.0.0.1", 0, ListenerLimits{}, [this](const HttpRequest& request) {
      return endpoint_->answer(request);
    });
    if (!listener.ok()) return std::move(listener).error();
    listener_ = std::move(*listener);
    endpoint_ = std::make_unique<CredentialEndpoint>(token_, "127.0.0.1", listener_->port(),
                                                     [this] { return keeper_.current(); });
    keeper_.start(served.first);
    thread_ = std::thread([this] { listener_->run(); });
    for (int i = 0; i < 5000 && !listener_->running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    debug("credential server: listening on {}", endpoint_->url());
    return {};
  }

  void stop() {
    if (listener_) listener_->stop();
    if (thread_.joinable()) thread_.join();
    keeper_.stop();
  }

  EnvChange environment(const Chain& chain) const { return server_environment(endpoint_->url(), token_, chain); }
  std::string url() const { return endpoint_->url(); }

 private:
  SessionKeeper keeper_;
  std::string token_;
  std::unique_ptr<HttpListener> listener_;
  std::unique_ptr<CredentialEndpoint> endpoint_;
  std::thread thread_;
};

// Blocks the supervised signals in this thread before any other thread exists, so every thread
// inherits the mask; returns the mask to give back to a child.
sigset_t take_over_signals() {
  sigset_t set = supervised_signals();
  sigset_t previous;
  ::pthread_sigmask(SIG_BLOCK, &set, &previous);
  ::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not end the server
  return previous;
}

}  // namespace

Status serve_command(const ServedProfile& served, const std::vector<std::string>& command) {
  const sigset_t child_mask = take_over_signals();
  RunningServer server(served);
  MFAENV_CHECK(server.start(served));
  auto child = start_child(command, child_environment(server.environment(served.chain)), child_mask);
  if (!child.ok()) return std::move(child).error();
  const int status = wait_forwarding_signals(*child, supervised_signals());
  // No orderly stop: ending the process closes the socket at once, and joining the listener's
  // workers would only delay the caller (a refresh being written is an atomic rename either way).
  exit_like(status);
}

Status serve_until_interrupted(const ServedProfile& served, EnvFormat format) {
  const sigset_t previous = take_over_signals();
  RunningServer server(served);
  MFAENV_CHECK(server.start(served));
  std::string text = MFAENV_TRY(render_env(server.environment(served.chain), format));
  std::fwrite(text.data(), 1, text.size(), stdout);
  wipe(text);
  // Nobody got the URL and token: serving on would only leave a server no one can use running.
  if (Status written = finish_stdout(); !written.ok()) {
    server.stop();
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return written.error().message.empty() ? make_error(ErrorKind::kGeneric, "standard output's reader went away, so "
                                                        "nobody has the server's URL and token; not serving")
                                           : std::move(written).error();
  }
  note(fmt::format("serving profile '{}' at {} until interrupted (Ctrl-C)", served.chain.profile, server.url()));
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&stop_signals, s);
  while (::sigwaitinfo(&stop_signals, nullptr) < 0) {}
  server.stop();
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return {};
}

}  // namespace mfaenv
