#!/usr/bin/python3
"""Secrets hygiene (issue 8, item 6): every command and error path, run with --debug and with known
long-term keys, session keys and MFA codes, never shows a secret on stderr, in the debug lines, in
what mfa_process gets (argv and environment), or in any file but the 0600 session cache; and mfaenv
runs with core dumps off while a program started by `exec` gets the caller's limit back."""
import glob
import json
import os
import resource
import stat
import unittest

from mfaenv_env import EmulatorTest, MFAENV, PYTHON, W, Home, harness

ALICE_KEYS = {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}
WRONG_SECRET = "wrongSecretKey/EXAMPLE+0123456789abcdefg"

# mfa_process: records what it was given (argv, environment, its parent's core limit), then prints
# the current code. The recording is what the test inspects.
SPY = r"""
import os, sys, subprocess
spy = os.environ["SPY_DIR"]
n = len(os.listdir(spy))
with open(os.path.join(spy, f"run-{n}.txt"), "w") as f:
    f.write("ARGV " + repr(sys.argv) + "\n")
    for k, v in sorted(os.environ.items()):
        f.write(f"ENV {k}={v}\n")
    with open(f"/proc/{os.getppid()}/limits") as limits:
        f.write("".join(l for l in limits if l.startswith("Max core file size")))
    with open(f"/proc/{os.getppid()}/cmdline", "rb") as cmdline:
        f.write("PARENT " + repr(cmdline.read()) + "\n")
print(subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True).stdout.strip())
"""


