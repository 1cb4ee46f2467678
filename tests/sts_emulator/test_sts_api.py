"""The emulator speaks STS: authentication, GetSessionToken, AssumeRole, GetCallerIdentity and the
policy-protected GetAccessKeyInfo, called through botocore and as raw signed requests."""
import os
import sys
import time
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402
from default_world import (ACCOUNT, ADMIN_ROLE, ALICE_KEY, ALICE_MFA, ALICE_SECRET,
                           AUDIT_EXTERNAL_ID, AUDIT_ROLE, BOB_KEY, BOB_SECRET, CAROL_KEY,
                           CAROL_MFA, CAROL_SECRET, CROSS_ROLE, DEPLOY_ROLE, OTHER_ACCOUNT,
                           READONLY_ROLE, ROOT_KEY, ROOT_MFA, ROOT_SECRET)  # noqa: E402
import default_world as W  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

TESTDATA = os.path.join(os.environ.get("MFAENV_SOURCE_DIR", os.path.join(HERE, "..", "..")),
                        "tests", "data", "sts-xml")
NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"
emu = None


def setUpModule():
    global emu
    emu = harness.Emulator().start()


def tearDownModule():
    emu.stop()


def tags(element):
    """The element's structure: tag names, recursively, in document order."""
    return (element.tag, [tags(child) for child in element])


class StsTest(unittest.TestCase):
    def setUp(self):
        emu.reset()

    def tearDown(self):
        emu.close_clients()

    def client(self, key, secret, token=None):
        return emu.botocore_client(key, secret, token)

    def alice(self):
        return self.client(ALICE_KEY, ALICE_SECRET)

    def session(self, response):
        c = response["Credentials"]
        return self.client(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])

    def alice_mfa_session(self, **kw):
        r = self.alice().get_session_token(SerialNumber=ALICE_MFA,
                                           TokenCode=emu.fresh_totp(ALICE_MFA), **kw)
        return self.session(r), r

    def assertAwsError(self, call, code, status, message=None, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(**kwargs)
        error = caught.exception.response
        self.assertEqual(error["Error"]["Code"], code, error)
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], status)
        if message is not None:
            self.assertEqual(error["Error"]["Message"], message)
        return error["Error"]["Message"]

    def raw(self, params, key=BOB_KEY, secret=BOB_SECRET, token=None, **kw):
        params = dict({"Version": "2011-06-15"}, **params)
        return emu.raw_request(params, key, secret, token, **kw)

    def raw_error(self, response):
        status, _, body = response
        root = ET.fromstring(body)
        return status, root.find(f"{NS}Error/{NS}Code").text, root.find(f"{NS}Error/{NS}Message").text


class Identity(StsTest):
    def test_get_caller_identity_for_user_and_root(self):
        me = self.client(BOB_KEY, BOB_SECRET).get_caller_identity()
        self.assertEqual(me["Arn"], f"arn:aws:iam::{ACCOUNT}:user/bob")
        self.assertEqual(me["Account"], ACCOUNT)
        self.assertRegex(me["UserId"], r"^AIDA[A-Z0-9]{17}$")
        root = self.client(ROOT_KEY, ROOT_SECRET).get_caller_identity()
        self.assertEqual((root["Arn"], root["UserId"]), (f"arn:aws:iam::{ACCOUNT}:root", ACCOUNT))

    def test_xml_shapes_match_aws(self):
        for name, params, key, secret in (
                ("GetCallerIdentityResponse.xml", {"Action": "GetCallerIdentity"}, BOB_KEY, BOB_SECRET),
                ("GetSessionTokenResponse.xml", {"Action": "GetSessionToken"}, BOB_KEY, BOB_SECRET),
                ("ErrorResponse_AccessDenied.xml", {"Action": "GetSessionToken", "SerialNumber": ALICE_MFA,
                                                    "TokenCode": "000000"}, ALICE_KEY, ALICE_SECRET),
                ("ErrorResponse_MissingAuth.xml", {"Action": "GetCallerIdentity"}, None, None)):
            status, headers, body = self.raw(params, key, secret)
            expected = ET.parse(os.path.join(TESTDATA, name)).getroot()
            got = ET.fromstring(body)
            self.assertEqual(tags(got), tags(expected), name)
            self.assertEqual(headers["Content-Type"], "text/xml")
            request_id = got.find(f".//{NS}RequestId").text
            self.assertEqual(headers["x-amzn-RequestId"], request_id)
            if name.startswith("Error"):
                self.assertEqual(got.find(f"{NS}Error/{NS}Message").text,
                                 expected.find(f"{NS}Error/{NS}Message").text)
                self.assertEqual(status, 403)
        _, _, body = self.raw({"Action": "AssumeRole", "RoleArn": READONLY_ROLE, "RoleSessionName": "ss"})
        expected = ET.parse(os.path.join(TESTDATA, "AssumeRoleResponse.xml")).getroot()
        self.assertEqual(tags(ET.fromstring(body)), tags(expected))

    def test_get_query_requests_are_accepted(self):
        status, _, body = self.raw({"Action": "GetCallerIdentity"}, method="GET")
        self.assertEqual(status, 200, body)
        self.assertIn(b"user/bob", body)

    def test_unknown_action_and_version(self):
        self.assertEqual(self.raw_error(self.raw({"Action": "GetTheMoon"}))[:2], (400, "InvalidAction"))
        self.assertEqual(self.raw_error(self.raw({"Action": "GetCallerIdentity", "Version": "2011-06-16"}))[:2],
                         (400, "InvalidAction"))


