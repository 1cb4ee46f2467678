// dlopen()ing mfaenv-httplib.so. As with libcurl, the handle is never closed: the listener's threads
// and cpp-httplib's state live until the process ends.
#include "server/listener_module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <vector>
#include <climits>
#include <mutex>

namespace mfaenv {
namespace {

std::string executable_folder() {
  std::array<char, PATH_MAX> buffer{};
  const ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (n <= 0) return ".";
  std::string path(buffer.data(), static_cast<size_t>(n));
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

struct LoadedModule {
  CreateListenerFunction create = nullptr;
  std::string error;
};

LoadedModule load_module() {
  LoadedModule out;
  const std::string folder = executable_folder();
  std::vector<std::string> files{folder + "/mfaenv-httplib.so", folder + "/../lib/mfaenv/mfaenv-httplib.so"};
  // Tests whose binary is not next to the module name it (as MFAENV_LIBCURL does for libcurl).
  if (const char* named = std::getenv("MFAENV_HTTP_MODULE"); named != nullptr && *named != '\0') files = {named};
  std::string tried;
  for (const std::string& file : files) {
    if (::access(file.c_str(), R_OK) != 0) {
      tried += (tried.empty() ? "" : ", ") + file;
      continue;
    }
    void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      out.error = "cannot load " + file + " (" + (why != nullptr ? why : "unknown error") +
                  "); the credential server needs cpp-httplib: apt-get install libcpp-httplib0.11";
      return out;
    }
    out.create = reinterpret_cast<CreateListenerFunction>(dlsym(handle, kCreateListenerSymbol));
    if (out.create == nullptr) out.error = file + " is not mfaenv's HTTP module; reinstall mfaenv";
    return out;
  }
  out.error = "the credential server's module mfaenv-httplib.so is missing (looked for " + tried +
              "); install it next to the mfaenv binary";
  return out;
}

}  // namespace

Result<std::unique_ptr<HttpListener>> open_http_listener(const std::string& host, int port, const ListenerLimits& limits,
                                                         HttpHandler handler) {
  static std::once_flag once;
  static LoadedModule module;
  std::call_once(once, [] { module = load_module(); });
  if (module.create == nullptr) return make_error(ErrorKind::kGeneric, "{}", module.error);
  std::array<char, 512> error{};
  HttpListener* listener = module.create(kListenerAbi, host.c_str(), port, &limits, &handler, error.data(), error.size());
  if (listener == nullptr) return make_error(ErrorKind::kGeneric, "{}", error.data());
  return std::unique_ptr<HttpListener>(listener);
}

}  // namespace mfaenv
