#!/usr/bin/python3
"""STS faults while a valid MFA session is cached (issue 8, item 3): throttling, 5xx, a hang, a reset
connection, broken answers, bad certificates, clock skew and DNS failure. Each fault is met twice:
by `login --force` (it must fail, bounded in time, with the right exit code and one line saying what
happened and what to do) and by `credential-process` when the session is due for refresh but still
valid (it must warn and serve that session). Afterwards the old session is still served."""
import json
import os
import re
import time
import unittest

from mfaenv_env import EmulatorTest, Home, assert_no_secret, cached_session, env_json

GST = ["GetSessionToken"]
SESSION = 12 * 3600          # mfaenv's default session length
DUE = SESSION - 10 * 60      # inside the 15-minute refresh margin, 10 minutes before expiry


class Faults(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        self.home.write_alice()
        r = self.home.mfaenv("login", "alice")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.cache = self.home.cache_file("alice")
        self.old = cached_session(self.cache)
        with open(self.cache, "rb") as f:
            self.old_bytes = f.read()
        self.secrets = [self.old["secret_access_key"], self.old["session_token"]]

    # -- helpers --------------------------------------------------------------------------------
    def at(self, seconds_after_login):
        return {"MFAENV_FAKE_NOW": str(int(time.time()) + seconds_after_login)}

    def assert_one_line(self, r, code, words, max_seconds):
        self.assertEqual(r.returncode, code, r.stderr)
        self.assertLess(r.elapsed, max_seconds, r.stderr)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith("mfaenv: "), r.stderr)
        self.assert_says(r, words)

    def assert_says(self, r, words):
        for word in words:  # a string must appear as is; a compiled pattern must match
            if isinstance(word, re.Pattern):
                self.assertRegex(r.stderr, word)
            else:
                self.assertIn(word, r.stderr)
        assert_no_secret(self, r.stderr, self.secrets)

    def assert_old_session_intact_and_served(self):
        with open(self.cache, "rb") as f:
            self.assertEqual(f.read(), self.old_bytes, "the failed refresh changed the cache file")
        self.assertFalse(os.path.lexists(self.cache + ".tmp"))
        r = self.home.mfaenv("env", "alice", "--no-prompt", "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(env_json(r)["AWS_SECRET_ACCESS_KEY"], self.old["secret_access_key"])
        r = self.home.mfaenv("credential-process", "alice", "--no-prompt")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["AccessKeyId"], self.old["access_key_id"])

    def refresh_fails(self, code, words, env=None, max_seconds=10.0):
        """A forced refresh fails with `code`; a due one serves the old session with a warning."""
        env = env or {}
        self.emu.advance_clock(30)  # the next code: mfaenv never sends a used one
        r = self.home.mfaenv("login", "--force", "alice", env=env)
        self.assert_one_line(r, code, words, max_seconds)
        self.assert_old_session_intact_and_served()

        self.emu.advance_clock(30)
        r = self.home.mfaenv("credential-process", "alice", env={**env, **self.at(DUE)})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertLess(r.elapsed, max_seconds, r.stderr)
        self.assertEqual(json.loads(r.stdout)["AccessKeyId"], self.old["access_key_id"])
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertRegex(lines[0], r"^mfaenv: could not refresh the session of profile 'alice': .*; serving the "
                                   r"current one until it expires .* \(in \d+m")
        self.assert_says(r, words)
        self.assert_old_session_intact_and_served()
        return r

    # -- STS failing ---------------------------------------------------------------------------
    def test_persistent_throttling(self):
        self.emu.fault("throttle", actions=GST)
        self.refresh_fails(5, ["is throttling requests", "Throttling", "was not sent again", "try again"])
        # The MFA rule: a request carrying a code is never resent after an answer, so one call each.
        self.assertEqual(self.emu.count("GetSessionToken", "fault:throttle"), 2)

    def test_login_without_force_and_expired_sessions_are_not_served_when_refresh_fails(self):
        self.emu.fault("throttle", actions=GST)
        # login was asked for a new session: a due one is no answer.
        r = self.home.mfaenv("login", "alice", env=self.at(DUE))
        self.assert_one_line(r, 5, ["is throttling requests"], 10)
        # --no-prompt serves only sessions that are not due (exit 3 makes hooks say "log in").
        r = self.home.mfaenv("env", "alice", "--no-prompt", env=self.at(DUE))
        self.assert_one_line(r, 3, ["mfaenv login alice"], 10)
        # An expired session is never served.
        r = self.home.mfaenv("credential-process", "alice", env=self.at(SESSION + 60))
        self.assert_one_line(r, 5, ["is throttling requests"], 10)
        self.assert_old_session_intact_and_served()

    def test_http_500(self):
        self.emu.fault("internal", actions=GST)
        self.refresh_fails(5, ["failed with HTTP 500", "InternalFailure", "try again later"])

    def test_http_503(self):
        self.emu.fault("unavailable", actions=GST)
        self.refresh_fails(5, ["failed with HTTP 503", "ServiceUnavailable", "try again later"])

    def test_hang_longer_than_the_timeout(self):
        # The answer comes 20 s late; the request was processed (the code is spent at AWS). The
        # default per-attempt limit is 30 s; MFAENV_STS_TIMEOUT shortens it for this test.
        self.emu.fault("slow", delay=20, phase="after", actions=GST)
        self.refresh_fails(5, ["timed out after 2s waiting for the answer", "try again with the next code"],
                           env={"MFAENV_STS_TIMEOUT": "2s"}, max_seconds=12)
        # A call that needs no code (the one above is remembered as maybe spent, so a login would
        # first wait for the next one): the bad setting alone is the one line.
        r = self.home.mfaenv("whoami", "--long-term", "alice", env={"MFAENV_STS_TIMEOUT": "0"})
        self.assert_one_line(r, 2, ["MFAENV_STS_TIMEOUT"], 10)

    def test_reset_connection(self):
        self.emu.fault("reset", actions=GST)
        self.refresh_fails(5, ["lost before a complete answer", "reset", "try again with the next code"])

    def test_truncated_answer(self):
        self.emu.fault("truncated", actions=GST)
        self.refresh_fails(5, ["sent an unusable answer (HTTP 200)", "not well-formed XML", "try again"])

    def test_short_body(self):
        self.emu.fault("short_body", actions=GST)
        self.refresh_fails(5, ["lost before a complete answer", "try again"])

    def test_non_xml_answer(self):
        self.emu.fault("non_xml", actions=GST)
        self.refresh_fails(5, ["sent an unusable answer (HTTP 200)", "<html>", "try again"])

    # -- TLS -----------------------------------------------------------------------------------
    def test_certificate_from_the_wrong_ca(self):
        self.emu.use_cert("wrong-ca")
        self.refresh_fails(5, ["TLS certificate of 127.0.0.1", "rejected", "unable to get local issuer",
                               f"CA bundle {self.emu.ca_bundle} only: it must hold the CA"])
        self.assertEqual(self.emu.count("GetSessionToken"), 1)  # only the login's: nothing got through

    def test_expired_certificate(self):
        self.emu.use_cert("expired")
        self.refresh_fails(5, ["certificate has expired", "check this computer's date and time"])

    # -- the local clock -----------------------------------------------------------------------
    def test_clock_behind(self):
        self.emu.set_signature_skew(1200)  # this computer's clock 20 minutes behind STS's
        self.refresh_fails(4, ["signed at the wrong time", "SignatureDoesNotMatch",
                               re.compile(r"clock is (19m5\ds|20m|20m\ds) behind STS's"),
                               "set the system clock right (enable NTP)"])

    def test_clock_ahead_request_expired(self):
        self.emu.control("POST", "settings", {"skew_error_code": "RequestExpired"})
        self.emu.set_signature_skew(-1800)
        self.refresh_fails(4, ["signed at the wrong time", "RequestExpired",
                               re.compile(r"clock is (29m5\ds|30m|30m\ds) ahead of STS's"), "NTP"])

    # -- the network ---------------------------------------------------------------------------
    def test_dns_failure(self):
        env = {"AWS_ENDPOINT_URL_STS": "https://sts.mfaenv-test.invalid", "HTTPS_PROXY": "", "https_proxy": ""}
        self.refresh_fails(5, ["cannot resolve sts.mfaenv-test.invalid", "check the endpoint name",
                               "after 3 attempts"], env=env)
        self.assertEqual(self.emu.count(), 2)  # the login's two calls only


if __name__ == "__main__":
    unittest.main(verbosity=2)
