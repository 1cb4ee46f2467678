#!/usr/bin/python3
"""Keys off the disk (issue 16) with the file backend, end to end against the emulator: import moves
the plaintext keys out of ~/.aws/credentials keeping every other byte, and a failure (or a kill) at
each step leaves the plaintext in place; import from a .envrc of the direnv seed's shape; the warm
path never needs the passphrase; --no-prompt with a locked store is exit 3; rotation succeeds, is
refused with two keys, waits for a slow key, and a failure or SIGKILL after each step leaves a
stored key that works; no key id or secret in argv, stderr, --debug or any file but the store."""
import glob
import json
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

from mfaenv_env import EmulatorTest, MFAENV, W, Home, harness

HERE = os.path.dirname(os.path.abspath(__file__))
PASS = "test passphrase 16"
CREDENTIALS = (
    "# keys for work\n[alice]\naws_access_key_id = AKIAALICE0EXAMPLE001\n"
    "aws_secret_access_key = aliceSecretKey/EXAMPLE+0123456789abcdefg\nregion = eu-west-1\n\n"
    "[bob]\naws_access_key_id = AKIABOB00EXAMPLE0002\naws_secret_access_key = bobSecretKey/EXAMPLE+0123456789abcdefghi\n"
    "; trailing comment\n")
WITHOUT_ALICE = (
    "# keys for work\n[alice]\nregion = eu-west-1\n\n"
    "[bob]\naws_access_key_id = AKIABOB00EXAMPLE0002\naws_secret_access_key = bobSecretKey/EXAMPLE+0123456789abcdefghi\n"
    "; trailing comment\n")


class KeysTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {"profile alice": {"mfa_serial": W.ALICE_MFA, "region": "eu-west-1"},
                                    "profile bob": {}})
        self.home.env["XDG_DATA_HOME"] = os.path.join(self.home.dir, "data")
        self.home.env["MFAENV_FILE_PASSPHRASE"] = PASS
        self.home.env["MFAENV_ROTATE_WAIT"] = "20s"
        with open(self.credentials, "w") as f:
            f.write(CREDENTIALS)
        os.chmod(self.credentials, 0o600)
        self.addCleanup(shutil.rmtree, self.home.dir, True)

    @property
    def credentials(self):
        return self.home.env["AWS_SHARED_CREDENTIALS_FILE"]

    def read(self, path):
        with open(path) as f:
            return f.read()

    def login(self, profile, **env):
        args = ["login", profile, "--force"]
        if profile == "alice":
            args += ["--token-code", self.emu.fresh_totp(W.ALICE_MFA)]
        return self.home.mfaenv(*args, env=env)

    def assert_clean(self, result, *secrets):
        text = result.stdout + result.stderr
        for s in (W.ALICE_SECRET, W.BOB_SECRET, W.ALICE_KEY, W.BOB_KEY, PASS) + secrets:
            self.assertNotIn(s, text)

    def key_file(self, profile):
        return os.path.join(self.home.dir, "data", "mfaenv", "keys", profile + ".keys")

    # -- import ----------------------------------------------------------------------------------
    def test_import_moves_keys_and_keeps_every_other_byte(self):
        r = self.home.mfaenv("keys", "import", "bob", "--backend", "file", "--debug")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_clean(r)
        self.assertEqual(self.read(self.credentials), CREDENTIALS.replace(
            "aws_access_key_id = AKIABOB00EXAMPLE0002\naws_secret_access_key = bobSecretKey/EXAMPLE+0123456789abcdefghi\n", ""))
        self.assertIn("mfaenv_keyring = file", self.read(self.home.env["AWS_CONFIG_FILE"]))
        st = os.stat(self.key_file("bob"))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(self.key_file("bob"))).st_mode), 0o700)
        with open(self.key_file("bob"), "rb") as f:
            sealed = f.read()
        self.assertNotIn(W.BOB_SECRET.encode(), sealed)
        self.assertNotIn(W.BOB_KEY.encode(), sealed)
        # The keys work from the store, with --debug clean of them.
        r = self.home.mfaenv("login", "bob", "--debug")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_clean(r)
        # No file but the store holds them (cache, config, credentials).
        for path in glob.glob(os.path.join(self.home.dir, "**", "*"), recursive=True):
            if os.path.isfile(path) and path != self.key_file("bob"):
                with open(path, "rb") as f:
                    data = f.read()
                self.assertNotIn(W.BOB_SECRET.encode(), data, path)

    def test_import_failure_at_each_step_leaves_the_plaintext(self):
        for step in ("store", "read-back", "record", "remove-plaintext"):
            for mode in ("fail", "kill"):
                with self.subTest(step=step, mode=mode):
                    r = self.home.mfaenv("keys", "import", "alice", "--backend", "file",
                                         env={"MFAENV_TEST_FAULT": f"{mode}:{step}"})
                    self.assertNotEqual(r.returncode, 0)
                    if mode == "fail":
                        self.assertIn("the plaintext keys are still in", r.stderr)
                        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
                    else:
                        self.assertEqual(r.returncode, -9)
                    self.assertEqual(self.read(self.credentials), CREDENTIALS)
                    self.assert_clean(r)
                    # Whatever happened, the profile still logs in.
                    r = self.login("alice")
                    self.assertEqual(r.returncode, 0, r.stderr)
        r = self.home.mfaenv("keys", "import", "alice", "--backend", "file")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read(self.credentials), WITHOUT_ALICE)

    def test_import_from_envrc(self):
        envrc = os.path.join(self.home.dir, ".envrc")
        shutil.copy(os.path.join(HERE, "data", "seed.envrc"), envrc)
        before = self.read(envrc)
        r = self.home.mfaenv("keys", "import", "seed", "--backend", "file", "--from-envrc", envrc)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "use mfaenv seed\n")
        self.assertIn("lines of", r.stderr)
        self.assertIn(": 3, 4", r.stderr)
        self.assertEqual(self.read(envrc), before)  # read, never run, never edited
        self.assert_clean(r)
        self.assertTrue(os.path.exists(self.key_file("seed")))

    def test_import_from_envrc_refuses_a_continued_line(self):
        # Attack 2, F23: sh joins "…\\<newline>…"; taking the first line alone stored a wrong key.
        envrc = os.path.join(self.home.dir, ".envrc")
        with open(envrc, "w") as f:
            f.write("export MASTER_AWS_ACCESS_KEY_ID=AKIAENVRC00000000001\n"
                    "export MASTER_AWS_SECRET_ACCESS_KEY=envrcSecretKeyXXXXXX\\\nXXXXXXXXXXXXXXXXXXXX\n")
        r = self.home.mfaenv("keys", "import", "bob", "--backend", "file", "--from-envrc", envrc)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"{envrc}:2: MASTER_AWS_SECRET_ACCESS_KEY holds a backslash", r.stderr)
        self.assertFalse(os.path.exists(self.key_file("bob")))

    # -- the warm path and --no-prompt -------------------------------------------------------------
    def test_warm_path_never_opens_the_store(self):
        self.assertEqual(self.home.mfaenv("keys", "import", "alice", "--backend", "file").returncode, 0)
        self.assertEqual(self.login("alice").returncode, 0)
        env = {"MFAENV_FILE_PASSPHRASE": ""}
        r = self.home.mfaenv("env", "alice", "--no-prompt", env=dict(env, LD_DEBUG="libs"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("calling init", r.stderr)  # the loader did report
        for lib in ("libsecret", "libglib", "libdbus", "libgpg", "libcurl"):
            self.assertNotIn(lib, r.stderr)
        # A store that would ask: exit 3 saying what is needed. Here: no session (logout) for bob.
        self.assertEqual(self.home.mfaenv("keys", "import", "bob", "--backend", "file").returncode, 0)
        r = self.home.mfaenv("env", "bob", "--no-prompt", env=env)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("MFAENV_FILE_PASSPHRASE", r.stderr)
        r = self.home.mfaenv("env", "bob", env={"MFAENV_FILE_PASSPHRASE": "wrong"})
        self.assertEqual(r.returncode, 1)
        self.assertIn("wrong passphrase", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)

    def test_list_and_remove(self):
        self.assertEqual(self.home.mfaenv("keys", "import", "bob", "--backend", "file").returncode, 0)
        r = self.home.mfaenv("keys", "list", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = {(x["Profile"], x["Backend"]): x for x in json.loads(r.stdout)}
        self.assertEqual(rows[("bob", "file")]["AccessKeyId"], "AKIA…0002")
        self.assertEqual(rows[("alice", "credentials-file")]["AccessKeyId"], "AKIA…E001")
        self.assertNotIn(W.BOB_KEY, r.stdout)
        r = self.home.mfaenv("keys", "remove", "bob")
        self.assertNotEqual(r.returncode, 0)  # asks, and there is no terminal
        self.assertTrue(os.path.exists(self.key_file("bob")))
        r = self.home.mfaenv("keys", "remove", "bob", "--force")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(self.key_file("bob")))
        self.assertNotIn("mfaenv_keyring", self.read(self.home.env["AWS_CONFIG_FILE"]))

    def test_add_from_env_takes_the_seed_variables(self):
        r = self.home.mfaenv("keys", "add", "carol", "--backend", "file", "--from-env",
                             env={"MASTER_AWS_ACCESS_KEY_ID": W.CAROL_KEY, "MASTER_AWS_SECRET_ACCESS_KEY": W.CAROL_SECRET})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_clean(r, W.CAROL_SECRET, W.CAROL_KEY)
        r = self.home.mfaenv("keys", "add", "carol", "--backend", "file", "--from-env",
                             env={"MASTER_AWS_ACCESS_KEY_ID": "ASIATEMPORARY0000001", "MASTER_AWS_SECRET_ACCESS_KEY": W.CAROL_SECRET})
        self.assertEqual(r.returncode, 2)
        self.assertIn("temporary", r.stderr)

    # -- hardening, second pass (attack 2: docs/hardening.md) ------------------------------------------
    def add_to_alice(self, line):
        path = self.home.env["AWS_CONFIG_FILE"]
        text = self.read(path)
        self.assertIn("[profile alice]\n", text)
        with open(path, "w") as f:
            f.write(text.replace("[profile alice]\n", f"[profile alice]\n{line}\n", 1))

    def test_f7_passphrase_process_that_hangs_or_floods_says_it_was_stopped(self):
        self.assertEqual(self.home.mfaenv("keys", "import", "alice", "--backend", "file").returncode, 0)
        for command, words in (("sleep 30", ("did not finish within 2s and was stopped", "MFAENV_PROCESS_TIMEOUT")),
                               ("head -c 10000000 /dev/zero", ("printed more than 4096 bytes and was stopped",))):
            with self.subTest(command=command):
                original = self.read(self.home.env["AWS_CONFIG_FILE"])
                self.add_to_alice(f"mfaenv_passphrase_process = {command}")
                r = self.login("alice", MFAENV_FILE_PASSPHRASE="", MFAENV_PROCESS_TIMEOUT="2")
                with open(self.home.env["AWS_CONFIG_FILE"], "w") as f:
                    f.write(original)
                self.assertEqual(r.returncode, 1, r.stderr)
                for word in words:
                    self.assertIn(word, r.stderr)
                self.assertIn("mfaenv_passphrase_process of profile 'alice'", r.stderr)
                self.assertNotIn("exit status", r.stderr)
                self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
                self.assertLess(r.elapsed, 20)

    def test_f10_passphrase_is_never_handed_to_a_child(self):
        dump = os.path.join(self.home.dir, "child-env")
        script = os.path.join(self.home.dir, "cp.sh")
        with open(script, "w") as f:
            f.write(f"#!/bin/sh\nenv > {dump}.cp\n"
                    "echo '{\"Version\":1,\"AccessKeyId\":\"AKIACPEXAMPLE0000001\",\"SecretAccessKey\":\"cpsecret\"}'\n")
        os.chmod(script, 0o700)
        self.add_to_alice(f"mfa_process = env > {dump}.mfa; {self.home.mfa_process}")
        with open(self.home.env["AWS_CONFIG_FILE"], "a") as f:
            f.write(f"\n[profile cp]\ncredential_process = {script}\n")
        r = self.home.mfaenv("login", "alice", "--force")
        self.assertEqual(r.returncode, 0, r.stderr)
        r2 = self.home.mfaenv("env", "cp")
        self.assertEqual(r2.returncode, 0, r2.stderr)
        for helper in ("mfa", "cp"):
            text = self.read(f"{dump}.{helper}")
            self.assertIn("HOME=", text)  # it did run, with the rest of the environment
            self.assertNotIn(PASS, text, helper)
            self.assertNotIn("MFAENV_FILE_PASSPHRASE", text, helper)
        for server in ((), ("--server",)):
            with self.subTest(server=server):
                r = self.home.mfaenv("exec", "alice", *server, "--", "env")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("HOME=", r.stdout)
                self.assertNotIn(PASS, r.stdout)
                self.assertNotIn("MFAENV_FILE_PASSPHRASE", r.stdout)
        # mfaenv itself still reads it: the key store opens with it.
        self.assertEqual(self.home.mfaenv("keys", "import", "bob", "--backend", "file").returncode, 0)
        r = self.home.mfaenv("login", "bob", "--force")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_f12_key_store_refuses_an_empty_or_relative_home(self):
        cwd = tempfile.mkdtemp(prefix="mfaenv-cwd-")
        self.addCleanup(shutil.rmtree, cwd, True)
        planted = "/.local/share/mfaenv/keys/alice.keys"
        existed = os.path.exists(planted)
        folder_existed = os.path.exists(os.path.dirname(planted))
        try:
            for home in ("", "relhome"):
                with self.subTest(home=home):
                    env = dict(self.home.env, HOME=home, XDG_DATA_HOME="")
                    r = subprocess.run([MFAENV, "keys", "import", "alice", "--backend", "file"], env=env, cwd=cwd,
                                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
                    self.assertEqual(r.returncode, 1, r.stderr)
                    self.assertIn(f"HOME = '{home}' is not an absolute path", r.stderr)
                    self.assertIn("XDG_DATA_HOME", r.stderr)
                    self.assertEqual(self.read(self.credentials), CREDENTIALS)  # nothing removed
                    self.assertEqual(os.listdir(cwd), [])
                    self.assertEqual(os.path.exists(planted), existed)
                    self.assert_clean(r)
        finally:
            # Before the fix (HOME= as root) the file and its folders were made under /: not left there.
            if not existed and os.path.exists(planted):
                os.remove(planted)
            if not folder_existed and os.path.isdir(os.path.dirname(planted)):
                os.removedirs(os.path.dirname(planted))
        # An absolute XDG_DATA_HOME still places the store whatever HOME is.
        env = dict(self.home.env, HOME="")
        r = subprocess.run([MFAENV, "keys", "import", "alice", "--backend", "file"], env=env, cwd=cwd,
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(self.key_file("alice")))

    def test_f19_key_file_not_private_or_not_ours_is_refused_with_the_fix(self):
        self.assertEqual(self.home.mfaenv("keys", "import", "alice", "--backend", "file").returncode, 0)
        key = self.key_file("alice")
        os.chmod(key, 0o644)
        r = self.login("alice")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(f"is open to other users (mode 644): run 'chmod 600 {key}'", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        os.chmod(key, 0o600)
        self.assertEqual(self.login("alice").returncode, 0)
        if os.geteuid() != 0:
            self.skipTest("chown to another user needs root")
        os.chown(key, 65534, -1)
        r = self.login("alice")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(f"{key} belongs to user id 65534", r.stderr)
        self.assertIn("mfaenv keys add", r.stderr)
        os.chown(key, 0, -1)
        folder = os.path.dirname(key)
        os.chown(folder, 65534, -1)
        r = self.login("alice")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(f"{folder} belongs to user id 65534", r.stderr)
        self.assertIn("XDG_DATA_HOME", r.stderr)
        self.assertNotIn("MFAENV_CACHE_DIR", r.stderr)
        os.chown(folder, 0, -1)
        self.assertEqual(self.login("alice").returncode, 0)

    # -- rotation ----------------------------------------------------------------------------------
    def rotate(self, profile, *args, **env):
        args = ["keys", "rotate", profile, *args]
        if profile == "alice":
            args += []  # the MFA session comes from the cache (login below)
        return self.home.mfaenv(*args, env=env, timeout=120)

    def stored_key_works(self, profile):
        r = self.login(profile)
        return r.returncode == 0, r.stderr

    def test_rotation_with_mfa(self):
        self.assertEqual(self.home.mfaenv("keys", "import", "alice", "--backend", "file").returncode, 0)
        self.assertEqual(self.login("alice").returncode, 0)  # the MFA session rotate uses
        r = self.rotate("alice", "--debug")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_clean(r)
        keys = self.emu.keys("alice")
        self.assertEqual(len(keys), 1)
        self.assertNotEqual(keys[0]["id"], W.ALICE_KEY)
        self.assertNotIn(keys[0]["id"], r.stderr)
        self.assertTrue(*self.stored_key_works("alice"))
        # alice's policy denies IAM without MFA: the calls were made with the MFA session.
        self.assertEqual(self.emu.count("CreateAccessKey", "ok"), 1)

    def test_rotation_refused_with_two_keys(self):
        self.assertEqual(self.home.mfaenv("keys", "import", "bob", "--backend", "file").returncode, 0)
        self.emu.control("POST", "keys", {"account": W.ACCOUNT, "user": "bob"})
        r = self.rotate("bob")
        self.assertEqual(r.returncode, 1)
        self.assertIn("has two", r.stderr)
        self.assertIn("aws iam delete-access-key", r.stderr)
        self.assertEqual(len(self.emu.keys("bob")), 2)
        self.assertTrue(*self.stored_key_works("bob"))

    def test_rotation_waits_for_a_slow_key_and_gives_up_cleanly(self):
        self.assertEqual(self.home.mfaenv("keys", "import", "bob", "--backend", "file").returncode, 0)
        self.emu.set_key_propagation_delay(5)
        r = self.rotate("bob", "--keep-old")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("waiting for IAM", r.stderr)
        statuses = sorted(k["status"] for k in self.emu.keys("bob"))
        self.assertEqual(statuses, ["Active", "Inactive"])
        self.assertTrue(*self.stored_key_works("bob"))
        # Too slow: the new key is deleted again and the stored key still works.
        self.emu.control("DELETE", "keys", {"id": W.BOB_KEY})  # the old, inactive key
        self.emu.set_key_propagation_delay(3600)
        stored_before = self.read_bytes(self.key_file("bob"))
        r = self.rotate("bob", MFAENV_ROTATE_WAIT="3s")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("is still stored in", r.stderr)
        self.assertEqual(self.read_bytes(self.key_file("bob")), stored_before)
        self.assertEqual(len(self.emu.keys("bob")), 1)  # the new key was deleted again
        self.assertTrue(*self.stored_key_works("bob"))

    def read_bytes(self, path):
        with open(path, "rb") as f:
            return f.read()

    def test_rotation_failure_or_kill_after_each_step_leaves_a_working_key(self):
        self.assertEqual(self.home.mfaenv("keys", "import", "bob", "--backend", "file").returncode, 0)
        for step in ("list", "create", "verify", "store", "read-back", "deactivate", "delete"):
            for mode in ("fail", "kill"):
                with self.subTest(step=step, mode=mode):
                    r = self.rotate("bob", MFAENV_TEST_FAULT=f"{mode}:{step}")
                    self.assertNotEqual(r.returncode, 0, r.stderr)
                    if mode == "fail":
                        self.assertIn("injected failure", r.stderr)
                        self.assertRegex(r.stderr, r"(still stored in|is stored in)")
                        self.assertEqual(len(r.stderr.strip().splitlines()[-1:]), 1)
                    else:
                        self.assertEqual(r.returncode, -9)
                    self.assert_clean(r)
                    ok, err = self.stored_key_works("bob")
                    self.assertTrue(ok, f"{mode}:{step}: {err}")
                    # The user's clean-up between rounds: only the stored (working) key stays at IAM.
                    stored = self.emu.calls("GetSessionToken", "ok")[-1]["access_key_id"]
                    for k in self.emu.keys("bob"):
                        if k["id"] != stored:
                            self.emu.control("DELETE", "keys", {"id": k["id"]})
                    self.assertEqual([k["status"] for k in self.emu.keys("bob")], ["Active"])


if __name__ == "__main__":
    unittest.main()
