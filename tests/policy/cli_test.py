#!/usr/bin/python3
"""`mfaenv policy` as a user runs it: generate, check, simulate and sync on the seed policies and on
the seed-style mistakes in tests/policy/data. Needs MFAENV_BINARY and MFAENV_SOURCE_DIR."""
import json
import os
import subprocess
import tempfile
import unittest

BINARY = os.environ["MFAENV_BINARY"]
DATA = os.path.join(os.environ["MFAENV_SOURCE_DIR"], "tests", "policy", "data")


def mfaenv(*args, stdin=None, env=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, text=True, env=full_env,
                          cwd=DATA, timeout=30)


def simulate(policy_file, *args, stdin=None):
    r = mfaenv("policy", "simulate", policy_file, "--json", *args, stdin=stdin)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


class Generate(unittest.TestCase):
    def test_two_statements_that_do_what_they_say(self):
        r = mfaenv("policy", "generate", "--max-age", "1h")
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["Version"], "2012-10-17")
        self.assertEqual([s["Effect"] for s in doc["Statement"]], ["Deny", "Deny"])
        self.assertEqual(doc["Statement"][0]["Condition"], {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})
        self.assertEqual(doc["Statement"][1]["Condition"], {"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}})
        self.assertIn('\n  "Statement": [\n', r.stdout)  # pretty-printed

        policy = r.stdout
        no_mfa = simulate("-", "--action", "s3:ListBucket", "--mfa", "absent", stdin=policy)
        self.assertEqual(no_mfa["decision"], "explicitDeny")
        self.assertEqual(no_mfa["statement"]["sid"], "DenyAllWithoutMFA")
        self.assertEqual(simulate("-", "--action", "s3:ListBucket", "--mfa", "false", stdin=policy)["decision"],
                         "explicitDeny")
        stale = simulate("-", "--action", "s3:ListBucket", "--mfa-age", "3601", stdin=policy)
        self.assertEqual(stale["decision"], "explicitDeny")
        self.assertEqual(stale["statement"]["sid"], "DenyAllWithStaleMFA")
        fresh = simulate("-", "--action", "s3:ListBucket", "--mfa", "present", "--mfa-age", "3600", stdin=policy)
        self.assertEqual(fresh["decision"], "implicitDeny")  # not denied by it; other policies grant access
        self.assertIsNone(fresh["statement"])

        check = mfaenv("policy", "check", "-", "--json", stdin=policy)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertEqual([f["code"] for f in json.loads(check.stdout)["findings"]], ["MFA006"])

    def test_self_manage_is_clean_and_lets_users_enrol(self):
        policy = mfaenv("policy", "generate", "--self-manage", "--max-age", "900").stdout
        check = mfaenv("policy", "check", "-", "--json", stdin=policy)
        self.assertEqual(check.returncode, 0)
        self.assertEqual(json.loads(check.stdout)["findings"], [])
        self.assertIn("iam:EnableMFADevice", json.loads(policy)["Statement"][0]["NotAction"])
        self.assertEqual(simulate("-", "--action", "iam:EnableMFADevice", stdin=policy)["decision"], "implicitDeny")
        self.assertEqual(simulate("-", "--action", "iam:CreateUser", stdin=policy)["decision"], "explicitDeny")

    def test_bad_max_age_is_a_usage_error(self):
        for value in ("0", "2days", "40h"):
            r = mfaenv("policy", "generate", "--max-age", value)
            self.assertEqual(r.returncode, 2, value)
            self.assertEqual(r.stdout, "")
            self.assertIn("--max-age", r.stderr)


class Check(unittest.TestCase):
    CASES = {
        "seed_allow_bool_true.json": (0, []),
        "seed_deny_without_mfa.json": (0, ["MFA006"]),
        "seed_two_statement_deny.json": (0, ["MFA006"]),
        "aws_self_manage_example.json": (0, []),
        "mistake_and_in_one_deny.json": (1, ["MFA001"]),
        "mistake_bool_false_in_deny.json": (1, ["MFA002"]),
        "mistake_boolifexists_true_in_allow.json": (1, ["MFA003"]),
        "mistake_unknown_operator.json": (1, ["MFA007", "MFA007"]),
        "mistake_action_shape.json": (1, ["MFA008", "MFA008"]),
        "mistake_bad_values.json": (1, ["MFA006", "MFA009", "MFA010"]),
        "mistake_misspelled_key.json": (1, ["MFA006", "MFA012", "MFA012"]),
        "mistake_no_version.json": (1, ["MFA011"]),
    }

    def test_each_file(self):
        for name, (code, findings) in self.CASES.items():
            with self.subTest(name):
                r = mfaenv("policy", "check", name, "--json")
                self.assertEqual(r.returncode, code, r.stderr)
                self.assertEqual([f["code"] for f in json.loads(r.stdout)["findings"]], findings)

    def test_text_output_names_position_severity_and_fix(self):
        r = mfaenv("policy", "check", "mistake_bool_false_in_deny.json")
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stdout.startswith("mistake_bool_false_in_deny.json:10:9: error[MFA002]: "), r.stdout)
        self.assertIn("\n    fix: use \"BoolIfExists\"", r.stdout)
        self.assertEqual(r.stderr, "mfaenv: mistake_bool_false_in_deny.json: 1 error, 0 warnings\n")

    def test_invalid_input_exits_6_with_a_position(self):
        r = mfaenv("policy", "check", "invalid_trailing_comma.json")
        self.assertEqual(r.returncode, 6)
        self.assertEqual(r.stdout, "")
        self.assertIn("invalid_trailing_comma.json:8:5: invalid JSON: trailing comma", r.stderr)
        self.assertEqual(mfaenv("policy", "check", "no-such-file.json").returncode, 6)
        self.assertEqual(mfaenv("policy", "check", DATA).returncode, 6)  # a folder
        r = mfaenv("policy", "check", "-", stdin='{"Statement": {"Effect": "Allow", "Action": "*"}}')
        self.assertEqual(r.returncode, 6)
        self.assertIn("<stdin>:1:15: statement 1 has no \"Resource\"", r.stderr)


class WithConfig(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.config = os.path.join(self.dir.name, "config")
        with open(self.config, "w") as f:
            f.write("# work account\n[profile work]\noutput = json  ; keep me\n\n[default]\nregion = us-east-1\n")
        self.env = {"AWS_CONFIG_FILE": self.config,
                    "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.dir.name, "credentials")}

    def tearDown(self):
        self.dir.cleanup()

    def run_mfaenv(self, *args, stdin=None):
        return mfaenv(*args, stdin=stdin, env=self.env)

    def test_check_profile_then_sync(self):
        r = self.run_mfaenv("policy", "check", "seed_two_statement_deny.json", "--profile", "work", "--json")
        self.assertEqual(r.returncode, 1)
        finding = json.loads(r.stdout)["findings"][-1]
        self.assertEqual((finding["code"], finding["severity"], finding["line"]), ("MFA004", "warning", 20))
        self.assertIn("mfaenv policy sync work seed_two_statement_deny.json", finding["fix"])

        r = self.run_mfaenv("policy", "sync", "work", "seed_two_statement_deny.json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertIn("mfaenv_mfa_max_age = 3600", r.stderr)
        with open(self.config) as f:
            text = f.read()
        self.assertIn("[profile work]\noutput = json  ; keep me\nmfaenv_mfa_max_age = 3600\n", text)
        self.assertTrue(text.startswith("# work account\n"))

        r = self.run_mfaenv("policy", "check", "seed_two_statement_deny.json", "--profile", "work")
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_sync_takes_the_smallest_limit(self):
        policy = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": "7200"}}},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
             "Condition": {"NumericGreaterThanEquals": {"aws:MultiFactorAuthAge": 1800}}}]})
        r = self.run_mfaenv("policy", "sync", "default", "-", stdin=policy)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("the smallest of 2", r.stderr)
        with open(self.config) as f:
            self.assertIn("[default]\nregion = us-east-1\nmfaenv_mfa_max_age = 1800\n", f.read())

    def test_sync_errors(self):
        r = self.run_mfaenv("policy", "sync", "work", "seed_allow_bool_true.json")
        self.assertEqual(r.returncode, 1)
        self.assertIn("sets no MFA age limit", r.stderr)
        r = self.run_mfaenv("policy", "sync", "nosuch", "seed_two_statement_deny.json")
        self.assertEqual(r.returncode, 6)
        self.assertIn("profile 'nosuch' (from ", r.stderr)
        with open(self.config) as f:
            self.assertNotIn("mfaenv_mfa_max_age", f.read())

    def test_check_with_an_unknown_profile(self):
        r = self.run_mfaenv("policy", "check", "seed_two_statement_deny.json", "--profile", "nosuch")
        self.assertEqual(r.returncode, 6)
        self.assertIn("profile 'nosuch' (from ", r.stderr)


