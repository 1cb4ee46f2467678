"""The harness and tools tests build on: totp.py as an mfa_process, the start/stop command, the
emulator's life cycle, configuration errors and the control API's answers to bad input."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402
from default_world import ALICE_KEY, ALICE_MFA, ALICE_SECRET, ALICE_TOTP  # noqa: E402

PY = harness.PYTHON


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def wait_dead(pid, seconds=5):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


class WithEmulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator().start()
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        cls.tmp.cleanup()

    def setUp(self):
        self.emu.reset()

    def totp(self, *args, **env):
        secret_file = os.path.join(self.tmp.name, "secret")
        with open(secret_file, "w") as f:
            f.write(ALICE_TOTP + "\n")
        return subprocess.run([PY, harness.TOTP_SCRIPT, "--secret-file", secret_file, *args],
                              capture_output=True, text=True, env=dict(os.environ, **env))

    def test_totp_follows_the_emulator_clock(self):
        self.emu.advance_clock(3 * 3600)
        done = self.totp("--clock-file", self.emu.clock_file)
        self.assertEqual(done.returncode, 0, done.stderr)
        code = done.stdout.strip()
        self.assertRegex(code, r"^\d{6}$")
        self.assertIn(code, [self.emu.totp(ALICE_MFA, steps=s) for s in (-1, 0)])
        via_env = self.totp(STS_EMULATOR_CLOCK_FILE=self.emu.clock_file).stdout.strip()
        self.assertIn(via_env, [self.emu.totp(ALICE_MFA, steps=s) for s in (0, 1)])
        client = self.emu.botocore_client(ALICE_KEY, ALICE_SECRET)
        client.get_session_token(SerialNumber=ALICE_MFA, TokenCode=via_env)
        client.close()

    def test_totp_counts_runs_and_explains_a_missing_secret(self):
        count_file = os.path.join(self.tmp.name, "runs")
        for _ in range(2):
            self.totp("--count-file", count_file)
        with open(count_file) as f:
            self.assertEqual(len(f.readlines()), 2)
        done = subprocess.run([PY, harness.TOTP_SCRIPT], capture_output=True, text=True,
                              env={"PATH": "/usr/bin"})
        self.assertEqual(done.returncode, 1)
        self.assertIn("no secret", done.stderr)
        self.assertEqual(done.stdout, "")

    def test_control_api_rejects_bad_input_clearly(self):
        for method, route, body, status in (("POST", "faults", {"mode": "explode"}, 400),
                                            ("GET", "nowhere", None, 404),
                                            ("POST", "tls", {"cert": "nope"}, 400),
                                            ("PUT", "policies", {"account": "123456789012", "user": "bob",
                                                                 "name": "x", "document": {}}, 400),
                                            ("POST", "roles", {"account": "123456789012", "name": "R"},
                                             400)):
            with self.assertRaises(RuntimeError) as caught:
                self.emu.control(method, route, body)
            self.assertIn(f": {status} ", str(caught.exception))

    def test_evaluate_route_answers_policy_cases(self):
        from default_world import FORCE_MFA
        results = self.emu.evaluate([
            {"policies": [FORCE_MFA], "action": "sts:GetAccessKeyInfo", "context": {}},
            {"policies": [FORCE_MFA], "action": "sts:GetAccessKeyInfo",
             "context": {"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "10"}}])
        self.assertEqual([r["decision"] for r in results], ["ExplicitDeny", "ImplicitDeny"])

    def test_log_file_holds_one_json_line_per_call(self):
        client = self.emu.botocore_client(ALICE_KEY, ALICE_SECRET)
        client.get_caller_identity()
        client.close()
        with open(self.emu.log_file) as f:
            lines = [json.loads(line) for line in f]
        self.assertEqual([(e["action"], e["outcome"], e["access_key_id"]) for e in lines],
                         [("GetCallerIdentity", "ok", ALICE_KEY)])
        with open(self.emu.log_file) as f:
            self.assertNotIn(ALICE_SECRET, f.read())


class LifeCycle(unittest.TestCase):
    def test_emulator_dies_with_its_test_process(self):
        script = ("import sys, time; sys.path.insert(0, %r); import harness; "
                  "e = harness.Emulator().start(); print(e.process.pid, flush=True); time.sleep(60)"
                  % HERE)
        child = subprocess.Popen([PY, "-c", script], stdout=subprocess.PIPE, text=True)
        pid = int(child.stdout.readline())
        self.assertTrue(alive(pid))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        self.assertTrue(wait_dead(pid), "the emulator outlived the test that started it")

    def test_start_and_stop_commands(self):
        with tempfile.TemporaryDirectory() as state:
            done = subprocess.run([PY, os.path.join(HERE, "harness.py"), "start", "--dir", state],
                                  capture_output=True, text=True, timeout=30)
            self.assertEqual(done.returncode, 0, done.stderr)
            exports = dict(line[len("export "):].split("=", 1) for line in done.stdout.splitlines())
            self.assertRegex(exports["AWS_ENDPOINT_URL_STS"], r"^https://127\.0\.0\.1:\d+$")
            self.assertTrue(os.path.exists(exports["AWS_CA_BUNDLE"]))
            with open(os.path.join(state, "emulator.pid")) as f:
                pid = int(f.read())
            self.assertTrue(alive(pid))
            subprocess.run([PY, os.path.join(HERE, "harness.py"), "stop", "--dir", state], check=True)
            self.assertTrue(wait_dead(pid))

    def test_bad_configuration_is_refused_with_a_message(self):
        with tempfile.TemporaryDirectory() as state:
            config = os.path.join(state, "world.json")
            with open(config, "w") as f:
                json.dump({"accounts": {"12": {}}}, f)
            done = subprocess.run([PY, os.path.join(HERE, "emulator.py"), "--config", config,
                                   "--state-dir", state], capture_output=True, text=True, timeout=30)
            self.assertEqual(done.returncode, 2)
            self.assertEqual(done.stderr.strip(), "sts-emulator: account '12' must be 12 digits")

if __name__ == "__main__":
    unittest.main()
