#!/usr/bin/python3
"""Hardening, second pass (issue 13): the defects an attack on the built tool found, each run end to
end against the STS emulator. Every test here failed on the code before its fix; docs/hardening.md
("Second pass") lists defect -> test -> fix."""
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import unittest
from datetime import datetime, timezone

from mfaenv_env import MFAENV, EmulatorTest, Home, W, assert_no_secret, harness

SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # a TOTP seed that must never be quoted back


def is_sanitizer_build(binary):
    """AddressSanitizer's runtime is linked into the binary (as tests/cli/test_cli.py checks)."""
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


def iso(epoch):
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch_of(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


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

    # -- attack 2, F24: suggested commands quote the profile -----------------------------------
    def test_f24_suggested_commands_quote_the_profile(self):
        # A quoted section name may hold anything: pasting "run 'mfaenv login dev; touch X'" ran touch.
        name = "dev; touch PWNED"
        harness.write_aws_files(self.home.dir, {
            "profile alice": {"mfa_serial": W.ALICE_MFA, "mfa_process": self.home.mfa_process, "region": "eu-west-1"},
            f'profile "{name}"': {"role_arn": W.READONLY_ROLE, "source_profile": "alice"}},
            {"alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})
        quoted = "'dev; touch PWNED'"
        r = self.home.mfaenv("env", name, "--no-prompt")
        self.assertIn(f"run 'mfaenv login {quoted}'", self.one_line(r, 3))
        r = self.home.mfaenv("status", name)
        self.assertIn(f"none; run 'mfaenv login {quoted}'", r.stdout)
        r = self.home.mfaenv("env", "alice", "--no-prompt")  # a plain name stays as people type it
        self.assertIn("run 'mfaenv login alice'", self.one_line(r, 3))
        self.assertEqual(self.home.mfaenv("login", "alice", env=self.home.synced()).returncode, 0)
        self.assertEqual(self.home.mfaenv("login", name, env=self.home.synced()).returncode, 0)
        r = self.home.mfaenv("logout", name, env=self.home.synced())
        self.assertIn(f"'mfaenv logout {quoted} --mfa-session' forgets it too", r.stderr)

    # -- attack 2, F8: `config list` shows a helper's program, not its arguments ----------------
    def test_f8_config_list_hides_helper_arguments(self):
        harness.write_aws_files(self.home.dir, {
            "profile alice": {"mfa_serial": W.ALICE_MFA, "mfa_process": f"oathtool --totp -b {SEED}"},
            "profile cp": {"credential_process": "/opt/bin/helper --key AKIAXX --secret INLINESECRETX",
                           "mfaenv_passphrase_process": "pass show PASSPATHX"}}, {})
        for profile, program, secrets in (("alice", "oathtool", [SEED]),
                                          ("cp", "helper", ["INLINESECRETX", "PASSPATHX"])):
            r = self.home.mfaenv("config", "list", "--profile", profile)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(f"{program} (arguments hidden;", r.stdout)
            assert_no_secret(self, r.stdout, secrets)
        r = self.home.mfaenv("config", "get", "mfa_process", "--profile", "alice")  # asked for: whole
        self.assertEqual(r.stdout.strip(), f"oathtool --totp -b {SEED}")

    # -- attack 2, F15: profile names with terminal escapes; scrubbing a 1-character secret --------
    def test_f15_profile_names_with_escapes_are_printed_escaped(self):
        name = "k\x1b]0;K\x07"
        with open(os.path.join(self.home.dir, ".aws", "credentials"), "a") as f:
            f.write(f"\n[{name}]\naws_access_key_id = AKIAEXAMPLEKEY00000\naws_secret_access_key = s\n")
        env = {"MFAENV_KEYRING": ""}
        for args in (("keys", "list"), ("config", "profiles"), ("console", name)):
            with self.subTest(args=args[:2]):
                r = self.home.mfaenv(*args, env=env)
                self.assertNotIn("\x1b", r.stdout + r.stderr)
                self.assertNotIn("\x07", r.stdout + r.stderr)
                self.assertIn("k\\x1b]0;K\\x07", r.stdout + r.stderr)
        # AWS refuses the key; its message quoted back is whole, not "The ***ecurity token".
        r = self.home.mfaenv("whoami", name, "--long-term")
        self.assertIn("security token", r.stderr)
        self.assertNotIn("***", r.stderr)

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

    def start_login(self, stderr=subprocess.PIPE, extra=None):
        env = dict(self.home.env)
        env.update(self.home.synced())
        env.update(extra or {})
        return subprocess.Popen([MFAENV, "login", "alice"], env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)

    def wait_for_call(self, action):
        for _ in range(200):
            if self.emu.calls(action):
                return
            time.sleep(0.05)
        self.fail(f"no {action} reached the emulator")

    def test_2c_code_of_a_killed_login_is_not_resent(self):
        # The code is consumed, the answer is late, and mfaenv is killed before it arrives: the
        # code must have been remembered before it was sent.
        for signal_number in (9, 15):
            with self.subTest(signal=signal_number):
                self.emu.advance_clock(30)  # a window no earlier round used
                self.near_window_end(20)
                self.emu.fault("slow", count=1, delay=3, phase="after", actions=["GetSessionToken"])
                login = self.start_login()
                self.wait_for_call("GetSessionToken")
                os.kill(login.pid, signal_number)
                login.communicate(timeout=30)
                r = self.home.mfaenv("login", "alice", env=self.home.synced(), timeout=90)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("already used; waiting", r.stderr)
                self.assertEqual([c for c in self.emu.calls("GetSessionToken") if c.get("code_reused")], [])
                self.home.mfaenv("logout", "alice")
                self.emu.clear_log()

    def test_2d_a_reader_that_goes_away_does_not_lose_the_session(self):
        # `mfaenv login 2>&1 | head -1`: stderr's reader is gone before STS answers. The session
        # paid for with a code is saved all the same (SIGPIPE used to kill mfaenv first).
        self.emu.fault("slow", count=1, delay=1, phase="after", actions=["GetSessionToken"])
        read_end, write_end = os.pipe()
        login = self.start_login(stderr=write_end, extra={"MFAENV_DEBUG": "1"})
        os.close(write_end)
        os.close(read_end)
        login.wait(timeout=60)
        self.assertEqual(self.emu.count("GetSessionToken"), 1)
        r = self.home.mfaenv("env", "alice", "--no-prompt", env=self.home.synced())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("AWS_SESSION_TOKEN", r.stdout)
        # On stdout, a reader that left is exit 1 without a message, not a crash by SIGPIPE.
        read_end, write_end = os.pipe()
        os.close(read_end)
        r = subprocess.run([MFAENV, "env", "alice"], env={**self.home.env, **self.home.synced()},
                           stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=30)
        os.close(write_end)
        self.assertEqual((r.returncode, r.stderr), (1, ""))

    def test_2e_a_source_stuck_on_one_code_is_refused_after_one_window(self):
        self.home.write_alice(mfa_process="echo 111111")
        self.near_window_end(3)
        r = self.home.mfaenv("login", "alice", env=self.home.synced(), timeout=90)
        line = self.one_line(r, 4) if "waiting" not in r.stderr else r.stderr.splitlines()[-1]
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("does not give the current code", line)
        self.assertIn("mfa_process of profile 'alice'", line)
        self.assertLess(r.elapsed, 30)
        self.assertEqual(self.emu.count("GetSessionToken"), 1)
        # A --token-code already sent is what AWS would refuse: exit 4, not a usage error.
        r = self.home.mfaenv("login", "alice", "--token-code", "111111", env=self.home.synced())
        self.assertIn("already used", self.one_line(r, 4))

    def test_10_mfa_time_is_when_the_code_was_sent_and_a_dead_login_is_no_success(self):
        # A short MFA age limit, and a login that first waits ~25 s for the next code window: the
        # session is timed from the send, not from before the wait.
        harness.write_aws_files(self.home.dir, {"profile alice": {
            "mfa_serial": W.ALICE_MFA, "mfa_process": self.home.mfa_process, "mfaenv_mfa_max_age": "20s"}},
            {"alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})
        self.near_window_end(25)
        code = self.emu.totp(W.ALICE_MFA)
        status, _, _ = self.emu.raw_request({"Action": "GetSessionToken", "Version": "2011-06-15",
                                             "SerialNumber": W.ALICE_MFA, "TokenCode": code},
                                            key=W.ALICE_KEY, secret=W.ALICE_SECRET)
        self.assertEqual(status, 200)
        r = self.home.mfaenv("login", "alice", timeout=90)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("waiting", r.stderr)
        self.assertNotIn(" ago)", r.stderr)
        r = self.home.mfaenv("env", "alice", "--no-prompt")
        self.assertEqual(r.returncode, 0, r.stderr)
        # A lifetime shorter than the time a login takes: no "logged in", exit 1 saying why.
        harness.write_aws_files(self.home.dir, {"profile alice": {
            "mfa_serial": W.ALICE_MFA, "mfa_process": self.home.mfa_process, "mfaenv_mfa_max_age": "1s"}},
            {"alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})
        self.emu.advance_clock(30)
        self.emu.fault("slow", count=1, delay=2, phase="after", actions=["GetSessionToken"])
        r = self.home.mfaenv("login", "alice", "--force", timeout=90)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("has already passed", r.stderr.splitlines()[-1])
        self.assertNotIn("logged in", r.stderr)

    def test_2f_login_sends_no_code_it_cannot_remember(self):
        # A full disk (here: a zero file-size limit) takes neither the code's hash nor the session.
        self.home.write_alice(mfa_process=self.emu.totp_command(self.home.secret_file))  # writes no file
        for _ in range(2):
            r = self.home.run("/bin/sh", "-c", f'ulimit -f 0; exec "{MFAENV}" login alice', env=self.home.synced())
            self.assertIn("no MFA code was sent", self.one_line(r, 1))
        self.assertEqual(self.emu.count("GetSessionToken"), 0)

    def test_6_serve_stops_when_nobody_got_its_address(self):
        self.assertEqual(self.home.mfaenv("login", "alice", env=self.home.synced()).returncode, 0)
        with open("/dev/full", "w") as full:
            r = subprocess.run([MFAENV, "serve", "alice"], env={**self.home.env, **self.home.synced()},
                               stdout=full, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, timeout=30)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("standard output", r.stderr)
        self.assertNotIn("serving profile", r.stderr)

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

    def run_measured(self, *args, timeout):
        """Runs mfaenv with stdout in a file; returns (exit code, peak RSS in MiB, stdout path). The
        peak is the child's own (wait4's rusage), so the test's Python is not counted."""
        out_path = os.path.join(self.home.dir, "out.txt")
        with open(out_path, "wb") as out, open(os.path.join(self.home.dir, "err.txt"), "wb") as err:
            child = subprocess.Popen([MFAENV, *args], env=self.home.env, stdout=out, stderr=err,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
            deadline = time.monotonic() + timeout
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    child.kill()
                    _, status, usage = os.wait4(child.pid, 0)
                    break
                time.sleep(0.05)
            child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        with open(os.path.join(self.home.dir, "err.txt"), "rb") as f:
            self.last_stderr = f.read(2000).decode(errors="replace")
        return child.returncode, usage.ru_maxrss / 1024, out_path

    def test_12_huge_configs_keep_memory_flat(self):
        # 800k empty profiles took 480 MB for `env` and `status` never finished (docs/hardening.md).
        # AddressSanitizer's shadow memory and slower code: fewer profiles there, and no bound on RSS
        # (its RSS measures the sanitizer, not mfaenv); the output is still checked.
        sanitizer = is_sanitizer_build(MFAENV)
        profiles = 100_000 if sanitizer else 800_000
        r = self.home.mfaenv("login", "alice")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.home.dir, ".aws", "config"), "a") as f:
            f.write("".join(f"[profile p{i}]\n" for i in range(profiles)))
        bound_mib = 256  # measured: about 100 MiB for 800k profiles; the code before: 480 MiB and more
        outputs = {}
        for args in (["status"], ["env", "alice", "--no-prompt"]):  # every profile, then one (the warm path)
            started = time.monotonic()
            code, rss_mib, out_path = self.run_measured(*args, timeout=60)
            took = time.monotonic() - started
            self.assertEqual(code, 0, f"{args}: exit {code} after {took:.0f} s, peak {rss_mib:.0f} MiB: {self.last_stderr}")
            if not sanitizer:
                self.assertLess(rss_mib, bound_mib, f"{args} took {rss_mib:.0f} MiB for {profiles} profiles")
            with open(out_path, "rb") as f:
                outputs[args[0]] = f.read()
        self.assertIn(b"AWS_SESSION_TOKEN=", outputs["env"])
        out = outputs["status"].split(b"\n")
        self.assertEqual(out.pop(), b"")
        self.assertEqual(len(out), profiles + 2)
        # The table: a header, alice (with her session), then every pN in the file's order.
        self.assertTrue(out[0].startswith(b"PROFILE"), out[0])
        self.assertRegex(out[1].decode(), r"^alice +valid ")
        self.assertTrue(out[2].startswith(b"p0 "), out[2])
        self.assertTrue(out[-1].startswith(b"p%d " % (profiles - 1)), out[-1])

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

    # -- 10: an STS answer already dead, or from the far future --------------------------------
    def expiry_served(self, profile):
        """The Expiration credential-process hands an SDK, as seconds from the emulator's now."""
        r = self.home.mfaenv("credential-process", profile, "--no-prompt", env=self.home.synced())
        self.assertEqual(r.returncode, 0, r.stderr)
        return epoch_of(json.loads(r.stdout)["Expiration"]) - self.emu.now()

    def test_10_expiry_in_the_past_is_refused_and_nothing_saved(self):
        for past in ("2001-01-01T00:00:00Z", iso(self.emu.now() - 1)):
            with self.subTest(past=past):
                self.emu.fault("rewrite", count=1, actions=["GetSessionToken"], field="Expiration", text=past)
                self.emu.advance_clock(30)  # a fresh code for each round
                r = self.home.mfaenv("login", "alice", env=self.home.synced())
                self.assertIn("already expired", self.one_line(r, 5))
                self.assertEqual(self.emu.count("GetSessionToken"), 1)
                r = self.home.mfaenv("env", "alice", "--no-prompt", env=self.home.synced())
                self.assertEqual(r.returncode, 3, r.stderr)  # nothing was cached: a code is needed
                self.emu.clear_log()

    def test_10_far_future_expiry_is_never_served_past_the_requested_duration(self):
        harness.write_aws_files(self.home.dir, {
            "profile alice": {"mfa_serial": W.ALICE_MFA, "mfa_process": self.home.mfa_process,
                              "region": "eu-west-1", "mfaenv_session_duration": "1h"},
            "profile admin": {"role_arn": W.ADMIN_ROLE, "source_profile": "alice", "duration_seconds": "900"}},
            {"alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})
        self.emu.fault("rewrite", actions=["GetSessionToken", "AssumeRole"], field="Expiration",
                       text="9999-12-31T23:59:59Z")
        r = self.home.mfaenv("login", "admin", env=self.home.synced())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.emu.count("AssumeRole"), 1)
        self.assertLessEqual(self.expiry_served("alice"), 3600 + 300)
        self.assertLessEqual(self.expiry_served("admin"), 900 + 300)
        r = self.home.mfaenv("status", "admin", "--json", env=self.home.synced())
        for row in json.loads(r.stdout):
            self.assertLess(epoch_of(row["expiration"]) - self.emu.now(), 3600 + 301, row)
        # Past the asked-for hour nothing is served, whatever the answer claimed.
        self.emu.advance_clock(3600 + 301)
        for profile in ("alice", "admin"):
            r = self.home.mfaenv("env", profile, "--no-prompt", env=self.home.synced())
            self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
            self.assertNotIn("AWS_SESSION_TOKEN", r.stdout)

    def test_10_credential_process_expiry_is_checked_and_carried(self):
        def cp(expiration):
            doc = {"Version": 1, "AccessKeyId": "ASIAPROCESS000000001", "SecretAccessKey": "S",
                   "SessionToken": "T", "Expiration": expiration}
            return f"printf '%s' '{json.dumps(doc)}'"
        soon = iso(time.time() + 3600)
        harness.write_aws_files(self.home.dir, {"profile dead": {"credential_process": cp("2000-01-01T00:00:00Z")},
                                                "profile live": {"credential_process": cp(soon)}}, {})
        for args in (["env", "dead"], ["credential-process", "dead"], ["exec", "dead", "--", "true"]):
            line = self.one_line(self.home.mfaenv(*args), 1)
            self.assertIn("expired", line, args)
        r = self.home.mfaenv("env", "live")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"export AWS_CREDENTIAL_EXPIRATION='{soon}'", r.stdout)
        r = self.home.mfaenv("exec", "live", "--", "/bin/sh", "-c", "echo $AWS_CREDENTIAL_EXPIRATION")
        self.assertEqual(r.stdout.strip(), soon, r.stderr)

    def test_10_cached_session_issued_in_the_future_is_not_believed(self):
        r = self.home.mfaenv("login", "alice", env=self.home.synced())
        self.assertEqual(r.returncode, 0, r.stderr)
        path = self.home.cache_file("alice")
        with open(path) as f:
            good = json.load(f)
        tomorrow = iso(self.emu.now() + 86400)
        for fields in ({"issued": "9999-01-01T00:00:00Z", "expiration": "9999-12-31T00:00:00Z",
                        "not_after": "9999-12-31T00:00:00Z", "mfa_time": "9999-01-01T00:00:00Z"},
                       {"issued": tomorrow, "mfa_time": tomorrow, "expiration": iso(self.emu.now() + 2 * 86400),
                        "not_after": None}):
            with self.subTest(issued=fields["issued"]):
                with open(path, "w") as f:
                    json.dump({**good, **fields}, f)
                r = self.home.mfaenv("env", "alice", "--no-prompt", env=self.home.synced())
                self.assertEqual(r.returncode, 3, r.stdout)
                self.assertIn("in the future", r.stderr)
                self.assertNotIn("AWS_SESSION_TOKEN", r.stdout)

    # -- 8/10: credentials no AWS credential looks like ----------------------------------------
    def test_8_credentials_with_control_characters_are_refused(self):
        for bad in (r"ASIA\u0000X", r"ASIA\nexport X=1", "AS IA", r"ASIA\u001b[2J", "ASIA\u00e9"):
            with self.subTest(bad=bad):
                doc = '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"S"}' % bad
                harness.write_aws_files(self.home.dir, {"profile cp": {"credential_process": f"printf '%s' '{doc}'"}}, {})
                line = self.one_line(self.home.mfaenv("env", "cp"), 1)
                self.assertIn("AccessKeyId holding characters", line)
        self.home.write_alice()
        for value, said in (("ASIA&#0;X", "not well-formed XML"), ("ASIA&#x000;X", "not well-formed XML"),
                            ("ASIA&#10;X", "AccessKeyId holding characters"),
                            ("ASIA&#27;X", "AccessKeyId holding characters")):
            with self.subTest(sts=value):
                self.emu.advance_clock(30)
                self.emu.fault("rewrite", count=1, actions=["GetSessionToken"], field="AccessKeyId", text=value)
                line = self.one_line(self.home.mfaenv("login", "alice", env=self.home.synced()), 5)
                self.assertIn(said, line)
                r = self.home.mfaenv("env", "alice", "--no-prompt", env=self.home.synced())
                self.assertEqual(r.returncode, 3, r.stdout)

    def test_10_a_token_too_large_to_cache_is_refused_before_anything_is_saved(self):
        self.emu.fault("rewrite", count=1, actions=["GetSessionToken"], field="SessionToken", text="T" * 70000)
        line = self.one_line(self.home.mfaenv("login", "alice", env=self.home.synced()), 5)
        self.assertIn("SessionToken of 70000 bytes", line)
        self.assertFalse([f for f in os.listdir(os.path.dirname(self.home.cache_file("alice"))) if f.endswith(".json")])

    def test_11_config_set_refuses_control_characters(self):
        for value in ("x\0y", "x\x1by", "x\x7fy"):
            with self.subTest(value=value):
                r = self.home.mfaenv("config", "set", "region", "-", "--profile", "alice", input=value)
                self.assertIn("control character", self.one_line(r, 2))
        r = self.home.mfaenv("env", "alice", "--no-prompt")
        self.assertNotEqual(r.returncode, 6, r.stderr)  # the file is still one mfaenv reads

    def test_8_an_unknown_identity_is_said_not_printed_empty(self):
        self.emu.fault("error", status=403, code="AccessDenied", message="no", actions=["GetCallerIdentity"])
        r = self.home.mfaenv("login", "alice", env=self.home.synced())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("GetCallerIdentity could not say", r.stderr)
        self.assertIn("logged in as an identity not checked", r.stderr)
        self.emu.clear_faults()
        r = self.home.mfaenv("status", "alice", "--json", env=self.home.synced())
        self.assertIsNone(json.loads(r.stdout)[0]["arn"])
        r = self.home.mfaenv("status", "alice", env=self.home.synced())
        self.assertIn("as an identity not checked", r.stdout)

    # -- 13: a redirect from "STS" is not followed and is "unreachable" ------------------------
    def test_13_redirect_is_exit_5_and_never_followed(self):
        # 307 keeps the POST body: following it would resend the MFA code, here to the same emulator.
        for status in (301, 302, 307, 308):
            with self.subTest(status=status):
                self.emu.fault("redirect", count=1, status=status, location=self.emu.endpoint + "/")
                r = self.home.mfaenv("login", "alice", env=self.home.synced())
                line = self.one_line(r, 5)
                self.assertIn("redirect", line)
                self.assertIn(str(status), line)
                self.assertEqual(len(self.emu.calls("GetSessionToken")), 1, "the redirect was followed")
                self.emu.clear_log()
                self.emu.advance_clock(30)

    # -- 13: plain http only to this computer, and never through a proxy ---------------------
    def test_13_plain_http_is_for_loopback_addresses_and_bypasses_proxies(self):
        for name in ("127.0.0.1.evil.example", "127.evil.example", "127.0.0.1evil.example"):
            r = self.home.mfaenv("whoami", "alice", "--long-term", env={"AWS_ENDPOINT_URL_STS": f"http://{name}"})
            self.assertIn("plain http to another computer", self.one_line(r, 6), name)
        proxy, closed = socket.socket(), socket.socket()
        self.addCleanup(proxy.close)
        self.addCleanup(closed.close)
        proxy.bind(("127.0.0.1", 0))
        proxy.listen(8)
        closed.bind(("127.0.0.1", 0))  # bound, not listening: a connection is refused at once
        env = {"AWS_ENDPOINT_URL_STS": f"http://127.0.0.1:{closed.getsockname()[1]}", "NO_PROXY": "", "no_proxy": "",
               "http_proxy": f"http://127.0.0.1:{proxy.getsockname()[1]}", "HTTPS_PROXY": "", "https_proxy": ""}
        r = self.home.mfaenv("whoami", "alice", "--long-term", env=env, timeout=60)
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertNotIn("proxy", r.stderr)
        proxy.setblocking(False)
        with self.assertRaises(BlockingIOError, msg="the request went to the proxy"):
            proxy.accept()

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
