// Texts of the direnv, bash, zsh and fish hooks. They call `mfaenv env PROFILE --no-prompt` (found on
// PATH), which never prompts and exits 3 when there is no usable session, and they watch the cache
// folder of docs/design.md §4: a login or refresh renames a file into it, which changes its mtime.
#include "output/hook_scripts.h"

namespace mfaenv {
namespace {

constexpr std::string_view kDirenv = R"SH(# mfaenv for direnv: `use mfaenv [PROFILE]` in an .envrc loads the profile's MFA session.
# Install: mfaenv hook direnv > "${XDG_CONFIG_HOME:-$HOME/.config}/direnv/lib/mfaenv.sh"
# It never prompts: run `mfaenv login PROFILE` in the shell, and direnv reloads by itself because
# the session cache folder is watched. With no valid session it exports no AWS credentials.
use_mfaenv() {
  local profile=${1:-${AWS_PROFILE:-${AWS_DEFAULT_PROFILE:-default}}}
  local errors out rc=0
  errors=$(mktemp) || return 1
  out=$(command mfaenv env "$profile" --no-prompt --format sh 2>"$errors" </dev/null) || rc=$?
  # Watched after mfaenv ran, so that what it wrote to the cache itself does not cause a reload.
  _mfaenv_cache_dir
  watch_file "$_mfaenv_dir"
  if [[ $rc -eq 0 ]]; then
    eval "$out"
    out=$(<"$errors")  # warnings, e.g. about the config
    [[ -z $out ]] || printf '%s\n' "$out" >&2
    rm -f "$errors"
    return 0
  fi
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN \
    AWS_CREDENTIAL_EXPIRATION MFAENV_PROFILE
  if [[ $rc -eq 3 ]]; then
    rm -f "$errors"
    log_error "mfaenv: no valid session for $profile; run 'mfaenv login $(printf %q "$profile")'"
    return 0
  fi
  if [[ $rc -eq 127 ]]; then
    log_error "mfaenv: command not found; install mfaenv or add it to PATH"
  else
    out=$(<"$errors")
    [[ -z $out ]] || printf '%s\n' "$out" >&2
  fi
  rm -f "$errors"
  return "$rc"
}
)SH";

// Shared by the direnv, bash and zsh texts: the cache folder exactly as src/cache finds it.
constexpr std::string_view kPosixCacheDir = R"SH(
# The session cache folder (docs/design.md §4), in _mfaenv_dir:
# ${MFAENV_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/mfaenv}, a relative XDG_CACHE_HOME ignored.
_mfaenv_cache_dir() {
  _mfaenv_dir=${MFAENV_CACHE_DIR-}
  if [ -n "$_mfaenv_dir" ]; then
    # shellcheck disable=SC2088 # a literal ~ in the value, expanded as src/cache does
    case $_mfaenv_dir in "~" | "~/"*) _mfaenv_dir=$HOME${_mfaenv_dir#"~"} ;; esac
  else
    case ${XDG_CACHE_HOME-} in
      /*) _mfaenv_dir=$XDG_CACHE_HOME/mfaenv ;;
      *) _mfaenv_dir=$HOME/.cache/mfaenv ;;
    esac
  fi
}
)SH";

// Shared by bash and zsh; @LOCAL_OPTIONS@ becomes `emulate -L zsh` for zsh, so that the user's
// options (ksh_arrays, no_clobber, ...) cannot change what the functions do.
constexpr std::string_view kPosixPrompt = R"SH(# mfaenv prompt hook for @SHELL@. Install: eval "$(mfaenv hook @SHELL@)" in @RC@
# While MFAENV_PROFILE is set (`mfaenv env` sets it), each prompt checks whether the session cache
# folder changed (one stat, no process) and if so re-exports `mfaenv env "$MFAENV_PROFILE" --no-prompt`;
# it warns once when the credentials in the environment expire within MFAENV_WARN_BEFORE seconds
# (default 600) and once when they have expired.
# The stamp (its mtime: when this shell last looked at the cache) lives in the private cache folder,
# never in a shared one such as /tmp, where another user could plant a link under a guessable name.
_mfaenv_stamp_name=.prompt-$$-${RANDOM:-0}.stamp
_mfaenv_stamp=
_mfaenv_off=
_mfaenv_exp_text=
_mfaenv_exp_epoch=
_mfaenv_warned=
_mfaenv_dir=

_mfaenv_sync() {
  @LOCAL_OPTIONS@
  local out rc=0
  if out=$(command mfaenv env "$MFAENV_PROFILE" --no-prompt --format sh 2>/dev/null </dev/null); then
    eval "$out"
  else
    rc=$?
    # 3: no usable session in the cache (expiry warnings cover it); anything else is worth a line.
    if [ "$rc" -ne 3 ]; then
      printf "mfaenv: could not reload profile '%s' (exit %s); run 'mfaenv env %q' to see why\n" \
        "$MFAENV_PROFILE" "$rc" "$MFAENV_PROFILE" >&2
    fi
  fi
  # Exit 0 or 3: mfaenv has just checked that the folder is a private folder of this user, so no one
  # else can have put a link there. After other exits only a stamp that is already this shell's own
  # regular file is touched. If it cannot be written, stop reloading rather than run mfaenv on every
  # prompt.
  if [[ $rc -eq 0 || $rc -eq 3 || ( -f $_mfaenv_stamp && ! -L $_mfaenv_stamp && -O $_mfaenv_stamp ) ]]; then
    # Creating the stamp changes the folder's mtime: a second touch makes the stamp the newer.
    { : >|"$_mfaenv_stamp" && { [[ ! $_mfaenv_dir -nt $_mfaenv_stamp ]] || : >|"$_mfaenv_stamp"; }; } 2>/dev/null ||
      _mfaenv_off=1
  else
    _mfaenv_off=1
  fi
}

# RFC 3339 UTC as mfaenv writes it (2026-11-23T18:00:00Z) to Unix seconds in _mfaenv_exp_epoch,
# with shell arithmetic only (days from the civil date, proleptic Gregorian).
_mfaenv_epoch() {
  @LOCAL_OPTIONS@
  local t=$1
  case $t in
    [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][Tt][0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[Zz]) ;;
    *) _mfaenv_exp_epoch=; return 1 ;;
  esac
  local y=$((10#${t:0:4})) m=$((10#${t:5:2})) d=$((10#${t:8:2}))
  if [ "$m" -le 2 ]; then y=$((y - 1)); m=$((m + 9)); else m=$((m - 3)); fi
  local era=$((y / 400))
  local yoe=$((y - era * 400))
  local doe=$((yoe * 365 + yoe / 4 - yoe / 100 + (153 * m + 2) / 5 + d - 1))
  _mfaenv_exp_epoch=$(( (era * 146097 + doe - 719468) * 86400 \
    + 10#${t:11:2} * 3600 + 10#${t:14:2} * 60 + 10#${t:17:2} ))
}

_mfaenv_check_expiry() {
  @LOCAL_OPTIONS@
  local exp=${AWS_CREDENTIAL_EXPIRATION-}
  [ -n "$exp" ] || return 0
  if [ "$exp" != "$_mfaenv_exp_text" ]; then
    _mfaenv_exp_text=$exp
    _mfaenv_epoch "$exp" || return 0
  fi
  [ -n "$_mfaenv_exp_epoch" ] || return 0
  local now=${EPOCHSECONDS-}
  [ -n "$now" ] || printf -v now '%(%s)T' -1 2>/dev/null || return 0
  local warn=${MFAENV_WARN_BEFORE:-600}
  # Over 9 digits is no sensible lead time and would overflow test/[ (attack 2, F25): the default.
  case $warn in *[!0-9]* | ??????????*) warn=600 ;; esac
  local left=$((_mfaenv_exp_epoch - now))
  if [ "$left" -le 0 ]; then
    [ "$_mfaenv_warned" != "$exp expired" ] || return 0
    _mfaenv_warned="$exp expired"
    printf "mfaenv: the AWS credentials of profile '%s' have expired; run 'mfaenv login %q'\n" \
      "$MFAENV_PROFILE" "$MFAENV_PROFILE" >&2
  elif [ "$left" -le "$warn" ]; then
    [ "$_mfaenv_warned" != "$exp" ] || return 0
    _mfaenv_warned=$exp
    printf "mfaenv: the AWS credentials of profile '%s' expire in %sm; run 'mfaenv login %q'\n" \
      "$MFAENV_PROFILE" "$(( (left + 59) / 60 ))" "$MFAENV_PROFILE" >&2
  fi
  return 0
}

_mfaenv_prompt() {
  local last_status=$?
  @LOCAL_OPTIONS@
  if [ -n "${MFAENV_PROFILE-}" ]; then
    _mfaenv_cache_dir
    if [[ -z $_mfaenv_off ]]; then
      # A new cache folder (MFAENV_CACHE_DIR changed) gets a stamp of its own.
      if [[ $_mfaenv_stamp != "$_mfaenv_dir/$_mfaenv_stamp_name" ]]; then
        _mfaenv_cleanup
        _mfaenv_stamp=$_mfaenv_dir/$_mfaenv_stamp_name
      fi
      if [[ ! -e $_mfaenv_stamp || $_mfaenv_dir -nt $_mfaenv_stamp ]]; then
        _mfaenv_sync
      fi
    fi
    _mfaenv_check_expiry
  fi
  return $last_status
}

_mfaenv_cleanup() {
  [[ -z $_mfaenv_stamp || ! -f $_mfaenv_stamp || -L $_mfaenv_stamp ]] || command rm -f -- "$_mfaenv_stamp"
}
)SH";

constexpr std::string_view kBashInstall = R"SH(
case ";${PROMPT_COMMAND[*]-};" in
  *_mfaenv_prompt*) ;;
  *)
    if [[ $(declare -p PROMPT_COMMAND 2>/dev/null) == "declare -a"* ]]; then
      PROMPT_COMMAND+=(_mfaenv_prompt)
    else
      # shellcheck disable=SC2128,SC2178 # a string PROMPT_COMMAND, as bash before 5.1 has it
      PROMPT_COMMAND="${PROMPT_COMMAND:+$PROMPT_COMMAND$'\n'}_mfaenv_prompt"
    fi
    ;;
esac
# Removes the stamp when the shell exits, unless the EXIT trap is already someone else's.
[[ -n $(trap -p EXIT) ]] || trap _mfaenv_cleanup EXIT
)SH";

constexpr std::string_view kZshInstall = R"SH(
zmodload zsh/datetime 2>/dev/null
autoload -Uz add-zsh-hook
add-zsh-hook precmd _mfaenv_prompt
add-zsh-hook zshexit _mfaenv_cleanup
)SH";

constexpr std::string_view kFish = R"SH(# mfaenv prompt hook for fish 3.5 or later.
# Install: mfaenv hook fish | source   in ~/.config/fish/config.fish
# While MFAENV_PROFILE is set (`mfaenv env` sets it), each prompt checks whether the session cache
# folder changed (builtins only, no process) and if so re-exports `mfaenv env $MFAENV_PROFILE
# --no-prompt`; it warns once when the credentials in the environment expire within
# MFAENV_WARN_BEFORE seconds (default 600) and once when they have expired.
set -g __mfaenv_exp_text
set -g __mfaenv_exp_epoch
set -g __mfaenv_warned

# The session cache folder (docs/design.md §4): ${MFAENV_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/mfaenv},
# a relative XDG_CACHE_HOME ignored.
function __mfaenv_cache_dir
    if test -n "$MFAENV_CACHE_DIR"
        string replace -r -- '^~(?=/|$)' $HOME $MFAENV_CACHE_DIR
    else if string match -q '/*' -- "$XDG_CACHE_HOME"
        echo $XDG_CACHE_HOME/mfaenv
    else
        echo $HOME/.cache/mfaenv
    end
end

function __mfaenv_sync
    command mfaenv env $MFAENV_PROFILE --no-prompt --format fish 2>/dev/null </dev/null | source
    set -l rc $pipestatus[1]
    # 3: no usable session in the cache (expiry warnings cover it); anything else is worth a line.
    if test $rc -ne 0 -a $rc -ne 3
        printf "mfaenv: could not reload profile '%s' (exit %s); run 'mfaenv env %s' to see why\n" \
            $MFAENV_PROFILE $rc (string escape -- $MFAENV_PROFILE) >&2
    end
end

# RFC 3339 UTC as mfaenv writes it (2026-11-23T18:00:00Z) to Unix seconds (days from the civil date).
function __mfaenv_epoch --argument-names t
    set -l f (string match -r '^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.\d+)?[Zz]$' -- $t)
    or return 1
    set -l y (math $f[2])
    set -l m (math $f[3])
    if test $m -le 2
        set y (math $y - 1)
        set m (math $m + 9)
    else
        set m (math $m - 3)
    end
    set -l era (math "floor($y / 400)")
    set -l yoe (math "$y - $era * 400")
    set -l doe (math "$yoe * 365 + floor($yoe / 4) - floor($yoe / 100) + floor((153 * $m + 2) / 5) + $f[4] - 1")
    math "($era * 146097 + $doe - 719468) * 86400 + $f[5] * 3600 + $f[6] * 60 + $f[7]"
end

function __mfaenv_check_expiry
    set -l exp "$AWS_CREDENTIAL_EXPIRATION"
    test -n "$exp"; or return 0
    if test "$exp" != "$__mfaenv_exp_text"
        set -g __mfaenv_exp_text $exp
        set -g __mfaenv_exp_epoch (__mfaenv_epoch $exp)
    end
    test -n "$__mfaenv_exp_epoch"; or return 0
    # fish has no clock builtin: now = mtime of / plus the seconds since then.
    set -l left (math $__mfaenv_exp_epoch - (path mtime /) - (path mtime --relative /))
    set -l warn 600
    # Over 9 digits is no sensible lead time and would overflow test (attack 2, F25): the default.
    string match -qr '^[0-9]{1,9}$' -- "$MFAENV_WARN_BEFORE"; and set warn $MFAENV_WARN_BEFORE
    if test $left -le 0
        test "$__mfaenv_warned" != "$exp expired"; or return 0
        set -g __mfaenv_warned "$exp expired"
        printf "mfaenv: the AWS credentials of profile '%s' have expired; run 'mfaenv login %s'\n" \
            $MFAENV_PROFILE (string escape -- $MFAENV_PROFILE) >&2
    else if test $left -le $warn
        test "$__mfaenv_warned" != "$exp"; or return 0
        set -g __mfaenv_warned $exp
        printf "mfaenv: the AWS credentials of profile '%s' expire in %sm; run 'mfaenv login %s'\n" \
            $MFAENV_PROFILE (math "ceil($left / 60)") (string escape -- $MFAENV_PROFILE) >&2
    end
end

function __mfaenv_prompt --on-event fish_prompt
    test -n "$MFAENV_PROFILE"; or return
    set -l mtime (path mtime -- (__mfaenv_cache_dir))
    if not set -q __mfaenv_mtime; or test "$mtime" != "$__mfaenv_mtime"
        __mfaenv_sync
        # Whole seconds, as direnv compares: a change within the second of the last look waits
        # for the next one.
        set -g __mfaenv_mtime (path mtime -- (__mfaenv_cache_dir))
    end
    __mfaenv_check_expiry
end
)SH";

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

Result<HookShell> parse_hook_shell(std::string_view name) {
  if (name == "direnv") return HookShell::kDirenv;
  if (name == "bash") return HookShell::kBash;
  if (name == "zsh") return HookShell::kZsh;
  if (name == "fish") return HookShell::kFish;
  return make_error(ErrorKind::kUsage, "no hook for '{}': use direnv, bash, zsh or fish", name);
}

std::string hook_script(HookShell shell) {
  switch (shell) {
    case HookShell::kDirenv: return std::string(kDirenv) + std::string(kPosixCacheDir);
    case HookShell::kFish: return std::string(kFish);
    case HookShell::kBash: {
      std::string text = replace_all(std::string(kPosixPrompt), "  @LOCAL_OPTIONS@\n", "");
      text = replace_all(std::move(text), "@RC@", "~/.bashrc");
      return replace_all(std::move(text), "@SHELL@", "bash") + std::string(kPosixCacheDir) + std::string(kBashInstall);
    }
    case HookShell::kZsh: {
      std::string text = replace_all(std::string(kPosixPrompt), "@LOCAL_OPTIONS@", "emulate -L zsh");
      text = replace_all(std::move(text), "@RC@", "~/.zshrc");
      return replace_all(std::move(text), "@SHELL@", "zsh") + std::string(kPosixCacheDir) + std::string(kZshInstall);
    }
  }
  return {};
}

}  // namespace mfaenv
