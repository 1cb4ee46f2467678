// The cache folder: location, trust checks, atomic writes, locking, and used MFA codes.
#include "cache/session_cache.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace mfaenv {

namespace {

// A TOTP code stays valid for at most 30 s either side of its step; after this long a repeat is a
// new code that happens to have the same digits.
constexpr Seconds kCodeMemory{120};

// The used-code file holds no code, only a keyed digest; std::hash is enough since the file is
// private and a code lives for seconds (this is about not tripping AWS's reuse check).
std::string code_digest(const std::string& device_key, const std::string& code) {
  return fmt::format("{:016x}", std::hash<std::string>{}(device_key + '\n' + code));
}

}  // namespace

std::string default_cache_dir() {
  if (auto dir = env("MFAENV_CACHE_DIR"); dir && !dir->empty()) return expand_user(*dir);
  if (auto xdg = env("XDG_CACHE_HOME"); xdg && !xdg->empty() && (*xdg)[0] == '/') return *xdg + "/mfaenv";
  return expand_user("~/.cache/mfaenv");
}

Result<SessionCache> SessionCache::open(const std::string& dir, CreateMissing create) {
  if (auto status = ensure_private_dir(dir, create); !status.ok()) {
    return make_error(ErrorKind::kGeneric, "session cache: {}", status.error().message);
  }
  return SessionCache(dir);
}

CacheLookup SessionCache::read(const std::string& key) const {
  const std::string path = file_for(key);
  struct stat st {};
  auto data = read_file(path, Symlinks::kRefuse, 64 << 10, &st);
  if (!data.ok()) return {std::nullopt, data.error().message};
  if (!data->has_value()) return {};
  if (auto trusted = check_private_file(st, path); !trusted.ok()) return {std::nullopt, trusted.error().message};
  auto session = session_from_json(**data);
  wipe(**data);
  if (!session.ok()) return {std::nullopt, fmt::format("{}: {}", path, session.error().message)};
  return {std::move(*session), {}};
}

Status SessionCache::write(const std::string& key, const CachedSession& session) const {
  std::string json = session_to_json(session);
  auto status = write_file_atomic(file_for(key), json, 0600);
  wipe(json);
  return status;
}

Status SessionCache::remove(const std::string& key) const {
  const std::string path = file_for(key);
  if (std::remove(path.c_str()) != 0 && errno != ENOENT)
    return make_error(ErrorKind::kGeneric, "cannot remove {}: {}", path, std::strerror(errno));
  return {};
}

std::vector<std::string> SessionCache::keys() const {
  std::vector<std::string> keys;
  DIR* d = opendir(dir_.c_str());
  if (d == nullptr) return keys;
  while (const dirent* entry = readdir(d)) {
    const std::string_view name = entry->d_name;
    constexpr std::string_view suffix = ".json";
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix && name[0] != '.')
      keys.emplace_back(name.substr(0, name.size() - suffix.size()));
  }
  closedir(d);
  std::sort(keys.begin(), keys.end());
  return keys;
}

Result<LockFile> SessionCache::lock(const std::string& key) const {
  Seconds timeout{120};
  if (auto t = env("MFAENV_LOCK_TIMEOUT"); t && !t->empty()) {
    auto parsed = parse_duration(*t);
    if (!parsed) return make_error(ErrorKind::kUsage, "MFAENV_LOCK_TIMEOUT: {}", parsed.error().message);
    timeout = *parsed;
  }
  const std::string path = dir_ + "/" + key + ".lock";
  return LockFile::acquire(path, timeout, [&] {
    fmt::print(stderr, "mfaenv: waiting for another mfaenv that is refreshing this session ({})...\n", path);
  });
}

bool SessionCache::code_was_used(const std::string& device_key, const std::string& code) const {
  struct stat st {};
  auto data = read_file(dir_ + "/" + device_key + ".codes", Symlinks::kRefuse, 64 << 10, &st);
  if (!data.ok() || !data->has_value() || !check_private_file(st, device_key).ok()) return false;
  const auto j = nlohmann::json::parse(**data, nullptr, false);
  if (!j.is_object()) return false;
  auto it = j.find(code_digest(device_key, code));
  if (it == j.end() || !it->is_number_integer()) return false;
  return now() - TimePoint(Seconds(it->get<long long>())) < kCodeMemory;
}

Status SessionCache::remember_used_code(const std::string& device_key, const std::string& code) const {
  const std::string path = dir_ + "/" + device_key + ".codes";
  nlohmann::json j = nlohmann::json::object();
  if (auto data = read_file(path, Symlinks::kRefuse, 64 << 10); data.ok() && data->has_value()) {
    auto old = nlohmann::json::parse(**data, nullptr, false);
    if (old.is_object()) j = std::move(old);
  }
  const long long t = now().time_since_epoch().count();
  for (auto it = j.begin(); it != j.end();) {  // forget codes too old to matter
    if (!it->is_number_integer() || t - it->get<long long>() > kCodeMemory.count()) it = j.erase(it);
    else ++it;
  }
  j[code_digest(device_key, code)] = t;
  return write_file_atomic(path, j.dump() + "\n", 0600);
}

}  // namespace mfaenv
