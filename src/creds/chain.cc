// Working out a profile's chain: source, MFA session, roles, cache keys, limits.
#include "creds/chain.h"

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

struct Planner {
  Planner(ProfileLoader& l, const ChainOptions& o) : loader(l), options(o) {}

  ProfileLoader& loader;
  const ChainOptions& options;
  Chain chain;

  // Settings the user puts on the profile they use, or on any profile below it (docs/sessions.md).
  void inherit_settings() {
    const ProfileLineage& l = chain.lineage;
    chain.limits.mfa_max_age = l.inherited(&ProfileSettings::mfa_max_age);
    if (const auto& margin = l.inherited(&ProfileSettings::refresh_margin)) chain.limits.refresh_margin = *margin;
    session_duration = l.inherited(&ProfileSettings::session_duration);
    chain.mfa_process = l.inherited(&ProfileSettings::mfa_process);
    chain.prompt = l.inherited(&ProfileSettings::prompt);
    chain.ykman_account = l.inherited(&ProfileSettings::ykman_account);
    chain.region = l.inherited(&ProfileSettings::region);
  }

  // The lineage's profile below `p` (its source_profile), or `p` itself (its own keys).
  const ProfileSettings& below(const ProfileSettings& p) const {
    const auto& all = chain.lineage.profiles();
    for (size_t i = 0; i + 1 < all.size(); ++i)
      if (all[i] == &p) return *all[i + 1];
    return p;
  }

  // Plans `p` and everything below it; returns the identity of what it produces (for cache keys).
  Result<std::string> plan(const ProfileSettings& p) {
    chain.profiles.push_back(p.name);
    if (p.sso_key)
      return make_error(ErrorKind::kConfigInvalid,
                        "{}: profile '{}' uses AWS SSO ({}); mfaenv handles long-term keys with MFA and roles, not SSO: "
                        "use 'aws sso login' for this profile",
                        p.where(*p.sso_key), p.name, *p.sso_key);
    if (!p.role_arn) return plan_user(p);
    return plan_role(p, *p.role_arn);
  }

  Result<std::string> plan_user(const ProfileSettings& p) {
    chain.source = MFAENV_TRY(find_source(p));
    std::string identity = chain.source.identity;
    if (p.mfa_serial) identity = add_mfa_session(p, *p.mfa_serial, identity);
    return identity;
  }

  std::string add_mfa_session(const ProfileSettings& p, const std::string& serial, const std::string& below) {
    ChainLink link;
    link.kind = LinkKind::kMfaSession;
    link.profile = p.name;
    link.mfa_serial = serial;
    link.cache_key = short_hash("mfa-", below + '\n' + serial);
    pending_session = chain.links.size();
    chain.links.push_back(std::move(link));
    return chain.links.back().cache_key;
  }

  Result<std::string> plan_role(const ProfileSettings& p, const std::string& role_arn) {
    std::string below_identity;
    if (p.source_profile) {
      if (p.credential_source)
        return make_error(ErrorKind::kConfigInvalid, "{}: profile '{}' has both source_profile and credential_source; keep one",
                          p.where("credential_source"), p.name);
      const ProfileSettings& source = below(p);
      if (&source == &p) {  // the CLI allows a role profile to hold its own source keys
        chain.source = MFAENV_TRY(find_source(p));
        below_identity = chain.source.identity;
      } else {
        below_identity = MFAENV_TRY(plan(source));
      }
    } else if (p.credential_source) {
      if (*p.credential_source != CredentialSource::kEnvironment)
        return make_error(ErrorKind::kConfigInvalid,
                          "{}: profile '{}': credential_source = {} is not supported; mfaenv supports Environment (or "
                          "source_profile)",
                          p.where("credential_source"), p.name, credential_source_name(*p.credential_source));
      chain.source = MFAENV_TRY(find_source(p));
      below_identity = chain.source.identity;
    } else {
      return make_error(ErrorKind::kConfigInvalid,
                        "{}: profile '{}' has role_arn but neither source_profile nor credential_source; add "
                        "source_profile = PROFILE_WITH_KEYS",
                        p.where("role_arn"), p.name);
    }
    std::string& below = below_identity;

    const bool per_role = p.mfa_per_role.value_or(false);
    const auto& serial = p.mfa_serial;
    const bool below_has_session = std::any_of(chain.links.begin(), chain.links.end(),
                                               [](const ChainLink& l) { return l.kind == LinkKind::kMfaSession; });
    ChainLink link;
    link.kind = LinkKind::kRole;
    link.profile = p.name;
    if (serial) {
      if (per_role) {
        link.mfa_serial = *serial;
        link.mfa_per_role = true;
      } else if (!below_has_session && chain.links.empty()) {
        // MFA is asked once: an MFA session over the source keys serves this role and its siblings.
        below = add_mfa_session(p, *serial, below);
      } else if (!below_has_session) {
        // Below is a role without MFA: AWS can only take the code with this AssumeRole itself.
        link.mfa_serial = *serial;
        link.mfa_per_role = true;
      }
    }
    link.role.role_arn = role_arn;
    link.role.session_name = role_session_name(p.role_session_name, now());
    link.role.external_id = p.external_id;
    link.role.duration = p.duration_seconds.value_or(Seconds(3600));
    const bool chained = std::any_of(chain.links.begin(), chain.links.end(),
                                     [](const ChainLink& l) { return l.kind == LinkKind::kRole; });
    if (chained && link.role.duration > kRoleChainingLimit) {
      link.notes.push_back(fmt::format("profile '{}' asks for {} but a role assumed with another role's credentials is limited "
                                       "to 1h by AWS (role chaining); asking for 1h",
                                       p.name, format_duration(link.role.duration)));
      link.role.duration = kRoleChainingLimit;
    }
    const std::string configured_name = p.role_session_name.value_or("");
    link.cache_key = short_hash("role-", role_arn + '\n' + configured_name + '\n' + link.role.external_id.value_or("") +
                                             '\n' + link.mfa_serial + '\n' + below);
    chain.links.push_back(std::move(link));
    return chain.links.back().cache_key;
  }

