// Where a six-digit MFA code comes from (docs/design.md §4, docs/prompts.md): --token-code, the profile's
// mfa_process, or one of the prompt drivers of `mfaenv_prompt` (terminal, zenity, kdialog, osascript,
// ykman). Each source is a small object behind one interface, one file per driver, as in aws-vault.
// Every source is asked for a code only under the session's cache lock (src/creds/resolver.cc), so
// many processes needing a code show one prompt, and the used-code rule applies to all of them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/profile_settings.h"
#include "util/result.h"

namespace mfaenv {

// Why a code is being asked for again, so that a source can say it to the person.
enum class CodeRetry { kFirst, kRejected, kAlreadyUsed };

class MfaCodeSource {
 public:
  virtual ~MfaCodeSource() = default;
  // A code for `serial`: exactly six digits. A cancelled prompt is kMfaCodeNeeded (exit 3).
  virtual Result<std::string> code(const std::string& serial, CodeRetry retry) = 0;
  // How many codes this source may be asked for in one login (a person may mistype; a fixed
  // --token-code cannot change).
  virtual int max_attempts() const = 0;
  // Whether asking again after a reused code makes sense (a person or a program can wait for the
  // next code; a fixed flag cannot).
  virtual bool can_wait_for_next_code() const = 0;
  // What gives the codes, for messages: "the mfa_process of profile 'alice'", "zenity".
  virtual std::string name() const = 0;
};

// Who needs the code, for the words of a prompt: "for admin, via alice".
struct PromptContext {
  std::string profile;  // the profile asked for
  std::string via;      // the profile whose MFA device it is (empty or equal: not said)
};

// "arn:aws:iam::123456789012:mfa/alice (for admin, via alice)"
std::string describe_request(const std::string& serial, const PromptContext& context);

// The line a dialog shows: what is asked, and why again when it is asked again.
std::string prompt_message(const std::string& serial, const PromptContext& context, CodeRetry retry);

// Six ASCII digits, nothing else.
bool is_valid_code(std::string_view code);
// A code as typed or pasted: surrounding white space and the space some apps show in the middle
// ("123 456") removed. --token-code and the prompt accept the same forms.
std::string normalize_code(std::string_view typed);

// The code given on the command line.
std::unique_ptr<MfaCodeSource> make_fixed_code_source(std::string code);

// Runs `command` with /bin/sh -c and reads the code from its stdout (aws-vault's mfa_process).
// The child gets no AWS secret in its environment and the serial in MFAENV_MFA_SERIAL; it is
// stopped after MFAENV_PROCESS_TIMEOUT. Errors name `profile`, never the command.
std::unique_ptr<MfaCodeSource> make_process_code_source(std::string command, std::string profile);

// Asks on /dev/tty, which works when stdin and stdout are pipes (SDKs run credential_process so).
// nullptr when there is no terminal to ask on.
std::unique_ptr<MfaCodeSource> make_tty_code_source(PromptContext context = {});

enum class Prompting { kAllowed, kNever };

// Whether the terminal may be used for a prompt: not while `exec --server`'s command owns it.
enum class TerminalPrompt { kAllowed, kForbidden };

// What decides the source (docs/prompts.md).
struct CodeSourceSettings {
  std::optional<std::string> token_code;
  std::optional<std::string> mfa_process;
  std::optional<std::vector<PromptDriver>> prompts;  // mfaenv_prompt, in order
  std::optional<std::string> ykman_account;  // mfaenv_ykman_account
  Prompting prompting = Prompting::kAllowed;
  TerminalPrompt terminal = TerminalPrompt::kAllowed;
  PromptContext context;
};

// The source docs/design.md §4 and docs/prompts.md choose: --token-code, else mfa_process, else the first
// usable driver of mfaenv_prompt (default: terminal, zenity, kdialog). With kNever only --token-code
// counts. An Error of kind kMfaCodeNeeded says why none can be used.
Result<std::unique_ptr<MfaCodeSource>> choose_code_source(const CodeSourceSettings& settings);

// The old signature, for callers that know only these four.
Result<std::unique_ptr<MfaCodeSource>> choose_code_source(const std::optional<std::string>& token_code,
                                                          const std::optional<std::string>& mfa_process,
                                                          Prompting prompting, std::string_view profile);

}  // namespace mfaenv
