// Writers of EnvChange for sh, fish, PowerShell, JSON and dotenv.
#include "output/env_writer.h"

#include <string.h>

#include <cassert>

#include "output/json_string.h"
#include "output/quote.h"

namespace mfaenv {

Result<EnvFormat> parse_env_format(std::string_view name) {
  if (name == "sh" || name == "bash" || name == "zsh") return EnvFormat::kSh;
  if (name == "fish") return EnvFormat::kFish;
  if (name == "powershell" || name == "pwsh") return EnvFormat::kPowershell;
  if (name == "json") return EnvFormat::kJson;
  if (name == "dotenv") return EnvFormat::kDotenv;
  return make_error(ErrorKind::kUsage, "unknown format '{}': use sh, fish, powershell, json or dotenv", name);
}

bool is_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

Result<std::string> render_env(const EnvChange& change, EnvFormat format) {
  std::string out;
  // The output holds secrets: reserve the worst case (JSON's \u00XX is 6 bytes per byte) so that no
  // reallocation leaves a copy of a secret behind in freed memory.
  size_t capacity = 4;
  for (const auto& [name, value] : change.set) capacity += name.size() + 6 * value.size() + 64;
  for (const auto& name : change.unset) capacity += name.size() + 64;
  out.reserve(capacity);

  if (format == EnvFormat::kJson) {
    out += '{';
    const char* separator = "\n  ";
    for (const auto& [name, value] : change.set) {
      assert(is_env_name(name));
      out += separator;
      append_json_string(out, name);
      out += ": ";
      append_json_string(out, value);
      separator = ",\n  ";
    }
    out += change.set.empty() ? "}\n" : "\n}\n";
    return out;
  }

  // Unset first: a variable that is both unset and set ends up set.
  for (const auto& name : change.unset) {
    assert(is_env_name(name));
    switch (format) {
      case EnvFormat::kSh: out += "unset " + name + "\n"; break;
      case EnvFormat::kFish: out += "set -e " + name + "\n"; break;
      case EnvFormat::kPowershell:
        out += "Remove-Item Env:" + name + " -ErrorAction SilentlyContinue\n";
        break;
      case EnvFormat::kJson:
      case EnvFormat::kDotenv: break;
    }
  }
  for (const auto& [name, value] : change.set) {
    assert(is_env_name(name));
    switch (format) {
      case EnvFormat::kSh:
        out += "export " + name + "=";
        append_sh_quoted(out, value);
        break;
      case EnvFormat::kFish:
        out += "set -gx " + name + " ";
        append_fish_quoted(out, value);
        break;
      case EnvFormat::kPowershell:
        out += "$Env:" + name + " = ";
        append_powershell_quoted(out, value);
        break;
      case EnvFormat::kDotenv:
        out += name + "=";
        if (!append_dotenv_value(out, value)) {
          explicit_bzero(out.data(), out.size());
          return make_error(ErrorKind::kGeneric,
                            "the value of {} holds a quote, a line break, '${{' or backslashes, which dotenv cannot "
                            "hold safely (a shell sourcing the file would run or expand it); use --format sh or json",
                            name);
        }
        break;
      case EnvFormat::kJson: break;
    }
    out += '\n';
  }
  return out;
}

}  // namespace mfaenv
