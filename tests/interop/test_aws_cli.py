"""Debian's AWS CLI v2 (/usr/bin/aws) against the STS emulator: the answers and errors real STS gives.

Each `aws` run costs about a second, so every test makes the few calls that prove its point.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sts_emulator"))

import harness  # noqa: E402
from default_world import (ACCOUNT, ADMIN_ROLE, ALICE_KEY, ALICE_MFA, ALICE_SECRET,  # noqa: E402
                           BOB_KEY, BOB_SECRET, READONLY_ROLE)

emu = home = None


def setUpModule():
    global emu, home
    emu = harness.Emulator().start()
    home = tempfile.TemporaryDirectory()
    harness.write_aws_files(home.name, config={"profile bob": {"region": "us-east-1"},
                                               "profile alice": {"region": "us-east-1",
                                                                 "mfa_serial": ALICE_MFA},
                                               "profile readonly": {"region": "us-east-1",
                                                                    "role_arn": READONLY_ROLE,
                                                                    "source_profile": "bob",
                                                                    "role_session_name": "cli-ro"}},
                            credentials={"bob": {"aws_access_key_id": BOB_KEY,
                                                 "aws_secret_access_key": BOB_SECRET},
                                         "alice": {"aws_access_key_id": ALICE_KEY,
                                                   "aws_secret_access_key": ALICE_SECRET}})


def tearDownModule():
    emu.stop()
    home.cleanup()


def aws(*args, profile=None, creds=None):
    """Runs /usr/bin/aws sts ARGS; returns (exit code, parsed JSON or None, stderr)."""
    env = emu.client_env(home.name)
    if creds is not None:
        env.update(AWS_ACCESS_KEY_ID=creds["AccessKeyId"], AWS_SECRET_ACCESS_KEY=creds["SecretAccessKey"])
        if "SessionToken" in creds:
            env["AWS_SESSION_TOKEN"] = creds["SessionToken"]
    cmd = [harness.AWS_CLI, "sts", *args, "--endpoint-url", emu.endpoint, "--output", "json"]
    if profile:
        cmd += ["--profile", profile]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    out = json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else None
    return done.returncode, out, done.stderr


class AwsCli(unittest.TestCase):
    def setUp(self):
        emu.reset()

    def assertFails(self, result, code, text=None):
        rc, _, stderr = result
        self.assertNotEqual(rc, 0)
        self.assertIn(f"An error occurred ({code})", stderr)
        if text:
            self.assertIn(text, stderr)

    def test_get_caller_identity_agrees_with_botocore(self):
        rc, out, err = aws("get-caller-identity", profile="bob")
        self.assertEqual(rc, 0, err)
        direct = emu.botocore_client(BOB_KEY, BOB_SECRET).get_caller_identity()
        self.assertEqual(out, {k: direct[k] for k in ("UserId", "Account", "Arn")})
        self.assertEqual(out["Arn"], f"arn:aws:iam::{ACCOUNT}:user/bob")

    def test_mfa_session_then_protected_call_and_role(self):
        code = emu.fresh_totp(ALICE_MFA)
        rc, out, err = aws("get-session-token", "--serial-number", ALICE_MFA, "--token-code", code,
                           "--duration-seconds", "3600", profile="alice")
        self.assertEqual(rc, 0, err)
        creds = out["Credentials"]
        self.assertRegex(creds["AccessKeyId"], r"^ASIA")
        self.assertRegex(creds["Expiration"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\+00:00|Z)$")
        rc, out, err = aws("get-access-key-info", "--access-key-id", BOB_KEY, creds=creds)
        self.assertEqual((rc, out), (0, {"Account": ACCOUNT}), err)
        rc, out, err = aws("assume-role", "--role-arn", ADMIN_ROLE, "--role-session-name", "cli",
                           creds=creds)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out["AssumedRoleUser"]["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/Admin/cli")
        # The same code again: AWS refuses a code that was already used.
        self.assertFails(aws("get-session-token", "--serial-number", ALICE_MFA, "--token-code", code,
                             profile="alice"),
                         "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code")
        self.assertEqual(emu.count("GetSessionToken", "ok"), 1)

    def test_protected_call_denied_without_mfa(self):
        self.assertFails(aws("get-access-key-info", "--access-key-id", BOB_KEY, profile="alice"),
                         "AccessDenied", f"User: arn:aws:iam::{ACCOUNT}:user/alice is not authorized to "
                         "perform: sts:GetAccessKeyInfo with an explicit deny in an identity-based policy")

    def test_wrong_secret(self):
        self.assertFails(aws("get-caller-identity", creds={"AccessKeyId": BOB_KEY,
                                                           "SecretAccessKey": "not-" + BOB_SECRET}),
                         "SignatureDoesNotMatch", "The request signature we calculated does not match")

    def test_expired_session_after_moving_the_clock(self):
        client = emu.botocore_client(BOB_KEY, BOB_SECRET)
        creds = client.get_session_token(DurationSeconds=900)["Credentials"]
        emu.advance_clock(901)
        self.assertFails(aws("get-caller-identity", creds=creds), "ExpiredToken",
                         "The security token included in the request is expired")

    def test_role_profile_reaches_the_emulator_through_its_proxy(self):
        """The CLI's assume-role provider calls STS's public endpoint, whatever --endpoint-url says;
        client_env's HTTPS_PROXY sends it to the emulator."""
        rc, out, err = aws("get-caller-identity", profile="readonly")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/ReadOnly/cli-ro")
        self.assertEqual([(c["action"], c["principal"]) for c in emu.calls()],
                         [("AssumeRole", f"arn:aws:iam::{ACCOUNT}:user/bob"), ("GetCallerIdentity", out["Arn"])])

    def test_untrusted_certificate_is_refused(self):
        emu.use_cert("wrong-ca")
        rc, _, stderr = aws("get-caller-identity", profile="bob")
        self.assertNotEqual(rc, 0)
        self.assertIn("SSL validation failed", stderr)
        self.assertEqual(emu.count(), 0)


if __name__ == "__main__":
    unittest.main()