class Authentication(StsTest):
    def test_wrong_secret_is_signature_does_not_match(self):
        self.assertAwsError(self.client(BOB_KEY, "wrong" + BOB_SECRET[5:]).get_caller_identity,
                            "SignatureDoesNotMatch", 403,
                            "The request signature we calculated does not match the signature you "
                            "provided. Check your AWS Secret Access Key and signing method. Consult "
                            "the service documentation for details.")

    def test_unknown_and_inactive_keys_are_invalid_client_token_id(self):
        message = "The security token included in the request is invalid."
        self.assertAwsError(self.client("AKIAUNKNOWN000000000", "x").get_caller_identity,
                            "InvalidClientTokenId", 403, message)
        emu.control("POST", "keys", {"id": BOB_KEY, "status": "Inactive"})
        self.assertAwsError(self.client(BOB_KEY, BOB_SECRET).get_caller_identity,
                            "InvalidClientTokenId", 403, message)

    def test_stale_and_future_signatures(self):
        status, code, message = self.raw_error(self.raw({"Action": "GetCallerIdentity"},
                                                        when=time.time() - 1200))
        self.assertEqual((status, code), (403, "SignatureDoesNotMatch"))
        self.assertRegex(message, r"^Signature expired: \d{8}T\d{6}Z is now earlier than "
                                  r"\d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$")
        status, code, message = self.raw_error(self.raw({"Action": "GetCallerIdentity"},
                                                        when=time.time() + 1200))
        self.assertRegex(message, r"^Signature not yet current: .* is still later than .*\+ 15 min\.\)$")
        self.assertEqual(self.raw({"Action": "GetCallerIdentity"}, when=time.time() - 600)[0], 200)

    def test_client_clock_behind_the_emulator(self):
        emu.set_signature_skew(1200)
        self.assertIn("Signature expired", self.assertAwsError(
            self.client(BOB_KEY, BOB_SECRET).get_caller_identity, "SignatureDoesNotMatch", 403))
        emu.control("POST", "settings", {"skew_error_code": "RequestExpired"})
        self.assertAwsError(self.client(BOB_KEY, BOB_SECRET).get_caller_identity, "RequestExpired", 400)

    def test_session_tokens_are_checked(self):
        _, r = self.alice_mfa_session(DurationSeconds=900)
        c = r["Credentials"]
        self.assertAwsError(self.client(c["AccessKeyId"], c["SecretAccessKey"]).get_caller_identity,
                            "InvalidClientTokenId", 403)
        self.assertAwsError(self.client(c["AccessKeyId"], c["SecretAccessKey"],
                                        c["SessionToken"][:-4] + "AAAA").get_caller_identity,
                            "InvalidClientTokenId", 403)

    def test_expired_session_after_moving_the_clock(self):
        session, _ = self.alice_mfa_session(DurationSeconds=900)
        session.get_caller_identity()
        emu.advance_clock(901)
        self.assertAwsError(session.get_caller_identity, "ExpiredToken", 403,
                            "The security token included in the request is expired")

    def test_missing_authentication(self):
        self.assertEqual(self.raw_error(self.raw({"Action": "GetCallerIdentity"}, None, None)),
                         (403, "MissingAuthenticationToken", "Request is missing Authentication Token"))


