#!/usr/bin/python3
# `mfaenv config get|set|list|profiles` as a user runs them: output, exit codes (those of `aws
# configure`), which file `set` writes, that botocore reads back what `set` wrote, that comments and
# modes survive, and that no secret reaches stderr.
#   MFAENV_BINARY=build/mfaenv /usr/bin/python3 tests/aws/config_command_test.py
import os
import stat
import subprocess
import sys
import tempfile
import unittest

import botocore.session

BINARY = os.environ.get("MFAENV_BINARY", "")
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


class ConfigCommand(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="mfaenv-config-cmd-")
        self.home = self.tmp.name
        self.config = os.path.join(self.home, ".aws", "config")
        self.credentials = os.path.join(self.home, ".aws", "credentials")
        self.env = {"PATH": "/usr/bin:/bin", "HOME": self.home, "LC_ALL": "C.UTF-8"}

    def tearDown(self):
        self.tmp.cleanup()

    def mfaenv(self, *args, env=None):
        p = subprocess.run([BINARY, "config", *args], env={**self.env, **(env or {})}, capture_output=True,
                           text=True, timeout=30)
        self.assertNotIn(SECRET, p.stderr)
        return p

    def write(self, path, text, mode=0o600):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)

    def read(self, path):
        with open(path) as f:
            return f.read()

    def botocore(self, profile):
        os.environ.update({"AWS_CONFIG_FILE": self.config, "AWS_SHARED_CREDENTIALS_FILE": self.credentials})
        return botocore.session.Session(profile=profile).get_scoped_config()

    def test_set_creates_private_files_and_get_reads_them(self):
        self.assertEqual(self.mfaenv("set", "region", "eu-west-1").returncode, 0)
        self.assertEqual(stat.S_IMODE(os.stat(self.config).st_mode), 0o600)
        self.assertEqual(self.read(self.config), "[default]\nregion = eu-west-1\n")
        p = self.mfaenv("get", "region")
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "eu-west-1\n", ""))

    def test_keys_go_to_the_credentials_file(self):
        for key, value in (("aws_access_key_id", "AKIAIOSFODNN7EXAMPLE"), ("aws_secret_access_key", SECRET),
                           ("mfa_serial", "arn:aws:iam::123456789012:mfa/alice")):
            p = self.mfaenv("set", key, value, "--profile", "dev")
            self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))
        self.assertEqual(self.read(self.credentials),
                         f"[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {SECRET}\n")
        self.assertEqual(self.read(self.config), "[profile dev]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n")
        self.assertEqual(self.botocore("dev")["aws_secret_access_key"], SECRET)
        self.assertEqual(self.mfaenv("get", "aws_secret_access_key", "--profile", "dev").stdout, SECRET + "\n")

    def test_missing_key_prints_nothing_and_exits_1(self):
        self.write(self.config, "[default]\nregion = x\n")
        p = self.mfaenv("get", "output")
        self.assertEqual((p.returncode, p.stdout, p.stderr), (1, "", ""))
        p = self.mfaenv("get", "s3.addressing_style")
        self.assertEqual((p.returncode, p.stdout, p.stderr), (1, "", ""))

    def test_missing_default_profile_is_empty_but_a_named_one_is_an_error(self):
        p = self.mfaenv("get", "region")
        self.assertEqual((p.returncode, p.stdout, p.stderr), (1, "", ""))
        p = self.mfaenv("get", "region", "--profile", "nope")
        self.assertEqual((p.returncode, p.stdout), (1, ""))
        self.assertIn("nope", p.stderr)
        p = self.mfaenv("get", "region", env={"AWS_PROFILE": "nope"})
        self.assertEqual(p.returncode, 1)
        self.assertIn("nope", p.stderr)

    def test_profile_from_the_environment(self):
        self.assertEqual(self.mfaenv("set", "region", "r1", env={"AWS_PROFILE": "envprof"}).returncode, 0)
        self.assertEqual(self.read(self.config), "[profile envprof]\nregion = r1\n")
        self.assertEqual(self.mfaenv("get", "region", env={"AWS_DEFAULT_PROFILE": "envprof"}).stdout, "r1\n")

    def test_set_keeps_comments_order_and_mode(self):
        original = "# my settings\n[default]\nregion = old ; old comment\n\n; dev\n[profile dev]\noutput = json\n"
        self.write(self.config, original, 0o640)
        self.assertEqual(self.mfaenv("set", "region", "new").returncode, 0)
        self.assertEqual(self.mfaenv("set", "region", "r", "--profile", "dev").returncode, 0)
        self.assertEqual(self.read(self.config), "# my settings\n[default]\nregion = new\n\n; dev\n[profile dev]\n"
                         "output = json\nregion = r\n")
        self.assertEqual(stat.S_IMODE(os.stat(self.config).st_mode), 0o640)
        self.assertEqual(self.botocore("dev"), {"output": "json", "region": "r"})

    def test_dotted_keys_like_aws_configure(self):
        self.assertEqual(self.mfaenv("set", "s3.addressing_style", "path").returncode, 0)
        self.assertEqual(self.mfaenv("set", "profile.other.region", "x").returncode, 0)
        self.assertEqual(self.mfaenv("set", "default.output", "json").returncode, 0)
        self.assertEqual(self.botocore("default"), {"s3": {"addressing_style": "path"}, "output": "json"})
        self.assertEqual(self.mfaenv("get", "s3.addressing_style").stdout, "path\n")
        self.assertEqual(self.mfaenv("get", "other.region").stdout, "x\n")
        self.assertEqual(self.mfaenv("get", "profile.other.region").stdout, "x\n")
        self.assertEqual(self.mfaenv("get", "default.output").stdout, "json\n")
        p = self.mfaenv("get", "s3")
        self.assertEqual((p.returncode, p.stdout), (1, ""))
        self.assertIn("must reference a value", p.stderr)

    def test_profiles_in_botocore_order(self):
        self.write(self.config, "[profile b]\n[default]\n[profile \"a b\"]\n")
        self.write(self.credentials, "[c]\n[b]\n")
        p = self.mfaenv("profiles")
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "b\ndefault\na b\nc\n", ""))

    def test_list_masks_secrets(self):
        self.write(self.credentials, f"[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {SECRET}\n")
        self.write(self.config, "[profile dev]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/a\n")
        p = self.mfaenv("list", "--profile", "dev")
        self.assertEqual(p.returncode, 0)
        self.assertNotIn(SECRET, p.stdout)
        self.assertNotIn("AKIAIOSFODNN7EXAMPLE", p.stdout)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["Name", "Value", "Type", "Location"])
        self.assertEqual(lines[2].split(), ["profile", "dev", "manual", "--profile"])
        self.assertEqual(lines[4].split(), ["secret_key", "****************EKEY", "shared-credentials-file",
                                            self.credentials])
        self.assertEqual(lines[5].split(), ["region", "eu-west-1", "config-file", self.config])
        self.assertIn("mfa_serial", p.stdout)

    def test_invalid_file_exits_6_naming_file_and_line_without_the_secret(self):
        self.write(self.credentials, f"[default]\naws_access_key_id = AKIA\n{SECRET}\n")
        for args in (("get", "region"), ("profiles",), ("list",), ("set", "aws_access_key_id", "AKIA2")):
            p = self.mfaenv(*args)
            self.assertEqual(p.returncode, 6, args)
            self.assertIn(f"{self.credentials}:3:", p.stderr)
            self.assertEqual(len(p.stderr.splitlines()), 1)

    def test_directory_in_place_of_the_config_is_empty_with_a_warning(self):
        os.makedirs(self.config)
        self.write(self.credentials, "[a]\n")
        p = self.mfaenv("profiles")
        self.assertEqual((p.returncode, p.stdout), (0, "a\n"))
        self.assertIn("is a directory", p.stderr)

    def test_values_that_cannot_be_written(self):
        p = self.mfaenv("set", "aws_secret_access_key", SECRET + "\nx")
        self.assertEqual(p.returncode, 2)
        p = self.mfaenv("set", "region", " leading")
        self.assertEqual(p.returncode, 2)
        self.assertFalse(os.path.exists(self.config))

    def test_warns_when_the_credentials_file_wins(self):
        self.write(self.credentials, "[default]\nregion = from-credentials\n")
        p = self.mfaenv("set", "region", "from-config")
        self.assertEqual(p.returncode, 0)
        self.assertIn("wins", p.stderr)
        self.assertEqual(self.mfaenv("get", "region").stdout, "from-credentials\n")


if __name__ == "__main__":
    if not BINARY or not os.access(BINARY, os.X_OK):
        sys.exit("config_command_test: set MFAENV_BINARY to the built mfaenv")
    unittest.main()
