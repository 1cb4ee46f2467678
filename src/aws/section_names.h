// What a config-file section header means to botocore (configloader.build_profile_map): [default],
// [profile NAME], [sso-session NAME], [services NAME] with shell-style quoting, or something else;
// and the header to write for a profile so that botocore reads it back as that profile.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mfaenv {

enum class SectionKind {
  kProfile,
  kSsoSession,
  kServices,
  kIgnored,  // looks like one of the above, but botocore drops it ([profile], [profile a b], ...)
  kOther,    // anything else ([plugins], [preview], ...)
};

struct SectionMeaning {
  SectionKind kind = SectionKind::kOther;
  std::string name;  // the profile, sso-session or services name
};

// `header` is the text between the brackets of a section in the config file.
SectionMeaning classify_config_section(std::string_view header);

// The text between the brackets for profile `profile` in the config file ("default", "profile dev",
// "profile \"my dev\""), or nullopt when no header can name it (a line break in the name).
std::optional<std::string> config_section_header(std::string_view profile);

// The same for the credentials file, where the header is the profile name itself.
std::optional<std::string> credentials_section_header(std::string_view profile);

}  // namespace mfaenv
