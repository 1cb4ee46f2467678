// The cache folder: location, trust checks, atomic writes, locking, and used MFA codes.
#include "cache/session_cache.h"

#include <sys/stat.h>

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/strings.h"
#include "util/printable.h"
#include "util/warnings.h"

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

// A session file is a few KiB; anything much larger is not one of ours.
constexpr size_t kMaxCacheFile = 64 << 10;
// A file written by a clock a little ahead of this one (an NTP step) is not an edited file.
constexpr Seconds kFutureTolerance{300};

// Why a cache file is not used, and what happens to it: it is never written through, and the next
// session written under its name replaces it.
std::string untrusted(std::string_view why) { return fmt::format("{}; a new session will replace it", why); }

}  // namespace

std::string default_cache_dir() {
  if (auto dir = env("MFAENV_CACHE_DIR"); dir && !dir->empty()) return expand_user(*dir);
  if (auto xdg = env("XDG_CACHE_HOME"); xdg && !xdg->empty() && (*xdg)[0] == '/') return *xdg + "/mfaenv";
  // HOME= would make it /.cache/mfaenv, a relative HOME a folder that depends on where mfaenv runs:
  // both are refused by open() (an empty path says "no usable folder").
  if (auto home = env("HOME"); home && (home->empty() || (*home)[0] != '/')) return {};
  return expand_user("~/.cache/mfaenv");
}

namespace {

Error unusable_cache_dir(const std::string& dir) {
  if (dir.empty()) {
    return make_error(ErrorKind::kGeneric,
                      "no usable session cache folder: HOME = '{}' is not an absolute path; set HOME to your home "
                      "folder, or MFAENV_CACHE_DIR to an absolute folder",
                      env("HOME").value_or(""));
  }
  return make_error(ErrorKind::kGeneric,
                    "the session cache folder '{}' is not an absolute path (it would depend on the current folder); "
                    "set MFAENV_CACHE_DIR to an absolute folder, or unset it",
                    dir);
}

}  // namespace

Result<SessionCache> SessionCache::open(const std::string& dir, CreateMissing create) {
  if (dir.empty() || dir[0] != '/') return unusable_cache_dir(dir);
  auto opened = PrivateDir::open(dir, create);
  if (!opened.ok()) return make_error(ErrorKind::kGeneric, "session cache: {}", opened.error().message);
  return SessionCache(std::move(*opened));
}

Result<std::optional<std::string>> SessionCache::read_private(const std::string& name) const {
  struct stat st {};
  auto data = MFAENV_TRY(dir_.read(name, kMaxCacheFile, &st));
  if (!data) return data;
  if (auto trusted = check_private_file(st, dir_.path_of(name)); !trusted.ok()) {
    wipe(*data);
    return std::move(trusted).error();
  }
  return data;
}

CacheLookup SessionCache::read(const std::string& key) const {
  const std::string path = file_for(key);
  auto data = read_private(key + ".json");
  if (!data.ok()) return {std::nullopt, untrusted(data.error().message)};
  if (!data->has_value()) return {};
  auto session = session_from_json(**data);
  wipe(**data);
  if (!session.ok()) return {std::nullopt, untrusted(fmt::format("{}: {}", path, session.error().message))};
  // A session issued (or an MFA code entered) in the future is not believed: the 36 h bound counts
  // from `issued`, so a clock that went back, or an edited file, would otherwise stretch it.
  const TimePoint latest = now() + kFutureTolerance;
  if (session->issued > latest || (session->mfa_time && *session->mfa_time > latest))
    return {std::nullopt, untrusted(fmt::format("{}: issued {}, which is in the future: this computer's clock went back "
                                                "or the file was edited",
                                                path, format_rfc3339(std::max(session->issued,
                                                                              session->mfa_time.value_or(session->issued)))))};
  // Written only from answers that passed this check, so a failure means an edited file.
  if (const std::string problem = credential_problem(session->credentials); !problem.empty())
    return {std::nullopt, untrusted(fmt::format("{}: it holds {}", path, problem))};
  return {std::move(*session), {}};
}

Status SessionCache::write(const std::string& key, const CachedSession& session) const {
  std::string json = session_to_json(session);
  auto status = dir_.write_atomic(key + ".json", json, 0600);
  wipe(json);
  return status;
}

Status SessionCache::remove(const std::string& key) const {
  MFAENV_CHECK(dir_.remove(key + ".json"));
  return dir_.remove_lock(key + ".lock");
}

Status SessionCache::remove_unused_locks() const {
  for (const std::string& name : dir_.names()) {
    constexpr std::string_view suffix = ".lock";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      MFAENV_CHECK(dir_.remove_lock(name));
  }
  return {};
}

std::vector<std::string> SessionCache::keys() const {
  std::vector<std::string> keys;
  constexpr std::string_view suffix = ".json";
  for (const std::string& name : dir_.names()) {
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        name[0] != '.')
      keys.emplace_back(name.substr(0, name.size() - suffix.size()));
  }
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
  const std::string name = key + ".lock";
  return dir_.lock(name, timeout, [&] {
    note(fmt::format("waiting for another mfaenv that is refreshing this session ({})...",
                     dir_.path_of(name)));
  });
}

// The used codes of a device: {digest: unix time}, empty when the file is missing, broken or not
// trusted (a planted file must not become a trusted one by being carried over).
nlohmann::json SessionCache::used_codes(const std::string& device_key) const {
  auto data = read_private(device_key + ".codes");
  if (!data.ok() || !data->has_value()) return nlohmann::json::object();
  auto j = nlohmann::json::parse(**data, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

bool SessionCache::code_was_used(const std::string& device_key, const std::string& code) const {
  const nlohmann::json j = used_codes(device_key);
  auto it = j.find(code_digest(device_key, code));
  if (it == j.end() || !it->is_number_integer()) return false;
  return now() - TimePoint(Seconds(it->get<long long>())) < kCodeMemory;
}

Status SessionCache::remember_used_code(const std::string& device_key, const std::string& code) const {
  nlohmann::json j = used_codes(device_key);
  const long long t = now().time_since_epoch().count();
  for (auto it = j.begin(); it != j.end();) {  // forget codes too old to matter
    if (!it->is_number_integer() || t - it->get<long long>() > kCodeMemory.count()) it = j.erase(it);
    else ++it;
  }
  j[code_digest(device_key, code)] = t;
  return dir_.write_atomic(device_key + ".codes", j.dump() + "\n", 0600);
}

}  // namespace mfaenv
