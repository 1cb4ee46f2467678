#!/usr/bin/env bash
# The Debian package end to end (issue 14): `make package`'s .deb passes lintian without errors,
# installs with dpkg -i, the installed mfaenv runs, `man -w` finds both pages, TAB completion works
# in bash (bash-completion's loader, COMP_WORDS/COMPREPLY) and fish (complete -C), and dpkg -r then
# dpkg --purge leave nothing of it behind: every path `dpkg -L` listed is gone, and every folder
# the package created.
#
# It changes the system, so it runs only as root (as CI does) and skips otherwise. It refuses to
# touch a machine where an mfaenv package is already installed (it would have to remove it), and
# it removes its own package however it ends. Usage: test_package.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: test_package.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
SKIP=77

if [[ $(id -u) -ne 0 ]]; then
  echo "SKIPPED: the package test installs a .deb system-wide, so it runs only as root (CI runs it)." >&2
  exit $SKIP
fi
if status=$(dpkg-query -W -f='${Status} ${Version}' mfaenv 2>/dev/null) && [[ $status == *" installed "* ]]; then
  echo "FAILED: an mfaenv package is installed ($status); this test would replace and then remove it." >&2
  echo "Remove it first ('dpkg -r mfaenv'), run the test, then install yours again." >&2
  exit 1
fi
fail() { echo "FAILED: $*" >&2; exit 1; }
# has_line TEXT LINE: TEXT has LINE as a whole line (no `| grep -q`: with pipefail, grep quitting
# early would fail the writer with SIGPIPE).
has_line() { [[ $'\n'"$1"$'\n' == *$'\n'"$2"$'\n'* ]]; }

work=$(mktemp -d /tmp/mfaenv-package-test-XXXXXX)
installed=no
cleanup() {
  if [[ $installed == yes ]]; then dpkg --purge mfaenv >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# dpkg refuses to run while apt or another dpkg holds its lock (another test's bootstrap): wait.
dpkg_locked() {
  local tries=0
  until "$@" 2>"$work/dpkg.err"; do
    grep -q "lock" "$work/dpkg.err" || { cat "$work/dpkg.err" >&2; return 1; }
    ((++tries < 120)) || { cat "$work/dpkg.err" >&2; return 1; }
    sleep 1
  done
}

echo "== make package" >&2
deb=$("$top/scripts/package" "$build")
[[ -f $deb ]] || fail "scripts/package made no .deb"
[[ $(basename "$deb") =~ ^mfaenv_[0-9][^_]*_[a-z0-9]+\.deb$ ]] || fail "unexpected name $deb"

echo "== lintian" >&2
lintian --allow-root --fail-on error "$deb" | tee "$work/lintian.txt" >&2 || fail "lintian reports errors"
! grep -q '^E:' "$work/lintian.txt" || fail "lintian reports errors"

echo "== the package's relations" >&2
depends=$(dpkg-deb -f "$deb" Depends)
[[ $depends == *libc6* ]] || fail "Depends lacks libc6 (dpkg-shlibdeps): $depends"
[[ $depends == *libcurl4* ]] || fail "Depends lacks libcurl4 (dlopen()ed): $depends"
[[ $(dpkg-deb -f "$deb" Description) == *"dlopen()"* ]] || fail "the description does not say libcurl is dlopen()ed"

# What exists before, to check after removal that the package's new folders are gone too.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|; s|/$||' | grep -v '^$' > "$work/contents"
while read -r path; do [[ -e $path ]] && echo "$path"; done < "$work/contents" > "$work/existed-before"

echo "== dpkg -i" >&2
installed=yes
dpkg_locked dpkg -i "$deb" >/dev/null || fail "dpkg -i failed"
dpkg -L mfaenv > "$work/listed"
grep -qx /usr/bin/mfaenv "$work/listed" || fail "dpkg -L does not list /usr/bin/mfaenv"

echo "== the installed mfaenv" >&2
[[ $(/usr/bin/mfaenv --help) == *"Usage: mfaenv"* ]] || fail "/usr/bin/mfaenv --help"
[[ $(/usr/bin/mfaenv --version) =~ ^mfaenv\ [0-9]+\.[0-9]+\.[0-9]+\ \(git\ [^\)]+\)$ ]] || fail "--version: $(/usr/bin/mfaenv --version)"
[[ $(man -w mfaenv) == /usr/share/man/man1/mfaenv.1.gz ]] || fail "man -w mfaenv: $(man -w mfaenv 2>&1)"
[[ $(man -w 5 mfaenv-config) == /usr/share/man/man5/mfaenv-config.5.gz ]] || fail "man -w 5 mfaenv-config"
[[ $(MANWIDTH=80 MANPAGER=cat man mfaenv 2>/dev/null) == *"EXIT STATUS"* ]] || fail "man mfaenv does not render"
/usr/bin/mfaenv hook direnv | cmp -s - /usr/share/mfaenv/direnv/mfaenv.sh || fail "the direnv library differs from 'mfaenv hook direnv'"

