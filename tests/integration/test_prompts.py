#!/usr/bin/python3
"""The prompt drivers end to end (issue 17): the real zenity and kdialog on a virtual X display with
the code typed by xdotool, a cancelled dialog (exit 3), 30 processes needing a code (one dialog, one
STS call), and a stand-in ykman on PATH (no YubiKey exists on these machines)."""
import concurrent.futures
import json
import os
import stat
import time
import unittest

from mfaenv_env import EmulatorTest, MFAENV, PYTHON, W, Home, assert_no_secret, harness
from virtual_display import VirtualDisplay

ALICE_ARN = f"arn:aws:iam::{W.ACCOUNT}:user/alice"


class Prompts(EmulatorTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.x = VirtualDisplay()

    @classmethod
    def tearDownClass(cls):
        cls.x.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.x.close_all()
        self.home = Home(self.emu, {})
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.communicate()

    def write(self, prompt=None, **alice):
        config = {"mfa_serial": W.ALICE_MFA, "region": "eu-west-1"}
        if prompt:
            config["mfaenv_prompt"] = prompt
        config.update(alice)
        harness.write_aws_files(self.home.dir, {
            "profile alice": config,
            "profile admin": {"role_arn": W.ADMIN_ROLE, "source_profile": "alice"}}, {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})

    def logout_all(self):
        self.assertEqual(self.home.mfaenv("logout", "--all").returncode, 0)

    def start(self, *args, env=None):
        import subprocess
        e = dict(self.home.env)
        e.update(self.x.env())
        e.update(env or {})
        p = subprocess.Popen([MFAENV, *args], env=e, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.procs.append(p)
        return p

    def test_zenity_and_kdialog_for_real(self):
        for n, prompt in enumerate(("zenity", "kdialog")):
            self.emu.reset()
            # mfaenv remembers every code it sent (issue 13): the second dialog needs the next window's.
            self.emu.advance_clock(30 * n)
            self.write(prompt)
            self.logout_all()
            p = self.start("login", "admin")
            self.x.answer(self.emu.fresh_totp(W.ALICE_MFA))
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, err)
            self.assertIn("assumed-role/Admin", err)
            self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
            assert_no_secret(self, out + err)

    def test_default_chain_uses_a_dialog_when_there_is_no_terminal(self):
        # No mfaenv_prompt, no mfa_process, no terminal (a new session): the default falls to zenity.
        self.write(None)
        p = self.start("login", "alice")
        self.x.answer(self.emu.fresh_totp(W.ALICE_MFA))
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 0, err)

    def test_a_cancelled_dialog_is_exit_3(self):
        for prompt in ("zenity", "kdialog"):
            self.write(prompt)
            p = self.start("credential-process", "alice")
            self.x.cancel()
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 3, err)
            self.assertIn(f"the {prompt} MFA prompt was cancelled", err)
            self.assertEqual(out, "")
        self.assertEqual(self.emu.count(), 0)

    def test_a_wrong_code_is_asked_again_in_the_dialog(self):
        self.write("zenity")
        p = self.start("login", "alice")
        good = self.emu.fresh_totp(W.ALICE_MFA)
        wrong = "%06d" % ((int(good) + 1) % 1000000)
        self.x.answer(wrong)
        self.x.answer(good)  # the dialog comes back saying AWS rejected the code
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 0, err)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)

    def test_thirty_processes_one_dialog_one_sts_call(self):
        self.write("zenity")
        procs = [self.start("credential-process", "alice") for _ in range(30)]
        windows = set(self.x.answer(self.emu.fresh_totp(W.ALICE_MFA)))
        results = []
        deadline = time.monotonic() + 90
        while len(results) < len(procs) and time.monotonic() < deadline:
            windows |= set(self.x.dialogs())
            results = [p for p in procs if p.poll() is not None]
            time.sleep(0.1)
        keys = set()
        for p in procs:
            out, err = p.communicate(timeout=30)
            self.assertEqual(p.returncode, 0, err)
            keys.add(json.loads(out)["AccessKeyId"])
        self.assertEqual(len(keys), 1)
        self.assertEqual(self.emu.count("GetSessionToken"), 1)
        self.assertEqual(len(windows), 1, windows)

    def test_ykman_stand_in(self):
        folder = os.path.join(self.home.dir, "bin")
        os.makedirs(folder)
        log = os.path.join(self.home.dir, "ykman.args")
        script = os.path.join(folder, "ykman")
        with open(script, "w") as f:
            f.write(f'#!/bin/sh\nprintf "%s\\n" "$@" > {log}\n'
                    f'echo "Touch your YubiKey..." >&2\n'
                    f'exec {self.emu.totp_command(self.home.secret_file)}\n')
        os.chmod(script, stat.S_IRWXU)
        self.write("ykman", mfaenv_ykman_account="Amazon Web Services:alice@123456789012")
        env = {"PATH": folder + ":" + os.environ["PATH"], "YKMAN_OATH_DEVICE_SERIAL": "7654321"}
        r = self.home.mfaenv("login", "admin", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("touch your YubiKey", r.stderr)
        self.assertIn("(for admin, via alice)", r.stderr)
        with open(log) as f:
            self.assertEqual(f.read().split("\n")[:-1], ["--device", "7654321", "oath", "accounts", "code", "--single",
                                                         "Amazon Web Services:alice@123456789012"])
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)

    def test_server_refreshes_a_role_through_zenity_then_from_a_login_elsewhere(self):
        # One-minute MFA sessions (served 45 s) under the Admin role; the boto3 loop runs 100 s under
        # `exec admin --server`. The first refresh asks in a zenity dialog (never on the terminal, which
        # is the command's); before the second, a `mfaenv login --force` in another process makes the
        # new session, so the server asks nobody.
        self.write("zenity", mfaenv_mfa_max_age="60s")
        r = self.home.mfaenv("login", "admin", "--token-code", self.emu.fresh_totp(W.ALICE_MFA))
        self.assertEqual(r.returncode, 0, r.stderr)
        loop = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sdk_loop.py")
        p = self.start("exec", "admin", "--server", "--", PYTHON, loop, "100", W.ALICE_KEY)
        self.x.answer(self.emu.fresh_totp(W.ALICE_MFA), timeout=70)
        second = time.monotonic()
        time.sleep(37)
        r = self.home.mfaenv("login", "admin", "--force", "--token-code", self.emu.fresh_totp(W.ALICE_MFA))
        self.assertEqual(r.returncode, 0, r.stderr)
        out, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 0, err)
        summary = json.loads(out)
        self.assertEqual(summary["failures"], [])
        self.assertEqual(summary["expired_served"], 0)
        self.assertRegex(summary["arn"], r":assumed-role/Admin/")
        self.assertEqual(len(summary["keys"]), 3)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 3)
        self.assertEqual(self.emu.count("AssumeRole", "ok"), 3)
        self.assertEqual(self.x.dialogs(), [])  # the one dialog answered; none shown after the login
        self.assertLess(time.monotonic() - second, 100)

    def test_unknown_prompt_is_a_config_error(self):
        self.write("zenity, pinentry")
        r = self.home.mfaenv("env", "alice")
        self.assertEqual(r.returncode, 6)
        self.assertIn("names 'pinentry', which is not one of", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
