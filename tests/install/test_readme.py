#!/usr/bin/python3
"""README.md, pasted by a new user (issue 14): its example config blocks, written as they are into
a fresh HOME (only the placeholder keys replaced by the emulator's), work against the STS
emulator: no warning, values without comments in them, login, env, exec, the role, the
credential_process profile, status; and its direnv block, run as it is, gives a project the
session. The blocks are read from README.md itself, so this test follows the README."""
import json
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from mfaenv_env import EmulatorTest, AWS, MFAENV, SOURCE_DIR, W, Home  # noqa: E402

README = os.path.join(SOURCE_DIR, "README.md")


def fenced_blocks(language):
    with open(README) as f:
        text = f.read()
    return [m.group(1) for m in re.finditer(r"```" + language + r"\n(.*?)```", text, re.S)]


def block_starting(language, first_line):
    found = [b for b in fenced_blocks(language) if b.split("\n", 1)[0].strip() == first_line]
    assert len(found) == 1, f"README.md should have one ```{language} block starting with {first_line!r}"
    return found[0]


class Readme(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {}, credentials={})
        credentials = block_starting("ini", "# ~/.aws/credentials")
        config = block_starting("ini", "# ~/.aws/config")
        # The user pastes their own keys over the placeholders; everything else is as printed.
        self.assertIn("aws_access_key_id = AKIA...\n", credentials)
        credentials = credentials.replace("aws_access_key_id = AKIA...", f"aws_access_key_id = {W.ALICE_KEY}")
        credentials = credentials.replace("aws_secret_access_key = ...", f"aws_secret_access_key = {W.ALICE_SECRET}")
        aws = os.path.join(self.home.dir, ".aws")
        with open(os.path.join(aws, "credentials"), "w") as f:
            f.write(credentials)
        with open(os.path.join(aws, "config"), "w") as f:
            f.write(config)
        # credential_process = mfaenv ...: the installed mfaenv is found on PATH.
        self.home.env["PATH"] = os.path.dirname(MFAENV) + ":" + self.home.env["PATH"]
        self.home.env["XDG_CONFIG_HOME"] = os.path.join(self.home.dir, ".config")

    def ok(self, *args, **kw):
        r = self.home.run(*args, **kw)
        self.assertEqual(r.returncode, 0, f"{args}: {r.stderr}")
        self.assertNotIn("warning", r.stderr)
        return r

    def test_the_example_config_works_when_pasted(self):
        # Values hold no comment: the max age is "1h", which a trailing "# ..." would have broken.
        self.assertEqual(self.ok(MFAENV, "config", "get", "mfaenv_mfa_max_age", "--profile", "alice").stdout, "1h\n")
        self.assertEqual(self.ok(MFAENV, "config", "profiles").stdout.split(), ["alice", "admin", "alice-sdk"])
        code = self.emu.fresh_totp(W.ALICE_MFA)
        self.ok(MFAENV, "login", "alice", "--token-code", code)
        env = json.loads(self.ok(MFAENV, "env", "alice", "--format", "json").stdout)
        self.assertEqual(env["MFAENV_PROFILE"], "alice")
        who = json.loads(self.ok(MFAENV, "exec", "alice", "--", AWS, "sts", "get-caller-identity",
                                 "--output", "json").stdout)
        self.assertEqual(who["Arn"], f"arn:aws:iam::{W.ACCOUNT}:user/alice")
        # The role reuses alice's MFA session: no second code.
        role = json.loads(self.ok(MFAENV, "credential-process", "admin").stdout)
        client = self.emu.botocore_client(role["AccessKeyId"], role["SecretAccessKey"], role["SessionToken"])
        self.assertIn("assumed-role/Admin/", client.get_caller_identity()["Arn"])
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
        # Plain `aws --profile alice-sdk` through credential_process.
        who = json.loads(self.ok(AWS, "sts", "get-caller-identity", "--profile", "alice-sdk", "--output", "json").stdout)
        self.assertEqual(who["Arn"], f"arn:aws:iam::{W.ACCOUNT}:user/alice")
        status = json.loads(self.ok(MFAENV, "status", "--json").stdout)
        states = {s["profile"]: s["state"] for s in status}
        self.assertEqual(states, {"alice": "valid", "admin": "valid", "alice-sdk": "credential-process"})
        self.assertEqual([s["mfa_max_age"] for s in status if s["profile"] == "alice"], [3600])

    def test_the_direnv_steps_work_as_printed(self):
        steps = [b for b in fenced_blocks("sh") if "direnv/lib" in b]
        self.assertEqual(len(steps), 1, "README.md should have one ```sh block installing the direnv library")
        self.assertIn("mkdir -p ~/.config/direnv/lib", steps[0])
        self.assertIn("direnv allow", steps[0])
        project = os.path.join(self.home.dir, "project")
        os.makedirs(project)
        r = subprocess.run(["bash", "-euc", steps[0]], cwd=project, env=self.home.env, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(os.path.join(self.home.dir, ".config", "direnv", "lib", "mfaenv.sh")))
        self.ok(MFAENV, "login", "alice", "--token-code", self.emu.fresh_totp(W.ALICE_MFA))
        r = subprocess.run(["direnv", "exec", project, "sh", "-c", 'echo "$MFAENV_PROFILE $AWS_ACCESS_KEY_ID"'],
                           env=self.home.env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        profile, key = r.stdout.split()
        self.assertEqual(profile, "alice")
        self.assertTrue(key.startswith("ASIA"), key)

    def test_the_first_lines_are_the_two_commands(self):
        with open(README) as f:
            head = f.read().split("\n")[:6]
        self.assertEqual(head[2], "```sh")
        self.assertTrue(head[3].startswith("make demo"))
        self.assertTrue(head[4].startswith("make test"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