class GetSessionToken(StsTest):
    def test_defaults_to_12_hours_without_mfa(self):
        before = emu.now()
        r = self.client(BOB_KEY, BOB_SECRET).get_session_token()
        lifetime = r["Credentials"]["Expiration"].timestamp() - before
        self.assertAlmostEqual(lifetime, 43200, delta=5)
        self.assertRegex(r["Credentials"]["AccessKeyId"], r"^ASIA[A-Z2-7]{16}$")
        self.assertEqual(self.session(r).get_caller_identity()["Arn"], f"arn:aws:iam::{ACCOUNT}:user/bob")

    def test_mfa_code_is_checked_and_never_accepted_twice(self):
        code = emu.totp(ALICE_MFA)
        self.alice().get_session_token(SerialNumber=ALICE_MFA, TokenCode=code)
        invalid = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
        self.assertAwsError(self.alice().get_session_token, "AccessDenied", 403, invalid,
                            SerialNumber=ALICE_MFA, TokenCode=code)
        wrong = "%06d" % ((int(emu.totp(ALICE_MFA, steps=5)) + 1) % 1000000)
        self.assertAwsError(self.alice().get_session_token, "AccessDenied", 403, invalid,
                            SerialNumber=ALICE_MFA, TokenCode=wrong)
        calls = emu.calls("GetSessionToken")
        self.assertEqual([c["outcome"] for c in calls], ["ok", "AccessDenied", "AccessDenied"])
        self.assertEqual([c.get("code_reused", False) for c in calls], [False, True, False])
        self.assertEqual(emu.count("GetSessionToken", "ok"), 1)

    def test_one_step_of_clock_drift_is_tolerated(self):
        previous = emu.totp(ALICE_MFA, steps=-1)
        self.alice().get_session_token(SerialNumber=ALICE_MFA, TokenCode=previous)
        emu.advance_clock(30)
        too_old = emu.totp(ALICE_MFA, steps=-2)
        self.assertAwsError(self.alice().get_session_token, "AccessDenied", 403,
                            SerialNumber=ALICE_MFA, TokenCode=too_old)

    def test_serial_of_another_user(self):
        self.assertAwsError(self.alice().get_session_token, "AccessDenied", 403,
                            "MultiFactorAuthentication failed, unable to validate MFA code.  Please "
                            "verify your MFA serial number is valid and associated with this user.",
                            SerialNumber=CAROL_MFA, TokenCode=emu.totp(CAROL_MFA))

    def test_duration_limits(self):
        for value, limit in (("899", "greater than or equal to 900"),
                             ("129601", "less than or equal to 129600")):
            status, code, message = self.raw_error(self.raw({"Action": "GetSessionToken",
                                                             "DurationSeconds": value}))
            self.assertEqual((status, code), (400, "ValidationError"))
            self.assertEqual(message, f"1 validation error detected: Value '{value}' at "
                                      f"'durationSeconds' failed to satisfy constraint: Member must "
                                      f"have value {limit}")
        r = self.client(BOB_KEY, BOB_SECRET).get_session_token(DurationSeconds=129600)
        self.assertAlmostEqual(r["Credentials"]["Expiration"].timestamp() - emu.now(), 129600, delta=5)

    def test_root_sessions_are_shortened_to_one_hour(self):
        r = self.client(ROOT_KEY, ROOT_SECRET).get_session_token(
            DurationSeconds=7200, SerialNumber=ROOT_MFA, TokenCode=emu.totp(ROOT_MFA))
        self.assertAlmostEqual(r["Credentials"]["Expiration"].timestamp() - emu.now(), 3600, delta=5)

    def test_session_credentials_cannot_call_it(self):
        session, _ = self.alice_mfa_session()
        self.assertAwsError(session.get_session_token, "AccessDenied", 403,
                            "Cannot call GetSessionToken with session credentials")


