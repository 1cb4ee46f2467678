#!/usr/bin/python3
"""Roles behind MFA against the STS emulator: one MFA session for many roles, chains, cycles,
external ids, credential_source = Environment, and Debian's AWS CLI v2 as an oracle."""
import concurrent.futures
import json
import unittest

from mfaenv_env import EmulatorTest, AWS, MFAENV, W, Home, assert_no_secret, harness

ALICE_KEYS = {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}


class Roles(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        config = {"profile alice": {"mfa_serial": W.ALICE_MFA, "mfa_process": self.home.mfa_process,
                                    "region": "us-east-1"}}
        for i in range(10):
            config[f"profile admin{i}"] = {"role_arn": W.ADMIN_ROLE, "source_profile": "alice",
                                           "role_session_name": f"admin-{i}"}
        config["profile deploy"] = {"role_arn": W.DEPLOY_ROLE, "source_profile": "admin0",
                                    "duration_seconds": "43200"}
        config["profile audit"] = {"role_arn": W.AUDIT_ROLE, "source_profile": "alice",
                                   "external_id": W.AUDIT_EXTERNAL_ID}
        config["profile audit-noext"] = {"role_arn": W.AUDIT_ROLE, "source_profile": "alice"}
        config["profile loop-a"] = {"role_arn": W.ADMIN_ROLE, "source_profile": "loop-b"}
        config["profile loop-b"] = {"role_arn": W.ADMIN_ROLE, "source_profile": "loop-a"}
        config["profile from-env"] = {"role_arn": W.ADMIN_ROLE, "credential_source": "Environment",
                                      "mfa_serial": W.ALICE_MFA, "mfa_process": self.home.mfa_process}
        config["profile ec2"] = {"role_arn": W.ADMIN_ROLE, "credential_source": "Ec2InstanceMetadata"}
        # The AWS CLI's own role support over an mfaenv MFA session, as an oracle.
        config["profile alice-mfa"] = {"credential_process": f"{MFAENV} credential-process alice"}
        config["profile cli-admin"] = {"role_arn": W.ADMIN_ROLE, "source_profile": "alice-mfa",
                                       "role_session_name": "cli"}
        harness.write_aws_files(self.home.dir, config, {"alice": ALICE_KEYS})

    def arn_of(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)["Arn"]

    def credentials(self, profile):
        r = self.home.mfaenv("credential-process", profile)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_ten_roles_in_a_row_one_prompt_one_session(self):
        keys = set()
        for i in range(10):
            doc = self.credentials(f"admin{i}")
            keys.add(doc["AccessKeyId"])
            client = self.emu.botocore_client(doc["AccessKeyId"], doc["SecretAccessKey"], doc["SessionToken"])
            self.assertEqual(client.get_caller_identity()["Arn"],
                             f"arn:aws:sts::{W.ACCOUNT}:assumed-role/Admin/admin-{i}")
        self.assertEqual(len(keys), 10)
        self.assertEqual(self.emu.count("GetSessionToken"), 1)
        self.assertEqual(self.emu.count("AssumeRole", "ok"), 10)
        self.assertEqual(self.home.mfa_process_runs(), 1)
        for i in range(10):  # all cached now
            self.credentials(f"admin{i}")
        self.assertEqual(self.emu.count("AssumeRole"), 10)

    def test_ten_roles_in_parallel_one_prompt_one_session(self):
        with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
            results = list(pool.map(lambda i: self.home.mfaenv("credential-process", f"admin{i}"), range(10)))
        for r in results:
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.emu.count("GetSessionToken"), 1)
        self.assertEqual(self.home.mfa_process_runs(), 1)
        self.assertEqual(self.emu.count("AssumeRole", "ok"), 10)

    def test_three_link_chain_is_capped_at_one_hour_with_a_note(self):
        r = self.home.mfaenv("exec", "deploy", "--", AWS, "sts", "get-caller-identity", "--output", "json")
        self.assertIn(f"assumed-role/Deploy/", self.arn_of(r))
        self.assertIn("role chaining", r.stderr)
        chained = [c for c in self.emu.calls("AssumeRole", "ok") if "Deploy" in c.get("role_arn", "")]
        self.assertEqual(len(chained), 1)
        self.assertEqual(chained[0].get("duration_seconds"), 3600)
        status = json.loads(self.home.mfaenv("status", "deploy", "--json").stdout)[0]
        self.assertEqual(status["chain"], ["deploy", "admin0", "alice"])
        self.assertLessEqual(status["seconds_left"], 3600)

    def test_a_cycle_is_refused_naming_it(self):
        r = self.home.mfaenv("env", "loop-a")
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("loop-a -> loop-b -> loop-a", r.stderr)
        self.assertEqual(self.emu.count(), 0)

    def test_external_id(self):
        doc = self.credentials("audit")
        client = self.emu.botocore_client(doc["AccessKeyId"], doc["SecretAccessKey"], doc["SessionToken"])
        self.assertIn("assumed-role/Audit/", client.get_caller_identity()["Arn"])
        r = self.home.mfaenv("credential-process", "audit-noext")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("external", r.stderr.lower())
        assert_no_secret(self, r.stderr)

    def test_credential_source_environment(self):
        r = self.home.mfaenv("exec", "from-env", "--", AWS, "sts", "get-caller-identity", "--output", "json",
                             env={"AWS_ACCESS_KEY_ID": W.ALICE_KEY, "AWS_SECRET_ACCESS_KEY": W.ALICE_SECRET})
        self.assertIn("assumed-role/Admin/", self.arn_of(r))
        r = self.home.mfaenv("env", "ec2")
        self.assertEqual(r.returncode, 6)
        self.assertIn("Environment", r.stderr)

    def test_logout_of_a_role_keeps_or_drops_its_mfa_session(self):
        self.credentials("admin0")
        self.assertEqual(self.home.mfaenv("logout", "admin0").returncode, 0)
        self.credentials("admin0")
        self.assertEqual(self.emu.count("GetSessionToken"), 1)  # the MFA session was kept
        self.assertEqual(self.home.mfaenv("logout", "admin0", "--mfa-session").returncode, 0)
        self.assertEqual(json.loads(self.home.mfaenv("status", "alice", "--json").stdout)[0]["state"], "none")
        self.credentials("admin0")
        self.assertEqual(self.emu.count("GetSessionToken"), 2)

    def test_the_aws_cli_names_the_same_role(self):
        ours = self.arn_of(self.home.mfaenv("exec", "admin0", "--", AWS, "sts", "get-caller-identity",
                                            "--output", "json"))
        theirs = self.arn_of(self.home.run(AWS, "sts", "get-caller-identity", "--profile", "cli-admin",
                                           "--output", "json"))
        role = lambda arn: arn.split(":assumed-role/")[1].split("/")[0]  # noqa: E731
        self.assertEqual(role(ours), "Admin")
        self.assertEqual(role(theirs), role(ours))
        self.assertEqual(self.emu.count("GetSessionToken"), 1)  # the CLI reused mfaenv's MFA session


if __name__ == "__main__":
    unittest.main(verbosity=2)
