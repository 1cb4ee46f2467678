// Working out a profile's chain: source, MFA session, roles, cache keys, limits.
#include "creds/chain.h"

#include "mfa/code_source.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "crypto/digest.h"
#include "util/strings.h"

namespace mfaenv {

namespace {

std::string short_hash(std::string_view prefix, std::string_view material) {
  return std::string(prefix) + to_hex(sha256(material)).substr(0, 32);
}

Result<std::optional<Seconds>> duration_key(const AwsConfig& config, const Profile& p, const char* key) {
  auto value = p.get(key);
  if (!value || trim(*value).empty()) return std::optional<Seconds>();
  auto d = parse_duration(*value);
  if (!d) {
    return make_error(ErrorKind::kConfigInvalid, "{}: profile '{}': {} = {} is not a duration (use seconds or 15m, 12h, 1h30m)",
                      config.paths().config, p.name, key, *value);
  }
  return std::optional<Seconds>(*d);
}

bool is_true(const std::optional<std::string>& v) { return v && iequals(trim(*v), "true"); }

struct Planner {
  Planner(const AwsConfig& c, const ChainOptions& o) : config(c), options(o) {}

  const AwsConfig& config;
  const ChainOptions& options;
  Chain chain;
  std::vector<std::string> visiting;

  // Settings the user puts on the profile they use, or on any profile below it.
  Status inherit_settings(const Profile& p) {
    if (!chain.limits.mfa_max_age) chain.limits.mfa_max_age = MFAENV_TRY(duration_key(config, p, "mfaenv_mfa_max_age"));
    if (!margin_set) {
      if (auto m = MFAENV_TRY(duration_key(config, p, "mfaenv_refresh_margin"))) chain.limits.refresh_margin = *m, margin_set = true;
    }
    if (!session_duration) session_duration = MFAENV_TRY(duration_key(config, p, "mfaenv_session_duration"));
    if (!chain.mfa_process) {
      if (auto mp = p.get("mfa_process"); mp && !trim(*mp).empty()) chain.mfa_process = *mp;
    }
    if (!chain.prompt_list) {
      if (auto list = p.get("mfaenv_prompt"); list && !trim(*list).empty()) {
        if (auto checked = check_prompt_list(*list); !checked.ok())
          return make_error(ErrorKind::kConfigInvalid, "{}: profile '{}': {}", config.paths().config, p.name,
                            checked.error().message);
        chain.prompt_list = *list;
      }
    }
    if (!chain.ykman_account) {
      if (auto a = p.get("mfaenv_ykman_account"); a && !trim(*a).empty()) chain.ykman_account = std::string(trim(*a));
    }
    if (!chain.region) {
      if (auto r = p.get("region"); r && !trim(*r).empty()) chain.region = std::string(trim(*r));
    }
    return {};
  }

  Result<const Profile*> find(const std::string& name, const std::string& referrer) {
    const Profile* p = config.profile(name);
    if (p != nullptr) return p;
    if (referrer.empty())
      return make_error(ErrorKind::kConfigInvalid, "profile '{}' not found in {} or {} (see 'mfaenv config profiles')",
                        name, config.paths().config, config.paths().credentials);
    return make_error(ErrorKind::kConfigInvalid, "profile '{}' names source_profile = {}, which does not exist in {}",
                      referrer, name, config.paths().config);
  }

  // Plans `p` and everything below it; returns the identity of what it produces (for cache keys).
  Result<std::string> plan(const Profile& p) {
    if (std::find(visiting.begin(), visiting.end(), p.name) != visiting.end()) {
      std::string cycle;
      for (auto it = std::find(visiting.begin(), visiting.end(), p.name); it != visiting.end(); ++it) cycle += *it + " -> ";
      return make_error(ErrorKind::kConfigInvalid, "profiles form a cycle through source_profile: {}{}", cycle, p.name);
    }
    visiting.push_back(p.name);
    chain.profiles.push_back(p.name);
    MFAENV_CHECK(inherit_settings(p));
    for (const char* sso : {"sso_start_url", "sso_session", "sso_account_id", "sso_role_name"}) {
      if (p.get(sso))
        return make_error(ErrorKind::kConfigInvalid,
                          "profile '{}' uses AWS SSO ({}); mfaenv handles long-term keys with MFA and roles, not SSO: "
                          "use 'aws sso login' for this profile",
                          p.name, sso);
    }
    const auto role_arn = p.get("role_arn");
    if (!role_arn || trim(*role_arn).empty()) return plan_user(p);
    return plan_role(p, std::string(trim(*role_arn)));
  }

