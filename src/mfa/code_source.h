// Where a six-digit MFA code comes from (DESIGN.md §4): --token-code, the profile's mfa_process, or
// a prompt on /dev/tty. Each source is a small object behind one interface, as in aws-vault.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace mfaenv {

// Why a code is being asked for again, so that a source can say it to the person.
enum class CodeRetry { kFirst, kRejected, kAlreadyUsed };

class MfaCodeSource {
 public:
  virtual ~MfaCodeSource() = default;
  // A code for `serial`: exactly six digits.
  virtual Result<std::string> code(const std::string& serial, CodeRetry retry) = 0;
  // How many codes this source may be asked for in one login (a person may mistype; a fixed
  // --token-code cannot change).
  virtual int max_attempts() const = 0;
  // Whether asking again after a reused code makes sense (a person or a program can wait for the
  // next code; a fixed flag cannot).
  virtual bool can_wait_for_next_code() const = 0;
};

// Six ASCII digits, nothing else.
bool is_valid_code(std::string_view code);
// A code as typed or pasted: surrounding white space and the space some apps show in the middle
// ("123 456") removed. --token-code and the prompt accept the same forms.
std::string normalize_code(std::string_view typed);

// The code given on the command line.
std::unique_ptr<MfaCodeSource> make_fixed_code_source(std::string code);

// Runs `command` with /bin/sh -c and reads the code from its stdout (aws-vault's mfa_process).
// The child gets no AWS secret in its environment and the serial in MFAENV_MFA_SERIAL.
std::unique_ptr<MfaCodeSource> make_process_code_source(std::string command);

// Asks on /dev/tty, which works when stdin and stdout are pipes (SDKs run credential_process so).
// nullptr when there is no terminal to ask on.
std::unique_ptr<MfaCodeSource> make_tty_code_source();

enum class Prompting { kAllowed, kNever };

// The source DESIGN.md §4 chooses: --token-code, else mfa_process, else /dev/tty. With kNever only
// --token-code counts. An Error of kind kMfaCodeNeeded says why none can be used.
Result<std::unique_ptr<MfaCodeSource>> choose_code_source(const std::optional<std::string>& token_code,
                                                          const std::optional<std::string>& mfa_process,
                                                          Prompting prompting, std::string_view profile);

}  // namespace mfaenv
