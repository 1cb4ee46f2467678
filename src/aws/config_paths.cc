// Where the AWS config files are: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE or the defaults,
// expanded as botocore expands them (os.path.expandvars, then os.path.expanduser).
#include <pwd.h>
#include <unistd.h>

#include "aws/config.h"
#include "util/strings.h"

namespace mfaenv {

namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// os.path.expandvars: $NAME and ${NAME} are replaced when NAME is set; anything else stays.
std::string expand_vars(std::string_view path) {
  if (path.find('$') == std::string_view::npos) return std::string(path);
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] != '$') {
      out += path[i++];
      continue;
    }
    size_t j = i + 1;
    std::string_view name;
    if (j < path.size() && path[j] == '{') {
      const size_t close = path.find('}', j);
      if (close != std::string_view::npos) {
        name = path.substr(j + 1, close - j - 1);
        j = close + 1;
      }
    } else {
      while (j < path.size() && is_word_char(path[j])) ++j;
      name = path.substr(i + 1, j - i - 1);
    }
    if (j == i + 1) {  // no variable here
      out += path[i++];
      continue;
    }
    std::optional<std::string> value;
    if (!name.empty() && name.find('=') == std::string_view::npos) value = env(std::string(name).c_str());
    out += value ? std::string_view(*value) : path.substr(i, j - i);
    i = j;
  }
  return out;
}

// os.path.expanduser, including ~user and the removal of the home folder's trailing slashes.
std::string expand_user_like_python(std::string path) {
  if (path.empty() || path[0] != '~') return path;
  size_t slash = path.find('/', 1);
  if (slash == std::string::npos) slash = path.size();
  std::string home;
  if (slash == 1) {
    if (auto h = env("HOME")) {
      home = *h;
    } else if (const passwd* pw = getpwuid(getuid())) {
      home = pw->pw_dir;
    } else {
      return path;
    }
  } else {
    const passwd* pw = getpwnam(path.substr(1, slash - 1).c_str());
    if (pw == nullptr) return path;
    home = pw->pw_dir;
  }
  while (!home.empty() && home.back() == '/') home.pop_back();
  std::string result = home + path.substr(slash);
  return result.empty() ? "/" : result;
}

}  // namespace

std::string expand_config_path(std::string_view path) { return expand_user_like_python(expand_vars(path)); }

ConfigPaths config_paths_from_env() {
  // botocore reads the variables even when they are empty: an empty path names no file.
  const auto config = env("AWS_CONFIG_FILE");
  const auto credentials = env("AWS_SHARED_CREDENTIALS_FILE");
  return ConfigPaths{expand_config_path(config ? *config : "~/.aws/config"),
                     expand_config_path(credentials ? *credentials : "~/.aws/credentials")};
}

}  // namespace mfaenv
