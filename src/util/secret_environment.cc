// Taking secret variables out of the environment at start (util/secret_environment.h).
#include "util/secret_environment.h"

#include <string.h>

#include <array>
#include <cstdlib>

#include "util/strings.h"

namespace mfaenv {

namespace {

constexpr std::array<const char*, 1> kSecretVariables = {"MFAENV_FILE_PASSPHRASE"};

struct TakenVariable {
  std::string_view name;
  std::optional<std::string> value;
};

std::array<TakenVariable, kSecretVariables.size()>& taken() {
  static std::array<TakenVariable, kSecretVariables.size()> values;
  return values;
}

bool g_taken = false;

}  // namespace

void take_secret_variables() {
  for (size_t i = 0; i < kSecretVariables.size(); ++i) {
    const char* name = kSecretVariables[i];
    taken()[i] = {name, env(name)};
    if (char* value = std::getenv(name)) {
      // The copy left in the environment block is overwritten: /proc/PID/environ shows the block
      // as it was at exec, and this process is not dumpable, but its memory holds no second copy.
      explicit_bzero(value, std::char_traits<char>::length(value));
      ::unsetenv(name);
    }
  }
  g_taken = true;
}

std::optional<std::string> secret_variable(std::string_view name) {
  if (g_taken) {
    for (const TakenVariable& v : taken())
      if (v.name == name) return v.value;
  }
  return env(std::string(name).c_str());
}

}  // namespace mfaenv
