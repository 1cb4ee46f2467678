// Asking on /dev/tty (works when stdin and stdout are pipes): key ids, secrets without echo,
// passphrases, yes/no. Used by `keys add`, `keys remove` and the file backend.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace mfaenv {

enum class TtyEcho { kShow, kHide };

// One line without its newline. No terminal: kMfaCodeNeeded (exit 3) saying `without_tty`.
Result<std::string> ask_on_tty(std::string_view prompt, TtyEcho echo, std::string_view without_tty);

}  // namespace mfaenv
