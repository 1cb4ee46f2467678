// mfaenv status: for one profile or all of them, the MFA device, the chain, whether a session is
// cached and how long it will be served. Reads only the config and the cache: no network.
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/session_context.h"
#include "util/strings.h"

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
  bool long_term_by_choice = false;
};

ProfileStatus status_of(ProfileLoader& profiles, const std::optional<SessionCache>& cache, const ProfileName& name) {
  ProfileStatus s;
  s.profile = name.name;
  auto chain = plan_chain(profiles, name);
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
    s.long_term_by_choice = chain->long_term_by_choice;
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
    if (!value.empty()) fmt::print("{:<14}{}\n", label, value);
  };
  std::string chain;
  for (const auto& p : s.chain) chain += (chain.empty() ? "" : " -> ") + p;
  row("profile", s.profile);
  if (s.chain.size() > 1) row("chain", chain);
  row("mfa device", s.mfa_serial.empty() ? "none (mfa_serial not set)" : s.mfa_serial);
  if (s.state == "error") row("problem", s.error);
  if (s.state == "long-term") {
    row("session", s.long_term_by_choice ? "none: the long-term keys are handed out (mfaenv_session = none)"
                                         : "none needed: the profile's keys are a session already");
  }
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
  const AwsConfig config = MFAENV_TRY(load_aws_config());
  ProfileLoader profiles(config);
  std::optional<SessionCache> cache;
  if (auto c = SessionCache::open(default_cache_dir(), CreateMissing::kNo); c.ok()) cache = std::move(*c);
  else if (file_type(default_cache_dir()) != FileType::kMissing) return std::move(c).error();

  // One profile when one was named; inside an mfaenv shell (only MFAENV_PROFILE) still all of them.
  const ProfileName name = choose_profile_name(options.profile_argument, options.profile_flag);
  if (profile_was_given(name) && name.origin != ProfileOrigin::kMfaenvProfile) {
    if (config.profile(name.name) == nullptr) return profile_not_found(config, name);
    const ProfileStatus s = status_of(profiles, cache, name);
    if (options.format == StatusFormat::kJson) fmt::print("{}\n", to_json(s).dump(2));
    else print_detail(s);
    return {};
  }
  std::vector<ProfileStatus> all;
  for (const auto& each : config.profile_names())
    all.push_back(status_of(profiles, cache, ProfileName{each, ProfileOrigin::kArgument, {}}));
  if (options.format == StatusFormat::kJson) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& s : all) j.push_back(to_json(s));
    fmt::print("{}\n", j.dump(2));
    return {};
  }
  if (all.empty()) {
    fmt::print(stderr, "mfaenv: no profiles in {} or {}\n", config.paths().config, config.paths().credentials);
    return {};
  }
  size_t width = 7;
  for (const auto& s : all) width = std::max(width, s.profile.size());
  fmt::print("{:<{}}  {:<9}  {:<16}  {}\n", "PROFILE", width, "SESSION", "LEFT", "MFA DEVICE");
  for (const auto& s : all) {
    fmt::print("{:<{}}  {:<9}  {:<16}  {}\n", s.profile, width, s.state, left_text(s),
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
