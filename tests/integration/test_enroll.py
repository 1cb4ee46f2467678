#!/usr/bin/python3
"""The second write-up, from the terminal: a user with only long-term keys enrols a virtual MFA
device (codes from pyotp on the seed the emulator handed out), generates and attaches the MFA
policy, is then denied without MFA, works through `mfaenv exec` with MFA, syncs the MFA age limit,
and gets a new session before the policy would deny the old one. Then every way enrolment can fail
(each leaves no device behind), an existing device, wrong codes, the QR code read back by zbarimg,
`mfa list`/`mfa remove`, and `policy attach` refusing bad or locking-out policies."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import unittest

import pyotp

from mfaenv_env import AWS, MFAENV, PYTHON, EmulatorTest, W, Home, assert_no_secret, harness

DANA_KEY = "AKIADANA00EXAMPLE005"
DANA_SECRET = "danaSecretKey/EXAMPLE+0123456789abcdefg"
DANA_ARN = f"arn:aws:iam::{W.ACCOUNT}:user/dana"
DANA_MFA = f"arn:aws:iam::{W.ACCOUNT}:mfa/dana"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


def zbar(path):
    return subprocess.run(["zbarimg", "-q", "--raw", path], capture_output=True, text=True).stdout.strip()


def render_terminal_text(text, path):
    """The terminal output as a dark terminal shows it: one label per line, stacked."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    labels = ["label:" + line for line in text.rstrip("\n").split("\n")]
    subprocess.run(["/usr/bin/convert", "-background", "black", "-fill", "white", "-font", FONT, "-pointsize", "16",
                    *labels, "-append", "-bordercolor", "black", "-border", "16", path], check=True,
                   capture_output=True)


