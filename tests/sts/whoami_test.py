#!/usr/bin/python3
"""`mfaenv whoami` against the STS emulator: what a user sees for the caller, a wrong secret, a
skewed clock, an STS that is down, throttling and AccessDenied (calls counted in the emulator log),
and the endpoints mfaenv builds itself (reached through the emulator's CONNECT proxy)."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

SOURCE = os.environ.get("MFAENV_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(SOURCE, "tests", "sts_emulator"))

import harness  # noqa: E402
from default_world import (ACCOUNT, BOB_KEY, BOB_SECRET, ALICE_KEY, ALICE_SECRET,  # noqa: E402
                           ADMIN_ROLE)

MFAENV = os.environ.get("MFAENV_BINARY", os.path.join(SOURCE, "build", "mfaenv"))
BOB_ARN = f"arn:aws:iam::{ACCOUNT}:user/bob"


def closed_port():
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Whoami(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator().start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset()
        self.emu.clear_faults()
        self.emu.clear_log()
        self.home = tempfile.TemporaryDirectory()
        self.addCleanup(self.home.cleanup)
        self.write(credentials={"dev": {"aws_access_key_id": BOB_KEY,
                                        "aws_secret_access_key": BOB_SECRET}})

    def write(self, config=None, credentials=None):
        harness.write_aws_files(self.home.name, config, credentials)

    def run_mfaenv(self, *args, **env_changes):
        env = self.emu.client_env(self.home.name)
        for key, value in env_changes.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = str(value)
        started = time.monotonic()
        # These tests are about the STS client, so they ask with the keys as configured (--long-term);
        # whoami through the session chain is tested in tests/integration/test_profiles.py.
        result = subprocess.run([MFAENV, "whoami", "--long-term", *args], env=env, capture_output=True, text=True,
                                timeout=120)
        result.elapsed = time.monotonic() - started
        return result

    def assert_no_secrets(self, result, *secrets):
        for secret in secrets:
            self.assertNotIn(secret, result.stdout + result.stderr)

    # -- success -------------------------------------------------------------------------------
    def test_prints_the_callers_account_arn_and_user_id(self):
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["Account", ACCOUNT])
        self.assertEqual(lines[1].split(), ["Arn", BOB_ARN])
        self.assertEqual(lines[2].split()[0], "UserId")
        self.assertEqual(r.stderr, "")
        self.assertEqual(self.emu.count("GetCallerIdentity"), 1)
        self.assert_no_secrets(r, BOB_SECRET)

    def test_json_is_what_the_aws_cli_prints(self):
        r = self.run_mfaenv("--profile", "dev", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        mine = json.loads(r.stdout)
        self.assertEqual(list(mine), ["UserId", "Account", "Arn"])
        env = self.emu.client_env(self.home.name)
        cli = subprocess.run([harness.AWS_CLI, "sts", "get-caller-identity", "--profile", "dev",
                              "--endpoint-url", self.emu.endpoint, "--output", "json"],
                             env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(cli.returncode, 0, cli.stderr)
        self.assertEqual(mine, json.loads(cli.stdout))
        self.assertEqual(r.stdout, cli.stdout)  # same layout too: 4-space indent, same key order

    def test_profile_from_aws_profile_and_keys_from_the_environment(self):
        r = self.run_mfaenv(AWS_PROFILE="dev")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(BOB_ARN, r.stdout)
        self.write(credentials={})
        r = self.run_mfaenv("--json", AWS_ACCESS_KEY_ID=ALICE_KEY, AWS_SECRET_ACCESS_KEY=ALICE_SECRET)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["Arn"], f"arn:aws:iam::{ACCOUNT}:user/alice")

    def test_session_credentials_and_their_expiry(self):
        sts = self.emu.botocore_client(BOB_KEY, BOB_SECRET)
        c = sts.get_session_token(DurationSeconds=900)["Credentials"]
        self.write(credentials={"tmp": {"aws_access_key_id": c["AccessKeyId"],
                                        "aws_secret_access_key": c["SecretAccessKey"],
                                        "aws_session_token": c["SessionToken"]}})
        r = self.run_mfaenv("tmp")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(BOB_ARN, r.stdout)
        self.emu.advance_clock(1000)
        r = self.run_mfaenv("tmp")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("ExpiredToken", r.stderr)
        self.assertIn("expired", r.stderr)
        self.assert_no_secrets(r, c["SecretAccessKey"], c["SessionToken"])

    def test_assumed_role_session(self):
        sts = self.emu.botocore_client(ALICE_KEY, ALICE_SECRET)
        code = self.emu.fresh_totp(f"arn:aws:iam::{ACCOUNT}:mfa/alice")
        c = sts.assume_role(RoleArn=ADMIN_ROLE, RoleSessionName="s1",
                            SerialNumber=f"arn:aws:iam::{ACCOUNT}:mfa/alice",
                            TokenCode=code)["Credentials"]
        r = self.run_mfaenv("--json", AWS_ACCESS_KEY_ID=c["AccessKeyId"],
                            AWS_SECRET_ACCESS_KEY=c["SecretAccessKey"],
                            AWS_SESSION_TOKEN=c["SessionToken"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/Admin/s1")

    # -- AWS refuses ---------------------------------------------------------------------------
    def test_wrong_secret_exits_4_naming_signature_mismatch_and_the_clock(self):
        wrong = "wrongSecretKey/EXAMPLE+0123456789abcdefg"
        self.write(credentials={"dev": {"aws_access_key_id": BOB_KEY,
                                        "aws_secret_access_key": wrong}})
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("SignatureDoesNotMatch", r.stderr)
        self.assertIn("aws_secret_access_key", r.stderr)
        self.assertIn("clock", r.stderr)
        # The key is named by its first and last four characters only (issue 16: no key id on stderr).
        self.assertIn(BOB_KEY[:4] + "…" + BOB_KEY[-4:], r.stderr)
        self.assertNotIn(BOB_KEY, r.stderr)
        self.assert_no_secrets(r, wrong, BOB_SECRET)
        self.assertEqual(self.emu.count("GetCallerIdentity"), 1)

    def test_wrong_secret_with_a_skewed_clock_says_by_how_much(self):
        self.emu.set_signature_skew(600)  # STS's clock 10 min ahead: still inside its 15 min window
        self.write(credentials={"dev": {"aws_access_key_id": BOB_KEY,
                                        "aws_secret_access_key": "x" * 40}})
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("SignatureDoesNotMatch", r.stderr)
        self.assertRegex(r.stderr, r"clock is (9m5\ds|10m|10m\ds) behind STS's")

    def test_stale_signature_says_fix_the_clock(self):
        self.emu.set_signature_skew(-1800)  # STS's clock 30 min behind ours
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("Signature not yet current", r.stderr)
        self.assertRegex(r.stderr, r"clock is (29m5\ds|30m|30m\ds) ahead of STS's")
        self.assertIn("NTP", r.stderr)

    def test_unknown_access_key(self):
        self.write(credentials={"dev": {"aws_access_key_id": "AKIANOBODY0000000000",
                                        "aws_secret_access_key": BOB_SECRET}})
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("InvalidClientTokenId", r.stderr)
        self.assertIn("AKIA…0000", r.stderr)  # key ids are masked in every message
        self.assertNotIn("AKIANOBODY0000000000", r.stderr)
        self.assertIn("aws_access_key_id", r.stderr)

    def test_access_denied_is_not_retried(self):
        self.emu.fault("error", status=403, code="AccessDenied", message="Explicit deny for this test")
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("AccessDenied", r.stderr)
        self.assertEqual(self.emu.count("GetCallerIdentity"), 1)

    # -- STS unavailable -----------------------------------------------------------------------
    def test_sts_down_exits_5_after_bounded_retries_in_seconds(self):
        port = closed_port()
        r = self.run_mfaenv("dev", AWS_ENDPOINT_URL_STS=f"https://127.0.0.1:{port}")
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn(f"127.0.0.1:{port}", r.stderr)
        self.assertIn("refused", r.stderr)
        self.assertIn("after 3 attempts", r.stderr)
        self.assertLess(r.elapsed, 5.0)
        self.assertEqual(r.stdout, "")

    def test_throttling_then_success(self):
        self.emu.fault("throttle", count=2)
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(BOB_ARN, r.stdout)
        self.assertEqual(self.emu.count("GetCallerIdentity"), 3)
        self.assertEqual(self.emu.count("GetCallerIdentity", "ok"), 1)

    def test_persistent_throttling_gives_up_after_3_attempts(self):
        self.emu.fault("throttle")
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn("throttling", r.stderr)
        self.assertIn("after 3 attempts", r.stderr)
        self.assertEqual(self.emu.count("GetCallerIdentity"), 3)
        self.assertLess(r.elapsed, 5.0)

    def test_server_error_then_success(self):
        self.emu.fault("internal", count=1)
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.emu.count("GetCallerIdentity"), 2)

    def test_truncated_answers(self):
        self.emu.fault("truncated", count=1)
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(BOB_ARN, r.stdout)
        self.emu.fault("truncated")
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn("not well-formed XML", r.stderr)

    def test_html_from_a_proxy(self):
        self.emu.fault("non_xml", status=502)
        r = self.run_mfaenv("dev")
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn("HTTP 502", r.stderr)

    def test_untrusted_certificate_is_not_retried(self):
        self.emu.use_cert("wrong-ca")
        try:
            r = self.run_mfaenv("dev")
        finally:
            self.emu.use_cert("good")
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn("certificate", r.stderr)
        self.assertNotIn("after 3 attempts", r.stderr)

    # -- endpoints mfaenv builds itself (through the emulator's CONNECT proxy) -----------------
    def test_regional_endpoint_from_the_profile_region(self):
        self.write(config={"profile dev": {"region": "eu-west-1"}},
                   credentials={"dev": {"aws_access_key_id": BOB_KEY,
                                        "aws_secret_access_key": BOB_SECRET}})
        r = self.run_mfaenv("dev", AWS_ENDPOINT_URL_STS=None, AWS_DEFAULT_REGION=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(BOB_ARN, r.stdout)

    def test_legacy_global_endpoint_and_endpoint_url_in_the_profile(self):
        self.write(config={"profile dev": {"region": "us-west-2", "sts_regional_endpoints": "legacy"},
                           "profile local": {"endpoint_url": self.emu.endpoint}},
                   credentials={"dev": {"aws_access_key_id": BOB_KEY,
                                        "aws_secret_access_key": BOB_SECRET},
                                "local": {"aws_access_key_id": BOB_KEY,
                                          "aws_secret_access_key": BOB_SECRET}})
        r = self.run_mfaenv("dev", AWS_ENDPOINT_URL_STS=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.run_mfaenv("local", AWS_ENDPOINT_URL_STS=None, HTTPS_PROXY=None, https_proxy=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.emu.count("GetCallerIdentity", "ok"), 2)

    # -- configuration problems ----------------------------------------------------------------
    def test_configuration_problems_exit_6(self):
        r = self.run_mfaenv("dev", AWS_ENDPOINT_URL_STS="ftp://127.0.0.1")
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("AWS_ENDPOINT_URL_STS", r.stderr)
        r = self.run_mfaenv("nosuch")
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("nosuch", r.stderr)
        self.write(config={"profile empty": {"region": "eu-west-1"}})
        r = self.run_mfaenv("empty")
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("aws_access_key_id", r.stderr)
        self.assertEqual(self.emu.count(), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