class Secrets(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        self.spy_dir = os.path.join(self.home.dir, "spy")
        os.mkdir(self.spy_dir)
        spy = os.path.join(self.home.dir, "spy.py")
        with open(spy, "w") as f:
            f.write(SPY)
        mfa_process = f"{PYTHON} {spy} {self.emu.totp_command(self.home.secret_file)}"
        config = {
            "profile alice": {"mfa_serial": W.ALICE_MFA, "mfa_process": mfa_process, "region": "eu-west-1"},
            "profile admin": {"role_arn": W.ADMIN_ROLE, "source_profile": "alice"},
            "profile wrong": {"mfa_serial": W.ALICE_MFA, "mfa_process": mfa_process},
            "profile env-keys": {"mfa_serial": W.ALICE_MFA, "mfa_process": mfa_process},
            "profile bob": {},
        }
        harness.write_aws_files(self.home.dir, config, {
            "alice": ALICE_KEYS,
            "wrong": {"aws_access_key_id": W.BOB_KEY, "aws_secret_access_key": WRONG_SECRET},
            "bob": {"aws_access_key_id": W.BOB_KEY, "aws_secret_access_key": W.BOB_SECRET}})
        self.stderr = []  # everything mfaenv wrote to stderr in this test
        # mfaenv inherits a non-zero core limit, so "0" in its /proc limits is its own doing.
        self.core_limit = resource.getrlimit(resource.RLIMIT_CORE)
        hard = self.core_limit[1]
        resource.setrlimit(resource.RLIMIT_CORE, (1 << 20 if hard == resource.RLIM_INFINITY else min(1 << 20, hard), hard))
        self.addCleanup(resource.setrlimit, resource.RLIMIT_CORE, self.core_limit)
        self.env = {"MFAENV_DEBUG": "1", "SPY_DIR": self.spy_dir}

    def run_mfaenv(self, *args, expect=None, env=None, **kw):
        e = dict(self.env)
        e.update(env or {})
        r = self.home.mfaenv(*args, env=e, **kw)
        self.stderr.append((args, r.stderr))
        self.assertGreaterEqual(r.returncode, 0, f"{args} died of a signal: {r.stderr}")
        if expect is not None:
            self.assertEqual(r.returncode, expect, f"{args}: {r.stderr}")
        return r

    def session_secrets(self):
        """The secrets of every session in the cache (read from the cache, the one place they live)."""
        found = []
        for path in glob.glob(os.path.join(self.home.dir, ".cache", "mfaenv", "*.json")):
            with open(path) as f:
                data = json.load(f)
            creds = data.get("credentials", data)
            for name in ("secret_access_key", "SecretAccessKey", "session_token", "SessionToken"):
                if creds.get(name):
                    found.append(creds[name])
        return found

    def all_secrets(self):
        # Six-digit codes are not searched for as substrings (account ids and times hold digit runs
        # too); the debug lines are checked for them by shape instead.
        return [W.ALICE_SECRET, W.BOB_SECRET, WRONG_SECRET, W.ALICE_TOTP] + self.session_secrets()

    def assert_nowhere(self, secrets, text, where):
        for secret in secrets:
            self.assertNotIn(secret, text, f"a secret ({secret[:4]}...) appears in {where}")

    def test_every_command_and_error_path(self):
        # The happy paths, with --debug on: a new MFA session, a role on top, every output format.
        r = self.run_mfaenv("login", "alice", "--debug", expect=0)
        self.assertIn("mfaenv[debug]: ", r.stderr)
        self.assertIn("GetSessionToken attempt 1: POST", r.stderr)
        self.assertIn("TokenCode=**** (6 characters)", r.stderr)
        self.assertIn(f"access key id {W.ALICE_KEY}", r.stderr)
        for fmt in ("sh", "fish", "powershell", "json", "dotenv"):
            self.run_mfaenv("env", "alice", "--format", fmt, expect=0)
        self.run_mfaenv("credential-process", "alice", expect=0)
        self.run_mfaenv("credential-process", "admin", expect=0)
        self.run_mfaenv("exec", "admin", "--", "true", expect=0)
        self.run_mfaenv("status", expect=0)
        self.run_mfaenv("status", "alice", "--json", expect=0)
        self.run_mfaenv("whoami", "bob", expect=0)
        self.emu.advance_clock(30)  # the next TOTP step: mfaenv never sends a used code again
        self.run_mfaenv("login", "alice", "--force", expect=0)
        self.run_mfaenv("config", "get", "profile.alice.mfa_serial", expect=0)
        self.run_mfaenv("config", "get", "profile.alice.aws_secret_access_key", expect=None)
        # Error paths: STS rejects a wrong secret, a bad code, STS is down, a corrupt cache, no code.
        self.emu.advance_clock(30)
        self.run_mfaenv("login", "wrong", expect=4)
        self.run_mfaenv("login", "alice", "--force", "--token-code", "000000", expect=4)
        self.emu.fault("internal")
        self.emu.advance_clock(30)
        self.run_mfaenv("login", "alice", "--force", expect=5)
        self.emu.clear_faults()
        for path in glob.glob(os.path.join(self.home.dir, ".cache", "mfaenv", "mfa-*.json")):
            with open(path, "r+") as f:
                text = f.read()
                f.seek(0)
                f.write(text[: len(text) // 2])
                f.truncate()
        self.run_mfaenv("env", "alice", "--no-prompt", expect=3)
        self.run_mfaenv("env", "nosuchprofile", expect=6)
        self.run_mfaenv("env", "alice", "--format", "nosuchformat", expect=2)
        # Long-term keys in the environment are a source too; mfa_process must not see them.
        self.emu.advance_clock(30)
        self.run_mfaenv("login", "env-keys", env={"AWS_ACCESS_KEY_ID": W.BOB_KEY,
                                                  "AWS_SECRET_ACCESS_KEY": W.BOB_SECRET}, expect=None)
        self.run_mfaenv("logout", "--all", expect=0)

        # A last login so that session secrets exist to look for.
        self.emu.advance_clock(30)
        self.run_mfaenv("login", "alice", expect=0)
        secrets = self.all_secrets()
        self.assertGreaterEqual(len(self.session_secrets()), 2)

        for args, err in self.stderr:
            self.assert_nowhere(secrets, err, f"stderr of mfaenv {' '.join(args)}")
        debug_lines = [line for _, err in self.stderr for line in err.splitlines() if "[debug]" in line]
        self.assertGreater(len(debug_lines), 30)
        for line in debug_lines:
            self.assertNotRegex(line, r"(TokenCode=|MFA code for \S+: )\d{6}")

        runs = sorted(os.listdir(self.spy_dir))
        self.assertGreaterEqual(len(runs), 4)
        for name in runs:
            with open(os.path.join(self.spy_dir, name)) as f:
                recorded = f.read()
            # argv, environment and the parent's command line: no key, token or TOTP secret.
            self.assert_nowhere(secrets, recorded, f"what mfa_process saw ({name})")
            self.assertNotIn("ENV AWS_SECRET_ACCESS_KEY=", recorded)
            self.assertNotIn("ENV AWS_SESSION_TOKEN=", recorded)
            self.assertIn(f"ENV MFAENV_MFA_SERIAL={W.ALICE_MFA}", recorded)
            # mfa_process's parent is mfaenv: its core dumps are off.
            self.assertRegex(recorded, r"Max core file size\s+0\s")

        # Files: the secrets live in the cache's 0600 JSON files and nowhere else under HOME.
        cache_dir = os.path.join(self.home.dir, ".cache", "mfaenv")
        self.assertEqual(stat.S_IMODE(os.stat(cache_dir).st_mode), 0o700)
        for root, _, files in os.walk(self.home.dir):
            for name in files:
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    data = f.read().decode("utf-8", "replace")
                if os.path.dirname(path) == cache_dir:
                    self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600, path)
                    if name.endswith(".json"):
                        self.assertNotIn(W.ALICE_SECRET, data, "the long-term secret is never cached")
                        continue
                if path.startswith(self.spy_dir) or name in ("credentials", "alice.totp"):
                    continue  # the test's own spy records and the user's own secret files
                self.assert_nowhere(secrets, data, path)

    def test_debug_masks_secrets_that_a_careless_line_would_show(self):
        # A wrong secret makes STS answer SignatureDoesNotMatch: the one place a naive error or
        # debug line would echo the signing input. Nothing of it may appear.
        r = self.run_mfaenv("login", "wrong", "--debug", expect=4)
        self.assertIn("SignatureDoesNotMatch", r.stderr)
        self.assertNotIn(WRONG_SECRET, r.stderr)
        self.assertIn("secret **** (40 characters)", r.stderr)

    def test_exec_gives_the_program_the_callers_core_limit(self):
        self.run_mfaenv("login", "alice", expect=0)
        r = self.home.run("bash", "-c", f"ulimit -S -c 12345 && exec {MFAENV} exec alice -- {PYTHON} -c "
                          "'import resource; print(resource.getrlimit(resource.RLIMIT_CORE)[0])'")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), str(12345 * 1024))  # bash counts in KiB


if __name__ == "__main__":
    unittest.main(verbosity=2)
