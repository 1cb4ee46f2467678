// Loading profiles on demand, the source_profile lineage that settings are inherited along, and the
// one wording of "profile not found".
#include <algorithm>

#include <fmt/format.h>

#include "aws/profile_settings.h"

namespace mfaenv {

namespace {

std::string origin_text(const ProfileName& name) {
  switch (name.origin) {
    case ProfileOrigin::kArgument: return "the PROFILE argument";
    case ProfileOrigin::kFlag: return "--profile";
    case ProfileOrigin::kAwsProfile: return "AWS_PROFILE";
    case ProfileOrigin::kAwsDefaultProfile: return "AWS_DEFAULT_PROFILE";
    case ProfileOrigin::kMfaenvProfile: return "MFAENV_PROFILE, set by mfaenv env/exec";
    case ProfileOrigin::kDefault: return "the default";
    case ProfileOrigin::kSourceProfile: return "source_profile of " + name.referrer;
  }
  return "?";
}

}  // namespace

Error profile_not_found(const AwsConfig& config, const ProfileName& name) {
  if (name.origin == ProfileOrigin::kDefault) {
    return make_error(ErrorKind::kUsage,
                      "no profile given: pass PROFILE or set AWS_PROFILE (there is no [default] profile in {} or {})",
                      config.paths().config, config.paths().credentials);
  }
  return make_error(ErrorKind::kConfigInvalid,
                    "profile '{}' (from {}) is not in {} or {}; check the name ('mfaenv config profiles' lists them)",
                    name.name, origin_text(name), config.paths().config, config.paths().credentials);
}

Result<const ProfileSettings*> ProfileLoader::load(const ProfileName& name) {
  for (const auto& p : loaded_)
    if (p.settings->name == name.name) return p.settings.get();
  std::optional<Profile> raw = config_.profile(name.name);
  if (!raw) return profile_not_found(config_, name);
  auto profile = std::make_unique<const Profile>(std::move(*raw));
  auto settings = MFAENV_TRY(parse_profile_settings(config_, *profile));
  loaded_.push_back(Loaded{std::move(profile), std::move(settings)});
  return loaded_.back().settings.get();
}

// How many profiles a source_profile chain may hold (docs/hardening.md, defect 5 of the second pass).
constexpr size_t kMaxSourceProfileDepth = 64;

Result<ProfileLineage> resolve_profile_settings(ProfileLoader& loader, const ProfileName& name) {
  ProfileLineage lineage;
  const ProfileSettings* p = MFAENV_TRY(loader.load(name));
  lineage.profiles_.push_back(p);
  // Only a role profile uses its source_profile (botocore ignores it elsewhere).
  while (p->role_arn && p->source_profile) {
    const std::string& next = *p->source_profile;
    // Each hop is an AssumeRole with a one-hour cap; no real chain comes near this, and a bound keeps
    // a generated or hostile config from exhausting the stack further up (docs/hardening.md).
    if (lineage.profiles_.size() >= kMaxSourceProfileDepth) {
      return make_error(ErrorKind::kConfigInvalid,
                        "{}: profile '{}' is reached through more than {} source_profile hops from '{}'; mfaenv "
                        "stops there: point a profile nearer the top at the profile with the keys",
                        p->where("source_profile"), p->name, kMaxSourceProfileDepth, lineage.profiles_.front()->name);
    }
    auto seen = std::find_if(lineage.profiles_.begin(), lineage.profiles_.end(),
                             [&](const ProfileSettings* q) { return q->name == next; });
    if (seen != lineage.profiles_.end()) {
      // The AWS CLI lets a role profile hold its own source keys: source_profile = itself.
      if (next == p->name && p->access_key_id) break;
      std::string cycle;
      for (auto it = seen; it != lineage.profiles_.end(); ++it) cycle += (*it)->name + " -> ";
      return make_error(ErrorKind::kConfigInvalid, "{}: profiles form a cycle through source_profile: {}{}",
                        p->where("source_profile"), cycle, next);
    }
    p = MFAENV_TRY(loader.load(ProfileName{next, ProfileOrigin::kSourceProfile,
                                           fmt::format("profile '{}' ({})", p->name, p->where("source_profile"))}));
    lineage.profiles_.push_back(p);
  }
  return lineage;
}

}  // namespace mfaenv
