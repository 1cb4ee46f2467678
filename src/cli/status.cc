// mfaenv status: for one profile or all of them, the MFA device, the chain, whether a session is
// cached and how long it will be served. Reads only the config and the cache: no network.
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/session_context.h"
#include "util/strings.h"
#include "util/printable.h"

namespace mfaenv {

namespace {

enum class StatusFormat { kTable, kJson };

struct StatusOptions {
  std::string profile_argument;
  std::string profile_flag;
  StatusFormat format = StatusFormat::kTable;
};

struct ProfileStatus {
  std::string profile;
  std::string state;  // valid, expired, none, long-term, error
  std::string mfa_serial;
  std::vector<std::string> chain;
  std::optional<CachedSession> session;
  std::optional<TimePoint> served_until;
  std::optional<TimePoint> expiry;
  std::optional<Seconds> mfa_max_age;
  std::string cache_file;
  std::string error;
};

ProfileStatus status_of(const AwsConfig& config, const std::optional<SessionCache>& cache, const std::string& name) {
  ProfileStatus s;
  s.profile = name;
  auto chain = plan_chain(config, name);
  if (!chain) {
    s.state = "error";
    s.error = chain.error().message;
    return s;
  }
  s.chain = chain->profiles;
  s.mfa_max_age = chain->limits.mfa_max_age;
  for (const auto& link : chain->links)
    if (!link.mfa_serial.empty()) s.mfa_serial = link.mfa_serial;
  if (chain->links.empty()) {
    s.state = "long-term";
    return s;
  }
  if (!cache) {
    s.state = "none";
    return s;
  }
  const std::string key = chain->links.back().cache_key;
  s.cache_file = cache->file_for(key);
  CacheLookup lookup = cache->read(key);
  if (!lookup.session) {
    s.state = "none";
    if (!lookup.problem.empty()) s.error = lookup.problem;
    return s;
  }
  s.served_until = refresh_due(*lookup.session, chain->limits);
  s.expiry = effective_expiry(*lookup.session, chain->limits);
  s.state = serves(*chain, *lookup.session, now()) ? "valid" : "expired";
  s.session = std::move(lookup.session);
  return s;
}

nlohmann::ordered_json to_json(const ProfileStatus& s) {
  nlohmann::ordered_json j;
  j["profile"] = s.profile;
  j["state"] = s.state;
  j["mfa_serial"] = s.mfa_serial.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s.mfa_serial);
  j["chain"] = s.chain;
  auto time = [](const std::optional<TimePoint>& t) {
    return t ? nlohmann::ordered_json(format_rfc3339(*t)) : nlohmann::ordered_json();
  };
  j["arn"] = s.session ? nlohmann::ordered_json(s.session->arn) : nlohmann::ordered_json();
  j["served_until"] = time(s.served_until);
  j["expiration"] = time(s.expiry);
  j["sts_expiration"] = time(s.session ? s.session->credentials.expiration : std::nullopt);
  j["mfa_time"] = time(s.session ? s.session->mfa_time : std::nullopt);
  j["mfa_max_age"] = s.mfa_max_age ? nlohmann::ordered_json(s.mfa_max_age->count()) : nlohmann::ordered_json();
  j["seconds_left"] = s.served_until ? nlohmann::ordered_json(std::max<long long>(0, (*s.served_until - now()).count()))
                                     : nlohmann::ordered_json();
  j["cache_file"] = s.cache_file.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s.cache_file);
  if (!s.error.empty()) j["error"] = s.error;
  return j;
}

std::string left_text(const ProfileStatus& s) {
  if (s.state == "valid" && s.served_until) return format_relative(*s.served_until, now());
  if (s.state == "expired" && s.served_until) return "ended " + format_relative(*s.served_until, now());
  return "";
}

