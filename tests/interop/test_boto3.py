"""boto3 (Debian's python3-boto3) against the STS emulator, through its normal configuration path:
profiles in a throw-away HOME, the CA from AWS_CA_BUNDLE or the profile's ca_bundle."""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sts_emulator"))

import harness  # noqa: E402
from default_world import (ACCOUNT, ADMIN_ROLE, ALICE_KEY, ALICE_MFA, ALICE_SECRET,  # noqa: E402
                           AUDIT_EXTERNAL_ID, AUDIT_ROLE, BOB_KEY, BOB_SECRET, DEPLOY_ROLE,
                           READONLY_ROLE)

# Runs in a child process so that boto3 sees only the throw-away HOME and environment.
CLIENT = r"""
import json, sys, boto3, botocore.config
from botocore.exceptions import ClientError
cfg = botocore.config.Config(retries={"max_attempts": 1})
def sts(session):
    return session.client("sts", endpoint_url=sys.argv[1], config=cfg)
out = {}
try:
    exec(sys.stdin.read())
except ClientError as e:
    out["error"] = [e.response["Error"]["Code"], e.response["Error"]["Message"],
                    e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps(out, default=str))
"""


class Boto3(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator().start()
        cls.home = tempfile.TemporaryDirectory()
        harness.write_aws_files(
            cls.home.name,
            config={"profile alice": {"region": "us-east-1", "mfa_serial": ALICE_MFA},
                    "profile bob": {"region": "us-east-1", "ca_bundle": cls.emu.ca_bundle},
                    "profile wrong": {"region": "us-east-1"},
                    "profile readonly": {"region": "us-east-1", "role_arn": READONLY_ROLE,
                                         "source_profile": "bob", "role_session_name": "boto-ro"}},
            credentials={"alice": {"aws_access_key_id": ALICE_KEY, "aws_secret_access_key": ALICE_SECRET},
                         "bob": {"aws_access_key_id": BOB_KEY, "aws_secret_access_key": BOB_SECRET},
                         "wrong": {"aws_access_key_id": BOB_KEY, "aws_secret_access_key": "x" * 40}})

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        cls.home.cleanup()

    def setUp(self):
        self.emu.reset()

    def run_boto3(self, code, drop_ca_env=False):
        import json
        env = self.emu.client_env(self.home.name)
        if drop_ca_env:
            del env["AWS_CA_BUNDLE"]
        done = subprocess.run([harness.PYTHON, "-c", CLIENT, self.emu.endpoint], input=code, env=env,
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout)

    def test_identity_from_profile_and_profile_ca_bundle(self):
        out = self.run_boto3("out['me'] = sts(boto3.Session(profile_name='bob')).get_caller_identity()",
                             drop_ca_env=True)
        self.assertEqual(out["me"]["Arn"], f"arn:aws:iam::{ACCOUNT}:user/bob")
        self.assertEqual(out["me"]["Account"], ACCOUNT)

    def test_role_profile_through_the_proxy(self):
        out = self.run_boto3("out['me'] = sts(boto3.Session(profile_name='readonly')).get_caller_identity()")
        self.assertEqual(out["me"]["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/ReadOnly/boto-ro")
        self.assertEqual(self.emu.count("AssumeRole", "ok"), 1)

    def test_mfa_session_role_chain_and_policy(self):
        code = self.emu.fresh_totp(ALICE_MFA)
        out = self.run_boto3(f"""
alice = boto3.Session(profile_name='alice')
c = sts(alice).get_session_token(SerialNumber={ALICE_MFA!r}, TokenCode={code!r})['Credentials']
mfa = boto3.Session(c['AccessKeyId'], c['SecretAccessKey'], c['SessionToken'], region_name='us-east-1')
out['session_arn'] = sts(mfa).get_caller_identity()['Arn']
out['info'] = sts(mfa).get_access_key_info(AccessKeyId={BOB_KEY!r})['Account']
r = sts(mfa).assume_role(RoleArn={ADMIN_ROLE!r}, RoleSessionName='boto')
a = r['Credentials']
admin = boto3.Session(a['AccessKeyId'], a['SecretAccessKey'], a['SessionToken'], region_name='us-east-1')
out['admin'] = r['AssumedRoleUser']['Arn']
out['deploy'] = sts(admin).assume_role(RoleArn={DEPLOY_ROLE!r}, RoleSessionName='chain')['AssumedRoleUser']['Arn']
out['audit'] = sts(mfa).assume_role(RoleArn={AUDIT_ROLE!r}, RoleSessionName='aud',
                                    ExternalId={AUDIT_EXTERNAL_ID!r})['AssumedRoleUser']['Arn']
sts(admin).assume_role(RoleArn={DEPLOY_ROLE!r}, RoleSessionName='chain', DurationSeconds=7200)
""")
        self.assertEqual(out["session_arn"], f"arn:aws:iam::{ACCOUNT}:user/alice")
        self.assertEqual(out["info"], ACCOUNT)
        self.assertEqual(out["admin"], f"arn:aws:sts::{ACCOUNT}:assumed-role/Admin/boto")
        self.assertEqual(out["deploy"], f"arn:aws:sts::{ACCOUNT}:assumed-role/Deploy/chain")
        self.assertEqual(out["audit"], f"arn:aws:sts::{ACCOUNT}:assumed-role/Audit/aud")
        self.assertEqual(out["error"], ["ValidationError", "The requested DurationSeconds exceeds the 1 "
                                        "hour session limit for roles assumed by role chaining.", 400])

    def test_errors_reach_boto3_as_aws_errors(self):
        out = self.run_boto3("sts(boto3.Session(profile_name='wrong')).get_caller_identity()")
        self.assertEqual(out["error"][0::2], ["SignatureDoesNotMatch", 403])
        code = self.emu.fresh_totp(ALICE_MFA)
        reuse = f"""
s = sts(boto3.Session(profile_name='alice'))
s.get_session_token(SerialNumber={ALICE_MFA!r}, TokenCode={code!r})
s.get_session_token(SerialNumber={ALICE_MFA!r}, TokenCode={code!r})
"""
        self.assertEqual(self.run_boto3(reuse)["error"],
                         ["AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time "
                          "pass code. ", 403])

    def test_expired_session(self):
        creds = self.emu.botocore_client(BOB_KEY, BOB_SECRET).get_session_token(
            DurationSeconds=900)["Credentials"]
        self.emu.advance_clock(901)
        out = self.run_boto3(f"""
s = boto3.Session({creds['AccessKeyId']!r}, {creds['SecretAccessKey']!r}, {creds['SessionToken']!r},
                  region_name='us-east-1')
sts(s).get_caller_identity()
""")
        self.assertEqual(out["error"], ["ExpiredToken", "The security token included in the request is "
                                        "expired", 403])


if __name__ == "__main__":
    unittest.main()