  Result<std::string> plan_user(const Profile& p) {
    chain.source = MFAENV_TRY(find_source(config, p));
    std::string identity = chain.source.identity;
    if (auto serial = p.get("mfa_serial"); serial && !trim(*serial).empty()) identity = add_mfa_session(p, std::string(trim(*serial)), identity);
    return identity;
  }

  std::string add_mfa_session(const Profile& p, const std::string& serial, const std::string& below) {
    ChainLink link;
    link.kind = LinkKind::kMfaSession;
    link.profile = p.name;
    link.mfa_serial = serial;
    link.cache_key = short_hash("mfa-", below + '\n' + serial);
    pending_session = chain.links.size();
    chain.links.push_back(std::move(link));
    return chain.links.back().cache_key;
  }

  Result<std::string> plan_role(const Profile& p, const std::string& role_arn) {
    const auto source_profile = p.get("source_profile");
    const auto credential_source = p.get("credential_source");
    std::string below;
    if (source_profile && !trim(*source_profile).empty()) {
      if (credential_source)
        return make_error(ErrorKind::kConfigInvalid, "profile '{}' has both source_profile and credential_source; keep one", p.name);
      const std::string name(trim(*source_profile));
      const Profile* source = MFAENV_TRY(find(name, p.name));
      if (name == p.name && !source->get("aws_access_key_id")) {
        visiting.push_back(p.name);
        return make_error(ErrorKind::kConfigInvalid, "profiles form a cycle through source_profile: {} -> {}", p.name, p.name);
      }
      if (name == p.name) {  // the CLI allows a role profile to hold its own source keys
        chain.source = MFAENV_TRY(find_source(config, *source));
        below = chain.source.identity;
      } else {
        below = MFAENV_TRY(plan(*source));
      }
    } else if (credential_source) {
      if (trim(*credential_source) != "Environment")
        return make_error(ErrorKind::kConfigInvalid,
                          "profile '{}': credential_source = {} is not supported; mfaenv supports Environment (or "
                          "source_profile)",
                          p.name, *credential_source);
      chain.source = MFAENV_TRY(find_source(config, p));
      below = chain.source.identity;
    } else {
      return make_error(ErrorKind::kConfigInvalid, "profile '{}' has role_arn but neither source_profile nor credential_source",
                        p.name);
    }
    visiting.pop_back();

    const bool per_role = is_true(p.get("mfaenv_mfa_per_role"));
    const auto serial = p.get("mfa_serial");
    const bool below_has_session = std::any_of(chain.links.begin(), chain.links.end(),
                                               [](const ChainLink& l) { return l.kind == LinkKind::kMfaSession; });
    ChainLink link;
    link.kind = LinkKind::kRole;
    link.profile = p.name;
    if (serial && !trim(*serial).empty()) {
      if (per_role) {
        link.mfa_serial = std::string(trim(*serial));
        link.mfa_per_role = true;
      } else if (!below_has_session && chain.links.empty()) {
        // MFA is asked once: an MFA session over the source keys serves this role and its siblings.
        below = add_mfa_session(p, std::string(trim(*serial)), below);
      } else if (!below_has_session) {
        // Below is a role without MFA: AWS can only take the code with this AssumeRole itself.
        link.mfa_serial = std::string(trim(*serial));
        link.mfa_per_role = true;
      }
    }
    link.role.role_arn = role_arn;
    link.role.session_name = role_session_name(p.get("role_session_name"), now());
    if (auto ext = p.get("external_id"); ext && !ext->empty()) link.role.external_id = *ext;
    auto duration = MFAENV_TRY(duration_key(config, p, "duration_seconds"));
    link.role.duration = duration.value_or(Seconds(3600));
    const bool chained = std::any_of(chain.links.begin(), chain.links.end(),
                                     [](const ChainLink& l) { return l.kind == LinkKind::kRole; });
    if (chained && link.role.duration > kRoleChainingLimit) {
      link.notes.push_back(fmt::format("profile '{}' asks for {} but a role assumed with another role's credentials is limited "
                                       "to 1h by AWS (role chaining); asking for 1h",
                                       p.name, format_duration(link.role.duration)));
      link.role.duration = kRoleChainingLimit;
    }
    const std::string configured_name = p.get("role_session_name").value_or("");
    link.cache_key = short_hash("role-", role_arn + '\n' + configured_name + '\n' + link.role.external_id.value_or("") +
                                             '\n' + link.mfa_serial + '\n' + below);
    chain.links.push_back(std::move(link));
    return chain.links.back().cache_key;
  }

