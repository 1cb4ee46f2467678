#!/usr/bin/python3
"""`mfaenv console` against the emulator's federation endpoint: a role profile gets a sign-in URL
whose token the endpoint accepts and whose console session carries MFA; an IAM-user profile gets
the explanation and the console-role fix; partitions, --url, the browser path through a private
page (a stand-in $BROWSER records what it was given), and the token never on stderr or in argv."""
import json
import os
import ssl
import stat
import unittest
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

from mfaenv_env import EmulatorTest, W, Home, assert_no_secret, harness


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Console(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        self.config = {
            "profile alice": {"mfa_serial": W.ALICE_MFA, "mfa_process": self.home.mfa_process,
                              "region": "eu-west-1"},
            "profile admin": {"role_arn": W.ADMIN_ROLE, "source_profile": "alice"},
            "profile deploy": {"role_arn": W.DEPLOY_ROLE, "source_profile": "admin"},
            "profile bob-readonly": {"role_arn": W.READONLY_ROLE, "source_profile": "bob"},
        }
        self.write()
        self.env = {"MFAENV_SIGNIN_ENDPOINT": self.emu.signin_endpoint}

    def write(self):
        harness.write_aws_files(self.home.dir, self.config, {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET},
            "bob": {"aws_access_key_id": W.BOB_KEY, "aws_secret_access_key": W.BOB_SECRET}})

    def console(self, *args, env=None):
        e = dict(self.env)
        e.update(env or {})
        return self.home.mfaenv("console", *args, env=e)

    def follow(self, url):
        """What a browser does with the URL: the endpoint answers 302 to the console."""
        context = ssl.create_default_context(cafile=self.emu.ca_bundle)
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect)
        try:
            with opener.open(url, timeout=10) as r:
                return r.status, r.headers.get("Location")
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Location")

    def url_of(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        url = result.stdout.strip()
        self.assertTrue(url.startswith(self.emu.signin_endpoint + "?Action=login&"), url)
        return url

    def test_role_profile_url_signs_in_with_mfa(self):
        r = self.console("admin", "--url")
        url = self.url_of(r)
        query = parse_qs(urlsplit(url).query)
        token = query["SigninToken"][0]
        self.assertEqual(query["Destination"], ["https://console.aws.amazon.com/console/home?region=eu-west-1"])
        self.assertEqual(query["Issuer"], ["mfaenv"])
        self.assertNotIn(token, r.stderr)
        self.assertIn("with MFA", r.stderr)
        self.assertEqual(self.follow(url), (302, "https://console.aws.amazon.com/console/home?region=eu-west-1"))
        [signin] = self.emu.signins()
        self.assertTrue(signin["mfa"])
        self.assertEqual(signin["logins"], 1)
        self.assertTrue(signin["principal"].startswith(f"arn:aws:sts::{W.ACCOUNT}:assumed-role/Admin/"))
        # Made from the MFA session: SessionDuration is not sent (AWS refuses it there).
        self.assertIsNone(signin["session_duration"])
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
        # A second console reuses the cached MFA session: no new code.
        self.url_of(self.console("admin", "--url", "--service", "s3"))
        self.assertEqual(self.home.mfa_process_runs(), 1)
        assert_no_secret(self, r.stderr + r.stdout)

    def test_debug_output_never_holds_the_token(self):
        r = self.console("admin", "--url", "--debug")
        token = parse_qs(urlsplit(self.url_of(r)).query)["SigninToken"][0]
        self.assertIn("console sign-in: endpoint", r.stderr)
        self.assertNotIn(token, r.stderr)
        assert_no_secret(self, r.stderr)

    def test_service_destination_and_region(self):
        url = self.url_of(self.console("admin", "--url", "--service", "s3", "--region", "us-west-2"))
        self.assertEqual(parse_qs(urlsplit(url).query)["Destination"],
                         ["https://console.aws.amazon.com/s3/home?region=us-west-2"])
        dest = "https://us-east-1.console.aws.amazon.com/iam/home#/roles"
        url = self.url_of(self.console("admin", "--url", "--destination", dest))
        self.assertEqual(parse_qs(urlsplit(url).query)["Destination"], [dest])
        self.assertEqual(self.follow(url)[0], 302)
        r = self.console("admin", "--url", "--destination", "https://evil.example/")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--destination", r.stderr)
        r = self.console("admin", "--url", "--service", "s3", "--destination", dest)
        self.assertEqual(r.returncode, 2)

    def test_iam_user_profile_explains_and_prints_the_role_fix(self):
        r = self.console("alice", "--url")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertIn("IAM user", r.stderr)
        self.assertIn("GetFederationToken", r.stderr)
        user = f"arn:aws:iam::{W.ACCOUNT}:user/alice"
        self.assertIn(f"mfaenv policy generate --console-role {user}", r.stderr)
        self.assertIn("source_profile = alice", r.stderr)
        self.assertEqual(self.emu.count("GetSessionToken"), 0)  # no code asked for an explanation
        # The printed fix works: the generated trust policy, as the role's, lets alice's MFA session in.
        trust = self.home.mfaenv("policy", "generate", "--console-role", user, "--max-age", "1h")
        self.assertEqual(trust.returncode, 0, trust.stderr)
        doc = json.loads(trust.stdout)
        self.assertEqual(doc["Statement"][0]["Principal"], {"AWS": user})
        self.emu.control("POST", "roles", {"account": W.ACCOUNT, "name": "alice-console", "trust": doc,
                                           "policies": {"all": W.ALLOW_ALL}})
        self.config["profile alice-console"] = {"role_arn": f"arn:aws:iam::{W.ACCOUNT}:role/alice-console",
                                                "source_profile": "alice"}
        self.write()
        url = self.url_of(self.console("alice-console", "--url"))
        self.assertEqual(self.follow(url)[0], 302)
        self.assertTrue(self.emu.signins()[-1]["mfa"])
        # Without MFA the role cannot be assumed: bob's long-term keys are refused by the trust policy.
        self.config["profile bob-console"] = {"role_arn": f"arn:aws:iam::{W.ACCOUNT}:role/alice-console",
                                              "source_profile": "bob"}
        self.write()
        r = self.console("bob-console", "--url")
        self.assertEqual(r.returncode, 4, r.stderr)
        bad = self.home.mfaenv("policy", "generate", "--console-role", "alice")
        self.assertEqual(bad.returncode, 2)

    def test_role_without_mfa_warns_and_sends_session_duration(self):
        r = self.console("bob-readonly", "--url", "--duration", "1h")
        url = self.url_of(r)
        self.assertIn("WITHOUT MFA", r.stderr)
        self.assertEqual(self.follow(url)[0], 302)
        signin = self.emu.signins()[-1]
        self.assertFalse(signin["mfa"])
        self.assertEqual(signin["session_duration"], 3600)

    def test_session_ends_with_the_mfa_age_limit(self):
        self.config["profile alice"]["mfaenv_mfa_max_age"] = "1h"
        # A small margin, so that the MFA session is still served with 10 minutes left.
        self.config["profile alice"]["mfaenv_refresh_margin"] = "1m"
        self.write()
        self.url_of(self.console("admin", "--url"))
        self.emu.advance_clock(40 * 60)  # 20 minutes of MFA age left
        r = self.console("admin", "--url", "--duration", "1h", env=self.home.synced())
        self.url_of(r)
        self.assertIn("cut to", r.stderr)
        last = self.emu.calls("AssumeRole", "ok")[-1]
        self.assertLessEqual(last["granted_duration"], 20 * 60)
        self.assertGreaterEqual(last["granted_duration"], 18 * 60)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
        self.emu.advance_clock(10 * 60)  # 10 minutes left: less than the shortest role session
        r = self.console("admin", "--url", env=self.home.synced())
        self.url_of(r)
        self.assertIn("a new one first", r.stderr)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 2)

    def test_chained_role_is_capped_at_one_hour(self):
        r = self.console("deploy", "--url", "--duration", "4h")
        self.url_of(r)
        self.assertIn("1h", r.stderr)
        self.assertEqual(self.emu.calls("AssumeRole", "ok")[-1]["granted_duration"], 3600)
        self.assertTrue(self.emu.signins()[-1]["mfa"])

    def test_without_the_test_endpoint_the_partition_host_is_used(self):
        # The emulator's ARNs are all in partition aws (the cn and us-gov tables are unit-tested in
        # tests/signin): without MFAENV_SIGNIN_ENDPOINT the aws partition's real host is chosen, and
        # the test proxy refuses every host but STS's, so nothing reaches AWS.
        r = self.console("admin", "--url", "--debug", env={"MFAENV_SIGNIN_ENDPOINT": ""})
        self.assertIn("https://signin.aws.amazon.com/federation (partition aws)", r.stderr)
        self.assertIn("destination https://console.aws.amazon.com/", r.stderr)
        self.assertEqual(r.returncode, 5, r.stderr)

    def test_browser_gets_a_private_page_not_the_token(self):
        record = os.path.join(self.home.dir, "browser.args")
        browser = os.path.join(self.home.dir, "browser.sh")
        with open(browser, "w") as f:
            f.write(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {record}\n")
        os.chmod(browser, 0o755)
        r = self.console("admin", env={"BROWSER": f"/nonexistent/browser:{browser} --new-window %s"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        with open(record) as f:
            args = f.read().split("\n")
        self.assertEqual(args[0], "--new-window")
        page = urlsplit(args[1])
        self.assertEqual(page.scheme, "file")
        st = os.lstat(page.path)
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
        self.assertEqual(os.path.dirname(page.path), os.path.join(self.home.env["XDG_CACHE_HOME"], "mfaenv"))
        with open(page.path) as f:
            html = f.read()
        start = html.index("url=") + 4
        url = html[start:html.index('"', start)].replace("&amp;", "&")
        token = parse_qs(urlsplit(url).query)["SigninToken"][0]
        self.assertNotIn(token, args[1])
        self.assertNotIn(token, r.stderr)
        self.assertEqual(self.follow(url)[0], 302)
        self.assertTrue(self.emu.signins()[-1]["mfa"])

    def test_no_browser_says_to_use_url(self):
        r = self.console("admin", env={"BROWSER": "false"})
        self.assertEqual(r.returncode, 1)
        self.assertIn("--url", r.stderr)

    def test_refused_credentials_exit_4_without_secrets(self):
        # An endpoint that refuses (here: the emulator's STS root, which is not /federation).
        r = self.console("admin", "--url", env={"MFAENV_SIGNIN_ENDPOINT": self.emu.endpoint + "/nothere"})
        self.assertNotEqual(r.returncode, 0)
        assert_no_secret(self, r.stderr)
        r = self.console("admin", "--url", env={"MFAENV_SIGNIN_ENDPOINT": "ftp://x"})
        self.assertEqual(r.returncode, 6)
        self.assertIn("MFAENV_SIGNIN_ENDPOINT", r.stderr)

    def test_redirected_or_failing_endpoint_is_exit_5_and_not_followed(self):
        # Issue 13: a 3xx means something is in the way; following it would send the session (it is
        # in the query string) to wherever it points, here back to the endpoint itself.
        self.emu.fault("redirect", count=1, status=307, location=self.url_of(self.console("admin", "--url")),
                       actions=["federation"])
        signins = len(self.emu.control("GET", "signins")["signins"])
        r = self.console("admin", "--url")
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn("redirect (HTTP 307)", r.stderr)
        self.assertEqual(len(self.emu.control("GET", "signins")["signins"]), signins)
        assert_no_secret(self, r.stderr)
        self.emu.fault("unavailable", count=1, actions=["federation"])
        r = self.console("admin", "--url")
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertIn("HTTP 503", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