class AssumeRole(StsTest):
    def test_mfa_protected_role_from_long_term_keys(self):
        self.assertAwsError(self.alice().assume_role, "AccessDenied", 403,
                            RoleArn=ADMIN_ROLE, RoleSessionName="s1")
        r = self.alice().assume_role(RoleArn=ADMIN_ROLE, RoleSessionName="s1", SerialNumber=ALICE_MFA,
                                     TokenCode=emu.fresh_totp(ALICE_MFA))
        arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/Admin/s1"
        self.assertEqual(r["AssumedRoleUser"]["Arn"], arn)
        self.assertRegex(r["AssumedRoleUser"]["AssumedRoleId"], r"^AROA[A-Z0-9]{17}:s1$")
        role = self.session(r)
        self.assertEqual(role.get_caller_identity()["Arn"], arn)
        self.assertEqual(role.get_access_key_info(AccessKeyId=BOB_KEY)["Account"], ACCOUNT)

    def test_from_an_mfa_session_up_to_the_role_maximum(self):
        session, _ = self.alice_mfa_session()
        r = session.assume_role(RoleArn=ADMIN_ROLE, RoleSessionName="long", DurationSeconds=43200)
        self.assertAlmostEqual(r["Credentials"]["Expiration"].timestamp() - emu.now(), 43200, delta=5)
        self.assertAwsError(session.assume_role, "ValidationError", 400,
                            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
                            RoleArn=READONLY_ROLE, RoleSessionName="ss", DurationSeconds=7200)

    def test_role_chaining_is_capped_at_one_hour(self):
        session, _ = self.alice_mfa_session()
        admin = self.session(session.assume_role(RoleArn=ADMIN_ROLE, RoleSessionName="admin"))
        self.assertAwsError(admin.assume_role, "ValidationError", 400,
                            "The requested DurationSeconds exceeds the 1 hour session limit for roles "
                            "assumed by role chaining.",
                            RoleArn=DEPLOY_ROLE, RoleSessionName="dep", DurationSeconds=7200)
        r = admin.assume_role(RoleArn=DEPLOY_ROLE, RoleSessionName="dep")
        self.assertAlmostEqual(r["Credentials"]["Expiration"].timestamp() - emu.now(), 3600, delta=5)
        self.assertEqual(self.session(r).get_caller_identity()["Arn"],
                         f"arn:aws:sts::{ACCOUNT}:assumed-role/Deploy/dep")
        self.assertTrue(emu.calls("AssumeRole", "ok")[-1]["chained"])

    def test_external_id(self):
        session, _ = self.alice_mfa_session()
        for kwargs in ({}, {"ExternalId": "wrong-id"}):
            self.assertAwsError(session.assume_role, "AccessDenied", 403, RoleArn=AUDIT_ROLE,
                                RoleSessionName="xx", **kwargs)
        session.assume_role(RoleArn=AUDIT_ROLE, RoleSessionName="xx", ExternalId=AUDIT_EXTERNAL_ID)

    def test_account_principal_needs_an_identity_allow(self):
        bob = self.client(BOB_KEY, BOB_SECRET)
        bob.assume_role(RoleArn=READONLY_ROLE, RoleSessionName="bb")
        self.assertEqual(self.assertAwsError(bob.assume_role, "AccessDenied", 403, RoleArn=ADMIN_ROLE,
                                             RoleSessionName="bb"),
                         f"User: arn:aws:iam::{ACCOUNT}:user/bob is not authorized to perform: "
                         f"sts:AssumeRole on resource: {ADMIN_ROLE}")
        carol = self.client(CAROL_KEY, CAROL_SECRET)   # her only Allow needs MFA
        self.assertAwsError(carol.assume_role, "AccessDenied", 403, RoleArn=READONLY_ROLE,
                            RoleSessionName="cc")
        carol.assume_role(RoleArn=READONLY_ROLE, RoleSessionName="cc", SerialNumber=CAROL_MFA,
                          TokenCode=emu.totp(CAROL_MFA))

    def test_cross_account_and_root(self):
        session, _ = self.alice_mfa_session()
        r = session.assume_role(RoleArn=CROSS_ROLE, RoleSessionName="xx")
        self.assertEqual(self.session(r).get_caller_identity()["Account"], OTHER_ACCOUNT)
        self.assertEqual(session.get_access_key_info(AccessKeyId=r["Credentials"]["AccessKeyId"])[
            "Account"], OTHER_ACCOUNT)
        self.assertAwsError(self.client(ROOT_KEY, ROOT_SECRET).assume_role, "AccessDenied", 403,
                            "Roles may not be assumed by root accounts.", RoleArn=READONLY_ROLE,
                            RoleSessionName="rr")

    def test_session_name_is_validated(self):
        status, code, message = self.raw_error(self.raw({"Action": "AssumeRole", "RoleArn": READONLY_ROLE,
                                                         "RoleSessionName": "a b"}))
        self.assertEqual((status, code), (400, "ValidationError"))
        self.assertIn("at 'roleSessionName' failed to satisfy constraint: Member must satisfy "
                      "regular expression pattern: [\\w+=,.@-]*", message)


