"""The built mfaenv's command line as a user meets it: one-line usage errors with a suggestion
(exit 2), every command's --help (usage line, typed placeholders, an example), and the completion
scripts in real bash (COMP_WORDS/COMPREPLY), zsh (a pseudo-terminal, TAB pressed) and fish
(complete -C), with profile names read from the user's config."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

SOURCE_DIR = os.environ.get("MFAENV_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MFAENV = os.environ.get("MFAENV_BINARY") or os.path.join(SOURCE_DIR, "build", "mfaenv")

CONFIG = """[default]
region = eu-west-1

[profile alice]
mfa_serial = arn:aws:iam::123456789012:mfa/alice

[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = alice
"""
CREDENTIALS = """[alice]
aws_access_key_id = AKIAEXAMPLEEXAMPLE01
aws_secret_access_key = secretsecretsecretsecretsecretsecret0001

[ci-bot]
aws_access_key_id = AKIAEXAMPLEEXAMPLE02
aws_secret_access_key = secretsecretsecretsecretsecretsecret0002
"""
PROFILES = ["default", "alice", "admin", "ci-bot"]
# What CLI11 says when the fast parser has not caught a mistake first.
CLI11_PHRASES = ["were not expected", "The following argument", "ExtrasError", "is required", "RequiredError"]


class World:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="mfaenv-cli-")
        self.bin = os.path.join(self.dir, "bin")
        os.makedirs(self.bin)
        os.symlink(MFAENV, os.path.join(self.bin, "mfaenv"))
        os.makedirs(os.path.join(self.dir, ".aws"))
        with open(os.path.join(self.dir, ".aws", "config"), "w") as f:
            f.write(CONFIG)
        with open(os.path.join(self.dir, ".aws", "credentials"), "w") as f:
            f.write(CREDENTIALS)
        os.chmod(os.path.join(self.dir, ".aws", "credentials"), 0o600)
        self.env = {"HOME": self.dir, "PATH": f"{self.bin}:/usr/bin:/bin", "TERM": "dumb", "LANG": "C.UTF-8"}

    def run(self, *args, shell=None, input=None, timeout=60):
        cmd = list(args) if shell is None else shell
        return subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=timeout,
                              input=input, stdin=None if input is not None else subprocess.DEVNULL)

    def mfaenv(self, *args):
        return self.run(MFAENV, *args)


class WorldTest(unittest.TestCase):
    """One throw-away World per test class."""

    @classmethod
    def setUpClass(cls):
        cls.w = World()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.w.dir)


class Errors(WorldTest):
    def expect_usage_error(self, args, line):
        r = self.w.mfaenv(*args)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, f"mfaenv: {line}\n")

    def test_unknown_command_suggests(self):
        self.expect_usage_error(["lgin"], "unknown command 'lgin'; did you mean 'login'?")
        self.expect_usage_error(["stauts", "alice"], "unknown command 'stauts'; did you mean 'status'?")
        self.expect_usage_error(["policy", "chek", "p.json"],
                                "unknown command 'chek' for 'mfaenv policy'; did you mean 'check'?")

    def test_unknown_flag_suggests(self):
        self.expect_usage_error(["env", "alice", "--formt", "json"],
                                "unknown flag '--formt' for 'mfaenv env'; did you mean '--format'?")
        self.expect_usage_error(["login", "alice", "--duraton", "1h"],
                                "unknown flag '--duraton' for 'mfaenv login'; did you mean '--duration'?")
        self.expect_usage_error(["status", "--jsn"], "unknown flag '--jsn' for 'mfaenv status'; did you mean '--json'?")

    def test_exec_without_dash_dash(self):
        self.expect_usage_error(["exec", "alice", "aws", "sts", "get-caller-identity"],
                                "put '--' before the command to run: mfaenv exec alice -- aws sts get-caller-identity")

    def test_no_cli11_reversed_lists(self):
        for args in (["status", "a", "b", "c"], ["config", "get"], ["whoami", "x", "y"], ["hook"],
                     ["policy", "simulate", "p.json"], ["completion"], ["env", "--", "ls"], ["login", "--force=1"]):
            r = self.w.mfaenv(*args)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertEqual(len(r.stderr.splitlines()), 1, (args, r.stderr))
            for phrase in CLI11_PHRASES:
                self.assertNotIn(phrase, r.stderr, args)

    def test_no_command_prints_help_and_exits_2(self):
        r = self.w.mfaenv()
        self.assertEqual(r.returncode, 2)
        self.assertIn("Usage: mfaenv COMMAND", r.stderr)


class Help(WorldTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.w.mfaenv("__command-table", "--json")
        assert r.returncode == 0, r.stderr
        cls.table = json.loads(r.stdout)

    def test_every_command_help_has_usage_placeholders_and_an_example(self):
        for c in self.table["commands"]:
            if c["hidden"]:
                continue
            r = self.w.mfaenv(*c["path"].split(), "--help")
            self.assertEqual(r.returncode, 0, (c["path"], r.stderr))
            self.assertIn(f"Usage: {c['usage']}\n", r.stdout, c["path"])
            self.assertIn("Examples:\n", r.stdout, c["path"])
            self.assertIn(c["summary"], r.stdout, c["path"])
            for flag in c["flags"]:
                shown = flag["name"] + (" " + flag["placeholder"] if flag["placeholder"] else "")
                self.assertIn(shown, r.stdout, c["path"])

    def test_exec_usage_shows_dash_dash_command(self):
        r = self.w.mfaenv("exec", "--help")
        self.assertIn("Usage: mfaenv exec [PROFILE] [OPTIONS] [-- COMMAND [ARGS...]]", r.stdout)
        r = self.w.mfaenv("login", "--help")
        self.assertIn("--duration <DURATION>", r.stdout)
        self.assertIn("--token-code <CODE>", r.stdout)

    def test_hidden_commands_stay_hidden(self):
        r = self.w.mfaenv("--help")
        self.assertEqual(r.returncode, 0)
        self.assertNotIn("__complete-profiles", r.stdout)
        self.assertNotIn("__command-table", r.stdout)
        self.assertIn("completion", r.stdout)

    def test_complete_profiles_reads_config_only(self):
        r = self.w.mfaenv("__complete-profiles")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(r.stdout.split()), sorted(PROFILES))
        self.assertFalse(os.path.exists(os.path.join(self.w.dir, ".cache")), "it must not open the cache")


def is_sanitizer_build(binary):
    """AddressSanitizer's runtime is linked into the binary: valgrind cannot run such a program."""
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


@unittest.skipIf(is_sanitizer_build(MFAENV), "valgrind cannot run an AddressSanitizer build; the plain build checks this")
class WarmPath(WorldTest):
    """The fast commands never build CLI11's command tree nor <iostream>'s streams and locale (issue
    15): shown with callgrind, which names every function that ran; `status` (a CLI11 command) shows
    that the same check sees CLI11 when it does run."""

    def functions_run(self, *args):
        self.assertTrue(shutil.which("callgrind_annotate"), "valgrind is missing: run scripts/bootstrap")
        out = os.path.join(self.w.dir, "callgrind.out")
        self.w.run(shell=["valgrind", "-q", "--tool=callgrind", f"--callgrind-out-file={out}", MFAENV, *args])
        r = self.w.run(shell=["callgrind_annotate", "--inclusive=yes", "--threshold=100", out])
        self.assertIn("PROGRAM TOTALS", r.stdout, r.stderr)
        return r.stdout

    def test_fast_commands_skip_cli11_and_iostream(self):
        for args in (["env", "alice", "--no-prompt"], ["credential-process", "alice", "--no-prompt"],
                     ["exec", "alice", "--no-prompt", "--", "/bin/true"], ["__complete-profiles"]):
            ran = self.functions_run(*args)
            self.assertIn("mfaenv::run_fast_command", ran, args)
            self.assertNotIn("CLI::App::App", ran, args)
            self.assertNotIn("std::ios_base::Init::Init", ran, args)

    def test_the_check_sees_cli11_when_it_runs(self):
        ran = self.functions_run("status")
        self.assertIn("CLI::App::App", ran)
        self.assertIn("std::ios_base::Init::Init", ran)  # constructed on the CLI11 path only


class Completion(WorldTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scripts = {}
        for shell in ("bash", "zsh", "fish"):
            r = cls.w.mfaenv("completion", shell)
            assert r.returncode == 0, r.stderr
            cls.scripts[shell] = os.path.join(cls.w.dir, f"completion.{shell}")
            with open(cls.scripts[shell], "w") as f:
                f.write(r.stdout)

    def bash(self, *words):
        """COMPREPLY for the words typed; the last one is the word being completed."""
        script = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); '
                  'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; _mfaenv; printf "%s\\n" "${COMPREPLY[@]}"')
        r = self.w.run(shell=["bash", "--norc", "--noprofile", "-c", script, "bash", self.scripts["bash"], *words])
        self.assertEqual(r.returncode, 0, r.stderr)
        return [line for line in r.stdout.splitlines() if line]

    def fish(self, line):
        r = self.w.run(shell=["fish", "--no-config", "-c", f"source {self.scripts['fish']}; complete -C '{line}'"])
        self.assertEqual(r.returncode, 0, r.stderr)
        return [entry.split("\t")[0] for entry in r.stdout.splitlines()]

    def zsh(self, line):
        """What zsh shows after TAB at the end of `line`, in an interactive zsh on a pseudo-terminal."""
        fpath = os.path.join(self.w.dir, "zfunc")
        os.makedirs(fpath, exist_ok=True)
        shutil.copy(self.scripts["zsh"], os.path.join(fpath, "_mfaenv"))
        driver = f"""
zmodload zsh/zpty
zpty z env -i HOME={self.w.dir} TERM=dumb PATH={self.w.bin}:/usr/bin:/bin zsh -f -i
zpty -w z 'unset zle_bracketed_paste; PS1="%% "; fpath=({fpath} $fpath); autoload -Uz compinit; compinit -u -D; print RE""ADY'
zpty -r z ready '*READY*'
zpty -n -w z "$1"$'\\t'
sleep 1
out=
while zpty -r -t z chunk; do out+=$chunk; done
print -r -- "$out"
zpty -d z
"""
        r = self.w.run(shell=["zsh", "-f", "-c", driver, "zsh", line], timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.replace("\r", "")

    def test_bash_commands_flags_values_profiles(self):
        self.assertEqual(self.bash("mfaenv", "lo"), ["login", "logout"])
        self.assertEqual(self.bash("mfaenv", "config", ""), ["get", "set", "list", "profiles"])
        self.assertEqual(self.bash("mfaenv", "env", "--format", ""), ["sh", "fish", "powershell", "json", "dotenv"])
        self.assertEqual(self.bash("mfaenv", "env", "--format", "=", "p"), ["powershell"])  # --format=p
        self.assertEqual(self.bash("mfaenv", "env", "--f"), ["--format"])
        self.assertEqual(sorted(self.bash("mfaenv", "exec", "")), sorted(PROFILES))
        self.assertEqual(self.bash("mfaenv", "login", "a"), ["alice", "admin"])
        self.assertEqual(sorted(self.bash("mfaenv", "status", "--profile", "")), sorted(PROFILES))
        self.assertEqual(self.bash("mfaenv", "hook", ""), ["direnv", "bash", "zsh", "fish"])
        self.assertEqual(self.bash("mfaenv", "policy", "sync", "c"), ["ci-bot"])
        self.assertIn("printf", self.bash("mfaenv", "exec", "alice", "--", "printf"))
        self.assertNotIn("__complete-profiles", self.bash("mfaenv", "_"))

    def test_fish(self):
        self.assertEqual(self.fish("mfaenv lo"), ["login", "logout"])
        self.assertEqual(sorted(self.fish("mfaenv env ")), sorted(PROFILES))
        self.assertEqual(self.fish("mfaenv env --format "), sorted(["sh", "fish", "powershell", "json", "dotenv"]))
        self.assertEqual(self.fish("mfaenv policy "), sorted(["generate", "check", "simulate", "sync", "attach"]))
        self.assertIn("--no-prompt", self.fish("mfaenv credential-process --"))
        self.assertEqual(self.fish("mfaenv completion "), ["bash", "fish", "zsh"])

    def test_zsh(self):
        self.assertIn("% mfaenv log", self.zsh("mfaenv lo"))  # login and logout share "log"
        self.assertIn("% mfaenv credential-process ", self.zsh("mfaenv cred"))
        self.assertIn("% mfaenv status ci-bot ", self.zsh("mfaenv status c"))
        shown = self.zsh("mfaenv env --format ")
        for value in ("sh", "fish", "powershell", "json", "dotenv"):
            self.assertIn(value, shown)
        self.assertIn("% mfaenv env --no-", self.zsh("mfaenv env --no"))  # --no-prompt, --no-session
        self.assertIn("% mfaenv env --no-prompt ", self.zsh("mfaenv env --no-p"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
