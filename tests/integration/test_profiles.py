#!/usr/bin/python3
"""One profile model and one credential path, end to end against the STS emulator: every command
sees the same inherited settings, whoami resolves like env, long-term keys never leave by default,
and misspelt config is pointed out with FILE:LINE and the fix."""
import json
import os
import shutil
import time
import unittest

from mfaenv_env import EmulatorTest, MFAENV, W, Home, assert_no_secret, env_json, harness

ALICE_ARN = f"arn:aws:iam::{W.ACCOUNT}:user/alice"
BOB_ARN = f"arn:aws:iam::{W.ACCOUNT}:user/bob"
ADMIN_SESSION = f"arn:aws:sts::{W.ACCOUNT}:assumed-role/Admin/"

# A policy whose MFA age limit (30 min) is shorter than alice's mfaenv_mfa_max_age (1 h): the check
# of admin must find alice's value (MFA005), not say it is missing (MFA004).
POLICY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "DenyWithoutMfa", "Effect": "Deny", "NotAction": ["iam:ListMFADevices"], "Resource": "*",
     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
    {"Sid": "DenyOldMfa", "Effect": "Deny", "Action": "*", "Resource": "*",
     "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": "1800"}}}]}


class Profiles(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        self.addCleanup(shutil.rmtree, self.home.dir, True)
        self.write({
            "profile alice": {"mfa_serial": W.ALICE_MFA, "mfa_process": self.home.mfa_process,
                              "mfaenv_mfa_max_age": "1h", "region": "eu-west-1"},
            "profile admin": {"role_arn": W.ADMIN_ROLE, "source_profile": "alice"},
            "profile bob": {"region": "us-west-2"},
            "profile bob-keys": {"mfaenv_session": "none"},
        })

    def write(self, config, credentials=None):
        harness.write_aws_files(self.home.dir, config, credentials if credentials is not None else {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET},
            "bob": {"aws_access_key_id": W.BOB_KEY, "aws_secret_access_key": W.BOB_SECRET},
            "bob-keys": {"aws_access_key_id": W.BOB_KEY, "aws_secret_access_key": W.BOB_SECRET}})

    def write_text(self, name, text):
        with open(os.path.join(self.home.dir, ".aws", name), "w") as f:
            f.write(text)

    # -- one profile model -------------------------------------------------------------------------
    def test_every_command_sees_the_inherited_max_age(self):
        status = self.home.mfaenv("status", "admin", "--json")
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertEqual(json.loads(status.stdout)["mfa_max_age"], 3600)

        policy = os.path.join(self.home.dir, "policy.json")
        with open(policy, "w") as f:
            json.dump(POLICY, f, indent=2)
        check = self.home.mfaenv("policy", "check", policy, "--profile", "admin", "--json")
        codes = [f["code"] for f in json.loads(check.stdout)["findings"]]
        self.assertNotIn("MFA004", codes, check.stdout)
        self.assertIn("MFA005", codes, check.stdout)  # it read alice's 1h and compared it with 30m
        message = next(f["message"] for f in json.loads(check.stdout)["findings"] if f["code"] == "MFA005")
        self.assertIn("mfaenv_mfa_max_age = 3600", message)

        # The chain (env) ends admin's session at alice's MFA time + 1h.
        started = time.time()
        env = self.home.mfaenv("env", "admin", "--format", "json")
        self.assertEqual(env.returncode, 0, env.stderr)
        expiry = env_json(env)["AWS_CREDENTIAL_EXPIRATION"]
        seconds = time.mktime(time.strptime(expiry, "%Y-%m-%dT%H:%M:%SZ")) - time.mktime(time.gmtime(started))
        self.assertLessEqual(seconds, 3600 + 5)
        self.assertGreater(seconds, 3000)

    # -- one credential path -----------------------------------------------------------------------
    def test_whoami_resolves_like_env(self):
        login = self.home.mfaenv("login", "admin")
        self.assertEqual(login.returncode, 0, login.stderr)
        self.emu.clear_log()
        r = self.home.mfaenv("whoami", "admin", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(json.loads(r.stdout)["Arn"].startswith(ADMIN_SESSION), r.stdout)
        # Served from the cache: no new session, no code asked.
        self.assertEqual(self.emu.count("GetSessionToken") + self.emu.count("AssumeRole"), 0)
        self.assertEqual(self.home.mfa_process_runs(), 1)

        # Inside `exec alice`, the argument still wins; without one, MFAENV_PROFILE is the profile.
        r = self.home.mfaenv("exec", "alice", "--", MFAENV, "whoami", "admin", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(json.loads(r.stdout)["Arn"].startswith(ADMIN_SESSION), r.stdout)
        r = self.home.mfaenv("exec", "alice", "--", MFAENV, "whoami", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["Arn"], ALICE_ARN)

        # --long-term asks with the keys at the bottom of the chain.
        r = self.home.mfaenv("whoami", "admin", "--long-term", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["Arn"], ALICE_ARN)

        # --debug works and shows no secret.
        r = self.home.mfaenv("--debug", "whoami", "admin")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("AssumeRole", r.stderr)
        self.assertIn("GetCallerIdentity", r.stderr)
        assert_no_secret(self, r.stdout + r.stderr)

    def test_no_profile_given(self):
        r = self.home.mfaenv("env")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr.splitlines()[0][:60], "mfaenv: no profile given: pass PROFILE or set AWS_PROFILE (t")
        r = self.home.mfaenv("env", env={"AWS_PROFILE": "nosuch"})
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("profile 'nosuch' (from AWS_PROFILE) is not in", r.stderr)
        r = self.home.mfaenv("whoami", env={"MFAENV_PROFILE": "gone"})
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("profile 'gone' (from MFAENV_PROFILE, set by mfaenv env/exec)", r.stderr)

    # -- long-term keys never leave by default -------------------------------------------------------
    def test_a_profile_without_mfa_gets_a_session_without_mfa(self):
        r = self.home.mfaenv("env", "bob", "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        env = env_json(r)
        self.assertTrue(env["AWS_ACCESS_KEY_ID"].startswith("ASIA"), env["AWS_ACCESS_KEY_ID"])
        self.assertIn("AWS_SESSION_TOKEN", env)
        self.assertNotIn(W.BOB_KEY, r.stdout)
        calls = self.emu.calls("GetSessionToken", "ok")
        self.assertEqual(len(calls), 1)
        self.assertFalse(calls[0].get("mfa"), calls[0])
        # Cached like the others: the next call, credential-process and whoami use it.
        r = self.home.mfaenv("credential-process", "bob")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["AccessKeyId"], env["AWS_ACCESS_KEY_ID"])
        r = self.home.mfaenv("whoami", "bob", "--json")
        self.assertEqual(json.loads(r.stdout)["Arn"], BOB_ARN)
        self.assertEqual(self.emu.count("GetSessionToken"), 1)
        status = json.loads(self.home.mfaenv("status", "bob", "--json").stdout)
        self.assertEqual(status["state"], "valid")

    def test_long_term_keys_only_when_asked_with_one_warning(self):
        for args in (["env", "bob-keys"], ["env", "bob", "--no-session"]):
            r = self.home.mfaenv(*args, "--format", "json")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(env_json(r)["AWS_ACCESS_KEY_ID"], W.BOB_KEY)
            lines = r.stderr.splitlines()
            self.assertEqual(len(lines), 1, r.stderr)
            self.assertTrue(lines[0].startswith("mfaenv: warning: handing out the long-term keys of profile 'bob"), lines)
            assert_no_secret(self, r.stderr)
        r = self.home.mfaenv("exec", "bob", "--no-session", "--", "sh", "-c", 'echo "$AWS_ACCESS_KEY_ID"')
        self.assertEqual(r.stdout.strip(), W.BOB_KEY)
        r = self.home.mfaenv("credential-process", "bob", "--no-session")
        self.assertEqual(json.loads(r.stdout)["AccessKeyId"], W.BOB_KEY)
        self.assertEqual(self.emu.count("GetSessionToken"), 0)

    # -- config mistakes are pointed out -------------------------------------------------------------
    def test_misspelt_config_is_pointed_out(self):
        self.write_text("config",
                        "[carol]\nregion = eu-west-1\n\n"
                        "[profile bob]\nmfa_serial arn:aws:iam::123456789012:mfa/bob\nrole-arn = x\n")
        r = self.home.mfaenv("env", "bob", "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        config = os.path.join(self.home.dir, ".aws", "config")
        self.assertIn(f"mfaenv: warning: {config}:1: section [carol] is not a profile: the AWS CLI and SDKs ignore it "
                      "in the config file; write [profile carol]", r.stderr)
        self.assertIn(f"mfaenv: warning: {config}:5: profile 'bob': this line sets a key named 'mfa_serial ...', not "
                      "mfa_serial", r.stderr)
        self.assertIn(f"{config}:6: profile 'bob': 'role-arn' is not a key the AWS CLI, SDKs or mfaenv read; write "
                      "'role_arn' (with '_')", r.stderr)

    def test_an_inline_comment_that_breaks_a_value(self):
        self.write_text("config", "[profile bob]\nmfaenv_session_duration = 1h # short\n")
        r = self.home.mfaenv("env", "bob")
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertIn(":2: profile 'bob': mfaenv_session_duration = '1h # short' is not a duration", r.stderr)
        self.assertIn("put comments on a line of their own", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
