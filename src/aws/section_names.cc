// botocore's reading of section headers (configloader.build_profile_map) and its inverse.
#include "aws/section_names.h"

#include "aws/python_text.h"
#include "util/strings.h"

namespace mfaenv {

namespace {

// "profile NAME" and "sso-session NAME": botocore shlex-splits the header and keeps it only when it
// gives exactly two words. The first word need not be the prefix itself: [profilex a] is profile a.
SectionMeaning named(SectionKind kind, std::string_view header) {
  auto parts = python::shlex_split(header);
  if (!parts || parts->size() != 2) return {SectionKind::kIgnored, ""};
  return {kind, std::move((*parts)[1])};
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

}  // namespace

SectionMeaning classify_config_section(std::string_view header) {
  if (starts_with(header, "profile")) return named(SectionKind::kProfile, header);
  if (starts_with(header, "sso-session")) return named(SectionKind::kSsoSession, header);
  if (header == "default") return {SectionKind::kProfile, "default"};
  // botocore 1.29 keeps [services X] as a plain section; later versions read it like sso-session.
  if (starts_with(header, "services")) return named(SectionKind::kServices, header);
  return {SectionKind::kOther, ""};
}

std::optional<std::string> config_section_header(std::string_view profile) {
  if (has_line_break(profile)) return std::nullopt;
  if (profile == "default") return std::string("default");
  bool plain = !profile.empty();
  for (char c : profile) {
    if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '\\') plain = false;
  }
  std::string header = "profile ";
  if (plain) {
    header += profile;
  } else {
    header += '"';
    for (char c : profile) {
      if (c == '"' || c == '\\') header += '\\';
      header += c;
    }
    header += '"';
  }
  const SectionMeaning meaning = classify_config_section(header);
  if (meaning.kind != SectionKind::kProfile || meaning.name != profile) return std::nullopt;
  return header;
}

std::optional<std::string> credentials_section_header(std::string_view profile) {
  // [DEFAULT] is configparser's section of inherited defaults, never a profile.
  if (profile.empty() || profile == "DEFAULT" || has_line_break(profile)) return std::nullopt;
  return std::string(profile);
}

}  // namespace mfaenv