  Status finish() {
    if (!pending_session) return {};
    ChainLink& session = chain.links[*pending_session];
    Seconds d = kDefaultSessionDuration;
    if (options.session_duration) {
      d = *options.session_duration;
    } else if (session_duration) {
      d = *session_duration;
    } else if (chain.limits.mfa_max_age && *chain.limits.mfa_max_age < d) {
      d = std::max(*chain.limits.mfa_max_age, kMinSessionDuration);
      session.notes.push_back(fmt::format("asking STS for {} instead of {}: mfaenv_mfa_max_age = {} ends the session sooner",
                                          format_duration(d), format_duration(kDefaultSessionDuration),
                                          format_duration(*chain.limits.mfa_max_age)));
    }
    if (d < kMinSessionDuration || d > kMaxSessionDuration)
      return make_error(options.session_duration ? ErrorKind::kUsage : ErrorKind::kConfigInvalid,
                        "session duration {} is outside what STS allows for GetSessionToken (15m to 36h)", format_duration(d));
    if (chain.limits.mfa_max_age && d > *chain.limits.mfa_max_age && (options.session_duration || session_duration)) {
      session.notes.push_back(fmt::format("the session is served for {} only: mfaenv_mfa_max_age = {} (your IAM policy's "
                                          "aws:MultiFactorAuthAge limit) ends it before STS would",
                                          format_duration(*chain.limits.mfa_max_age), format_duration(*chain.limits.mfa_max_age)));
    }
    session.duration = d;
    return {};
  }

  std::optional<size_t> pending_session;
  std::optional<Seconds> session_duration;
  bool margin_set = false;
};

}  // namespace

std::string device_key(const std::string& mfa_serial) { return short_hash("device-", mfa_serial); }

std::string role_session_name(const std::optional<std::string>& configured, TimePoint t) {
  std::string name = configured && !configured->empty() ? *configured
                                                        : fmt::format("mfaenv-session-{}", t.time_since_epoch().count());
  std::string clean;
  for (char c : name) {
    const bool allowed = std::isalnum(static_cast<unsigned char>(c)) || std::string_view("=,.@-_").find(c) != std::string_view::npos;
    clean.push_back(allowed ? c : '_');
  }
  if (clean.size() < 2) clean += "__";
  return clean.substr(0, 64);
}

Result<Chain> plan_chain(const AwsConfig& config, const std::string& profile, const ChainOptions& options) {
  MFAENV_CHECK(check_not_resolving(profile));
  Planner planner(config, options);
  planner.chain.profile = profile;
  const Profile* p = MFAENV_TRY(planner.find(profile, ""));
  MFAENV_TRY(planner.plan(*p));
  MFAENV_CHECK(planner.finish());
  if (!planner.chain.region) {
    if (auto r = env("AWS_REGION"); r && !r->empty()) planner.chain.region = *r;
    else if (auto dr = env("AWS_DEFAULT_REGION"); dr && !dr->empty()) planner.chain.region = *dr;
  }
  // The region goes into shell code and environments: a NUL or a line break there would be lost or
  // split by the shell, so it is refused here (a region is letters, digits and dashes).
  if (planner.chain.region && planner.chain.region->find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos)
    return make_error(ErrorKind::kConfigInvalid, "the region of profile '{}' holds a NUL byte or a line break; fix it in {}",
                      profile, config.paths().config);
  return std::move(planner.chain);
}

}  // namespace mfaenv
