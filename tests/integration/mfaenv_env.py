"""Shared set-up for mfaenv's end-to-end tests: the emulator, a throw-away HOME with an AWS config,
and a way to run the built mfaenv with no terminal (so a prompt can never hang a test)."""
import atexit
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import unittest

SOURCE_DIR = os.environ.get("MFAENV_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "sts_emulator"))

import default_world as W  # noqa: E402
import harness  # noqa: E402

MFAENV = os.environ.get("MFAENV_BINARY") or os.path.join(SOURCE_DIR, "build", "mfaenv")
AWS = "/usr/bin/aws"
PYTHON = "/usr/bin/python3"
SECRETS = [W.ALICE_SECRET, W.BOB_SECRET, W.CAROL_SECRET, W.ALICE_TOTP, W.CAROL_TOTP]


class Home:
    """A user's HOME: ~/.aws/config and credentials, a cache folder, and the emulator's env."""

    def __init__(self, emulator, config, credentials=None):
        self.emulator = emulator
        self.dir = tempfile.mkdtemp(prefix="mfaenv-home-")
        # Tests make hundreds of these; none may outlive the run (a test that needs one kept can
        # copy it). At exit, not at the end of the test: a server child may still be writing there.
        atexit.register(shutil.rmtree, self.dir, True)
        self.secret_file = os.path.join(self.dir, "alice.totp")
        with open(self.secret_file, "w") as f:
            f.write(W.ALICE_TOTP)
        self.counter = os.path.join(self.dir, "mfa_process.runs")
        # mfa_process: counts its runs, then prints the current code at the emulator's clock.
        self.mfa_process = f"echo run >> {self.counter}; {emulator.totp_command(self.secret_file)}"
        harness.write_aws_files(self.dir, config, credentials if credentials is not None else {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET},
            "bob": {"aws_access_key_id": W.BOB_KEY, "aws_secret_access_key": W.BOB_SECRET},
        })
        self.env = emulator.client_env(self.dir)

    def mfa_process_runs(self):
        try:
            with open(self.counter) as f:
                return len(f.readlines())
        except FileNotFoundError:
            return 0

    def run(self, *args, env=None, timeout=60, input=None):
        """Runs a command in a new session: no controlling terminal, so /dev/tty cannot be opened."""
        e = dict(self.env)
        e.update(env or {})
        started = time.monotonic()
        result = subprocess.run(list(args), env=e, capture_output=True, text=True, timeout=timeout,
                                input=input, stdin=None if input is not None else subprocess.DEVNULL,
                                start_new_session=True)
        result.elapsed = time.monotonic() - started  # seconds, for the tests that bound the time taken
        return result

    def mfaenv(self, *args, **kw):
        return self.run(MFAENV, *args, **kw)

    def write_alice(self, mfa_process=None):
        """The most common world: one profile, alice, with her keys, MFA device and mfa_process."""
        harness.write_aws_files(self.dir, {"profile alice": {
            "mfa_serial": W.ALICE_MFA, "mfa_process": mfa_process or self.mfa_process, "region": "eu-west-1"}}, {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})

    def cache_file(self, profile):
        """The cache file of the profile's session (it need not exist yet; its folder is made)."""
        os.makedirs(os.path.join(self.env["XDG_CACHE_HOME"], "mfaenv"), mode=0o700, exist_ok=True)
        r = self.mfaenv("status", profile, "--json")
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)[0]["cache_file"]  # --json: an array, with or without PROFILE

    def synced(self):
        """The env that pins mfaenv's clock to the emulator's (after the test moved it)."""
        return {"MFAENV_FAKE_NOW": str(int(self.emulator.now()))}


def assert_no_secret(test, text, extra=()):
    for secret in list(SECRETS) + list(extra):
        if secret:
            test.assertNotIn(secret, text)


def env_json(result):
    return json.loads(result.stdout)


def cached_session(path):
    """The cache file's JSON (it must be a private regular file holding valid JSON)."""
    st = os.lstat(path)
    assert stat.S_ISREG(st.st_mode) and st.st_mode & 0o777 == 0o600, oct(st.st_mode)
    with open(path) as f:
        return json.load(f)


class EmulatorTest(unittest.TestCase):
    """One emulator for the test class, reset before each test."""

    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator()
        cls.emu.start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset()