# A user with two profiles, for profile-name completion (read from the config: no STS, no cache).
home=$work/home
mkdir -p "$home/.aws"
printf '[profile alice]\nregion = eu-west-1\n\n[profile admin-prod]\nsource_profile = alice\nrole_arn = arn:aws:iam::123456789012:role/Admin\n' > "$home/.aws/config"

echo "== completion in bash (bash-completion loads /usr/share/bash-completion/completions/mfaenv)" >&2
[[ -f /usr/share/bash-completion/completions/mfaenv ]] || fail "no bash completion installed"
[[ -f /usr/share/zsh/vendor-completions/_mfaenv ]] || fail "no zsh completion installed"
[[ -f /usr/share/fish/vendor_completions.d/mfaenv.fish ]] || fail "no fish completion installed"
complete_bash() {  # words... -> the COMPREPLY of TAB after them, one per line
  HOME=$home PATH=/usr/bin:/bin bash --norc --noprofile -c '
    source /usr/share/bash-completion/bash_completion
    _completion_loader mfaenv
    spec=$(complete -p mfaenv) || exit 3
    fn=${spec#*-F }; fn=${fn%% *}
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    "$fn" mfaenv "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' bash "$@"
}
words=$(complete_bash mfaenv lo)
has_line "$words" login || fail "bash: 'mfaenv lo<TAB>' does not offer login: $words"
has_line "$words" logout || fail "bash: 'mfaenv lo<TAB>' does not offer logout: $words"
profiles=$(complete_bash mfaenv login "" | sort | tr '\n' ' ')
[[ $profiles == *"admin-prod "* && $profiles == *"alice "* ]] || fail "bash: 'mfaenv login <TAB>' offers '$profiles'"

# Not --no-config: it empties $fish_complete_path. A fresh HOME keeps the user's own config out.
echo "== completion in fish (vendor_completions.d)" >&2
if command -v fish >/dev/null; then
  words=$(HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share fish -c 'complete -C "mfaenv lo"' | cut -f1)
  has_line "$words" login || fail "fish: 'mfaenv lo' does not offer login: $words"
  words=$(HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share fish -c 'complete -C "mfaenv login "' | cut -f1)
  has_line "$words" admin-prod || fail "fish: 'mfaenv login ' does not offer the profile names: $words"
else
  fail "fish is not installed: run scripts/bootstrap test"
fi

echo "== dpkg -r, dpkg --purge" >&2
dpkg_locked dpkg -r mfaenv >/dev/null || fail "dpkg -r failed"
dpkg_locked dpkg --purge mfaenv >/dev/null || fail "dpkg --purge failed"
installed=no
left=()
while read -r path; do
  [[ $path == /. ]] && continue  # dpkg -L lists the root itself
  [[ -e $path || -L $path ]] || continue
  grep -qx -- "$path" "$work/existed-before" && continue  # a shared folder such as /usr/share/man
  left+=("$path")
done < "$work/listed"
((${#left[@]} == 0)) || fail "left behind after dpkg --purge: ${left[*]}"
! dpkg-query -W mfaenv >/dev/null 2>&1 || fail "dpkg still knows the package"
[[ ! -e /var/lib/dpkg/info/mfaenv.list ]] || fail "dpkg's file list is left behind"
echo "package test passed: $(basename "$deb")" >&2
