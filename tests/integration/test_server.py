#!/usr/bin/python3
"""`mfaenv exec P --server` and `mfaenv serve P` against the STS emulator (issue 17): real clients get
the session through the container-credentials endpoint and never a long-term key; the endpoint
refuses what it must, survives slow and many clients, never shows its token; the command's exit
status and signals; errors the SDKs show; --min-remaining."""
import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import threading
import time
import unittest

from mfaenv_env import EmulatorTest, AWS, MFAENV, PYTHON, W, Home, assert_no_secret, harness
from server_env import RunningServer

ALICE_ARN = f"arn:aws:iam::{W.ACCOUNT}:user/alice"
BOTO3_IDENTITY = """
import json, os, boto3
sts = boto3.client("sts")
print(json.dumps({"Arn": sts.get_caller_identity()["Arn"],
                  "KeyId": boto3.Session().get_credentials().get_frozen_credentials().access_key,
                  "Env": sorted(k for k in os.environ if k.startswith("AWS_"))}))
"""


class Server(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        # alice's long-term keys are also the [default] profile: an SDK that read the credentials file
        # would use them; under --server it must not.
        harness.write_aws_files(self.home.dir, {
            "profile alice": {"mfa_serial": W.ALICE_MFA, "mfa_process": self.home.mfa_process, "region": "eu-west-1"},
            "profile admin": {"role_arn": W.ADMIN_ROLE, "source_profile": "alice", "region": "eu-west-1"},
            "profile bob": {"region": "us-west-2", "mfaenv_session": "none"}}, {
            "default": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET},
            "alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET},
            "bob": {"aws_access_key_id": W.BOB_KEY, "aws_secret_access_key": W.BOB_SECRET}})
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.proc.poll() is None:
                s.stop()

    def start(self, *args, **kw):
        s = RunningServer(self.home, *args, **kw)
        self.servers.append(s)
        return s

    def signed_keys(self, action="GetCallerIdentity"):
        return {c.get("access_key_id") for c in self.emu.calls(action, "ok")}

    def test_aws_cli_and_boto3_get_the_mfa_session_never_the_long_term_keys(self):
        r = self.home.mfaenv("exec", "alice", "--server", "--", PYTHON, "-c", BOTO3_IDENTITY)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual(out["Arn"], ALICE_ARN)
        self.assertTrue(out["KeyId"].startswith("ASIA"), out)
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
            self.assertNotIn(name, out["Env"])
        self.assertIn("AWS_CONTAINER_CREDENTIALS_FULL_URI", out["Env"])
        r = self.home.mfaenv("exec", "alice", "--server", "--", AWS, "sts", "get-caller-identity", "--output", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["Arn"], ALICE_ARN)
        # The protected call needs MFA: it works only with the MFA session.
        r = self.home.mfaenv("exec", "alice", "--server", "--", AWS, "sts", "get-access-key-info", "--access-key-id",
                             W.ALICE_KEY, "--output", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        keys = self.signed_keys() | self.signed_keys("GetAccessKeyInfo")
        self.assertNotIn(W.ALICE_KEY, keys)
        self.assertTrue(all(k.startswith("ASIA") for k in keys), keys)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
        self.assertEqual(self.home.mfa_process_runs(), 1)

    def test_role_profile_serves_the_role(self):
        r = self.home.mfaenv("exec", "admin", "--server", "--", AWS, "sts", "get-caller-identity", "--output", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(json.loads(r.stdout)["Arn"], r":assumed-role/Admin/")
        self.assertEqual(self.emu.count("AssumeRole", "ok"), 1)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)

    def test_the_endpoint_refuses_what_it_must(self):
        s = self.start()
        self.assertEqual(s.address, "127.0.0.1")
        status, body = s.request()
        self.assertEqual(status, 200)
        self.assertEqual(sorted(body), ["AccessKeyId", "Expiration", "SecretAccessKey", "Token"])
        cases = [(dict(token=False), 401, "MissingToken"), (dict(token="0" * 64), 403, "InvalidToken"),
                 (dict(token=s.token[:-1]), 403, "InvalidToken"), (dict(host="evil.example:%d" % s.port), 403, "InvalidHost"),
                 (dict(host="localhost:%d" % s.port), 403, "InvalidHost"), (dict(path="/"), 404, "NotFound"),
                 (dict(path=s.path + "?x=1"), 404, "NotFound"), (dict(path="/latest/meta-data/"), 404, "NotFound"),
                 (dict(method="POST"), 405, "MethodNotAllowed"), (dict(method="DELETE"), 405, "MethodNotAllowed")]
        for kw, want_status, want_code in cases:
            status, body = s.request(**kw)
            self.assertEqual((status, body["Code"]), (want_status, want_code), kw)
            self.assertNotIn("SecretAccessKey", body)
        # Bound to 127.0.0.1 only: the kernel's table shows the listening socket's address.
        with open("/proc/net/tcp") as f:
            listening = [line.split() for line in f.readlines()[1:] if line.split()[3] == "0A"]
        mine = [cols[1] for cols in listening if int(cols[1].split(":")[1], 16) == s.port]
        self.assertEqual(mine, ["0100007F:%04X" % s.port])
        # Another address of this machine, when it has one, is refused.
        addresses = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
        for address in [a for a in addresses if ":" not in a and not a.startswith("127.")][:1]:
            with self.assertRaises(OSError):
                socket.create_connection((address, s.port), timeout=2).close()
        status, _ = s.request()
        self.assertEqual(status, 200)  # still serving after all that

    def test_slow_clients_and_a_thousand_requests(self):
        s = self.start()
        # Slowloris: 80 connections trickling a header byte every half second.
        slow = [socket.create_connection((s.address, s.port)) for _ in range(80)]
        stop = threading.Event()

        def trickle():
            while not stop.is_set():
                for c in slow:
                    try:
                        c.send(b"X")
                    except OSError:
                        pass
                time.sleep(0.5)
        t = threading.Thread(target=trickle)
        t.start()
        try:
            for _ in range(3):
                started = time.monotonic()
                status, _ = s.request(timeout=15)
                self.assertEqual(status, 200)
                self.assertLess(time.monotonic() - started, 8)
                time.sleep(1)
        finally:
            stop.set()
            t.join()
        # Every slow connection was cut off by the server (reads end).
        for c in slow:
            c.settimeout(10)
            try:
                self.assertIn(c.recv(100), (b"",))
            except ConnectionResetError:
                pass
            c.close()

        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
            results = list(pool.map(lambda _: s.request(timeout=30), range(1000)))
        elapsed = time.monotonic() - started
        self.assertEqual({status for status, _ in results}, {200})
        self.assertEqual(len({body["AccessKeyId"] for _, body in results}), 1)
        self.assertLess(elapsed, 60)
        self.assertEqual(self.emu.count("GetSessionToken"), 1)
        self.assertIsNone(s.proc.poll())

    def test_token_never_in_argv_stderr_or_debug(self):
        s = self.start(extra_args=["--debug"])
        s.request()
        s.request(token="wrong")
        for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    self.assertNotIn(s.token.encode(), f.read())
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                pass
        code, out, err = s.stop()
        self.assertIn("credential server: listening on http://127.0.0.1:", err)  # --debug did print
        self.assertNotIn(s.token, err + out)
        assert_no_secret(self, err + out)
        session = json.loads(self.home.mfaenv("env", "alice", "--format", "json").stdout)
        self.assertNotIn(session["AWS_SECRET_ACCESS_KEY"], err)
        self.assertNotIn(session["AWS_SESSION_TOKEN"], err)

    def test_exit_status_signals_and_lifetime(self):
        r = self.home.mfaenv("exec", "alice", "--server", "--", "sh", "-c", "exit 7")
        self.assertEqual(r.returncode, 7, r.stderr)
        r = self.home.mfaenv("exec", "alice", "--server", "--", "sh", "-c", "kill -TERM $$")
        self.assertEqual(r.returncode, -signal.SIGTERM, r.stderr)
        r = self.home.mfaenv("exec", "alice", "--server", "--", "no-such-program-17")
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot run 'no-such-program-17'", r.stderr)
        # A signal to mfaenv reaches the command (which traps it and chooses its exit status).
        marker = os.path.join(self.home.dir, "trapped")
        script = f'trap "echo got >{marker}; exit 42" TERM; echo ready >{marker}.ready; while :; do sleep 0.1; done'
        p = subprocess.Popen([MFAENV, "exec", "alice", "--server", "--", "sh", "-c", script], env=self.home.env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
        for _ in range(300):
            if os.path.exists(marker + ".ready"):
                break
            time.sleep(0.02)
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=20), 42)
        self.assertTrue(os.path.exists(marker))
        p.stdout.close()
        p.stderr.close()
        # The server ends with the command.
        s = self.start()
        s.stop()
        with self.assertRaises(OSError):
            socket.create_connection((s.address, s.port), timeout=2).close()

    def test_profile_without_a_session_is_refused(self):
        r = self.home.mfaenv("exec", "bob", "--server", "--", "true")
        self.assertEqual(r.returncode, 6, r.stderr)
        self.assertIn("no session to serve", r.stderr)

    def test_serve_prints_the_variables_and_serves_until_interrupted(self):
        p = subprocess.Popen([MFAENV, "serve", "alice", "--format", "json"], env=self.home.env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
        text = ""
        while not text.endswith("}\n"):
            line = p.stdout.readline()
            self.assertTrue(line, p.stderr.read() if p.poll() is not None else "no output")
            text += line
        variables = json.loads(text)
        self.assertEqual(variables["AWS_SHARED_CREDENTIALS_FILE"], "/dev/null")
        env = dict(self.home.env)
        env.update(variables)
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
            env.pop(k, None)
        r = subprocess.run([AWS, "sts", "get-caller-identity", "--output", "json"], env=env, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["Arn"], ALICE_ARN)
        p.send_signal(signal.SIGINT)
        self.assertEqual(p.wait(timeout=20), 0)
        err = p.stderr.read()
        self.assertIn("serving profile 'alice' at http://127.0.0.1:", err)
        self.assertNotIn(variables["AWS_CONTAINER_AUTHORIZATION_TOKEN"], err)
        p.stdout.close()
        p.stderr.close()

    def test_warm_env_maps_no_http_module_and_the_server_does(self):
        self.assertEqual(self.home.mfaenv("login", "alice").returncode, 0)
        r = self.home.mfaenv("env", "alice", env={"LD_DEBUG": "files"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("libc.so.6", r.stderr)
        for library in ("httplib", "libssl", "libcurl", "libz.so", "brotli"):
            self.assertNotIn(library, r.stderr)
        r = self.home.mfaenv("exec", "alice", "--server", "--", "true", env={"LD_DEBUG": "files"})
        self.assertEqual(r.returncode, 0)
        self.assertIn("mfaenv-httplib.so", r.stderr)

    def test_min_remaining(self):
        r = self.home.mfaenv("login", "alice")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.home.mfaenv("login", "alice", "--min-remaining", "2h")
        self.assertIn("already has a session", r.stderr)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
        r = self.home.mfaenv("login", "alice", "--min-remaining", "13h")
        self.assertEqual(r.returncode, 2)
        self.assertIn("lasts at most 12h", r.stderr)
        # Eleven hours later the session has one hour left: --min-remaining 2h makes a new one.
        self.emu.advance_clock(11 * 3600)
        later = self.home.synced()
        r = self.home.mfaenv("env", "alice", "--format", "json", env=later)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)  # still served: 1h left
        r = self.home.mfaenv("login", "alice", "--min-remaining", "2h", env=later)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("logged in", r.stderr)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 2)
        self.emu.advance_clock(11 * 3600)
        later = self.home.synced()
        r = self.home.mfaenv("exec", "alice", "--min-remaining", "90m", "--", "true", env=later)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 3)
        r = self.home.mfaenv("exec", "bob", "--min-remaining", "1h", "--", "true")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no session whose time could run out", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
