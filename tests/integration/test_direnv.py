#!/usr/bin/python3
"""The direnv flow of docs/design.md §1 with the real mfaenv, the real direnv and the STS emulator:
`.envrc` says `use mfaenv alice`, holds no keys, loads the session, tells the user to log in when
there is none, and reloads by itself after `mfaenv login`."""
import json
import os
import re
import subprocess
import time
import unittest

from mfaenv_env import EmulatorTest, MFAENV, W, Home, assert_no_secret

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class DirenvFlow(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        self.home.write_alice()
        env = self.home.env
        env["XDG_CONFIG_HOME"] = os.path.join(self.home.dir, ".config")
        env["XDG_DATA_HOME"] = os.path.join(self.home.dir, ".local", "share")
        env["PATH"] = os.path.dirname(MFAENV) + ":/usr/bin:/bin"
        lib = os.path.join(env["XDG_CONFIG_HOME"], "direnv", "lib")
        os.makedirs(lib)
        with open(os.path.join(lib, "mfaenv.sh"), "w") as f:
            f.write(self.home.mfaenv("hook", "direnv").stdout)
        self.project = os.path.join(self.home.dir, "project")
        os.makedirs(self.project)
        with open(os.path.join(self.project, ".envrc"), "w") as f:
            f.write("use mfaenv alice\n")
        subprocess.run(["direnv", "allow", self.project], env=env, check=True)
        self.shell = dict(env)

    def prompt(self):
        """What direnv's prompt hook does: `direnv export json`, applied to the shell's environment."""
        r = subprocess.run(["direnv", "export", "json"], cwd=self.project, env=self.shell, capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL, start_new_session=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        for key, value in (json.loads(r.stdout) if r.stdout.strip() else {}).items():
            if value is None:
                self.shell.pop(key, None)
            else:
                self.shell[key] = value
        assert_no_secret(self, r.stderr)
        return ANSI.sub("", r.stderr)

    def mfaenv_later(self, *args):
        """direnv compares mtimes in whole seconds: a change in the second of the last prompt would
        wait for the next one. People do not type that fast; the test waits the second out."""
        time.sleep(1.05)
        return self.home.mfaenv(*args)

    def test_load_hint_and_reload_after_login(self):
        log = self.prompt()
        self.assertIn("run 'mfaenv login alice'", log)
        self.assertNotIn("AWS_SESSION_TOKEN", self.shell)
        self.assertEqual(self.home.mfa_process_runs(), 0)  # direnv never prompts

        self.assertEqual(self.mfaenv_later("login", "alice").returncode, 0)
        self.prompt()  # the cache changed: direnv reloads by itself
        self.assertTrue(self.shell["AWS_ACCESS_KEY_ID"].startswith("ASIA"))
        self.assertEqual(self.shell["MFAENV_PROFILE"], "alice")
        self.assertEqual(self.shell["AWS_REGION"], "eu-west-1")
        client = self.emu.botocore_client(self.shell["AWS_ACCESS_KEY_ID"], self.shell["AWS_SECRET_ACCESS_KEY"],
                                          self.shell["AWS_SESSION_TOKEN"])
        self.assertEqual(client.get_caller_identity()["Arn"], f"arn:aws:iam::{W.ACCOUNT}:user/alice")
        first = self.shell["AWS_ACCESS_KEY_ID"]

        self.assertEqual(self.mfaenv_later("login", "alice", "--force").returncode, 0)
        self.prompt()
        self.assertNotEqual(self.shell["AWS_ACCESS_KEY_ID"], first)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 2)

        self.assertEqual(self.mfaenv_later("logout", "alice").returncode, 0)
        log = self.prompt()
        self.assertIn("run 'mfaenv login alice'", log)
        self.assertNotIn("AWS_SESSION_TOKEN", self.shell)

    def test_direnv_exec(self):
        self.assertEqual(self.home.mfaenv("login", "alice").returncode, 0)
        r = subprocess.run(["direnv", "exec", self.project, "sh", "-c", 'echo "$MFAENV_PROFILE $AWS_ACCESS_KEY_ID"'],
                           env=self.shell, capture_output=True, text=True, timeout=60, start_new_session=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        profile, key = r.stdout.split()
        self.assertEqual(profile, "alice")
        self.assertTrue(key.startswith("ASIA"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