class ProtectedCall(StsTest):
    """GetAccessKeyInfo is subject to the caller's identity policies (the seed policies)."""

    def test_force_mfa_policy_over_time(self):
        self.assertEqual(self.assertAwsError(self.alice().get_access_key_info, "AccessDenied", 403,
                                             AccessKeyId=BOB_KEY),
                         f"User: arn:aws:iam::{ACCOUNT}:user/alice is not authorized to perform: "
                         f"sts:GetAccessKeyInfo with an explicit deny in an identity-based policy")
        no_mfa = self.session(self.alice().get_session_token())
        self.assertAwsError(no_mfa.get_access_key_info, "AccessDenied", 403, AccessKeyId=BOB_KEY)
        session, _ = self.alice_mfa_session()
        self.assertEqual(session.get_access_key_info(AccessKeyId=BOB_KEY)["Account"], ACCOUNT)
        emu.advance_clock(3590)
        session.get_access_key_info(AccessKeyId=BOB_KEY)
        emu.advance_clock(20)
        self.assertAwsError(session.get_access_key_info, "AccessDenied", 403, AccessKeyId=BOB_KEY)
        self.assertEqual(emu.calls("GetAccessKeyInfo")[-1]["policy_decision"]["sid"], "DenyOldMFA")

    def test_implicit_deny_message(self):
        self.assertAwsError(self.client(CAROL_KEY, CAROL_SECRET).get_access_key_info, "AccessDenied",
                            403, f"User: arn:aws:iam::{ACCOUNT}:user/carol is not authorized to "
                            f"perform: sts:GetAccessKeyInfo because no identity-based policy allows "
                            f"the sts:GetAccessKeyInfo action", AccessKeyId=BOB_KEY)

    def test_role_sessions_inherit_the_mfa_time(self):
        emu.put_policy("MaxAge", W.FORCE_MFA, role="Admin")
        session, _ = self.alice_mfa_session()
        emu.advance_clock(3000)
        role = self.session(session.assume_role(RoleArn=ADMIN_ROLE, RoleSessionName="late"))
        role.get_access_key_info(AccessKeyId=BOB_KEY)
        emu.advance_clock(700)
        self.assertIn("assumed-role/Admin/late", self.assertAwsError(
            role.get_access_key_info, "AccessDenied", 403, AccessKeyId=BOB_KEY))

    def test_policies_change_at_run_time(self):
        bob = self.client(BOB_KEY, BOB_SECRET)
        bob.get_access_key_info(AccessKeyId=ALICE_KEY)
        emu.put_policy("ForceMFA", W.FORCE_MFA, user="bob")
        self.assertAwsError(bob.get_access_key_info, "AccessDenied", 403, AccessKeyId=ALICE_KEY)
        emu.delete_policy("ForceMFA", user="bob")
        bob.get_access_key_info(AccessKeyId=ALICE_KEY)


if __name__ == "__main__":
    unittest.main()
