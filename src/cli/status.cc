// mfaenv status: for one profile or all of them, the MFA device, the chain, whether a session is
// cached and how long it will be served. Reads only the config and the cache: no network.
// --json prints the same shape with or without PROFILE: an array of profile objects.
#include <cstdio>
#include <functional>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/session_context.h"
#include "util/printable.h"
#include "util/strings.h"
#include "util/shell_word.h"
#include "util/warnings.h"

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
  // valid; refresh-due (inside the refresh margin: still served if a refresh fails); expired; none
  // (no cached session); long-term (keys used as they are); credential-process (the profile's own
  // credential_process gives its credentials, no session of mfaenv's); error.
  std::string state;
  std::string mfa_serial;
  std::vector<std::string> chain;
  std::optional<CachedSession> session;
  std::optional<TimePoint> served_until;
  std::optional<TimePoint> expiry;
  std::optional<Seconds> mfa_max_age;
  std::string cache_file;
  // The program a credential_process runs (its first word only: the rest may hold keys or seeds).
  std::string credential_process;
  std::string error;
  ErrorKind error_kind = ErrorKind::kGeneric;
  bool long_term_by_choice = false;
};

ProfileStatus status_of(ProfileLoader& profiles, const std::optional<SessionCache>& cache, const ProfileName& name,
                        TimePoint t) {
  ProfileStatus s;
  s.profile = name.name;
  auto chain = plan_chain(profiles, name);
  if (!chain) {
    s.state = "error";
    s.error = chain.error().message;
    s.error_kind = chain.error().kind;
    return s;
  }
  if (chain->source.kind == SourceKind::kProcess) {
    const std::string& command = chain->source.process;
    const size_t start = command.find_first_not_of(" \t");
    s.credential_process = start == std::string::npos ? "" : command.substr(start, command.find_first_of(" \t", start) - start);
  }
  s.chain = chain->profiles;
  s.mfa_max_age = chain->limits.mfa_max_age;
  for (const auto& link : chain->links)
    if (!link.mfa_serial.empty()) s.mfa_serial = link.mfa_serial;
  // A credential_process with no MFA device and no role: whether mfaenv puts a session on top is
  // known only once the process has run (not when it gives a session already, as `mfaenv
  // credential-process` does), so with nothing cached it is shown as what it is, not as "none".
  const bool process_only = chain->source.kind == SourceKind::kProcess &&
                            (chain->links.empty() || (chain->links.size() == 1 && chain->links[0].kind == LinkKind::kSession));
  if (chain->links.empty()) {
    s.state = process_only ? "credential-process" : "long-term";
    s.long_term_by_choice = chain->long_term_by_choice;
    return s;
  }
  if (!cache) {
    s.state = process_only ? "credential-process" : "none";
    return s;
  }
  const std::string key = chain->links.back().cache_key;
  s.cache_file = cache->file_for(key);
  CacheLookup lookup = cache->read(key);
  if (!lookup.session) {
    s.state = process_only ? "credential-process" : "none";
    if (!lookup.problem.empty()) s.error = lookup.problem;
    return s;
  }
  s.served_until = refresh_due(*lookup.session, chain->limits);
  s.expiry = effective_expiry(*lookup.session, chain->limits);
  s.state = serves(*chain, *lookup.session, t) ? "valid" : t < *s.expiry ? "refresh-due" : "expired";
  s.session = std::move(lookup.session);
  return s;
}

nlohmann::ordered_json to_json(const ProfileStatus& s, TimePoint t) {
  nlohmann::ordered_json j;
  j["profile"] = s.profile;
  j["state"] = s.state;
  j["mfa_serial"] = s.mfa_serial.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s.mfa_serial);
  j["chain"] = s.chain;
  auto time = [](const std::optional<TimePoint>& t) {
    return t ? nlohmann::ordered_json(format_rfc3339(*t)) : nlohmann::ordered_json();
  };
  j["arn"] = s.session && !s.session->arn.empty() ? nlohmann::ordered_json(s.session->arn) : nlohmann::ordered_json();
  j["served_until"] = time(s.served_until);
  j["expiration"] = time(s.expiry);
  j["sts_expiration"] = time(s.session ? s.session->credentials.expiration : std::nullopt);
  j["mfa_time"] = time(s.session ? s.session->mfa_time : std::nullopt);
  j["mfa_max_age"] = s.mfa_max_age ? nlohmann::ordered_json(s.mfa_max_age->count()) : nlohmann::ordered_json();
  j["seconds_left"] = s.served_until ? nlohmann::ordered_json(std::max<long long>(0, (*s.served_until - t).count()))
                                     : nlohmann::ordered_json();
  j["cache_file"] = s.cache_file.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s.cache_file);
  j["credential_process"] =
      s.credential_process.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s.credential_process);
  if (!s.error.empty()) j["error"] = s.error;
  return j;
}