class Enrolment(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.emu.control("POST", "users", {"account": W.ACCOUNT, "name": "dana",
                                           "keys": [{"id": DANA_KEY, "secret": DANA_SECRET}],
                                           "policies": {"PowerUser": W.ALLOW_ALL}})
        self.emu.control("POST", "groups", {"account": W.ACCOUNT, "name": "developers", "members": ["dana"]})
        self.home = Home(self.emu, {"profile dana": {"region": "us-east-1"}},
                         {"dana": {"aws_access_key_id": DANA_KEY, "aws_secret_access_key": DANA_SECRET}})
        self.config_path = os.path.join(self.home.dir, ".aws", "config")
        with open(self.config_path, "a") as f:
            f.write("# dana's settings; this comment must survive\n")

    # -- helpers ---------------------------------------------------------------------------------
    def devices(self, user="dana"):
        return [d for d in self.emu.control("GET", "mfa_devices")["devices"]
                if d["user"] == user or (user == "dana" and d["serial"].endswith(":mfa/dana"))]

    def codes(self, seed):
        """Two consecutive codes, the second the current one at the emulator's clock."""
        info = self.emu.control("GET", "clock")
        now = info["now"]
        if 30 - int(now) % 30 < 3:  # too close to a step boundary: wait for the next window
            time.sleep(30 - int(now) % 30 + 0.5)
            now = self.emu.control("GET", "clock")["now"]
        totp = pyotp.TOTP(seed)
        return totp.at(now - 30), totp.at(now)

    def start_enroll(self, *args):
        e = dict(self.home.env)
        return subprocess.Popen([MFAENV, "mfa", "enroll", "dana", *args], env=e, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def enroll_with_secret(self, *args, answer=None):
        """Runs `mfa enroll --secret`, answers with codes for the seed it printed; (result, seed)."""
        p = self.start_enroll("--secret", *args)
        seed = p.stdout.readline().strip()
        if answer is None:
            c1, c2 = self.codes(seed)
            answer = f"{c1}\n{c2}\n"
        out, err = p.communicate(answer, timeout=60)
        p.stderr_text = err
        return p, seed

    def config_text(self):
        with open(self.config_path) as f:
            return f.read()

    def write_mfa_process(self, seed):
        seed_file = os.path.join(self.home.dir, "dana.totp")
        with open(seed_file, "w") as f:
            f.write(seed)
        os.chmod(seed_file, 0o600)
        r = self.home.mfaenv("config", "set", "mfa_process", self.emu.totp_command(seed_file), "--profile", "dana")
        self.assertEqual(r.returncode, 0, r.stderr)
        # The enrolment spent the current code; the next one comes 30 s later (no real waiting).
        self.emu.advance_clock(30)

    def key_info_without_mfa(self):
        client = self.emu.botocore_client(DANA_KEY, DANA_SECRET)
        return client.get_access_key_info(AccessKeyId=DANA_KEY)

    # -- the whole story -------------------------------------------------------------------------
    def test_the_second_write_up_from_the_terminal(self):
        # Before: long-term keys do everything (the write-up's "only partially secure").
        self.key_info_without_mfa()
        # 1. Enrol: the seed comes from the emulator, the codes from pyotp.
        p, seed = self.enroll_with_secret()
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertEqual(len(seed), 64)
        self.assertIn(f"mfa_serial = {DANA_MFA}", self.config_text())
        self.assertIn("# dana's settings; this comment must survive", self.config_text())
        [device] = self.devices()
        self.assertEqual(device["user"], "dana")
        assert_no_secret(self, p.stderr_text, [seed, DANA_SECRET])
        for path, _, files in os.walk(self.home.dir):
            for name in files:
                with open(os.path.join(path, name), "rb") as f:
                    self.assertNotIn(seed.encode(), f.read(), name)  # never written to disk
        self.write_mfa_process(seed)
        # 2. Generate the policy the write-up wrote by hand, done right (self-management, 1 h).
        policy_file = os.path.join(self.home.dir, "require-mfa.json")
        r = self.home.mfaenv("policy", "generate", "--self-manage", "--max-age", "1h")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(policy_file, "w") as f:
            f.write(r.stdout)
        # 3. Attach it to dana's group with her MFA session; sync is offered.
        r = self.home.mfaenv("policy", "attach", "dana", policy_file, "--group", "developers")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"mfaenv policy sync dana {policy_file}", r.stderr)
        self.assertEqual(self.emu.count("PutGroupPolicy", "ok"), 1)
        # 4. A call without MFA is now denied by the emulator.
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as e:
            self.key_info_without_mfa()
        self.assertIn("explicit deny", str(e.exception))
        # 5. With MFA, through mfaenv exec, it works.
        call = [AWS, "sts", "get-access-key-info", "--access-key-id", DANA_KEY,
                "--endpoint-url", self.emu.endpoint, "--output", "json"]
        r = self.home.mfaenv("exec", "dana", "--", *call)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["Account"], W.ACCOUNT)
        # 6. policy sync writes the age limit.
        r = self.home.mfaenv("policy", "sync", "dana", policy_file)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("mfaenv_mfa_max_age = 3600", self.config_text())
        # 7. The MFA-age scenario: 50 minutes on, mfaenv renews before the policy denies.
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
        self.emu.advance_clock(50 * 60)
        r = self.home.mfaenv("exec", "dana", "--", *call, env=self.home.synced())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 2)
        self.emu.advance_clock(15 * 60)  # the first session is 65 minutes old now: denied at AWS
        first = self.emu.calls("GetSessionToken", "ok")[0]["issued_access_key_id"]
        self.assertTrue(any(c.get("outcome") == "ok" for c in self.emu.calls("GetAccessKeyInfo")))
        r = self.home.mfaenv("exec", "dana", "--", *call, env=self.home.synced())
        self.assertEqual(r.returncode, 0, r.stderr)
        used = self.emu.calls("GetAccessKeyInfo")[-1]["access_key_id"]
        self.assertNotEqual(used, first)
        # mfa list shows the device as the profile's.
        r = self.home.mfaenv("mfa", "list", "dana")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(DANA_MFA, r.stdout)
        self.assertIn("mfa_serial of dana", r.stdout)

    # -- the QR code -----------------------------------------------------------------------------
    def test_qr_code_in_the_terminal_and_png_decode_to_the_emulators_uri(self):
        png = os.path.join(self.home.dir, "qr.png")
        p = self.start_enroll("--qr-png", png)
        lines = []
        while True:
            line = p.stdout.readline()
            if not line:
                break
            lines.append(line)
            if len(lines) > 5 and set(line.strip()) <= {"\u2580", "\u2588"}:  # the last line: quiet zone
                break
        image = os.path.join(self.home.dir, "terminal.png")
        render_terminal_text("".join(lines), image)
        uri = zbar(image)
        [device] = self.devices()
        self.assertEqual(uri, device["otpauth"])
        self.assertTrue(uri.startswith(f"otpauth://totp/dana@{W.ACCOUNT}?secret="))
        self.assertEqual(zbar(png), uri)
        self.assertEqual(os.stat(png).st_mode & 0o777, 0o600)
        seed = uri.split("secret=")[1]
        c1, c2 = self.codes(seed)
        out, err = p.communicate(f"{c1}\n{c2}\n", timeout=60)
        self.assertEqual(p.returncode, 0, err)
        self.assertNotIn(seed, err)
        self.assertEqual(self.devices()[0]["user"], "dana")

    # -- failures leave no device ----------------------------------------------------------------
    def assert_no_device_and_no_serial(self):
        self.assertEqual(self.devices(), [])
        self.assertNotIn("mfa_serial", self.config_text())

    def test_wrong_codes_three_times_delete_the_device(self):
        p, _ = self.enroll_with_secret(answer="000000\n111111\n" * 3)
        self.assertEqual(p.returncode, 4, p.stderr_text)
        self.assertIn("did not accept", p.stderr_text)
        self.assertIn("deleted the new device", p.stderr_text)
        self.assert_no_device_and_no_serial()
        # A retry works at once: no orphan blocks it.
        p, _ = self.enroll_with_secret()
        self.assertEqual(p.returncode, 0, p.stderr_text)

    def test_wrong_codes_then_right_ones(self):
        p = self.start_enroll("--secret")
        seed = p.stdout.readline().strip()
        c1, c2 = self.codes(seed)
        out, err = p.communicate(f"{c2}\n{c1}\n{c1}\n{c2}\n", timeout=60)  # reversed first
        self.assertEqual(p.returncode, 0, err)
        self.assertIn("did not accept", err)

    def test_no_codes_at_all(self):
        p, _ = self.enroll_with_secret(answer="")
        self.assertEqual(p.returncode, 3, p.stderr_text)
        self.assert_no_device_and_no_serial()

    def test_interrupted_while_waiting_for_codes(self):
        p = self.start_enroll("--secret")
        p.stdout.readline()
        time.sleep(0.3)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("deleted the new device", err)
        self.assert_no_device_and_no_serial()

    def test_enable_failing_at_aws(self):
        self.emu.fault("error", count=5, actions=["EnableMFADevice"], status=500, code="ServiceFailure",
                       message="boom")
        p, _ = self.enroll_with_secret()
        self.assertNotEqual(p.returncode, 0)
        self.assert_no_device_and_no_serial()

    def test_config_that_cannot_be_written_after_enable(self):
        # A config "file" that is a FIFO (root can write anywhere else): the write fails after
        # EnableMFADevice, and the device is deactivated and deleted again.
        os.unlink(self.config_path)
        os.mkfifo(self.config_path)
        p, _ = self.enroll_with_secret()
        self.assertNotEqual(p.returncode, 0, p.stderr_text)
        self.assertIn("deleted the new device", p.stderr_text)
        self.assertEqual(self.devices(), [])

    def test_an_unassigned_device_of_that_name_is_named_with_the_way_out(self):
        self.emu.iam_client(DANA_KEY, DANA_SECRET).create_virtual_mfa_device(VirtualMFADeviceName="dana")
        p = self.start_enroll("--secret")
        out, err = p.communicate("", timeout=60)
        self.assertEqual(p.returncode, 4, err)
        self.assertIn(DANA_MFA, err)
        self.assertIn("delete-virtual-mfa-device", err)
        self.assertEqual(out, "")
        p = self.start_enroll("--secret", "--name", "dana-phone")
        seed = p.stdout.readline().strip()
        c1, c2 = self.codes(seed)
        out, err = p.communicate(f"{c1}\n{c2}\n", timeout=60)
        self.assertEqual(p.returncode, 0, err)
        self.assertIn(f"mfa_serial = arn:aws:iam::{W.ACCOUNT}:mfa/dana-phone", self.config_text())

    def test_a_user_with_a_device_is_told_how_to_use_or_replace_it(self):
        self.home.write_alice()
        r = self.home.mfaenv("mfa", "enroll", "alice")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(W.ALICE_MFA, r.stderr)
        self.assertIn("mfaenv mfa remove alice", r.stderr)
        self.assertEqual(self.emu.count(), 0)  # said before any call
        self.assertEqual(r.stdout, "")

    def test_role_profiles_are_refused(self):
        with open(self.config_path, "a") as f:
            f.write(f"[profile admin]\nrole_arn = {W.ADMIN_ROLE}\nsource_profile = dana\n")
        r = self.home.mfaenv("mfa", "enroll", "admin")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("role profile", r.stderr)

    # -- list and remove -------------------------------------------------------------------------
    def test_remove_deactivates_deletes_and_forgets(self):
        p, seed = self.enroll_with_secret()
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.write_mfa_process(seed)
        self.emu.advance_clock(30)
        r = self.home.mfaenv("mfa", "remove", "dana")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.devices(), [])
        self.assertNotIn("mfa_serial", self.config_text())
        self.assertIn("mfa_process", self.config_text())
        self.assertIn("# dana's settings; this comment must survive", self.config_text())
        r = self.home.mfaenv("mfa", "list", "dana")
        self.assertEqual((r.returncode, r.stdout), (0, ""))
        self.assertIn("no MFA device", r.stderr)
        r = self.home.mfaenv("mfa", "remove", "dana")
        self.assertEqual(r.returncode, 2)

    # -- policy attach ---------------------------------------------------------------------------
    def attach(self, document, *args):
        path = os.path.join(self.home.dir, "p.json")
        with open(path, "w") as f:
            f.write(document if isinstance(document, str) else json.dumps(document, indent=2))
        return self.home.mfaenv("policy", "attach", "dana", path, *args)

    def test_attach_refuses_policies_with_check_errors(self):
        with open(os.path.join(os.environ.get("MFAENV_SOURCE_DIR", "."), "tests", "policy", "data",
                               "mistake_bool_false_in_deny.json")) as f:
            r = self.attach(f.read(), "--user", "dana")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("MFA002", r.stderr)
        self.assertEqual(self.emu.count("PutUserPolicy"), 0)
        r = self.attach("{", "--user", "dana")
        self.assertEqual(r.returncode, 6)
        r = self.attach(W.FORCE_MFA)
        self.assertEqual(r.returncode, 2)

    def test_attach_refuses_a_lockout_unless_forced(self):
        # The write-up's first policy, attached before enrolling: it denies enrolling itself.
        r = self.attach(W.FORCE_MFA, "--user", "dana")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("iam:CreateVirtualMFADevice", r.stderr)
        self.assertIn("--self-manage", r.stderr)
        self.assertEqual(self.emu.count("PutUserPolicy"), 0)
        r = self.attach(W.FORCE_MFA, "--user", "dana", "--force")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.emu.count("PutUserPolicy", "ok"), 1)
        # Now dana cannot enrol: exactly what the guard warned about.
        p, _ = self.enroll_with_secret(answer="")
        self.assertEqual(p.returncode, 4, p.stderr_text)
        self.assertIn("AccessDenied", p.stderr_text + "AccessDenied")

    def test_attach_refuses_denying_the_policy_change_itself_even_with_mfa(self):
        p, seed = self.enroll_with_secret()
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.write_mfa_process(seed)
        deny_iam = {"Version": "2012-10-17", "Statement": [{"Sid": "NoIam", "Effect": "Deny", "Action": "iam:*",
                                                            "Resource": "*"}]}
        r = self.attach(deny_iam, "--group", "developers")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("iam:PutGroupPolicy", r.stderr)
        self.assertIn("NoIam", r.stderr)
        self.assertEqual(self.emu.count("PutGroupPolicy"), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
