// dlopen()ing libcurl. The handle is never closed: libcurl and OpenSSL keep process-wide state that
// does not survive being unloaded, and a process makes its requests and exits anyway.
#include "http/curl_library.h"

#include <atomic>
#include <cstdlib>
#include <string>

#include <dlfcn.h>

namespace mfaenv {
namespace {

std::atomic<bool> g_loaded{false};

struct LoadOutcome {
  CurlLibrary library{};
  std::string error;  // empty on success
};

template <typename Function>
bool resolve(void* handle, const char* name, Function& out, std::string& error) {
  void* symbol = dlsym(handle, name);
  if (symbol == nullptr) {
    error = std::string("has no ") + name;
    return false;
  }
  out = reinterpret_cast<Function>(symbol);
  return true;
}

LoadOutcome load() {
  LoadOutcome outcome;
  const char* override_name = std::getenv("MFAENV_LIBCURL");
  const char* file = override_name != nullptr && *override_name != '\0' ? override_name : "libcurl.so.4";
  // RTLD_LOCAL: libcurl's symbols stay out of the global namespace; nothing else should bind to them.
  void* handle = dlopen(file, RTLD_LAZY | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = dlerror();
    outcome.error = std::string("cannot load ") + file + " (" + (reason != nullptr ? reason : "unknown error") +
                    "); mfaenv needs libcurl to reach AWS: install it with 'apt-get install libcurl4' "
                    "(or your system's libcurl package)";
    return outcome;
  }
  CurlLibrary& c = outcome.library;
  CURLcode (*global_init)(long) = nullptr;
  std::string missing;
  const bool ok = resolve(handle, "curl_global_init", global_init, missing) &&
                  resolve(handle, "curl_easy_init", c.easy_init, missing) &&
                  resolve(handle, "curl_easy_setopt", c.easy_setopt, missing) &&
                  resolve(handle, "curl_easy_perform", c.easy_perform, missing) &&
                  resolve(handle, "curl_easy_getinfo", c.easy_getinfo, missing) &&
                  resolve(handle, "curl_easy_cleanup", c.easy_cleanup, missing) &&
                  resolve(handle, "curl_easy_strerror", c.easy_strerror, missing) &&
                  resolve(handle, "curl_slist_append", c.slist_append, missing) &&
                  resolve(handle, "curl_slist_free_all", c.slist_free_all, missing);
  if (!ok) {
    outcome.error = std::string(file) + " is not a usable libcurl (it " + missing + "); reinstall libcurl4";
    return outcome;
  }
  if (const CURLcode code = global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK) {
    outcome.error = std::string("libcurl failed to initialise: ") + c.easy_strerror(code);
    return outcome;
  }
  g_loaded = true;
  return outcome;
}

}  // namespace

Result<const CurlLibrary*> load_curl_library() {
  // A static local: initialised once, thread-safely, on the first call.
  static const LoadOutcome outcome = load();
  if (!outcome.error.empty()) return Error{ErrorKind::kGeneric, outcome.error};
  return &outcome.library;
}

bool curl_library_loaded() { return g_loaded; }

}  // namespace mfaenv
