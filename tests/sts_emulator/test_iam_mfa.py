"""The emulator's virtual MFA device and inline policy actions, through botocore's IAM client:
CreateVirtualMFADevice (seed + a QR code that zbarimg reads back to the otpauth URI), EnableMFADevice
with two consecutive codes (and every way it refuses), a device then good for GetSessionToken,
deactivate/delete, and PutUserPolicy/PutGroupPolicy documents that the evaluator applies to the
next call, IAM's own actions included."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import pyotp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402
import default_world as W  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

emu = None


def setUpModule():
    global emu
    emu = harness.Emulator().start()


def tearDownModule():
    emu.stop()


def code_of(error):
    return error.exception.response["Error"]["Code"]


def two_codes(seed, now):
    totp = pyotp.TOTP(seed)
    step = int(now) // 30
    return totp.generate_otp(step - 1), totp.generate_otp(step)


class MfaDevices(unittest.TestCase):
    def setUp(self):
        emu.reset()
        self.bob = emu.iam_client(W.BOB_KEY, W.BOB_SECRET)

    def create(self, name="bob"):
        device = self.bob.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
        return device["SerialNumber"], device["Base32StringSeed"].decode(), device["QRCodePNG"]

    def test_create_enable_then_get_session_token(self):
        serial, seed, png = self.create()
        self.assertEqual(serial, f"arn:aws:iam::{W.ACCOUNT}:mfa/bob")
        self.assertEqual(len(seed), 64)
        with tempfile.NamedTemporaryFile(suffix=".png") as f:
            f.write(png)
            f.flush()
            decoded = subprocess.run(["zbarimg", "-q", "--raw", f.name], capture_output=True, text=True).stdout
        self.assertEqual(decoded.strip(), f"otpauth://totp/bob@{W.ACCOUNT}?secret={seed}")
        self.assertEqual(self.bob.list_mfa_devices()["MFADevices"], [])
        code1, code2 = two_codes(seed, emu.now())
        self.bob.enable_mfa_device(UserName="bob", SerialNumber=serial, AuthenticationCode1=code1,
                                   AuthenticationCode2=code2)
        [listed] = self.bob.list_mfa_devices()["MFADevices"]
        self.assertEqual(listed["SerialNumber"], serial)
        sts = emu.botocore_client(W.BOB_KEY, W.BOB_SECRET)
        with self.assertRaises(ClientError):  # the second code is spent
            sts.get_session_token(SerialNumber=serial, TokenCode=code2)
        emu.advance_clock(30)
        creds = sts.get_session_token(SerialNumber=serial, TokenCode=emu.fresh_totp(serial))["Credentials"]
        self.assertTrue(creds["SessionToken"])

    def test_enable_refuses_wrong_reversed_or_stale_codes(self):
        serial, seed, _ = self.create()
        code1, code2 = two_codes(seed, emu.now())
        for pair in ((code2, code1), (code1, code1), ("000000", code2), (code1, "000000")):
            with self.assertRaises(ClientError) as e:
                self.bob.enable_mfa_device(UserName="bob", SerialNumber=serial, AuthenticationCode1=pair[0],
                                           AuthenticationCode2=pair[1])
            self.assertEqual(code_of(e), "InvalidAuthenticationCode")
        emu.advance_clock(120)
        with self.assertRaises(ClientError) as e:
            self.bob.enable_mfa_device(UserName="bob", SerialNumber=serial, AuthenticationCode1=code1,
                                       AuthenticationCode2=code2)
        self.assertEqual(code_of(e), "InvalidAuthenticationCode")
        self.assertEqual(self.bob.list_mfa_devices()["MFADevices"], [])

    def test_existing_device_and_delete_rules(self):
        serial, seed, _ = self.create()
        with self.assertRaises(ClientError) as e:
            self.create()
        self.assertEqual(code_of(e), "EntityAlreadyExists")
        code1, code2 = two_codes(seed, emu.now())
        self.bob.enable_mfa_device(UserName="bob", SerialNumber=serial, AuthenticationCode1=code1,
                                   AuthenticationCode2=code2)
        with self.assertRaises(ClientError) as e:
            self.bob.delete_virtual_mfa_device(SerialNumber=serial)
        self.assertEqual(code_of(e), "DeleteConflict")
        self.bob.deactivate_mfa_device(UserName="bob", SerialNumber=serial)
        self.bob.delete_virtual_mfa_device(SerialNumber=serial)
        with self.assertRaises(ClientError) as e:
            self.bob.delete_virtual_mfa_device(SerialNumber=serial)
        self.assertEqual(code_of(e), "NoSuchEntity")
        serials = {d["serial"] for d in emu.control("GET", "mfa_devices")["devices"]}
        self.assertEqual(serials, {W.ALICE_MFA, W.CAROL_MFA, W.ROOT_MFA})

    def test_policies_decide_the_mfa_actions(self):
        # alice's seed policy denies everything without MFA: her long-term keys cannot enrol.
        alice = emu.iam_client(W.ALICE_KEY, W.ALICE_SECRET)
        with self.assertRaises(ClientError) as e:
            alice.create_virtual_mfa_device(VirtualMFADeviceName="alice2")
        self.assertEqual(code_of(e), "AccessDenied")
        self.assertIn("explicit deny", str(e.exception))


class InlinePolicies(unittest.TestCase):
    def setUp(self):
        emu.reset()

    def test_put_user_policy_changes_what_the_next_call_may_do(self):
        bob = emu.iam_client(W.BOB_KEY, W.BOB_SECRET)
        deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                                                         "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}
        bob.put_user_policy(UserName="bob", PolicyName="RequireMFA", PolicyDocument=json.dumps(deny))
        with self.assertRaises(ClientError) as e:
            bob.list_access_keys()
        self.assertEqual(code_of(e), "AccessDenied")
        sts = emu.botocore_client(W.BOB_KEY, W.BOB_SECRET)
        with self.assertRaises(ClientError) as e:
            sts.get_access_key_info(AccessKeyId=W.BOB_KEY)
        self.assertEqual(code_of(e), "AccessDenied")

    def test_malformed_documents_are_refused(self):
        bob = emu.iam_client(W.BOB_KEY, W.BOB_SECRET)
        for doc in ("{", json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Action": "*",
                                                                             "Resource": "*"}]})):
            with self.assertRaises(ClientError) as e:
                bob.put_user_policy(UserName="bob", PolicyName="Bad", PolicyDocument=doc)
            self.assertEqual(code_of(e), "MalformedPolicyDocument")

    def test_group_policies_apply_to_members(self):
        emu.control("POST", "groups", {"account": W.ACCOUNT, "name": "Devs", "members": ["bob"]})
        bob = emu.iam_client(W.BOB_KEY, W.BOB_SECRET)
        deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "sts:GetAccessKeyInfo",
                                                         "Resource": "*"}]}
        bob.put_group_policy(GroupName="Devs", PolicyName="NoInfo", PolicyDocument=json.dumps(deny))
        sts = emu.botocore_client(W.BOB_KEY, W.BOB_SECRET)
        with self.assertRaises(ClientError):
            sts.get_access_key_info(AccessKeyId=W.BOB_KEY)
        with self.assertRaises(ClientError) as e:
            bob.put_group_policy(GroupName="Nobody", PolicyName="x", PolicyDocument=json.dumps(deny))
        self.assertEqual(code_of(e), "NoSuchEntity")
        bob.delete_group_policy(GroupName="Devs", PolicyName="NoInfo")
        sts.get_access_key_info(AccessKeyId=W.BOB_KEY)


if __name__ == "__main__":
    unittest.main(verbosity=2)
