#!/usr/bin/python3
"""The credential server over more than two session lifetimes (issue 17): sessions of one minute
(mfaenv_mfa_max_age = 60s: served 45 s, refreshed in the last 15), a boto3 program calling AWS in a
loop that never fails and never sees expired keys, the STS calls the emulator counts, the new code
from mfa_process; and when no code can be had: the notice, an error the SDK shows, never expired
keys, and a `mfaenv login` in another process that the server picks up."""
import json
import os
import subprocess
import time
import unittest

from mfaenv_env import EmulatorTest, MFAENV, PYTHON, W, Home, harness
from server_env import RunningServer

HERE = os.path.dirname(os.path.abspath(__file__))
LOOP = os.path.join(HERE, "sdk_loop.py")
LIFE, SERVED = 60, 45  # mfaenv_mfa_max_age, and the part of it mfaenv serves (a quarter is the margin)


def gst_times(emu):
    return [c["epoch"] for c in emu.calls("GetSessionToken", "ok")]


class Refresh(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})

    def write(self, mfa_process):
        alice = {"mfa_serial": W.ALICE_MFA, "region": "eu-west-1", "mfaenv_mfa_max_age": f"{LIFE}s"}
        if mfa_process:
            alice["mfa_process"] = mfa_process
        harness.write_aws_files(self.home.dir, {"profile alice": alice}, {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})

    def test_boto3_loop_over_two_lifetimes_with_mfa_process(self):
        self.write(self.home.mfa_process)
        r = self.home.mfaenv("exec", "alice", "--server", "--", PYTHON, LOOP, str(2 * SERVED + 10), W.ALICE_KEY,
                             timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        summary = json.loads(r.stdout)
        self.assertEqual(summary["failures"], [])
        self.assertEqual(summary["expired_served"], 0)
        self.assertGreater(summary["calls"], 100)
        # The first session, then one new session each 45 s: three keys, three GetSessionToken calls,
        # three runs of mfa_process, each refresh when the session was due (not sooner, not later).
        times = gst_times(self.emu)
        self.assertEqual(len(times), 3, r.stderr)
        self.assertEqual(len(summary["keys"]), 3)
        self.assertEqual(self.home.mfa_process_runs(), 3)
        for before, after in zip(times, times[1:]):
            self.assertGreaterEqual(after - before, SERVED - 1)
            self.assertLess(after - before, SERVED + 8)
        self.assertNotIn("run 'mfaenv login", r.stderr)

    def test_no_code_notice_sdk_error_then_login_elsewhere(self):
        self.write(None)  # no mfa_process, no display, and the terminal is the command's: no way to ask
        r = self.home.mfaenv("login", "alice", "--token-code", self.emu.fresh_totp(W.ALICE_MFA))
        self.assertEqual(r.returncode, 0, r.stderr)
        first_mfa = gst_times(self.emu)[0]
        s = RunningServer(self.home)
        try:
            answers = []  # (time, status, body) every half second
            logged_in = False
            while time.time() < first_mfa + LIFE + 20:
                status, body = s.request()
                answers.append((time.time(), status, body))
                if status == 503 and not logged_in:
                    # Before login, boto3 itself shows the server's message.
                    e = dict(self.home.env)
                    e.update(AWS_CONTAINER_CREDENTIALS_FULL_URI=s.url, AWS_CONTAINER_AUTHORIZATION_TOKEN=s.token,
                             AWS_SHARED_CREDENTIALS_FILE="/dev/null")
                    sdk = subprocess.run([PYTHON, "-c", "import boto3; boto3.client('sts').get_caller_identity()"],
                                         env=e, capture_output=True, text=True, timeout=60)
                    self.assertNotEqual(sdk.returncode, 0)
                    self.assertIn("mfaenv login alice", sdk.stderr)
                    r = self.home.mfaenv("login", "alice", "--token-code", self.emu.fresh_totp(W.ALICE_MFA))
                    self.assertEqual(r.returncode, 0, r.stderr)
                    logged_in = True
                time.sleep(0.5)
        finally:
            code, out, err = s.stop()
        statuses = [a[1] for a in answers]
        self.assertTrue(logged_in, statuses)
        # Served until shortly before the end, then errors (never the expired keys), then the new session.
        first_error = statuses.index(503)
        last_error = len(statuses) - 1 - statuses[::-1].index(503)
        self.assertEqual(set(statuses[:first_error]), {200})
        self.assertEqual(set(statuses[first_error:last_error + 1]), {503})
        self.assertEqual(set(statuses[last_error + 1:]), {200})
        for when, status, body in answers:
            if status == 200:
                expiry = time.mktime(time.strptime(body["Expiration"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
                self.assertGreater(expiry - when, 4, body["Expiration"])
            else:
                self.assertEqual(body["Code"], "CredentialsUnavailable")
                self.assertIn("mfaenv login alice", body["Message"])
        before = {a[2]["AccessKeyId"] for a in answers[:first_error]}
        after = {a[2]["AccessKeyId"] for a in answers[last_error + 1:]}
        self.assertEqual(len(before), 1)
        self.assertEqual(len(after), 1)
        self.assertNotEqual(before, after)
        # One notice, on the terminal, before the session ended, saying how to continue.
        notices = [line for line in err.splitlines() if "run 'mfaenv login alice' in any terminal" in line]
        self.assertEqual(len(notices), 1, err)
        self.assertIn("the session of profile 'alice' ends", notices[0])
        self.assertEqual(len(gst_times(self.emu)), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
