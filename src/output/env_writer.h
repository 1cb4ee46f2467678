// `mfaenv env` output: the variables to set and to unset, written for one shell or file format
// (docs/design.md §2 "Output"). Every value reads back byte for byte; docs/shells.md has the rules.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace mfaenv {

struct EnvChange {
  std::vector<std::pair<std::string, std::string>> set;  // in output order
  std::vector<std::string> unset;
};

enum class EnvFormat { kSh, kFish, kPowershell, kJson, kDotenv };

// "sh" (also "bash", "zsh"), "fish", "powershell" (also "pwsh"), "json", "dotenv"; else a usage error.
Result<EnvFormat> parse_env_format(std::string_view name);

// A portable variable name: [A-Za-z_][A-Za-z0-9_]*. render_env expects only such names.
bool is_env_name(std::string_view name);

// sh:         export K='V'            unset K
// fish:       set -gx K 'V'           set -e K
// powershell: $Env:K = 'V'            Remove-Item Env:K -ErrorAction SilentlyContinue
// json:       {"K": "V", ...}         (unset variables are left out: the object holds strings only)
// dotenv:     K=V or K='V'            (unset variables are left out: dotenv cannot unset)
// An Error only for dotenv, when a value cannot be written so that sourcing the file is inert.
Result<std::string> render_env(const EnvChange& change, EnvFormat format);

}  // namespace mfaenv
