#!/usr/bin/python3
"""The first hour of a new user (issue 14, Deliver 5), each tried as they would: exec's exit codes
for a missing or non-executable command, a pasted "123 456" code, what status shows (credential_process
profiles, "refresh due", a broken profile's exit code, columns, one JSON shape), what logout says
stays and the lock files it removes, and `config set KEY -` reading the value from stdin."""
import json
import os
import re
import subprocess
import unittest

from mfaenv_env import EmulatorTest, MFAENV, W, Home, assert_no_secret, harness

ALICE_KEYS = {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}
LONG_NAME = "team-platform-production-eu-west-1-breakglass-administrator"


class FirstHour(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        self.config = {
            "profile alice": {"mfa_serial": W.ALICE_MFA, "mfa_process": self.home.mfa_process,
                              "region": "eu-west-1", "mfaenv_mfa_max_age": "1h"},
            "profile admin": {"role_arn": W.ADMIN_ROLE, "source_profile": "alice"},
            "profile alice-sdk": {"credential_process": f"{MFAENV} credential-process alice"},
            "profile broken": {"role_arn": W.ADMIN_ROLE, "source_profile": "nobody"},
            f"profile {LONG_NAME}": {"role_arn": W.ADMIN_ROLE, "source_profile": "alice"},
        }
        harness.write_aws_files(self.home.dir, self.config, {"alice": ALICE_KEYS})

    def status(self, *args, env=None):
        r = self.home.mfaenv("status", *args, "--json", env=env)
        return r.returncode, json.loads(r.stdout)

    # exec: the exit codes shells use.
    def test_exec_of_a_missing_command_exits_127_and_of_a_non_executable_126(self):
        self.assertEqual(self.home.mfaenv("login", "alice").returncode, 0)
        r = self.home.mfaenv("exec", "alice", "--", "no-such-command-mfaenv")
        self.assertEqual(r.returncode, 127, r.stderr)
        self.assertIn("no-such-command-mfaenv: command not found", r.stderr)
        script = os.path.join(self.home.dir, "script.sh")
        with open(script, "w") as f:
            f.write("#!/bin/sh\necho hi\n")
        os.chmod(script, 0o644)
        r = self.home.mfaenv("exec", "alice", "--", script)
        self.assertEqual(r.returncode, 126, r.stderr)
        self.assertIn("chmod +x", r.stderr)
        self.assertEqual(self.home.mfaenv("exec", "alice", "--", os.path.join(self.home.dir, "missing")).returncode, 127)
        # As bash does for the same two commands.
        self.assertEqual(subprocess.run(["bash", "-c", "no-such-command-mfaenv"], capture_output=True).returncode, 127)
        self.assertEqual(subprocess.run(["bash", "-c", script], capture_output=True).returncode, 126)

    # --token-code takes what the prompt takes: "123 456" as authenticator apps show it.
    def test_token_code_with_a_space_is_accepted(self):
        code = self.emu.fresh_totp(W.ALICE_MFA)
        harness.write_aws_files(self.home.dir, {"profile alice": {"mfa_serial": W.ALICE_MFA}}, {"alice": ALICE_KEYS})
        r = self.home.mfaenv("login", "alice", "--token-code", f" {code[:3]} {code[3:]} ")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
        self.assertNotIn(code, r.stderr)
        r = self.home.mfaenv("login", "alice", "--force", "--token-code", "123 45")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("six digits", r.stderr)

    # status
    def test_status_shows_a_credential_process_profile_as_such(self):
        rc, [s] = self.status("alice-sdk")
        self.assertEqual(rc, 0)
        self.assertEqual(s["state"], "credential-process")
        # Only the program: a credential_process's arguments may hold keys or seeds.
        self.assertEqual(s["credential_process"], MFAENV)
        detail = self.home.mfaenv("status", "alice-sdk").stdout
        self.assertIn("from credential_process: ", detail)
        self.assertNotIn("long-term", detail)
        table = self.home.mfaenv("status").stdout
        self.assertRegex(table, r"alice-sdk\s+credential-process\s+credential_process: ")

    def test_status_inside_the_refresh_margin_is_refresh_due_not_expired(self):
        self.assertEqual(self.home.mfaenv("login", "alice").returncode, 0)
        self.assertEqual(self.status("alice", env=self.home.synced())[1][0]["state"], "valid")
        self.emu.advance_clock(50 * 60)  # max age 1 h, margin 15 min: due at 45 min, expires at 60
        rc, [s] = self.status("alice", env=self.home.synced())
        self.assertEqual((rc, s["state"]), (0, "refresh-due"))
        self.assertRegex(self.home.mfaenv("status", env=self.home.synced()).stdout, r"\nalice\s+refresh due\s+expires in ")
        self.assertIn("refresh due as", self.home.mfaenv("status", "alice", env=self.home.synced()).stdout)
        self.emu.advance_clock(11 * 60)
        self.assertEqual(self.status("alice", env=self.home.synced())[1][0]["state"], "expired")

    def test_status_of_a_broken_profile_exits_with_its_error_code(self):
        r = self.home.mfaenv("status", "broken")
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("nobody", r.stdout)
        rc, [s] = self.status("broken")
        self.assertEqual(rc, 6)
        self.assertEqual(s["state"], "error")
        self.assertIn("nobody", s["error"])
        # The overview of every profile still succeeds and shows the problem in its row.
        r = self.home.mfaenv("status")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"\nbroken\s+error\s+.*nobody")

    def test_status_columns_hold_with_long_values(self):
        self.assertEqual(self.home.mfaenv("login", "admin").returncode, 0)
        self.emu.advance_clock(50 * 60)
        r = self.home.mfaenv("status", env=self.home.synced())
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.rstrip("\n").split("\n")
        self.assertEqual(len(lines), 1 + len(self.config))
        header = lines[0]
        starts = [header.index(h) for h in ("SESSION", "LEFT", "MFA DEVICE")]
        for line in lines[1:]:
            for start in starts:  # nothing runs into the next column
                self.assertEqual(line[start - 2:start], "  ", (line, start))
            # each value sits under its heading
            self.assertIn(line[starts[0]:starts[1]].strip(),
                          {"valid", "refresh due", "none", "error", "credential-process"}, line)
            self.assertRegex(line[starts[1]:starts[2]].strip(), r"^(|expires in .*|in .*)$", line)
        long_row = [line for line in lines if line.startswith(LONG_NAME[:20])][0]
        self.assertIn("…", long_row)  # cut, and shown whole by status NAME
        self.assertIn(LONG_NAME, self.home.mfaenv("status", LONG_NAME).stdout)

    def test_status_json_has_one_shape_with_and_without_a_profile(self):
        self.assertEqual(self.home.mfaenv("login", "alice").returncode, 0)
        rc, every = self.status()
        self.assertEqual(rc, 0)
        self.assertIsInstance(every, list)
        by_name = {s["profile"]: s for s in every}
        for name in ("alice", "alice-sdk", "broken"):
            _, one = self.status(name)
            self.assertIsInstance(one, list)
            self.assertEqual(len(one), 1)
            self.assertEqual(sorted(one[0]), sorted(by_name[name]), name)
            self.assertEqual(one[0]["state"], by_name[name]["state"])
        _, via_env = self.status(env={"AWS_PROFILE": "alice"})
        self.assertEqual([s["profile"] for s in via_env], ["alice"])

    # logout
    def test_logout_of_a_role_says_the_mfa_session_stays_and_how_to_forget_it(self):
        self.assertEqual(self.home.mfaenv("login", "admin").returncode, 0)
        r = self.home.mfaenv("logout", "admin")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("forgot 1 cached session of profile 'admin'", r.stderr)
        self.assertIn("MFA session beneath it (profile 'alice'", r.stderr)
        self.assertIn("stays", r.stderr)
        self.assertIn("mfaenv logout admin --mfa-session", r.stderr)
        self.assertEqual(self.status("alice")[1][0]["state"], "valid")
        r = self.home.mfaenv("logout", "admin", "--mfa-session")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("stays", r.stderr)
        self.assertEqual(self.status("alice")[1][0]["state"], "none")
        assert_no_secret(self, r.stderr)

    def test_logout_removes_the_lock_files_it_no_longer_needs(self):
        cache = os.path.join(self.home.env["XDG_CACHE_HOME"], "mfaenv")
        locks = lambda: sorted(n for n in os.listdir(cache) if n.endswith(".lock"))  # noqa: E731
        self.assertEqual(self.home.mfaenv("login", "admin").returncode, 0)
        mfa_key = os.path.basename(self.status("alice")[1][0]["cache_file"])[:-5]
        role_key = os.path.basename(self.status("admin")[1][0]["cache_file"])[:-5]
        self.assertEqual(locks(), sorted([mfa_key + ".lock", role_key + ".lock"]))
        self.assertEqual(self.home.mfaenv("logout", "admin").returncode, 0)
        self.assertEqual(locks(), [mfa_key + ".lock"])  # the MFA session stays, and its lock
        self.assertEqual(self.home.mfaenv("login", "admin").returncode, 0)
        self.assertEqual(self.home.mfaenv("logout", "--all").returncode, 0)
        self.assertEqual(locks(), [])
        self.assertEqual([n for n in os.listdir(cache) if n.endswith(".json")], [])

    def test_a_lock_held_by_a_refresh_is_not_removed(self):
        self.assertEqual(self.home.mfaenv("login", "alice").returncode, 0)
        lock = self.status("alice")[1][0]["cache_file"][:-5] + ".lock"
        holder = subprocess.Popen(["flock", lock, "sleep", "30"], start_new_session=True)
        try:
            for _ in range(100):
                if subprocess.run(["flock", "-n", lock, "true"]).returncode != 0:
                    break
            r = self.home.mfaenv("logout", "--all")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(os.path.exists(lock))
        finally:
            holder.kill()
            holder.wait()

    # config set KEY -
    def test_config_set_reads_the_value_from_stdin(self):
        secret = "pasted/Secret+Key0123456789abcdefghijklm"
        r = self.home.mfaenv("config", "set", "aws_secret_access_key", "-", "--profile", "carol", input=secret + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        assert_no_secret(self, r.stderr, [secret])
        with open(os.path.join(self.home.dir, ".aws", "credentials")) as f:
            self.assertIn(f"aws_secret_access_key = {secret}\n", f.read())
        r = self.home.mfaenv("config", "get", "aws_secret_access_key", "--profile", "carol")
        self.assertEqual(r.stdout, secret + "\n")
        r = self.home.mfaenv("config", "set", "region", "-", "--profile", "carol", input="eu-central-1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.home.mfaenv("config", "get", "region", "--profile", "carol").stdout, "eu-central-1\n")
        r = self.home.mfaenv("config", "set", "region", "-", "--profile", "carol", input="")
        self.assertEqual(r.returncode, 2)
        self.assertIn("standard input, which was empty", r.stderr)
        r = self.home.mfaenv("config", "set", "region", "-", "--profile", "carol", input="a\nb\n")
        self.assertEqual(r.returncode, 2)
        self.assertIn("more than one line", r.stderr)
        self.assertEqual(self.home.mfaenv("config", "get", "region", "--profile", "carol").stdout, "eu-central-1\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
