#!/usr/bin/python3
"""The AWS SDK for JavaScript v3 gets mfaenv's MFA session against the STS emulator (issue 5 item 6):
`fromProcess` with `credential_process = mfaenv credential-process alice`, and `fromEnv` under
`mfaenv exec alice -- node`. Node and the SDK come from scripts/bootstrap (npm ci from the committed
package-lock.json); when they are missing the test fails and says so, it never skips."""
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("MFAENV_SOURCE_DIR") or os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "integration"))

from mfaenv_env import MFAENV, W, Home, assert_no_secret, env_json, harness  # noqa: E402

JS_DIR = os.path.join(SOURCE_DIR, "tests", "clients", "js")
SCRIPT = os.path.join(JS_DIR, "caller_identity.mjs")
ALICE_ARN = f"arn:aws:iam::{W.ACCOUNT}:user/alice"
NODE_MAJOR_NEEDED = 20  # the pinned SDK's engines field


def node_problem():
    """Why the SDK cannot run here, or None."""
    node = shutil.which("node")
    if node is None:
        return "node is not installed: run scripts/bootstrap (it installs nodejs and npm)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    major = re.match(r"v(\d+)", version)
    if not major or int(major.group(1)) < NODE_MAJOR_NEEDED:
        return f"node {version} is too old: the pinned AWS SDK needs Node.js >= {NODE_MAJOR_NEEDED}"
    if not os.path.isdir(os.path.join(JS_DIR, "node_modules", "@aws-sdk", "client-sts")):
        return f"the AWS SDK is not installed in {JS_DIR}: run scripts/bootstrap (npm ci there)"
    return None


class JavaScriptSdk(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.problem = node_problem()
        if cls.problem:
            return
        cls.emu = harness.Emulator()
        cls.emu.start()

    @classmethod
    def tearDownClass(cls):
        if not cls.problem:
            cls.emu.stop()

    def setUp(self):
        if self.problem:
            self.fail(self.problem)
        self.emu.reset()
        self.home = Home(self.emu, {})
        self.addCleanup(shutil.rmtree, self.home.dir, True)
        self.write_config(self.home.mfa_process)

    def write_config(self, mfa_process):
        alice = {"mfa_serial": W.ALICE_MFA, "region": "eu-west-1"}
        if mfa_process:
            alice["mfa_process"] = mfa_process
        harness.write_aws_files(self.home.dir, {
            "profile alice": alice,
            "profile alice-sdk": {"credential_process": f"{MFAENV} credential-process alice",
                                  "region": "eu-west-1"}}, {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})

    def node_env(self, protected=True):
        env = {"NODE_EXTRA_CA_CERTS": self.emu.ca_bundle, "STS_ENDPOINT": self.emu.endpoint}
        if protected:
            env["PROTECTED_KEY_ID"] = W.ALICE_KEY
        return env

    def from_process(self, **kw):
        return self.home.run("node", SCRIPT, "process", "alice-sdk", env=self.node_env(**kw), timeout=120)

    def from_env_under_exec(self, **kw):
        return self.home.mfaenv("exec", "alice", "--", "node", SCRIPT, "env", env=self.node_env(**kw),
                                timeout=120)

    def assert_alice_session(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        assert_no_secret(self, result.stdout + result.stderr)
        identity = json.loads(result.stdout)
        self.assertEqual(identity["Arn"], ALICE_ARN)
        self.assertEqual(identity["Account"], W.ACCOUNT)
        self.assertRegex(identity["AccessKeyId"], r"^ASIA")  # a session, not alice's long-term key
        self.assertTrue(identity["HasSessionToken"])
        self.assertIsNotNone(identity["Expiration"])
        # The protected call: alice's policy denies it without MFA, so it proves an MFA session.
        self.assertEqual(identity["ProtectedCallAccount"], W.ACCOUNT)
        # The SDK signed its calls to the emulator with that session key.
        signed_with = {c.get("access_key_id") for c in self.emu.calls("GetCallerIdentity", "ok")}
        self.assertIn(identity["AccessKeyId"], signed_with)
        return identity

    def test_from_process_gets_the_mfa_session(self):
        identity = self.assert_alice_session(self.from_process())
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
        self.assertEqual(self.home.mfa_process_runs(), 1)
        cached = env_json(self.home.mfaenv("env", "alice", "--format", "json", "--no-prompt"))
        self.assertEqual(cached["AWS_ACCESS_KEY_ID"], identity["AccessKeyId"])

    def test_from_env_under_exec_gets_the_mfa_session(self):
        self.assert_alice_session(self.from_env_under_exec())
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
        self.assertEqual(self.home.mfa_process_runs(), 1)

    def test_both_share_one_session_and_one_code(self):
        first = self.assert_alice_session(self.from_process())
        second = self.assert_alice_session(self.from_env_under_exec())
        again = self.assert_alice_session(self.from_process())
        self.assertEqual(first["AccessKeyId"], second["AccessKeyId"])
        self.assertEqual(first["AccessKeyId"], again["AccessKeyId"])
        self.assertEqual(self.emu.count("GetSessionToken"), 1)
        self.assertEqual(self.home.mfa_process_runs(), 1)

    def test_default_chain_under_exec_server_gets_the_mfa_session(self):
        # alice's long-term keys are also [default] in the credentials file: the SDK must not use them.
        harness.write_aws_files(self.home.dir, {
            "profile alice": {"mfa_serial": W.ALICE_MFA, "region": "eu-west-1", "mfa_process": self.home.mfa_process}}, {
            "default": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET},
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})
        r = self.home.mfaenv("exec", "alice", "--server", "--", "node", SCRIPT, "chain", env=self.node_env(),
                             timeout=120)
        identity = self.assert_alice_session(r)
        self.assertNotEqual(identity["AccessKeyId"], W.ALICE_KEY)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
        self.assertEqual(self.home.mfa_process_runs(), 1)

    def test_no_code_source_is_a_clear_sdk_error_not_a_hang(self):
        # No mfa_process and no terminal: credential-process exits 3 and the SDK shows its line.
        self.write_config(None)
        r = self.from_process(protected=False)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertEqual(r.stdout, "")
        self.assertIn("no terminal", r.stderr)
        assert_no_secret(self, r.stderr)
        self.assertEqual(self.emu.count(), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
