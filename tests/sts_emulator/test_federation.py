"""The console federation endpoint (federation.py): getSigninToken takes only role credentials,
SessionDuration only for roles assumed with long-term keys, login redirects to the console; the
console sessions it records carry the MFA state of the credentials."""
import json
import os
import ssl
import sys
import unittest
import urllib.error
import urllib.request
from urllib.parse import quote_plus

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402
from default_world import (ADMIN_ROLE, ALICE_KEY, ALICE_MFA, ALICE_SECRET, BOB_KEY, BOB_SECRET,
                           DEPLOY_ROLE, READONLY_ROLE)  # noqa: E402

emu = None


def setUpModule():
    global emu
    emu = harness.Emulator().start()


def tearDownModule():
    emu.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(query):
    context = ssl.create_default_context(cafile=emu.ca_bundle)
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect)
    try:
        with opener.open(f"{emu.signin_endpoint}?{query}", timeout=10) as r:
            return r.status, dict(r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


def session_param(creds):
    return quote_plus(json.dumps({"sessionId": creds["AccessKeyId"], "sessionKey": creds["SecretAccessKey"],
                                  "sessionToken": creds["SessionToken"]}))


class FederationTest(unittest.TestCase):
    def setUp(self):
        emu.reset()

    def tearDown(self):
        emu.close_clients()

    def mfa_session(self):
        r = emu.botocore_client(ALICE_KEY, ALICE_SECRET).get_session_token(
            SerialNumber=ALICE_MFA, TokenCode=emu.fresh_totp(ALICE_MFA))
        return r["Credentials"]

    def assume(self, creds, role, **kw):
        client = emu.botocore_client(creds["AccessKeyId"], creds["SecretAccessKey"], creds.get("SessionToken"))
        return client.assume_role(RoleArn=role, RoleSessionName="console", **kw)["Credentials"]

    def token(self, creds, extra=""):
        return get(f"Action=getSigninToken{extra}&Session={session_param(creds)}")

    def test_role_from_an_mfa_session_signs_in_with_mfa(self):
        role = self.assume(self.mfa_session(), ADMIN_ROLE)
        status, _, body = self.token(role)
        self.assertEqual(status, 200)
        token = json.loads(body)["SigninToken"]
        status, headers, _ = get("Action=login&Issuer=mfaenv&Destination="
                                 + quote_plus("https://console.aws.amazon.com/") + "&SigninToken=" + token)
        self.assertEqual(status, 302)
        self.assertEqual(headers["Location"], "https://console.aws.amazon.com/")
        [signin] = emu.signins()
        self.assertTrue(signin["mfa"])
        self.assertEqual(signin["logins"], 1)
        self.assertEqual(signin["principal"], "arn:aws:sts::123456789012:assumed-role/Admin/console")

    def test_role_without_mfa_signs_in_without_mfa(self):
        role = self.assume({"AccessKeyId": BOB_KEY, "SecretAccessKey": BOB_SECRET}, READONLY_ROLE)
        self.assertEqual(self.token(role)[0], 200)
        self.assertFalse(emu.signins()[0]["mfa"])

    def test_long_term_keys_and_get_session_token_credentials_are_refused(self):
        status, _, body = self.token({"AccessKeyId": ALICE_KEY, "SecretAccessKey": ALICE_SECRET,
                                      "SessionToken": ""})
        self.assertEqual(status, 400)
        self.assertIn(b"long-term", body)
        status, _, body = self.token(self.mfa_session())
        self.assertEqual(status, 400)
        self.assertIn(b"GetSessionToken", body)

    def test_wrong_secret_or_token_and_expired_credentials_are_refused(self):
        role = self.assume(self.mfa_session(), ADMIN_ROLE)
        self.assertEqual(self.token(dict(role, SecretAccessKey="x" + role["SecretAccessKey"]))[0], 400)
        self.assertEqual(self.token(dict(role, SessionToken="x"))[0], 400)
        emu.advance_clock(3601)
        status, _, body = self.token(role)
        self.assertEqual(status, 400)
        self.assertIn(b"expired", body)

    def test_session_duration_only_for_roles_assumed_with_long_term_keys(self):
        direct = self.assume({"AccessKeyId": BOB_KEY, "SecretAccessKey": BOB_SECRET}, READONLY_ROLE)
        self.assertEqual(self.token(direct, "&SessionDuration=43200")[0], 200)
        self.assertEqual(self.token(direct, "&SessionDuration=899")[0], 400)
        self.assertEqual(self.token(direct, "&SessionDuration=43201")[0], 400)
        from_mfa = self.assume(self.mfa_session(), ADMIN_ROLE)
        status, _, body = self.token(from_mfa, "&SessionDuration=3600")
        self.assertEqual(status, 400)
        self.assertIn(b"SessionDuration", body)
        chained = self.assume(from_mfa, DEPLOY_ROLE)
        self.assertEqual(self.token(chained, "&SessionDuration=900")[0], 400)
        self.assertEqual(self.token(chained)[0], 200)

    def test_login_checks_token_age_and_destination(self):
        role = self.assume(self.mfa_session(), ADMIN_ROLE)
        token = json.loads(self.token(role)[2])["SigninToken"]
        bad = get("Action=login&Destination=" + quote_plus("https://evil.example/") + "&SigninToken=" + token)
        self.assertEqual(bad[0], 400)
        self.assertEqual(get("Action=login&Destination=x&SigninToken=nope")[0], 400)
        for dest in ("https://console.amazonaws.cn/", "https://us-west-2.console.aws.amazon.com/s3/home",
                     "https://console.amazonaws-us-gov.com/"):
            self.assertEqual(get("Action=login&Destination=" + quote_plus(dest) + "&SigninToken=" + token)[0], 302)
        emu.advance_clock(901)
        self.assertEqual(get("Action=login&Destination=" + quote_plus("https://console.aws.amazon.com/")
                             + "&SigninToken=" + token)[0], 400)

    def test_the_log_never_holds_the_token_or_secrets(self):
        role = self.assume(self.mfa_session(), ADMIN_ROLE)
        token = json.loads(self.token(role)[2])["SigninToken"]
        with open(emu.log_file) as f:
            log = f.read()
        self.assertIn("getSigninToken", log)
        for secret in (token, role["SecretAccessKey"], role["SessionToken"]):
            self.assertNotIn(secret, log)


if __name__ == "__main__":
    unittest.main(verbosity=2)
