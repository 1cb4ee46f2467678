#!/usr/bin/python3
"""Load (issue 8, item 7): 200 `credential-process` at once on a warm cache (while the session is
being replaced under them) all succeed; 64 at once on a cold cache make one STS call and run
mfa_process once; a lock held by a stuck process makes mfaenv say it is waiting after about 1 s and
give up with exit 1 after MFAENV_LOCK_TIMEOUT, never hang."""
import concurrent.futures
import json
import os
import subprocess
import threading
import time
import unittest

from mfaenv_env import MFAENV, PYTHON, EmulatorTest, Home, cached_session

HOLD_LOCK = ("import fcntl, os, sys, time\n"
             "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)\n"
             "fcntl.flock(fd, fcntl.LOCK_EX)\n"
             "print('locked', flush=True)\n"
             "time.sleep(600)\n")
DUE = 12 * 3600 - 10 * 60  # inside the refresh margin of mfaenv's default 12 h session


class Load(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        self.home.write_alice()
        self.cache = self.home.cache_file("alice")

    def at_once(self, n, *args, env=None):
        with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
            return list(pool.map(lambda _: self.home.mfaenv(*args, env=env, timeout=120), range(n)))

    def issued_keys(self):
        return [c["issued_access_key_id"] for c in self.emu.calls("GetSessionToken", "ok")]

    # -- many at once --------------------------------------------------------------------------
    def test_200_at_once_on_a_warm_cache_while_the_session_is_replaced(self):
        self.assertEqual(self.home.mfaenv("login", "alice").returncode, 0)
        logins = []

        def replace_the_session_three_times():
            for _ in range(3):
                self.emu.advance_clock(30)  # a new code for each forced login
                logins.append(self.home.mfaenv("login", "--force", "alice", timeout=120))

        writer = threading.Thread(target=replace_the_session_three_times)
        started = time.monotonic()
        writer.start()
        results = self.at_once(200, "credential-process", "alice", "--no-prompt")
        while writer.is_alive():  # more readers for as long as the file is being replaced
            results += self.at_once(20, "credential-process", "alice", "--no-prompt")
        writer.join()
        results += self.at_once(20, "credential-process", "alice", "--no-prompt")
        self.assertLess(time.monotonic() - started, 180)
        for r in logins:
            self.assertEqual(r.returncode, 0, r.stderr)
        issued = self.issued_keys()
        self.assertEqual(len(issued), 4)  # the first login and the three forced ones: no reader refreshed
        self.assertEqual(self.home.mfa_process_runs(), 4)
        for r in results:
            # Never a half-written file: no "ignoring a cached session", no refresh, no failure.
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr, "")
            doc = json.loads(r.stdout)
            self.assertIn(doc["AccessKeyId"], issued)
            self.assertEqual(doc["Version"], 1)
        self.assertGreater(len({json.loads(r.stdout)["AccessKeyId"] for r in results}), 1)  # they did overlap
        self.assertEqual(cached_session(self.cache)["access_key_id"], issued[-1])

    def test_64_at_once_on_a_cold_cache_make_one_sts_call(self):
        results = self.at_once(64, "credential-process", "alice")
        for r in results:
            self.assertEqual(r.returncode, 0, r.stderr)
            for line in r.stderr.splitlines():  # a slow machine may make some wait more than 1 s
                self.assertIn("waiting for another mfaenv", line)
        self.assertEqual(len({json.loads(r.stdout)["AccessKeyId"] for r in results}), 1)
        self.assertEqual(self.emu.count("GetSessionToken"), 1)
        self.assertEqual(self.home.mfa_process_runs(), 1)

    # -- a stuck lock --------------------------------------------------------------------------
    def hold_the_lock(self):
        lock = self.cache[: -len(".json")] + ".lock"
        os.makedirs(os.path.dirname(lock), mode=0o700, exist_ok=True)
        holder = subprocess.Popen([PYTHON, "-c", HOLD_LOCK, lock], stdout=subprocess.PIPE, text=True)
        self.addCleanup(holder.stdout.close)
        self.addCleanup(holder.wait)
        self.addCleanup(holder.kill)
        self.assertEqual(holder.stdout.readline().strip(), "locked")
        return lock, holder

    def watch(self, *args, env):
        """Runs mfaenv, noting when each line of stderr appeared: [(seconds, line)], exit code, time."""
        e = dict(self.home.env)
        e.update(env)
        started = time.monotonic()
        p = subprocess.Popen([MFAENV, *args], env=e, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
        lines, out = [], []
        readers = [threading.Thread(target=lambda: lines.extend((time.monotonic() - started, line.rstrip("\n"))
                                                                for line in p.stderr)),
                   threading.Thread(target=lambda: out.append(p.stdout.read()))]
        for reader in readers:
            reader.start()
        try:
            code = p.wait(timeout=60)  # a hang fails the test instead of blocking it
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            for reader in readers:
                reader.join()
            p.stdout.close()
            p.stderr.close()
        return lines, code, time.monotonic() - started, out[0]

    def test_a_stuck_lock_makes_others_wait_with_a_message_then_give_up(self):
        lock, holder = self.hold_the_lock()
        lines, code, elapsed, out = self.watch("credential-process", "alice", env={"MFAENV_LOCK_TIMEOUT": "4s"})
        self.assertEqual(code, 1, lines)
        self.assertEqual(out, "")
        self.assertEqual(len(lines), 2, lines)
        (said_at, waiting), (gave_up_at, gave_up) = lines
        self.assertEqual(waiting, f"mfaenv: waiting for another mfaenv that is refreshing this session ({lock})...")
        self.assertGreater(said_at, 0.9)   # after 1 s of waiting (generous bounds: the machine is busy)
        self.assertLess(said_at, 5)
        self.assertGreater(gave_up_at - said_at, 2.5)  # 4 s in all
        self.assertLess(gave_up_at - said_at, 6)
        # It names who holds the lock, and never advises deleting the lock file (that would let a
        # second refresh ask for a second code while the holder still works on the old file).
        self.assertRegex(gave_up, rf"^mfaenv: gave up after [45]s waiting for process {holder.pid} \(python3\), which "
                                  rf"holds the lock {lock} while it refreshes this session; let it finish, or stop it if "
                                  r"it is stuck, then try again$")
        self.assertNotIn("delete", gave_up)
        self.assertGreater(elapsed, 3.9)
        self.assertLess(elapsed, 20)
        self.assertEqual(self.home.mfa_process_runs(), 0)  # the code is asked for only under the lock
        self.assertEqual(self.emu.count(), 0)

        # --no-prompt never waits for a lock when a code would be needed: exit 3 at once.
        r = self.home.mfaenv("env", "alice", "--no-prompt", env={"MFAENV_LOCK_TIMEOUT": "60s"})
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertLess(r.elapsed, 5)
        self.assertNotIn("waiting", r.stderr)

        holder.kill()
        holder.wait()
        r = self.home.mfaenv("credential-process", "alice")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertEqual(self.emu.count("GetSessionToken"), 1)

    def test_a_stuck_lock_with_a_due_session_serves_it(self):
        self.assertEqual(self.home.mfaenv("login", "alice").returncode, 0)
        old = cached_session(self.cache)
        lock, _ = self.hold_the_lock()
        due = {"MFAENV_LOCK_TIMEOUT": "2s", "MFAENV_FAKE_NOW": str(int(time.time()) + DUE)}
        lines, code, elapsed, out = self.watch("credential-process", "alice", env=due)
        self.assertEqual(code, 0, lines)
        self.assertEqual(json.loads(out)["AccessKeyId"], old["access_key_id"])
        self.assertEqual([line for _, line in lines][0],
                         f"mfaenv: waiting for another mfaenv that is refreshing this session ({lock})...")
        self.assertRegex(lines[-1][1], r"^mfaenv: could not refresh the session of profile 'alice': gave up after "
                                       r"[23]s waiting .*; serving the current one until it expires")
        self.assertLess(elapsed, 20)


if __name__ == "__main__":
    unittest.main(verbosity=2)
