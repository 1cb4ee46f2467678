#!/usr/bin/python3
"""Crash safety of a refresh (issue 8, item 4): `mfaenv login --force` killed with SIGKILL before the
STS call, after the answer, right before and right after the rename of the new session; and a full
disk. The cache must hold the old or the new session (valid JSON, 0600), never a broken file, and
the next run must work without manual cleanup (a leftover .tmp or .lock gets in nobody's way).

The kills need no hooks in mfaenv: strace's fault injection delivers SIGKILL when mfaenv enters the
chosen system call. Which call is which step is read from a traced run without injection first, so
the tests follow the code if the order of writes changes."""
import glob
import json
import os
import re
import time
import unittest

from mfaenv_env import MFAENV, EmulatorTest, Home, assert_no_secret, cached_session, env_json

TRACED = "connect,rename,renameat,renameat2,fsync,fdatasync"
SYSCALL = re.compile(r"^(\w+)\((.*)\)\s+= (-?\d+)")
DUE = 12 * 3600 - 10 * 60  # inside the refresh margin of mfaenv's default 12 h session


def no_leak_check(env):
    # LeakSanitizer (in the sanitizer build) cannot stop the world of a process strace traces.
    options = env.get("ASAN_OPTIONS", "")
    return {"ASAN_OPTIONS": (options + ":" if options else "") + "detect_leaks=0"}


def write_config(home, mfa_process):
    home.write_alice(mfa_process)


def kill_points(log, session_file):
    """{step: (syscall, n)}: SIGKILL on entering the n-th call of that syscall reaches the step."""
    counts, points, renamed = {}, {}, False
    with open(log) as f:
        for line in f:
            m = SYSCALL.match(line)
            if not m:
                continue
            name, args = m.group(1), m.group(2)
            counts[name] = counts.get(name, 0) + 1
            here = (name, counts[name])
            if name == "connect" and "AF_INET" in args:
                points.setdefault("before the call", here)
            elif name in ("fsync", "fdatasync") and ".tmp>" in args and "before the call" in points:
                # the first write of anything the answer made (the code's hash is written before the call)
                points.setdefault("after the answer", here)
            elif name.startswith("rename") and re.search(r'"[^"]*' + re.escape(os.path.basename(session_file))
                                                         + r'"\s*(,\s*\w+)?$', args):
                points["before the rename"] = here
                renamed = True
            elif name in ("fsync", "fdatasync") and renamed and "after the rename" not in points:
                points["after the rename"] = here  # the folder's fsync that makes the rename durable
    return points


