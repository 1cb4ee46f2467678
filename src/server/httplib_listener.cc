// The module mfaenv-httplib.so: an HttpListener on cpp-httplib, bound to a loopback address. Built as
// its own shared object so that only a serving mfaenv maps libcpp-httplib (and, through it, OpenSSL).
// It links nothing of mfaenv: every decision about a request is the handler's (src/server/endpoint.cc).
//
// cpp-httplib gives each connection to one worker for the connection's whole life and bounds only the
// silence between two reads, so a client trickling one byte a second would hold a worker forever
// (slowloris). The reaper below bounds a connection's whole life instead: it finds the sockets this
// listener accepted (in /proc/self/fd: sockets whose local port is ours and that do not listen) and
// shuts down any older than the deadline that has no whole request waiting, which wakes the worker
// holding it.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

#include "server/http_listener.h"
#include "util/loopback.h"

namespace mfaenv {
namespace {

// cpp-httplib's own ThreadPool, with a worker count we choose (its default is compiled into the .so).
class WorkerPool : public httplib::TaskQueue {
 public:
  explicit WorkerPool(int workers) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
  }
  ~WorkerPool() override {
    if (!threads_.empty()) shutdown();
  }
  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(fn));
    }
    ready_.notify_one();
  }
  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, and every accepted connection was answered or closed
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

// Shuts down the listener's connections that have lived longer than the deadline.
class ConnectionReaper {
 public:
  ConnectionReaper(int port, int deadline_ms) : port_(port), deadline_(std::chrono::milliseconds(deadline_ms)) {}
  ~ConnectionReaper() { stop(); }
  void start() { thread_ = std::thread([this] { loop(); }); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  bool is_accepted_connection(int fd) const {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) return false;
    sockaddr_in local{};
    socklen_t length = sizeof local;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0 || local.sin_family != AF_INET) return false;
    if (ntohs(local.sin_port) != port_) return false;
    int listening = 0;
    socklen_t size = sizeof listening;
    return ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening == 0;
  }

  // A connection queued behind slow ones, whose client sent its whole request at once, is not slow:
  // it is answered as soon as a worker is free. Peeking does not take the bytes from the worker.
  static bool has_whole_request_waiting(int fd) {
    char buffer[8192];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_PEEK | MSG_DONTWAIT);
    return n > 0 && ::memmem(buffer, static_cast<size_t>(n), "\r\n\r\n", 4) != nullptr;
  }

  void sweep() {
    const auto t = std::chrono::steady_clock::now();
    std::map<ino_t, std::chrono::steady_clock::time_point> seen;
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) return;
    while (dirent* entry = ::readdir(dir)) {
      char* end = nullptr;
      const long fd = std::strtol(entry->d_name, &end, 10);
      if (end == entry->d_name || *end != '\0' || fd == ::dirfd(dir) || !is_accepted_connection(static_cast<int>(fd)))
        continue;
      struct stat st {};
      if (::fstat(static_cast<int>(fd), &st) != 0) continue;
      auto known = first_seen_.find(st.st_ino);
      const auto since = known == first_seen_.end() ? t : known->second;
      seen.emplace(st.st_ino, since);
      // shutdown, never close: the worker that owns the descriptor closes it, so it cannot be reused
      // under that worker's feet; shutting down wakes its poll() at once.
      if (t - since > deadline_ && !has_whole_request_waiting(static_cast<int>(fd))) ::shutdown(static_cast<int>(fd), SHUT_RDWR);
    }
    ::closedir(dir);
    first_seen_.swap(seen);
  }

  void loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      sweep();
      lock.lock();
      wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; });
    }
  }

  const int port_;
  const std::chrono::milliseconds deadline_;
  std::map<ino_t, std::chrono::steady_clock::time_point> first_seen_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

class HttplibListener : public HttpListener {
 public:
  HttplibListener(const ListenerLimits& limits, HttpHandler handler) : limits_(limits), handler_(std::move(handler)) {
    const int workers = limits.workers > 0 ? limits.workers : 1;
    server_.new_task_queue = [workers] { return new WorkerPool(workers); };
    server_.set_read_timeout(0, limits.read_timeout_ms * 1000L);
    server_.set_write_timeout(0, limits.read_timeout_ms * 1000L);
    server_.set_keep_alive_timeout(1);
    server_.set_keep_alive_max_count(100);
    server_.set_payload_max_length(4096);
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      HttpRequest request;
      request.method = req.method;
      request.path = req.path;
      request.host = req.get_header_value("Host");
      request.authorization = req.get_header_value("Authorization");
      request.has_query = !req.params.empty() || req.target.find('?') != std::string::npos;
      HttpResponse answer = handler_(request);
      res.status = answer.status;
      res.set_content(answer.body, "application/json");
      res.set_header("Cache-Control", "no-store");
      return httplib::Server::HandlerResponse::Handled;
    });
  }

  bool bind(const char* host, int port, std::string& error) {
    if (!is_loopback_ipv4(host)) {
      error = std::string(host) + " is not a loopback address; the credential server listens only on 127.0.0.0/8";
      return false;
    }
    port_ = port == 0 ? server_.bind_to_any_port(host) : (server_.bind_to_port(host, port) ? port : -1);
    if (port_ <= 0) {
      error = std::string("cannot listen on ") + host + ": " + std::strerror(errno);
      return false;
    }
    return true;
  }

  int port() const override { return port_; }

  bool run() override {
    ConnectionReaper reaper(port_, limits_.connection_deadline_ms);
    reaper.start();
    const bool ok = server_.listen_after_bind();
    reaper.stop();
    return ok;
  }

  bool running() const override { return server_.is_running(); }

  void stop() override { server_.stop(); }

 private:
  ListenerLimits limits_;
  HttpHandler handler_;
  httplib::Server server_;
  int port_ = -1;
};

void copy_error(const std::string& text, char* error, unsigned long size) {
  if (error == nullptr || size == 0) return;
  std::snprintf(error, size, "%s", text.c_str());
}

}  // namespace
}  // namespace mfaenv

extern "C" __attribute__((visibility("default"))) mfaenv::HttpListener* mfaenv_create_http_listener(
    int abi, const char* host, int port, const mfaenv::ListenerLimits* limits, const mfaenv::HttpHandler* handler,
    char* error, unsigned long error_size) {
  if (abi != mfaenv::kListenerAbi || host == nullptr || limits == nullptr || handler == nullptr) {
    mfaenv::copy_error("mfaenv-httplib.so is from another build of mfaenv; rebuild mfaenv", error, error_size);
    return nullptr;
  }
  try {
    auto listener = std::make_unique<mfaenv::HttplibListener>(*limits, *handler);
    std::string reason;
    if (!listener->bind(host, port, reason)) {
      mfaenv::copy_error(reason, error, error_size);
      return nullptr;
    }
    return listener.release();
  } catch (const std::exception& e) {
    mfaenv::copy_error(std::string("cannot start the HTTP listener: ") + e.what(), error, error_size);
    return nullptr;
  }
}
