#!/usr/bin/python3
"""MFA sessions end to end against the STS emulator (issue: login, env, exec, credential-process,
status, logout): one prompt, the cache, exit codes, and the seed scenario with a moving clock."""
import concurrent.futures
import json
import os
import unittest

from mfaenv_env import EmulatorTest, AWS, MFAENV, PYTHON, W, Home, assert_no_secret, env_json, harness


def alice_config(home_mfa_process, **extra):
    alice = {"mfa_serial": W.ALICE_MFA, "mfa_process": home_mfa_process, "region": "eu-west-1"}
    alice.update(extra)
    return {"profile alice": alice,
            "profile alice-sdk": {"credential_process": f"{MFAENV} credential-process alice",
                                  "region": "eu-west-1"},
            "profile bob": {"region": "us-west-2"}}


class Sessions(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        harness.write_aws_files(self.home.dir, alice_config(self.home.mfa_process), {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET},
            "bob": {"aws_access_key_id": W.BOB_KEY, "aws_secret_access_key": W.BOB_SECRET}})

    def session_calls(self):
        return self.emu.count("GetSessionToken", "ok")

    def test_login_once_then_everything_is_served_from_the_cache(self):
        r = self.home.mfaenv("login", "alice")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("arn:aws:iam::123456789012:user/alice", r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(self.session_calls(), 1)
        assert_no_secret(self, r.stderr)

        env = env_json(self.home.mfaenv("env", "alice", "--format", "json"))
        self.assertTrue(env["AWS_ACCESS_KEY_ID"].startswith("ASIA"))
        self.assertEqual(env["AWS_REGION"], "eu-west-1")
        self.assertEqual(env["MFAENV_PROFILE"], "alice")
        self.assertRegex(env["AWS_CREDENTIAL_EXPIRATION"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        again = self.home.mfaenv("login", "alice")
        self.assertEqual(again.returncode, 0)
        self.assertIn("already has a session", again.stderr)
        self.assertEqual(self.session_calls(), 1)
        self.assertEqual(self.home.mfa_process_runs(), 1)

        # The credentials are an MFA session: the seed policy lets them do the protected call.
        client = self.emu.botocore_client(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"],
                                          env["AWS_SESSION_TOKEN"])
        self.assertEqual(client.get_caller_identity()["Arn"], "arn:aws:iam::123456789012:user/alice")
        self.assertEqual(client.get_access_key_info(AccessKeyId=W.ALICE_KEY)["Account"], W.ACCOUNT)

    def test_no_prompt_without_a_session_exits_3_and_prints_nothing(self):
        for args in (["env", "alice", "--no-prompt"], ["exec", "alice", "--no-prompt", "--", "true"]):
            r = self.home.mfaenv(*args)
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertEqual(r.stdout, "")
            self.assertIn("mfaenv login alice", r.stderr)
        self.assertEqual(self.home.mfa_process_runs(), 0)
        self.assertEqual(self.emu.count(), 0)

    def test_without_terminal_or_mfa_process_exits_3(self):
        harness.write_aws_files(self.home.dir, {"profile alice": {"mfa_serial": W.ALICE_MFA}}, {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})
        r = self.home.mfaenv("credential-process", "alice")
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("no terminal", r.stderr)
        self.assertEqual(r.stdout, "")

    def test_aws_cli_through_credential_process_and_exec(self):
        r = self.home.run(AWS, "sts", "get-caller-identity", "--profile", "alice-sdk", "--output", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["Arn"], "arn:aws:iam::123456789012:user/alice")
        r = self.home.run(AWS, "sts", "get-access-key-info", "--access-key-id", W.ALICE_KEY,
                          "--profile", "alice-sdk", "--output", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.home.mfaenv("exec", "alice", "--", AWS, "sts", "get-caller-identity", "--output", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["Arn"], "arn:aws:iam::123456789012:user/alice")
        self.assertEqual(self.session_calls(), 1)

    def test_boto3_through_credential_process_and_env(self):
        script = ("import boto3,sys; s=boto3.session.Session(profile_name=sys.argv[1] or None);"
                  "print(s.client('sts').get_caller_identity()['Arn'])")
        r = self.home.run(PYTHON, "-c", script, "alice-sdk")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "arn:aws:iam::123456789012:user/alice")
        r = self.home.mfaenv("exec", "alice", "--", PYTHON, "-c", script, "")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "arn:aws:iam::123456789012:user/alice")
        self.assertEqual(self.session_calls(), 1)

    def test_exec_passes_the_exit_status_and_guards_nesting(self):
        r = self.home.mfaenv("exec", "alice", "--", "sh", "-c", "exit 7")
        self.assertEqual(r.returncode, 7)
        r = self.home.mfaenv("exec", "alice", "--", MFAENV, "exec", "bob", "--", "true")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--nested", r.stderr)
        r = self.home.mfaenv("exec", "alice", "--", MFAENV, "exec", "bob", "--nested", "--", "sh", "-c",
                             'echo "$MFAENV_PROFILE $AWS_ACCESS_KEY_ID"')
        self.assertEqual(r.returncode, 0, r.stderr)
        # bob has no MFA device: a session made without MFA, never his long-term key.
        self.assertRegex(r.stdout.strip(), r"^bob ASIA[A-Z0-9]{16}$")
        r = self.home.mfaenv("exec", "alice", "--", MFAENV, "exec", "alice", "--", "sh", "-c", 'echo "$AWS_PROFILE"')
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_the_seed_scenario_never_meets_the_explicit_deny(self):
        # alice's policy denies MultiFactorAuthAge > 3600; the profile asks STS for 12 h.
        harness.write_aws_files(self.home.dir, alice_config(self.home.mfa_process, mfaenv_session_duration="12h",
                                                            mfaenv_mfa_max_age="3600"), {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})
        protected = [AWS, "sts", "get-access-key-info", "--access-key-id", W.ALICE_KEY, "--output", "json"]
        r = self.home.mfaenv("exec", "alice", "--", *protected, env=self.home.synced())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.session_calls(), 1)
        self.assertEqual(self.emu.calls("GetSessionToken", "ok")[0].get("duration_seconds"), 43200)
        for minutes in (10, 20, 20, 5):  # 55 minutes in: past 45 (1 h less the 15-minute margin)
            self.emu.advance_clock(minutes * 60)
            r = self.home.mfaenv("exec", "alice", "--", *protected, env=self.home.synced())
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("explicit deny", r.stderr)
        self.assertEqual(self.session_calls(), 2)  # a new code was asked for once, after 45 minutes
        self.assertEqual(self.home.mfa_process_runs(), 2)
        status = json.loads(self.home.mfaenv("status", "alice", "--json", env=self.home.synced()).stdout)[0]
        self.assertEqual(status["state"], "valid")
        self.assertEqual(status["mfa_max_age"], 3600)
        # Without mfaenv_mfa_max_age the cached session outlives the policy: the call is denied.
        harness.write_aws_files(self.home.dir, alice_config(self.home.mfa_process, mfaenv_session_duration="12h"), {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})
        self.home.mfaenv("login", "alice", "--force", env=self.home.synced())
        self.emu.advance_clock(3700)
        r = self.home.mfaenv("exec", "alice", "--", *protected, env=self.home.synced())
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("explicit deny", r.stderr)

    def test_32_processes_at_once_one_prompt_one_call(self):
        def one(_):
            return self.home.mfaenv("credential-process", "alice")
        with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
            results = list(pool.map(one, range(32)))
        for r in results:
            self.assertEqual(r.returncode, 0, r.stderr)
        keys = {json.loads(r.stdout)["AccessKeyId"] for r in results}
        self.assertEqual(len(keys), 1)
        self.assertEqual(self.session_calls(), 1)
        self.assertEqual(self.home.mfa_process_runs(), 1)
        doc = json.loads(results[0].stdout)
        self.assertEqual(doc["Version"], 1)
        self.assertRegex(doc["Expiration"], r"Z$")

    def test_status_and_logout(self):
        self.assertEqual(self.home.mfaenv("login", "alice").returncode, 0)
        status = json.loads(self.home.mfaenv("status", "alice", "--json").stdout)[0]
        self.assertEqual(status["state"], "valid")
        self.assertEqual(status["mfa_serial"], W.ALICE_MFA)
        self.assertGreater(status["seconds_left"], 3600)
        self.assertTrue(os.path.exists(status["cache_file"]))
        self.assertEqual(os.stat(status["cache_file"]).st_mode & 0o777, 0o600)
        table = self.home.mfaenv("status")
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertRegex(table.stdout, r"alice\s+valid\s+in \d+h")
        self.assertRegex(table.stdout, r"bob\s+(none|valid)\s")  # a session without MFA
        r = self.home.mfaenv("logout", "alice")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(status["cache_file"]))
        self.assertEqual(json.loads(self.home.mfaenv("status", "alice", "--json").stdout)[0]["state"], "none")

    def test_wrong_and_reused_codes(self):
        r = self.home.mfaenv("login", "alice", "--token-code", "000000")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertNotIn("000000", r.stderr)
        code = self.emu.fresh_totp(W.ALICE_MFA)
        r = self.home.mfaenv("login", "alice", "--token-code", code)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.home.mfaenv("login", "alice", "--force", "--token-code", code)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("already used", r.stderr)
        self.assertEqual(self.emu.count("GetSessionToken"), 2)
        r = self.home.mfaenv("login", "alice", "--token-code", "12345")
        self.assertEqual(r.returncode, 0)  # a session exists: nothing is asked, nothing is checked

    def test_a_profile_running_mfaenv_for_itself_is_refused(self):
        harness.write_aws_files(self.home.dir, {"profile loop": {
            "mfa_serial": W.ALICE_MFA, "credential_process": f"{MFAENV} credential-process loop"}}, {})
        r = self.home.mfaenv("env", "loop", timeout=20)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("loop", r.stderr)

    def test_a_corrupt_cache_file_is_replaced_and_secrets_stay_out_of_stderr(self):
        self.assertEqual(self.home.mfaenv("login", "alice").returncode, 0)
        status = json.loads(self.home.mfaenv("status", "alice", "--json").stdout)[0]
        with open(status["cache_file"], "w") as f:
            f.write('{"version": 1, "kind": "mfa-sess')
        r = self.home.mfaenv("env", "alice")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ignoring a cached session", r.stderr)
        assert_no_secret(self, r.stderr)
        self.assertEqual(self.session_calls(), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
