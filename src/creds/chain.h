// A profile's credential chain, worked out from the config alone (docs/design.md §4): the long-term
// source at the bottom, then an MFA session (GetSessionToken), then roles (AssumeRole), each link
// with the cache key it is stored under. Planning reads no secret and runs nothing, so the
// warm-cache path can afford it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/profile_settings.h"
#include "cache/session.h"
#include "creds/source.h"
#include "creds/sts_api.h"
#include "util/result.h"

namespace mfaenv {

// kSession: GetSessionToken without MFA, for a chain with no MFA device and no role, so that the
// long-term keys stay inside mfaenv (mfaenv_session = none / --no-session hands them out instead).
enum class LinkKind { kMfaSession, kRole, kSession };

struct ChainLink {
  LinkKind kind = LinkKind::kMfaSession;
  std::string profile;        // the profile that asks for this link
  std::string cache_key;
  std::string mfa_serial;     // kMfaSession, or a role with mfaenv_mfa_per_role
  Seconds duration{43200};
  AssumeRoleRequest role;     // kRole (mfa filled at call time when per-role)
  bool mfa_per_role = false;
  std::vector<std::string> notes;  // for people: why a duration was lowered
};

struct Chain {
  std::string profile;
  // The profile and those below it, typed (points into the ProfileLoader that planned the chain).
  ProfileLineage lineage;
  SourceSpec source;
  std::vector<ChainLink> links;   // bottom-up; empty: the source's long-term keys are the answer
  SessionLimits limits;
  std::optional<std::string> mfa_process;
  std::optional<std::vector<PromptDriver>> prompt;  // mfaenv_prompt, in order (docs/prompts.md)
  std::optional<std::string> ykman_account;         // mfaenv_ykman_account
  std::optional<std::string> region;
  // The long-term keys are the answer because mfaenv_session = none or --no-session said so (a
  // warning is due when they are handed out).
  bool long_term_by_choice = false;
  // The links and the profile they came from, for "profile a -> b -> c" in messages.
  std::vector<std::string> profiles;
};

// GetSessionToken's limits (IAM users; the root user is held to 3600 by AWS itself).
inline constexpr Seconds kMinSessionDuration{900};
inline constexpr Seconds kMaxSessionDuration{129600};
inline constexpr Seconds kDefaultSessionDuration{43200};
inline constexpr Seconds kRoleChainingLimit{3600};

struct ChainOptions {
  std::optional<Seconds> session_duration;  // login --duration
  std::optional<SessionMode> session_mode;  // --no-session (wins over mfaenv_session)
};

// Plans the chain of `profile` from the profiles `loader` reads (only those the chain uses).
Result<Chain> plan_chain(ProfileLoader& loader, const ProfileName& profile, const ChainOptions& options = {});

// The device's key for the used-code record.
std::string device_key(const std::string& mfa_serial);

// role_session_name when set, else "mfaenv-session-<unix time>", cut to STS's characters and 64 bytes.
std::string role_session_name(const std::optional<std::string>& configured, TimePoint now);

}  // namespace mfaenv