  // A chain with no MFA device and no role: a session without MFA, unless the profile (or
  // --no-session) asks for the long-term keys, or the keys are a session already.
  void add_plain_session() {
    // A credential_process source hands out what it prints (usually a session already, often
    // mfaenv's own): mfaenv does not wrap it in another session.
    if (!chain.links.empty() || chain.source.temporary || chain.source.kind == SourceKind::kProcess) return;
    const SessionMode mode = options.session_mode ? *options.session_mode
                                                  : chain.lineage.inherited(&ProfileSettings::session).value_or(SessionMode::kSession);
    if (mode == SessionMode::kNone) {
      chain.long_term_by_choice = true;
      return;
    }
    ChainLink link;
    link.kind = LinkKind::kSession;
    link.profile = chain.profile;
    link.cache_key = short_hash("session-", chain.source.identity);
    pending_session = chain.links.size();
    chain.links.push_back(std::move(link));
  }

  Status finish() {
    add_plain_session();
    if (!pending_session) return {};
    ChainLink& session = chain.links[*pending_session];
    Seconds d = kDefaultSessionDuration;
    if (options.session_duration) {
      d = *options.session_duration;
    } else if (session_duration) {
      d = *session_duration;
    } else if (session.kind == LinkKind::kMfaSession && chain.limits.mfa_max_age && *chain.limits.mfa_max_age < d) {
      d = std::max(*chain.limits.mfa_max_age, kMinSessionDuration);
      session.notes.push_back(fmt::format("asking STS for {} instead of {}: mfaenv_mfa_max_age = {} ends the session sooner",
                                          format_duration(d), format_duration(kDefaultSessionDuration),
                                          format_duration(*chain.limits.mfa_max_age)));
    }
    if (d < kMinSessionDuration || d > kMaxSessionDuration)
      return make_error(options.session_duration ? ErrorKind::kUsage : ErrorKind::kConfigInvalid,
                        "session duration {} is outside what STS allows for GetSessionToken (15m to 36h)", format_duration(d));
    if (session.kind == LinkKind::kMfaSession && chain.limits.mfa_max_age && d > *chain.limits.mfa_max_age &&
        (options.session_duration || session_duration)) {
      session.notes.push_back(fmt::format("the session is served for {} only: mfaenv_mfa_max_age = {} (your IAM policy's "
                                          "aws:MultiFactorAuthAge limit) ends it before STS would",
                                          format_duration(*chain.limits.mfa_max_age), format_duration(*chain.limits.mfa_max_age)));
    }
    session.duration = d;
    return {};
  }

  std::optional<size_t> pending_session;
  std::optional<Seconds> session_duration;
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

Result<Chain> plan_chain(ProfileLoader& loader, const ProfileName& profile, const ChainOptions& options) {
  MFAENV_CHECK(check_not_resolving(profile.name));
  Planner planner(loader, options);
  planner.chain.profile = profile.name;
  planner.chain.lineage = MFAENV_TRY(resolve_profile_settings(loader, profile));
  planner.inherit_settings();
  MFAENV_TRY(planner.plan(planner.chain.lineage.top()));
  MFAENV_CHECK(planner.finish());
  if (!planner.chain.region) {
    if (auto r = env("AWS_REGION"); r && !r->empty()) planner.chain.region = *r;
    else if (auto dr = env("AWS_DEFAULT_REGION"); dr && !dr->empty()) planner.chain.region = *dr;
  }
  // The region goes into shell code and environments: a NUL or a line break there would be lost or
  // split by the shell (the profile's own region is checked when it is read).
  if (planner.chain.region && planner.chain.region->find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos)
    return make_error(ErrorKind::kConfigInvalid, "AWS_REGION or AWS_DEFAULT_REGION holds a NUL byte or a line break; fix it");
  return std::move(planner.chain);
}

}  // namespace mfaenv
