"""The shell hooks of `mfaenv hook direnv|bash|zsh|fish`, driven through real direnv, bash, zsh and
fish with a fake `mfaenv` first on PATH (fake_mfaenv.py: `env` serves a session file from the cache
folder or exits 3, `login`/`logout` write or remove it as the real cache does). The hook text itself
comes from the built mfaenv (MFAENV_BINARY).

What a user would see: direnv loads the session with `use mfaenv P`, reloads by itself after
`mfaenv login P`, exports no stale keys and says how to log in when there is no session; the prompt
hooks re-export after a login, run mfaenv only when the cache changed, and warn once before expiry.
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = os.environ.get("MFAENV_BINARY") or os.path.join(HERE, "../../build/mfaenv")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def rfc3339(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def hook_text(shell):
    return subprocess.run([BINARY, "hook", shell], check=True, capture_output=True, text=True).stdout


class HookTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="mfaenv-hooks-")
        self.addCleanup(shutil.rmtree, self.root)
        bin_dir = os.path.join(self.root, "bin")
        self.cache = os.path.join(self.root, "cache")
        os.makedirs(bin_dir)
        os.makedirs(self.cache, mode=0o700)
        os.symlink(os.path.join(HERE, "fake_mfaenv.py"), os.path.join(bin_dir, "mfaenv"))
        self.log = os.path.join(self.root, "calls.log")
        open(self.log, "w").close()
        self.env = {
            "PATH": bin_dir + ":/usr/local/bin:/usr/bin:/bin",
            "HOME": self.root,
            "TERM": "dumb",
            "XDG_CONFIG_HOME": os.path.join(self.root, "config"),
            "XDG_DATA_HOME": os.path.join(self.root, "data"),
            "XDG_RUNTIME_DIR": self.root,
            "MFAENV_CACHE_DIR": self.cache,
            "FAKE_MFAENV_LOG": self.log,
            "MFAENV_REAL": os.path.abspath(BINARY),
        }

    def fake(self, *args, **extra):
        subprocess.run(["mfaenv", *args], env={**self.env, **extra}, check=True)

    def env_calls(self):
        with open(self.log) as f:
            return [line.split() for line in f if line.startswith("env ")]


class Syntax(HookTest):
    def test_every_hook_parses_in_its_shell(self):
        checks = {"direnv": ["bash", "-n"], "bash": ["bash", "-n"], "zsh": ["zsh", "-n"],
                  "fish": ["fish", "--no-execute"]}
        for shell, command in checks.items():
            path = os.path.join(self.root, "hook." + shell)
            with open(path, "w") as f:
                f.write(hook_text(shell))
            result = subprocess.run(command + [path], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, f"{shell}: {result.stderr}")

    @unittest.skipUnless(shutil.which("shellcheck"), "shellcheck is not installed")
    def test_shellcheck_finds_nothing_in_the_bash_texts(self):
        for shell in ("direnv", "bash"):
            result = subprocess.run(["shellcheck", "-s", "bash", "-"], input=hook_text(shell),
                                    capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, f"{shell}: {result.stdout}")

    def test_unknown_shell_is_a_usage_error(self):
        result = subprocess.run([BINARY, "hook", "tcsh"], capture_output=True, text=True)
        self.assertEqual(result.returncode, 2)
        self.assertIn("direnv, bash, zsh or fish", result.stderr)


class Direnv(HookTest):
    """A shell in the project folder, as direnv's prompt hook drives it: `direnv export json`,
    applied to the environment, once per prompt."""

    def setUp(self):
        super().setUp()
        lib = os.path.join(self.env["XDG_CONFIG_HOME"], "direnv", "lib")
        os.makedirs(lib)
        with open(os.path.join(lib, "mfaenv.sh"), "w") as f:
            f.write(hook_text("direnv"))
        self.project = os.path.join(self.root, "project")
        os.makedirs(self.project)
        self.shell_env = dict(self.env, AWS_ACCESS_KEY_ID="STALE", AWS_SECRET_ACCESS_KEY="STALE",
                              AWS_SESSION_TOKEN="STALE", AWS_PROFILE="other")

    def envrc(self, text):
        with open(os.path.join(self.project, ".envrc"), "w") as f:
            f.write(text)
        subprocess.run(["direnv", "allow", self.project], env=self.env, check=True)

    def prompt(self, **extra):
        """One prompt: returns direnv's log lines (colours removed)."""
        result = subprocess.run(["direnv", "export", "json"], cwd=self.project, env={**self.shell_env, **extra},
                                capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(result.returncode, 0, result.stderr)
        for key, value in (json.loads(result.stdout) if result.stdout.strip() else {}).items():
            if value is None:
                self.shell_env.pop(key, None)
            else:
                self.shell_env[key] = value
        return [ANSI.sub("", line) for line in result.stderr.splitlines()]

    def assert_no_credentials(self):
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION"):
            self.assertNotIn(key, self.shell_env)

    def test_loads_reloads_after_login_and_logout(self):
        self.envrc("use mfaenv work\n")
        hint = "direnv: mfaenv: no valid session for work; run 'mfaenv login work'"

        log = self.prompt()  # no session yet
        self.assertEqual([line for line in log if "mfaenv" in line and "using" not in line], [hint])
        self.assert_no_credentials()
        self.assertEqual(self.env_calls(), [["env", "work", "--no-prompt", "--format", "sh"]])

        self.assertEqual(self.prompt(), [])  # nothing changed: direnv does not even run the .envrc

        time.sleep(1.1)  # direnv compares whole seconds
        self.fake("login", "work", "KEY2", "2099-01-01T00:00:00Z")
        self.prompt()
        self.assertEqual(self.shell_env.get("AWS_ACCESS_KEY_ID"), "KEY2")
        self.assertEqual(self.shell_env.get("AWS_SECRET_ACCESS_KEY"), "s3cr'et $HOME")
        self.assertEqual(self.shell_env.get("AWS_SESSION_TOKEN"), "tok`en")
        self.assertEqual(self.shell_env.get("MFAENV_PROFILE"), "work")
        self.assertNotIn("AWS_PROFILE", self.shell_env)
        self.assertEqual(self.prompt(), [])
        self.assertEqual(len(self.env_calls()), 2)

        time.sleep(1.1)
        self.fake("login", "work", "KEY3", "2099-01-01T00:00:00Z")
        self.prompt()
        self.assertEqual(self.shell_env.get("AWS_ACCESS_KEY_ID"), "KEY3")

        time.sleep(1.1)
        self.fake("logout", "work")
        log = self.prompt()
        self.assertIn(hint, log)
        self.assert_no_credentials()

    def test_strict_env_and_default_profile(self):
        self.envrc("strict_env\nuse mfaenv\nexport AFTER=yes\n")
        log = self.prompt()
        # No profile argument: AWS_PROFILE, as mfaenv itself would choose.
        self.assertIn("direnv: mfaenv: no valid session for other; run 'mfaenv login other'", log)
        self.assertEqual(self.shell_env.get("AFTER"), "yes")  # exit 3 does not abort the .envrc
        self.assert_no_credentials()

    def test_other_failures_show_mfaenv_message_and_export_no_keys(self):
        self.envrc("use mfaenv work\n")
        self.fake("login", "work", "KEY2", "2099-01-01T00:00:00Z")
        log = self.prompt(FAKE_MFAENV_EXIT="6")
        self.assertIn("mfaenv: forced failure 6", log)
        self.assert_no_credentials()


# One scenario for the three prompt hooks. Each step is a command; a prompt follows every step.
def scenario(shell, soon, past):
    is_fish = shell == "fish"
    export = (lambda k, v: f"set -gx {k} '{v}'") if is_fish else (lambda k, v: f"export {k}='{v}'")
    wait = ["sleep 1.1"] if is_fish else []  # fish's `path mtime` has whole seconds
    return [
        "echo start",
        export("MFAENV_PROFILE", "work"),
        export("AWS_ACCESS_KEY_ID", "OLD"),
        "echo A key=$AWS_ACCESS_KEY_ID",
        "echo B",
        *wait,
        "mfaenv login work KEY2 2099-01-01T00:00:00Z",
        "echo C key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY exp=$AWS_CREDENTIAL_EXPIRATION",
        "echo D",
        *wait,
        f"mfaenv login work KEY3 {soon}",
        "echo E key=$AWS_ACCESS_KEY_ID",
        "echo F",
        export("AWS_CREDENTIAL_EXPIRATION", past),
        "echo G",
        "echo H",
        export("FAKE_MFAENV_EXIT", "1"),
        *wait,
        f"mfaenv login work KEY4 {soon}",
        "echo I key=$AWS_ACCESS_KEY_ID",
    ]


class PromptHooks(HookTest):
    def run_shell(self, shell):
        steps = scenario(shell, rfc3339(300), rfc3339(-60))
        if shell == "fish":
            # fish reading a script has no prompt: fire the event the prompt fires.
            lines = ["mfaenv hook fish | source", "mfaenv hook fish | source"]
            for step in steps:
                lines += [step, "emit fish_prompt"]
            command = ["fish", "--no-config", "-c", "\n".join(lines)]
            stdin = None
        else:
            # An interactive shell reading its commands from a pipe shows a prompt (and runs
            # PROMPT_COMMAND / precmd) before each one, as in a terminal.
            install = f'eval "$(mfaenv hook {shell})"'
            lines = [install, install]
            lines.append('echo "installed ${PROMPT_COMMAND[*]-}"' if shell == "bash" else 'echo "installed ${precmd_functions[*]}"')
            lines += steps
            command = ["bash", "--norc", "--noprofile", "-i"] if shell == "bash" else ["zsh", "-f", "-i"]
            stdin = "\n".join(lines) + "\n"
        result = subprocess.run(command, input=stdin, env=self.env, capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.splitlines(), result.stderr

    def check(self, shell):
        out, err = self.run_shell(shell)
        if shell != "fish":
            self.assertIn("installed _mfaenv_prompt", out)  # installed once however often eval'd
        self.assertIn("A key=OLD", out)  # no session: the hook leaves the environment alone
        self.assertIn("C key=KEY2 secret=s3cr'et $HOME exp=2099-01-01T00:00:00Z", out)
        self.assertIn("E key=KEY3", out)
        self.assertIn("I key=KEY3", out)  # a failing mfaenv changes nothing...
        self.assertEqual(err.count("could not reload profile 'work' (exit 1)"), 1, err)  # ...and says so once
        self.assertEqual(len(re.findall(r"credentials of profile 'work' expire in [45]m; run 'mfaenv login work'", err)), 1, err)
        self.assertEqual(err.count("credentials of profile 'work' have expired; run 'mfaenv login work'"), 1, err)
        # mfaenv ran at the first prompt with MFAENV_PROFILE set and after each of the 3 logins only.
        self.assertEqual(len(self.env_calls()), 4, self.env_calls())
        self.assertEqual(self.env_calls()[0], ["env", "work", "--no-prompt", "--format", "fish" if shell == "fish" else "sh"])
        self.assertEqual([f for f in os.listdir(self.cache) if ".prompt-" in f], [])  # stamp removed

    def test_no_file_in_a_shared_folder(self):
        # Issue 13, defect 1: the stamp lived at a guessable name in $TMPDIR, where another user could
        # plant a link to a file of the victim's, truncated at the next prompt. Only the private
        # cache folder may hold it.
        shared = os.path.join(self.root, "shared-tmp")
        os.mkdir(shared)
        os.chmod(shared, 0o1777)
        env = {k: v for k, v in self.env.items() if k != "XDG_RUNTIME_DIR"}
        env["TMPDIR"] = shared
        for shell, command in (("bash", ["bash", "--norc", "--noprofile", "-i"]), ("zsh", ["zsh", "-f", "-i"])):
            lines = [f'eval "$(mfaenv hook {shell})"', "export MFAENV_PROFILE=work",
                     "mfaenv login work KEY2 2099-01-01T00:00:00Z", "echo key=$AWS_ACCESS_KEY_ID",
                     f"ls -A {shared}; echo listed"]
            result = subprocess.run(command, input="\n".join(lines) + "\n", env=env, capture_output=True,
                                    text=True, timeout=60)
            self.assertIn("key=KEY2", result.stdout, result.stderr)  # the hook still reloads
            self.assertIn("listed", result.stdout)
            self.assertEqual(os.listdir(shared), [], shell)
            self.assertNotIn("mfaenv-prompt", result.stdout)

    def test_bash(self):
        self.check("bash")

    def test_zsh(self):
        self.check("zsh")

    def test_fish(self):
        self.check("fish")


class HostileValues(HookTest):
    """Issue 13, attack 2: values from the user's environment or a shared config, at every prompt."""

    PROFILE = "dev; touch PWNED"

    def prompt_once(self, shell, **extra):
        env = {**self.env, "MFAENV_PROFILE": self.PROFILE, "AWS_CREDENTIAL_EXPIRATION": rfc3339(300), **extra}
        if shell == "fish":
            command, stdin = ["fish", "--no-config", "-c", "mfaenv hook fish | source\nemit fish_prompt"], None
        else:
            command = ["bash", "--norc", "--noprofile", "-i"] if shell == "bash" else ["zsh", "-f", "-i"]
            stdin = f'eval "$(mfaenv hook {shell})"\necho done\n'
        result = subprocess.run(command, input=stdin, env=env, cwd=self.root, capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stderr

    def words_of(self, shell, command):
        """The arguments the shell would give `mfaenv` when a user pastes `command`."""
        define = ("function mfaenv; printf '%s|' $argv; end; " if shell == "fish"
                  else "mfaenv() { printf '%s|' \"$@\"; }; ")
        result = subprocess.run([shell, "-c", define + command], cwd=self.root, capture_output=True, text=True)
        return result.stdout

    def test_suggested_commands_quote_the_profile(self):
        # Attack 2, F24: a profile named "dev; touch PWNED" (legal in a quoted section name) made the
        # advice "run 'mfaenv login dev; touch PWNED'": pasting it ran touch.
        for shell in ("bash", "zsh", "fish"):
            with self.subTest(shell=shell):
                err = self.prompt_once(shell, FAKE_MFAENV_EXIT="1")
                commands = re.findall(r"run '(mfaenv .*)'(?: to see why)?$", err, re.M)
                self.assertEqual(len(commands), 2, err)  # could not reload ...; expire in 5m ...
                self.assertEqual([self.words_of(shell, c) for c in commands],
                                 [f"env|{self.PROFILE}|", f"login|{self.PROFILE}|"], err)
                self.assertFalse(os.path.exists(os.path.join(self.root, "PWNED")))  # pasting ran no touch
                # A plain name stays as people type it.
                err = self.prompt_once(shell, MFAENV_PROFILE="work")
                self.assertIn("run 'mfaenv login work'", err)

    def test_huge_warn_before_falls_back_silently(self):
        # Attack 2, F25: 20 digits made bash say "integer expression expected" and fish print an
        # error with a stack trace at every prompt; zsh truncated it. Over 9 digits means the default.
        for shell in ("bash", "zsh", "fish"):
            with self.subTest(shell=shell):
                err = self.prompt_once(shell, MFAENV_PROFILE="work", MFAENV_WARN_BEFORE="99999999999999999999")
                lines = [line for line in err.splitlines() if line.strip() and not line.startswith(("done", "$ ", "% "))]
                self.assertTrue(any("expire in 5m" in line for line in lines), err)  # the default 600 s
                for noise in ("integer", "range", "truncated", "error"):
                    self.assertNotIn(noise, err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
