#!/usr/bin/python3
"""Hardening, second pass (issue 13): the defects an attack on the built tool found, each run end to
end against the STS emulator. Every test here failed on the code before its fix; docs/hardening.md
("Second pass") lists defect -> test -> fix."""
import json
import os
import re
import shutil
import subprocess
import threading
import time
import unittest

from mfaenv_env import MFAENV, EmulatorTest, Home, W, assert_no_secret, harness

SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # a TOTP seed that must never be quoted back


class Attack(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        self.home.write_alice()

    def one_line(self, r, code):
        self.assertEqual(r.returncode, code, r.stderr)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith("mfaenv: "), r.stderr)
        return lines[0]

    # -- 2: a code that may have reached AWS is never sent again -------------------------------
    def near_window_end(self, seconds_left):
        info = self.emu.control("GET", "totp", query=f"serial={W.ALICE_MFA}")
        if info["seconds_left"] > seconds_left:
            self.emu.advance_clock(info["seconds_left"] - seconds_left)

    def test_2a_code_of_a_lost_answer_is_not_resent(self):
        self.near_window_end(14)
        self.emu.fault("reset", count=1, phase="after", actions=["GetSessionToken"])
        r = self.home.mfaenv("login", "alice", env=self.home.synced())
        self.assertEqual(r.returncode, 5, r.stderr)
        r = self.home.mfaenv("login", "alice", env=self.home.synced(), timeout=90)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("already used; waiting", r.stderr)
        self.assertEqual([c for c in self.emu.calls("GetSessionToken") if c.get("code_reused")], [])

    def test_2b_code_refused_as_used_elsewhere_waits_for_the_next(self):
        self.near_window_end(14)
        code = self.emu.totp(W.ALICE_MFA)
        status, _, _ = self.emu.raw_request({"Action": "GetSessionToken", "Version": "2011-06-15",
                                             "SerialNumber": W.ALICE_MFA, "TokenCode": code},
                                            key=W.ALICE_KEY, secret=W.ALICE_SECRET)
        self.assertEqual(status, 200)  # another machine used this window's code
        r = self.home.mfaenv("login", "alice", env=self.home.synced(), timeout=90)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("already used; waiting", r.stderr)
        self.assertEqual(len([c for c in self.emu.calls("GetSessionToken") if c.get("code_reused")]), 1)

    # -- 3: no command text in errors or debug lines ------------------------------------------
    def test_3_failing_helpers_are_named_not_quoted(self):
        self.home.write_alice(mfa_process=f"oathtool --totp -b {SEED} 2>/dev/null; exit 7")
        r = self.home.mfaenv("login", "alice", "--debug")
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("mfa_process of profile 'alice' failed (exit status 7)", r.stderr)
        self.assertNotIn(SEED, r.stderr)
        from mfaenv_env import harness
        harness.write_aws_files(self.home.dir, {"profile p": {"credential_process": f"echo {SEED} x"}}, {})
        r = self.home.mfaenv("credential-process", "p", "--debug")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("credential_process of profile 'p' printed", r.stderr)
        self.assertNotIn(SEED, r.stderr)

    # -- 4: helpers are bounded in time and output --------------------------------------------
    def test_4_helpers_that_hang_or_flood_are_stopped(self):
        for command, words in (("sleep 3601; true", "did not finish within 2s"),
                               ("yes 123456", "printed more than 4096 bytes"),
                               ("sleep 3603 2>/dev/null & echo 12345", "printed 5 characters")):
            self.home.write_alice(mfa_process=command)
            r = self.home.mfaenv("login", "alice", env={"MFAENV_PROCESS_TIMEOUT": "2s"}, timeout=30)
            self.assertLess(r.elapsed, 10, command)
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn(words, r.stderr)
        subprocess.run(["pkill", "-x", "-f", "sleep 360[13]"], check=False)

    # -- 6: closed or broken standard streams -------------------------------------------------
    def test_6_closed_and_full_streams(self):
        self.assertEqual(self.home.mfaenv("login", "alice").returncode, 0)
        env = dict(self.home.env)
        run = lambda shell: subprocess.run(["/bin/sh", "-c", shell], env={**env, "M": MFAENV},
                                           capture_output=True, text=True, timeout=60)
        r = run('"$M" env alice >/dev/full')
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("could not write", r.stderr)
        r = run('"$M" env alice >&-')
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("standard output is closed", r.stderr)
        r = run('"$M" login alice --force 2>&- >&- <&-; echo "rc=$?"')
        self.assertIn("rc=0", r.stdout)
        r = run('"$M" login alice --force 2>/dev/full; echo "rc=$?"')
        self.assertIn("rc=0", r.stdout)

    # -- 7: mfa_process that asks mfaenv for the same profile ---------------------------------
    def test_7_mfa_process_loop_is_refused_at_once(self):
        self.home.write_alice(mfa_process=f"{MFAENV} credential-process alice")
        r = self.home.mfaenv("login", "alice", env={"MFAENV_LOCK_TIMEOUT": "30s"}, timeout=60)
        self.assertLess(r.elapsed, 10, r.stderr)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("a loop", r.stderr)

    # -- 8: escape sequences from data --------------------------------------------------------
    def test_8_sts_error_text_is_escaped_and_cut(self):
        message = "denied\x1b]0;owned\x07\r\nmfaenv: forged line " + "A" * (5 << 20)
        self.emu.fault("error", status=403, code="AccessDenied", message=message, actions=["GetSessionToken"])
        r = self.home.mfaenv("login", "alice", timeout=60)
        line = self.one_line(r, 4)
        self.assertNotIn("\x1b", r.stderr)
        self.assertNotIn("\x07", r.stderr)
        self.assertIn("\\x1b]0;owned\\x07", line)
        self.assertLess(len(r.stderr), 8192)

    def test_8_profile_names_and_arns_in_status_are_escaped(self):
        from mfaenv_env import harness
        harness.write_aws_files(self.home.dir, {"profile evil\x1b[2J": {"mfa_serial": "arn:x\x1b]0;t\x07"}}, {})
        r = self.home.mfaenv("status")
        self.assertNotIn("\x1b", r.stdout + r.stderr)
        self.assertIn("evil", r.stdout)

    # -- 9: dotenv that a shell can source ----------------------------------------------------
    def test_9_dotenv_values_are_inert_or_refused(self):
        from mfaenv_env import harness
        marker = os.path.join(self.home.dir, "ran")
        name = f"x$(touch {marker})"
        harness.write_aws_files(self.home.dir, {f"profile {name}": {}}, {
            name: {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})
        r = self.home.mfaenv("env", name, "--format", "dotenv")
        self.assertEqual(r.returncode, 0, r.stderr)
        path = os.path.join(self.home.dir, "env.dotenv")
        with open(path, "w") as f:
            f.write(r.stdout)
        out = subprocess.run(["/bin/sh", "-c", f'set -a; . {path}; printf %s "$MFAENV_PROFILE"'],
                             capture_output=True, text=True).stdout
        self.assertEqual(out, name)
        self.assertFalse(os.path.exists(marker))
        harness.write_aws_files(self.home.dir, {"profile it's": {}}, {
            "it's": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})
        r = self.home.mfaenv("env", "it's", "--format", "dotenv")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("MFAENV_PROFILE", r.stderr.splitlines()[-1])
        self.assertEqual(r.stdout, "")

    # -- 11: parallel config set ---------------------------------------------------------------
    def test_11_parallel_config_set_keeps_every_key(self):
        procs = [subprocess.Popen([MFAENV, "config", "set", f"key{i}", f"v{i}", "--profile", "alice"],
                                  env=self.home.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for i in range(20)]
        for p in procs:
            self.assertEqual(p.wait(timeout=60), 0, p.stderr.read())
            p.stderr.close()
        with open(os.path.join(self.home.dir, ".aws", "config")) as f:
            text = f.read()
        for i in range(20):
            self.assertIn(f"key{i} = v{i}", text)

    # -- 12: odd environments -----------------------------------------------------------------
    def test_12_unusable_cache_paths_are_refused(self):
        cwd = os.path.join(self.home.dir, "cwd")
        os.mkdir(cwd)
        for env, word in (({"XDG_CACHE_HOME": "", "MFAENV_CACHE_DIR": "", "HOME": ""}, "HOME = ''"),
                          ({"MFAENV_CACHE_DIR": "relative/cache"}, "not an absolute path")):
            e = {**self.home.env, **env, "AWS_CONFIG_FILE": os.path.join(self.home.dir, ".aws", "config"),
                 "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.home.dir, ".aws", "credentials")}
            r = subprocess.run([MFAENV, "login", "alice"], env=e, cwd=cwd, capture_output=True, text=True,
                               timeout=60, stdin=subprocess.DEVNULL)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn(word, r.stderr)
            self.assertEqual(os.listdir(cwd), [])

    # -- 5: thousands of chained role profiles --------------------------------------------------
    def test_5_deep_source_profile_chains_are_refused_not_crashed(self):
        config = {"profile p0": {"region": "us-east-1"}}
        for i in range(1, 5000):
            config[f"profile p{i}"] = {"role_arn": f"arn:aws:iam::123456789012:role/r{i}", "source_profile": f"p{i - 1}"}
        harness.write_aws_files(self.home.dir, config, {"p0": {"aws_access_key_id": "AKIAEXAMPLE0000000000",
                                                              "aws_secret_access_key": "x"}})
        for args in (["env", "p4999", "--no-prompt"], ["whoami", "p4999", "--no-prompt"]):
            r = self.home.mfaenv(*args)
            self.assertIn("source_profile hops", self.one_line(r, 6), args)
        r = self.home.mfaenv("status", "p4999")  # the problem is a row of the table, the exit code P's
        self.assertEqual(r.returncode, 6, r.stdout + r.stderr)
        self.assertIn("source_profile hops", r.stdout)
        # A chain of ordinary length still plans and goes to STS (which does not know this key).
        r = self.home.mfaenv("env", "p10", "--no-prompt")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertNotIn("source_profile hops", r.stderr)

    # -- 13: MFAENV_FAKE_NOW garbage ----------------------------------------------------------
    def test_13_garbage_fake_now_is_refused(self):
        r = self.home.mfaenv("status", env={"MFAENV_FAKE_NOW": "tomorrow"})
        self.assertIn("MFAENV_FAKE_NOW", self.one_line(r, 2))

    # -- 13: the whole chain is checked before a code is asked for -----------------------------
    # A code spent on a request that mfaenv could have known would fail is the defect: every
    # setting the requests need, up to the top of the chain, is checked before mfa_process runs.
    CONFIG_LINE = re.compile(r"/\.aws/config:\d+: ")

    def refused_before_any_code(self, r, code, *words, file_line=True):
        line = self.one_line(r, code)
        if file_line:
            self.assertRegex(line, self.CONFIG_LINE)
        for word in words:
            self.assertIn(word, line)
        self.assertEqual(self.home.mfa_process_runs(), 0, line)
        self.assertEqual(self.emu.calls(), [], line)
        return line

    def fresh_attempt(self):
        """No call logged, no mfa_process run, no cached session or used code from the last case."""
        self.emu.clear_log()
        if os.path.exists(self.home.counter):
            os.unlink(self.home.counter)
        shutil.rmtree(os.path.join(self.home.env["XDG_CACHE_HOME"], "mfaenv"), ignore_errors=True)

    def alice_with(self, extra, above=None):
        config = {"profile alice": {"mfa_serial": W.ALICE_MFA, "mfa_process": self.home.mfa_process,
                                    "region": "eu-west-1", **extra}}
        if above is not None:
            config["profile admin"] = {"role_arn": W.ADMIN_ROLE, "source_profile": "alice", **above}
        harness.write_aws_files(self.home.dir, config, {
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})

    def test_13_bad_profile_values_are_found_before_any_code(self):
        no_url = {"AWS_ENDPOINT_URL_STS": ""}
        for extra, env, key in (
                ({"region": "eu west 1"}, {"AWS_DEFAULT_REGION": ""}, "region = 'eu west 1'"),
                ({"region": "eu-west-1;"}, {}, "region = 'eu-west-1;'"),
                ({"mfa_serial": W.ALICE_MFA + " phone"}, {}, "mfa_serial = "),
                ({"endpoint_url": "https://sts example"}, no_url, "endpoint_url in profile 'alice'"),
                ({"endpoint_url": "ftp://sts.example.com"}, no_url, "endpoint_url in profile 'alice'"),
                ({"services": "nowhere"}, no_url, "services = nowhere"),
                ({"ca_bundle": "/nonexistent/ca.pem"}, {"AWS_CA_BUNDLE": ""}, "ca_bundle = '/nonexistent/ca.pem'")):
            with self.subTest(extra=extra):
                self.fresh_attempt()
                self.alice_with(extra)
                r = self.home.mfaenv("login", "alice", env=env)
                self.refused_before_any_code(r, 6, "alice", key)

    def test_13_a_bad_role_above_a_good_session_spends_no_code(self):
        # Before: GetSessionToken took the code, then AssumeRole failed (or ran with a rewritten name).
        for above, env, key in (
                ({"role_arn": "arn:aws:iam:123456789012:role/Admin"}, {}, "role_arn = "),
                ({"role_arn": f"arn:aws:iam::{W.ACCOUNT}:role/Admin Role"}, {}, "role_arn = "),
                ({"role_session_name": "alice smith"}, {}, "role_session_name = 'alice smith'"),
                ({"role_session_name": "s" * 65}, {}, "role_session_name = "),
                ({"external_id": "audit ext 1"}, {}, "external_id = 'audit ext 1'"),
                ({"region": "us east 1"}, {}, "region = 'us east 1'"),
                ({"endpoint_url": "ftp://sts.example.com"}, {"AWS_ENDPOINT_URL_STS": ""},
                 "endpoint_url in profile 'admin'"),
                ({"endpoint_url": "http://sts.example.com"}, {"AWS_ENDPOINT_URL_STS": ""}, "MFAENV_ALLOW_HTTP")):
            with self.subTest(above=above):
                self.fresh_attempt()
                self.alice_with({}, above)
                r = self.home.mfaenv("login", "admin", env=env)
                self.refused_before_any_code(r, 6, "admin", key)
        # The same chain with good values still works, with one code.
        self.fresh_attempt()
        self.alice_with({}, {"role_session_name": "alice.smith@ops"})
        r = self.home.mfaenv("env", "admin", "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.home.mfa_process_runs(), 1)

    def test_13_bad_sts_environment_is_found_before_any_code(self):
        self.alice_with({}, {})
        for env, code, variable in (
                ({"AWS_REGION": "eu west 1"}, 6, "AWS_REGION"),
                ({"AWS_ENDPOINT_URL_STS": "sts.example.com"}, 6, "AWS_ENDPOINT_URL_STS"),
                ({"AWS_ENDPOINT_URL_STS": "http://sts.example.com"}, 6, "MFAENV_ALLOW_HTTP=1"),
                ({"AWS_STS_REGIONAL_ENDPOINTS": "global"}, 6, "AWS_STS_REGIONAL_ENDPOINTS"),
                ({"MFAENV_STS_TIMEOUT": "soon"}, 2, "MFAENV_STS_TIMEOUT"),
                ({"AWS_CA_BUNDLE": "/nonexistent/ca.pem"}, 6, "AWS_CA_BUNDLE"),
                ({"AWS_ENDPOINT_URL_STS": "", "AWS_REGION": "us-iso-east-1", "AWS_USE_DUALSTACK_ENDPOINT": "true"}, 6,
                 "dual-stack")):
            for command, profile in (("login", "alice"), ("credential-process", "admin")):
                with self.subTest(env=env, profile=profile):
                    self.fresh_attempt()
                    r = self.home.mfaenv(command, profile, env=env)
                    line = self.refused_before_any_code(r, code, variable, file_line=False)
                    self.assertNotRegex(line, self.CONFIG_LINE)  # a variable is not a file


if __name__ == "__main__":
    unittest.main(verbosity=2)