std::string left_text(const ProfileStatus& s, TimePoint t) {
  if (s.state == "valid" && s.served_until) return format_relative(*s.served_until, t);
  if (s.state == "refresh-due" && s.expiry) return "expires " + format_relative(*s.expiry, t);
  if (s.state == "expired" && s.expiry) return "ended " + format_relative(*s.expiry, t);
  return "";
}

// The state as people read it in the table.
std::string state_text(const ProfileStatus& s) {
  if (s.state == "refresh-due") return "refresh due";
  return s.state;
}

// Display columns of UTF-8 text, counted as code points (wide CJK characters count one).
size_t columns(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

// One table cell: control characters (a newline in a profile name or a message) shown as '?', so
// one profile stays on one line; cut to `width` display columns with "…" when longer.
std::string cell(std::string_view text, size_t width) {
  std::string out;
  for (char c : text) out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  if (width == 0 || columns(out) <= width) return out;
  std::string cut;
  for (size_t i = 0; i < out.size();) {
    size_t len = 1;
    const auto lead = static_cast<unsigned char>(out[i]);
    if (lead >= 0xf0) len = 4;
    else if (lead >= 0xe0) len = 3;
    else if (lead >= 0xc0) len = 2;
    const std::string next = out.substr(i, len);
    if (columns(cut + next) + 1 > width) break;
    cut += next;
    i += len;
  }
  return cut + "…";
}

void print_detail(const ProfileStatus& s, TimePoint t) {
  auto row = [](std::string_view label, std::string_view value) {
    if (!value.empty()) print_line("{:<14}{}", label, value);
  };
  std::string chain;
  for (const auto& p : s.chain) chain += (chain.empty() ? "" : " -> ") + p;
  row("profile", s.profile);
  if (s.chain.size() > 1) row("chain", chain);
  row("mfa device", s.mfa_serial.empty() ? "none (mfa_serial not set)" : s.mfa_serial);
  if (!s.credential_process.empty()) row("credentials", "from credential_process: " + s.credential_process);
  if (s.state == "error") row("problem", s.error);
  if (s.state == "long-term") {
    row("session", s.long_term_by_choice ? "none: the long-term keys are handed out (mfaenv_session = none)"
                                         : "none needed: the profile's keys are a session already");
  }
  if (s.state == "credential-process")
    row("session", "none of mfaenv's: each use runs the credential_process, which keeps its own");
  if (s.state == "none") row("session", "none; run '" + suggested_command("login", {s.profile}) + "'");
  if (s.session) {
    row("session", fmt::format("{} as {}", state_text(s), identity_text(*s.session)));
    row("served until", fmt::format("{} ({})", format_local(*s.served_until), left_text(s, t)));
    if (s.session->credentials.expiration)
      row("sts expiry", format_local(*s.session->credentials.expiration));
    if (s.session->mfa_time) row("mfa time", format_local(*s.session->mfa_time));
  }
  if (s.mfa_max_age) row("mfa max age", format_duration(*s.mfa_max_age) + " (mfaenv_mfa_max_age)");
  row("cache file", s.cache_file);
}

// --json, with or without PROFILE: an array of profile objects, written one object at a time in
// the layout nlohmann's dump(2) gives the whole array.
class JsonArrayWriter {
 public:
  void add(const nlohmann::ordered_json& item) {
    std::string text = item.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string out = count_++ == 0 ? "[\n  " : ",\n  ";
    for (char c : text) {
      out += c;
      if (c == '\n') out += "  ";  // a line break in the dump is never inside a string
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  void finish() { std::fputs(count_ == 0 ? "[]\n" : "\n]\n", stdout); }

 private:
  size_t count_ = 0;
};

// Status over every profile reads each profile's chain afresh and drops it before the next, so that
// a config of 800k profiles is never held as 800k statuses (docs/hardening.md). A profile below many
// others (their source_profile) is then read once per chain: its warnings are printed once, and only
// a hash of each warning printed is kept.
class WarnOnce : public WarningSink {
 public:
  enum class Mode { kPrint, kQuiet };
  WarnOnce() : next_(set_warning_sink(this)) {}
  ~WarnOnce() override { set_warning_sink(next_); }
  WarnOnce(const WarnOnce&) = delete;
  WarnOnce& operator=(const WarnOnce&) = delete;

  void set_mode(Mode mode) { mode_ = mode; }
  void notice(NoticeLevel level, std::string_view message) override {
    if (mode_ == Mode::kQuiet || next_ == nullptr) return;
    if (printed_.insert(std::hash<std::string_view>{}(message)).second) next_->notice(level, message);
  }

 private:
  WarningSink* next_;
  Mode mode_ = Mode::kPrint;
  std::unordered_set<size_t> printed_;
};

template <typename Visit>
void for_each_status(const AwsConfig& config, const std::optional<SessionCache>& cache, TimePoint t, Visit&& visit) {
  for (const std::string_view each : config.profile_names()) {
    ProfileLoader profiles(config);
    visit(status_of(profiles, cache, ProfileName{std::string(each), ProfileOrigin::kArgument, {}}, t));
  }
}

Status run_status(const StatusOptions& options) {
  const AwsConfig config = MFAENV_TRY(load_aws_config());
  std::optional<SessionCache> cache;
  const std::string cache_dir = default_cache_dir();
  if (auto c = SessionCache::open(cache_dir, CreateMissing::kNo); c.ok()) cache = std::move(*c);
  else if (!cache_dir.starts_with('/') || file_type(cache_dir) != FileType::kMissing) return std::move(c).error();
  const TimePoint t = now();  // one clock for every row, so that the two passes below agree

  // One profile when one was named; inside an mfaenv shell (only MFAENV_PROFILE) still all of them.
  const ProfileName name = choose_profile_name(options.profile_argument, options.profile_flag);
  if (profile_was_given(name) && name.origin != ProfileOrigin::kMfaenvProfile) {
    if (!config.has_profile(name.name)) return profile_not_found(config, name);
    ProfileLoader profiles(config);
    const ProfileStatus s = status_of(profiles, cache, name, t);
    if (options.format == StatusFormat::kJson) {
      JsonArrayWriter out;
      out.add(to_json(s, t));
      out.finish();
    } else {
      print_detail(s, t);
    }
    // A broken profile fails with its own exit code (6 for a config error), so a script can test it.
    if (s.state == "error")
      return Error{s.error_kind, options.format == StatusFormat::kJson ? s.error : std::string()};
    return {};
  }
  WarnOnce warnings;
  if (options.format == StatusFormat::kJson) {
    JsonArrayWriter out;
    for_each_status(config, cache, t, [&](const ProfileStatus& s) { out.add(to_json(s, t)); });
    out.finish();
    return {};
  }
  if (config.profile_names().empty()) {
    tell("no profiles in {} or {}", config.paths().config, config.paths().credentials);
    return {};
  }
  // Column widths from the values, the profile column at most kMaxProfileWidth (status NAME and
  // --json show a longer name whole); the unbounded column (device, source or problem) comes last.
  // The table is printed as it goes: a first pass finds the widths (and prints the warnings), the
  // second reads each status again and prints its row.
  constexpr size_t kMaxProfileWidth = 32;
  size_t profile_width = 7, state_width = 7, left_width = 4;
  for_each_status(config, cache, t, [&](const ProfileStatus& s) {
    profile_width = std::max(profile_width, std::min(kMaxProfileWidth, columns(cell(s.profile, 0))));
    state_width = std::max(state_width, state_text(s).size());
    left_width = std::max(left_width, left_text(s, t).size());
  });
  auto line = [&](std::string_view profile, std::string_view state, std::string_view left, std::string_view last) {
    const std::string p = cell(profile, profile_width);
    const size_t pad = profile_width - std::min(profile_width, columns(p));
    print_line("{}{:{}}  {:<{}}  {:<{}}  {}", p, "", pad, state, state_width, left, left_width, cell(last, 0));
  };
  line("PROFILE", "SESSION", "LEFT", "MFA DEVICE / SOURCE");
  warnings.set_mode(WarnOnce::Mode::kQuiet);
  for_each_status(config, cache, t, [&](const ProfileStatus& s) {
    std::string last = s.mfa_serial;
    if (s.state == "error") last = s.error;
    else if (!s.credential_process.empty()) last = (last.empty() ? "" : last + ", ") + "credential_process: " + s.credential_process;
    line(s.profile, state_text(s), left_text(s, t), last);
  });
  return {};
}

}  // namespace

void add_status_command(CLI::App& app, CommandAction& run) {
  auto options = std::make_shared<StatusOptions>();
  auto* cmd = app.add_subcommand("status");
  add_profile_options(cmd, options->profile_argument, options->profile_flag);
  cmd->add_flag_function(
      "--json", [options](int64_t) { options->format = StatusFormat::kJson; });
  cmd->callback([options, &run] { run = [options] { return run_status(*options); }; });
}

}  // namespace mfaenv
