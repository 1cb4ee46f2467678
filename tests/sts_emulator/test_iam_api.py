"""The emulator speaks IAM (requests signed for service iam): GetUser, the access-key actions with
the two-keys limit, identity policies that make key changes need MFA, the propagation delay of a
new key, faults, and sessions that outlive the key that made them (AWS: temporary credentials
cannot be revoked and are valid until they expire). Driven through botocore's IAM client."""
import os
import sys
import unittest

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


class IamTest(unittest.TestCase):
    def setUp(self):
        emu.reset()

    def alice_session(self):
        sts = emu.botocore_client(W.ALICE_KEY, W.ALICE_SECRET)
        creds = sts.get_session_token(SerialNumber=W.ALICE_MFA, TokenCode=emu.fresh_totp(W.ALICE_MFA))["Credentials"]
        return creds

    def test_get_user_and_list_keys(self):
        iam = emu.iam_client(W.BOB_KEY, W.BOB_SECRET)
        user = iam.get_user()["User"]
        self.assertEqual(user["UserName"], "bob")
        self.assertEqual(user["Arn"], f"arn:aws:iam::{W.ACCOUNT}:user/bob")
        keys = iam.list_access_keys()["AccessKeyMetadata"]
        self.assertEqual([(k["AccessKeyId"], k["Status"]) for k in keys], [(W.BOB_KEY, "Active")])
        with self.assertRaises(ClientError) as e:
            iam.list_access_keys(UserName="nobody")
        self.assertEqual(code_of(e), "NoSuchEntity")

    def test_two_keys_limit_update_delete(self):
        iam = emu.iam_client(W.BOB_KEY, W.BOB_SECRET)
        new = iam.create_access_key()["AccessKey"]
        self.assertTrue(new["AccessKeyId"].startswith("AKIA"))
        self.assertEqual(new["Status"], "Active")
        with self.assertRaises(ClientError) as e:
            iam.create_access_key()
        self.assertEqual(code_of(e), "LimitExceeded")
        self.assertEqual(e.exception.response["Error"]["Message"], "Cannot exceed quota for AccessKeysPerUser: 2")
        # The new key works for STS and IAM; deactivating the old one makes it unknown.
        iam2 = emu.iam_client(new["AccessKeyId"], new["SecretAccessKey"])
        iam2.update_access_key(AccessKeyId=W.BOB_KEY, Status="Inactive")
        statuses = {k["AccessKeyId"]: k["Status"] for k in iam2.list_access_keys()["AccessKeyMetadata"]}
        self.assertEqual(statuses, {W.BOB_KEY: "Inactive", new["AccessKeyId"]: "Active"})
        with self.assertRaises(ClientError) as e:
            emu.botocore_client(W.BOB_KEY, W.BOB_SECRET).get_caller_identity()
        self.assertEqual(code_of(e), "InvalidClientTokenId")
        iam2.delete_access_key(AccessKeyId=W.BOB_KEY)
        self.assertEqual([k["id"] for k in emu.keys("bob")], [new["AccessKeyId"]])
        with self.assertRaises(ClientError) as e:
            iam2.delete_access_key(AccessKeyId=W.BOB_KEY)
        self.assertEqual(code_of(e), "NoSuchEntity")
        self.assertEqual(emu.count("CreateAccessKey", "LimitExceeded"), 1)

    def test_mfa_policy_guards_key_changes(self):
        # alice's ForceMFA policy: long-term keys are denied everything, an MFA session is not.
        iam = emu.iam_client(W.ALICE_KEY, W.ALICE_SECRET)
        with self.assertRaises(ClientError) as e:
            iam.create_access_key()
        self.assertEqual(code_of(e), "AccessDenied")
        self.assertIn("iam:CreateAccessKey", e.exception.response["Error"]["Message"])
        self.assertIn("explicit deny", e.exception.response["Error"]["Message"])
        creds = self.alice_session()
        iam = emu.iam_client(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
        self.assertEqual(len(iam.list_access_keys()["AccessKeyMetadata"]), 1)
        iam.create_access_key()
        self.assertEqual(len(emu.keys("alice")), 2)
        # Role sessions must name the user.
        with self.assertRaises(ClientError) as e:
            iam.get_user(UserName="nobody")
        self.assertEqual(code_of(e), "NoSuchEntity")

    def test_propagation_delay(self):
        emu.set_key_propagation_delay(30)
        iam = emu.iam_client(W.BOB_KEY, W.BOB_SECRET)
        new = iam.create_access_key()["AccessKey"]
        sts = emu.botocore_client(new["AccessKeyId"], new["SecretAccessKey"])
        with self.assertRaises(ClientError) as e:
            sts.get_caller_identity()
        self.assertEqual(code_of(e), "InvalidClientTokenId")
        emu.advance_clock(31)
        self.assertEqual(sts.get_caller_identity()["Arn"], f"arn:aws:iam::{W.ACCOUNT}:user/bob")

    def test_sessions_outlive_their_key(self):
        creds = self.alice_session()
        iam = emu.iam_client(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
        iam.update_access_key(AccessKeyId=W.ALICE_KEY, Status="Inactive")
        iam.delete_access_key(AccessKeyId=W.ALICE_KEY)
        # The session keeps working until it expires; the key itself is gone.
        sts = emu.botocore_client(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
        self.assertIn("user/alice", sts.get_caller_identity()["Arn"])
        with self.assertRaises(ClientError) as e:
            emu.botocore_client(W.ALICE_KEY, W.ALICE_SECRET).get_caller_identity()
        self.assertEqual(code_of(e), "InvalidClientTokenId")
        emu.advance_clock(43201)
        with self.assertRaises(ClientError) as e:
            sts.get_caller_identity()
        self.assertEqual(code_of(e), "ExpiredToken")

    def test_faults_apply_to_iam_actions(self):
        iam = emu.iam_client(W.BOB_KEY, W.BOB_SECRET)
        emu.fault("error", count=None, actions=["CreateAccessKey"], status=500, code="ServiceFailure",
                  message="boom")
        with self.assertRaises(ClientError) as e:
            iam.create_access_key()
        self.assertEqual(code_of(e), "ServiceFailure")
        self.assertEqual(len(emu.keys("bob")), 1)  # phase before: nothing was made
        emu.clear_faults()
        emu.fault("close", count=None, actions=["CreateAccessKey"], phase="after")
        with self.assertRaises(Exception):
            iam.create_access_key()
        self.assertEqual(len(emu.keys("bob")), 2)  # phase after: made, answer lost (resends: LimitExceeded)

    def test_sts_signature_for_iam_is_refused(self):
        # A request signed for sts is STS's: IAM actions are unknown there.
        status, _, body = emu.raw_request({"Action": "ListAccessKeys", "Version": "2010-05-08"},
                                          W.BOB_KEY, W.BOB_SECRET)
        self.assertEqual(status, 400)
        self.assertIn(b"InvalidAction", body)


if __name__ == "__main__":
    unittest.main()