class Simulate(unittest.TestCase):
    def test_seed_allow_with_bool_true(self):
        self.assertEqual(simulate("seed_allow_bool_true.json", "--action", "s3:ListBucket")["decision"],
                         "implicitDeny")
        allowed = simulate("seed_allow_bool_true.json", "--action", "s3:ListBucket", "--mfa", "present")
        self.assertEqual(allowed["decision"], "allowed")
        self.assertEqual((allowed["statement"]["line"], allowed["statement"]["column"]), (4, 5))
        self.assertEqual(allowed["request"]["context"],
                         {"aws:MultiFactorAuthAge": "0", "aws:MultiFactorAuthPresent": "true"})

    def test_the_bool_false_mistake_lets_long_term_keys_through(self):
        out = simulate("mistake_bool_false_in_deny.json", "--action", "s3:ListBucket", "--mfa", "absent")
        self.assertEqual(out["decision"], "implicitDeny")
        condition = out["statements"][0]["conditions"][0]
        self.assertEqual((condition["context_value"], condition["matched"]), (None, False))
        # ...but denies sessions made without MFA, which do carry the key.
        self.assertEqual(simulate("mistake_bool_false_in_deny.json", "--action", "s3:ListBucket", "--mfa", "false")
                         ["decision"], "explicitDeny")

    def test_the_and_mistake_never_denies(self):
        for args in (["--mfa", "absent"], ["--mfa", "false"], ["--mfa-age", "99999"]):
            self.assertEqual(simulate("mistake_and_in_one_deny.json", "--action", "s3:ListBucket", *args)["decision"],
                             "implicitDeny", args)

    def test_text_output(self):
        r = mfaenv("policy", "simulate", "seed_two_statement_deny.json", "--action", "ec2:RunInstances",
                   "--mfa-age", "2h")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "explicitDeny: statement 2 denies ec2:RunInstances on * "
                                   "(seed_two_statement_deny.json:14:5)")
        self.assertIn('    NumericGreaterThan aws:MultiFactorAuthAge "3600": request has "7200" -> true', lines)

    def test_context_and_resource(self):
        out = simulate("aws_self_manage_example.json", "--action", "iam:EnableMFADevice",
                       "--resource", "arn:aws:iam::123456789012:user/alice", "--context", "aws:username=alice")
        self.assertEqual((out["decision"], out["statement"]["sid"]), ("allowed", "AllowUserToManageTheirOwnMFA"))
        out = simulate("aws_self_manage_example.json", "--action", "iam:EnableMFADevice",
                       "--resource", "arn:aws:iam::123456789012:user/bob", "--context", "aws:username=alice")
        self.assertEqual(out["decision"], "implicitDeny")

    def test_each_context_flag_takes_one_value(self):
        r = mfaenv("policy", "simulate", "--action", "iam:EnableMFADevice", "--context", "aws:username=alice",
                   "--resource", "arn:aws:iam::123456789012:user/alice", "--mfa", "present",
                   "aws_self_manage_example.json", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["decision"], "allowed")

    def test_get_session_token_note(self):
        out = simulate("seed_deny_without_mfa.json", "--action", "sts:GetSessionToken")
        self.assertEqual(out["decision"], "explicitDeny")
        self.assertIn("does not apply IAM policies to sts:GetSessionToken", out["note"])

    def test_usage_errors(self):
        for args in (["--action", "s3:x", "--mfa", "absent", "--mfa-age", "5"],
                     ["--action", "s3:x", "--mfa", "sometimes"],
                     ["--action", "s3:x", "--context", "novalue"],
                     ["--action", "s3:x", "--context", "k=1", "--context", "K=2"],
                     []):
            r = mfaenv("policy", "simulate", "seed_allow_bool_true.json", *args)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertEqual(r.stdout, "")

    def test_operators_it_cannot_evaluate(self):
        policy = json.dumps({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                             "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}})
        r = mfaenv("policy", "simulate", "-", "--action", "s3:x", stdin=policy)
        self.assertEqual(r.returncode, 1)
        self.assertIn("<stdin>:1:", r.stderr)
        self.assertIn("does not evaluate condition operator \"IpAddress\"", r.stderr)


class Help(unittest.TestCase):
    def test_every_subcommand_explains_itself(self):
        expected = {"generate": "--self-manage", "check": "MFA001", "simulate": "explicitDeny",
                    "sync": "mfaenv_mfa_max_age"}
        for sub, phrase in expected.items():
            r = mfaenv("policy", sub, "--help")
            self.assertEqual(r.returncode, 0, sub)
            self.assertIn(phrase, r.stdout, sub)
        r = mfaenv("policy", "--help")
        self.assertEqual(r.returncode, 0)
        for sub in expected:
            self.assertIn(sub, r.stdout)


if __name__ == "__main__":
    unittest.main()