void print_detail(const ProfileStatus& s) {
  auto row = [](std::string_view label, std::string_view value) {
    if (!value.empty()) print_line("{:<14}{}", label, value);
  };
  std::string chain;
  for (const auto& p : s.chain) chain += (chain.empty() ? "" : " -> ") + p;
  row("profile", s.profile);
  if (s.chain.size() > 1) row("chain", chain);
  row("mfa device", s.mfa_serial.empty() ? "none (mfa_serial not set)" : s.mfa_serial);
  if (s.state == "error") row("problem", s.error);
  if (s.state == "long-term") row("session", "none needed: long-term keys are used as they are");
  if (s.state == "none") row("session", "none; run 'mfaenv login " + s.profile + "'");
  if (s.session) {
    row("session", fmt::format("{} as {}", s.state, s.session->arn));
    row("served until", fmt::format("{} ({})", format_local(*s.served_until), left_text(s)));
    if (s.session->credentials.expiration)
      row("sts expiry", format_local(*s.session->credentials.expiration));
    if (s.session->mfa_time) row("mfa time", format_local(*s.session->mfa_time));
  }
  if (s.mfa_max_age) row("mfa max age", format_duration(*s.mfa_max_age) + " (mfaenv_mfa_max_age)");
  row("cache file", s.cache_file);
}

Status run_status(const StatusOptions& options) {
  auto config = MFAENV_TRY(AwsConfig::load(config_paths_from_env()));
  print_config_warnings(config);
  std::optional<SessionCache> cache;
  const std::string cache_dir = default_cache_dir();
  if (auto c = SessionCache::open(cache_dir, CreateMissing::kNo); c.ok()) cache = std::move(*c);
  else if (!cache_dir.starts_with('/') || file_type(cache_dir) != FileType::kMissing) return std::move(c).error();

  const bool one = !options.profile_argument.empty() || !options.profile_flag.empty() ||
                   !env("AWS_PROFILE").value_or("").empty() || !env("AWS_DEFAULT_PROFILE").value_or("").empty();
  if (one) {
    const std::string name = choose_profile(options.profile_argument, options.profile_flag);
    if (config.profile(name) == nullptr)
      return make_error(ErrorKind::kConfigInvalid, "profile '{}' not found (see 'mfaenv config profiles')", name);
    const ProfileStatus s = status_of(config, cache, name);
    if (options.format == StatusFormat::kJson) fmt::print("{}\n", to_json(s).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    else print_detail(s);
    return {};
  }
  // One profile at a time, printed as it is worked out: memory stays that of the config, however
  // many profiles it has (a JSON array of 800k statuses would take a gigabyte).
  const std::vector<std::string> names = config.profile_names();
  if (options.format == StatusFormat::kJson) {
    std::fputs("[", stdout);
    const char* separator = "\n";
    for (const auto& name : names) {
      std::string item = to_json(status_of(config, cache, name)).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
      // Indented one level, as a member of the array.
      for (size_t at = item.find('\n'); at != std::string::npos; at = item.find('\n', at + 1)) item.insert(at + 1, "  ");
      fmt::print("{}  {}", separator, item);
      separator = ",\n";
    }
    std::fputs(names.empty() ? "]\n" : "\n]\n", stdout);
    return {};
  }
  if (names.empty()) {
    tell("no profiles in {} or {}", config.paths().config, config.paths().credentials);
    return {};
  }
  size_t width = 7;
  for (const auto& name : names) width = std::max(width, std::min<size_t>(printable(name).size(), 64));
  print_line("{:<{}}  {:<9}  {:<16}  {}", "PROFILE", width, "SESSION", "LEFT", "MFA DEVICE");
  for (const auto& name : names) {
    const ProfileStatus s = status_of(config, cache, name);
    print_line("{:<{}}  {:<9}  {:<16}  {}", s.profile, width, s.state, left_text(s),
               s.state == "error" ? s.error : s.mfa_serial);
  }
  return {};
}

}  // namespace

void add_status_command(CLI::App& app, CommandAction& run) {
  auto options = std::make_shared<StatusOptions>();
  auto* cmd = app.add_subcommand("status", "Show profiles, MFA devices, sessions and the time they have left");
  add_profile_options(cmd, options->profile_argument, options->profile_flag);
  cmd->add_flag_function(
      "--json", [options](int64_t) { options->format = StatusFormat::kJson; }, "Machine-readable output");
  cmd->callback([options, &run] { run = [options] { return run_status(*options); }; });
}

}  // namespace mfaenv