class Crash(EmulatorTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        home = Home(cls.emu, {})
        write_config(home, home.mfa_process)
        assert home.mfaenv("login", "alice").returncode == 0
        cls.emu.advance_clock(30)
        log = os.path.join(home.dir, "strace.log")
        r = home.run("strace", "-qq", "-y", "-o", log, "-e", f"trace={TRACED}", MFAENV, "login", "--force", "alice",
                     env=no_leak_check(home.env))
        assert r.returncode == 0, r.stderr
        cls.points = kill_points(log, home.cache_file("alice"))

    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        write_config(self.home, self.home.mfa_process)
        r = self.home.mfaenv("login", "alice")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.cache = self.home.cache_file("alice")
        self.folder = os.path.dirname(self.cache)
        self.old = cached_session(self.cache)
        with open(self.cache, "rb") as f:
            self.old_bytes = f.read()

    # -- helpers --------------------------------------------------------------------------------
    def killed_at(self, step):
        self.assertIn(step, self.points, f"no system call found for '{step}' in a traced refresh: {self.points}")
        name, n = self.points[step]
        self.emu.advance_clock(30)  # a new code, so that the refresh never waits for one
        r = self.home.run("strace", "-qq", "-o", "/dev/null", "-e", f"trace={name}",
                          "-e", f"inject={name}:signal=KILL:when={n}", MFAENV, "login", "--force", "alice",
                          env=no_leak_check(self.home.env))
        self.assertIn(r.returncode, (-9, 137), f"not killed at {step} ({name} #{n}): {r.stderr}")
        self.assertLess(r.elapsed, 30)

    def issued_keys(self):
        return [c["issued_access_key_id"] for c in self.emu.calls("GetSessionToken", "ok")]

    def assert_next_runs_work(self, expect_key):
        """The cache holds `expect_key`'s session, and mfaenv carries on without any cleanup."""
        session = cached_session(self.cache)  # valid JSON, a private regular file
        self.assertEqual(session["access_key_id"], expect_key)
        for args in (["credential-process", "alice", "--no-prompt"],
                     ["env", "alice", "--no-prompt", "--format", "json"]):
            r = self.home.mfaenv(*args)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr, "")
            self.assertLess(r.elapsed, 10)
            doc = json.loads(r.stdout)
            self.assertEqual(doc.get("AccessKeyId", doc.get("AWS_ACCESS_KEY_ID")), expect_key)
        # A refresh after the crash: the stale .lock and .tmp files must not stop or slow it.
        self.emu.advance_clock(30)
        r = self.home.mfaenv("login", "--force", "alice")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("waiting", r.stderr)
        self.assertLess(r.elapsed, 10)
        self.assertEqual(cached_session(self.cache)["access_key_id"], self.issued_keys()[-1])
        self.assertEqual(glob.glob(os.path.join(self.folder, "*.tmp")), [])

    # -- SIGKILL at each step ------------------------------------------------------------------
    def test_killed_before_the_sts_call(self):
        self.killed_at("before the call")
        self.assertEqual(self.emu.count("GetSessionToken"), 1)  # only the login's: the call was not made
        self.assertEqual(self.home.mfa_process_runs(), 2)       # but the code had been asked for
        self.assert_next_runs_work(self.old["access_key_id"])

    def test_killed_after_the_answer(self):
        self.killed_at("after the answer")
        self.assertEqual(len(self.issued_keys()), 2)  # STS made the new session; it was lost
        with open(self.cache, "rb") as f:
            self.assertEqual(f.read(), self.old_bytes)
        # Killed while its .tmp was being written: what is left there is never read, and the next
        # refresh replaces it.
        self.assert_next_runs_work(self.old["access_key_id"])

    def test_killed_before_the_rename(self):
        self.killed_at("before the rename")
        new_key = self.issued_keys()[-1]
        with open(self.cache, "rb") as f:
            self.assertEqual(f.read(), self.old_bytes)
        # The complete new session waits in the .tmp file: the kill came just before the rename.
        self.assertEqual(cached_session(self.cache + ".tmp")["access_key_id"], new_key)
        self.assert_next_runs_work(self.old["access_key_id"])

    def test_killed_after_the_rename(self):
        self.killed_at("after the rename")
        new_key = self.issued_keys()[-1]
        self.assertNotEqual(new_key, self.old["access_key_id"])
        self.assertFalse(os.path.lexists(self.cache + ".tmp"))
        self.assert_next_runs_work(new_key)

    # -- a full disk ---------------------------------------------------------------------------
    def full_disk(self, *args, env=None):
        # `ulimit -f 0`: every write to a file fails (EFBIG), as on a full disk. mfaenv ignores
        # SIGXFSZ, so it sees the error instead of dying. The mfa_process must not write a file.
        write_config(self.home, self.emu.totp_command(self.home.secret_file))
        self.emu.advance_clock(30)
        return self.home.run("bash", "-c", 'ulimit -f 0; exec "$0" "$@"', MFAENV, *args, env=env)

    def test_full_disk_login_fails_cleanly_and_keeps_the_old_session(self):
        issued = len(self.issued_keys())
        r = self.full_disk("login", "--force", "alice")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertLess(r.elapsed, 10)
        # login's product is the saved session: when the cache cannot even record the code, no code
        # is sent (it could be sent again by the next login, and the session could not be saved).
        self.assertRegex(r.stderr, r"^mfaenv: no MFA code was sent: the cache cannot record it \(cannot write "
                                   r".*\.codes\.tmp: File too large\); make room there and run 'mfaenv login' again\n$")
        self.assertEqual(len(self.issued_keys()), issued)
        assert_no_secret(self, r.stderr, [self.old["secret_access_key"], self.old["session_token"]])
        with open(self.cache, "rb") as f:
            self.assertEqual(f.read(), self.old_bytes)
        self.assertEqual(glob.glob(os.path.join(self.folder, "*.tmp")), [])
        self.assert_next_runs_work(self.old["access_key_id"])

    def test_full_disk_due_refresh_serves_the_new_session_uncached(self):
        due = {"MFAENV_FAKE_NOW": str(int(time.time()) + DUE)}
        r = self.full_disk("credential-process", "alice", env=due)
        self.assertEqual(r.returncode, 0, r.stderr)
        new_key = self.issued_keys()[-1]
        self.assertEqual(json.loads(r.stdout)["AccessKeyId"], new_key)
        self.assertIn("mfaenv: the new session works but could not be cached: cannot write", r.stderr)
        with open(self.cache, "rb") as f:
            self.assertEqual(f.read(), self.old_bytes)
        self.assertEqual(glob.glob(os.path.join(self.folder, "*.tmp")), [])
        self.assertEqual(env_json(self.home.mfaenv("env", "alice", "--no-prompt", "--format", "json"))
                         ["AWS_ACCESS_KEY_ID"], self.old["access_key_id"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
