// Removing keys from a profile's section (`keys import` takes the plaintext keys out of
// ~/.aws/credentials): only the lines of those options go (the key line and its continuation
// lines); every other byte of the file stays as it was. Written atomically, mode kept.
#include <sys/stat.h>

#include <climits>
#include <cstdlib>

#include <algorithm>
#include <set>

#include "aws/config.h"
#include "aws/ini_file.h"
#include "aws/section_names.h"
#include "util/file.h"

namespace mfaenv {

Result<int> remove_config_keys(const std::string& path, std::string_view profile, const std::vector<std::string>& keys,
                               ConfigFileKind kind) {
  struct stat st {};
  auto read = MFAENV_TRY(read_file(path, Symlinks::kFollow, 16 << 20, &st));
  if (!read) return 0;
  const std::string& text = *read;
  const IniFile ini = MFAENV_TRY(parse_ini(text, path));
  std::set<int> drop;  // 1-based line numbers
  for (const IniSection& s : ini.sections) {
    const bool ours = kind == ConfigFileKind::kCredentials
                          ? s.name == profile
                          : [&] {
                              const SectionMeaning m = classify_config_section(s.name);
                              return m.kind == SectionKind::kProfile && m.name == profile;
                            }();
    if (!ours) continue;
    for (const IniOption& o : s.options) {
      if (std::find(keys.begin(), keys.end(), o.key) == keys.end()) continue;
      drop.insert(o.line);
      for (const IniPiece& p : o.pieces)
        if (p.line > o.line && !p.text.empty()) drop.insert(p.line);
    }
  }
  if (drop.empty()) return 0;
  std::string out;
  int number = 1;
  for (size_t start = 0; start < text.size(); ++number) {
    size_t end = text.find('\n', start);
    size_t next = end == std::string::npos ? text.size() : end + 1;
    // A lone '\r' ends a line for configparser too; the parser's line numbers count it.
    if (size_t cr = text.find('\r', start); cr != std::string::npos && cr + 1 < next && text[cr + 1] != '\n') next = cr + 1;
    if (!drop.count(number)) out.append(text, start, next - start);
    start = next;
  }
  char resolved[PATH_MAX];
  const std::string target = ::realpath(path.c_str(), resolved) ? std::string(resolved) : path;
  MFAENV_CHECK(write_file_atomic(target, out, st.st_mode & 07777));
  return static_cast<int>(drop.size());
}

}  // namespace mfaenv
