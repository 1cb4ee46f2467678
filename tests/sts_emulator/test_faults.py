"""Fault modes, certificate swaps and many clients at once."""
import http.client
import os
import socket
import ssl
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402
from default_world import ALICE_KEY, ALICE_MFA, ALICE_SECRET, BOB_KEY, BOB_SECRET  # noqa: E402

emu = None
IDENTITY = {"Action": "GetCallerIdentity", "Version": "2011-06-15"}


def setUpModule():
    global emu
    emu = harness.Emulator().start()


def tearDownModule():
    emu.stop()


def call(params=IDENTITY, key=BOB_KEY, secret=BOB_SECRET):
    return emu.raw_request(params, key, secret)


class Faults(unittest.TestCase):
    def setUp(self):
        emu.reset()

    def test_error_faults_answer_like_sts_then_clear(self):
        for mode, status, code in (("throttle", 400, b"<Code>Throttling</Code>"),
                                   ("internal", 500, b"<Code>InternalFailure</Code>"),
                                   ("unavailable", 503, b"<Code>ServiceUnavailable</Code>")):
            emu.fault(mode, count=1)
            got_status, _, body = call()
            self.assertEqual(got_status, status, mode)
            self.assertIn(code, body)
            self.assertIn(b"<Type>" + (b"Receiver" if status >= 500 else b"Sender") + b"</Type>", body)
            self.assertEqual(call()[0], 200, f"{mode} should apply once")
        self.assertEqual([c["outcome"] for c in emu.calls()],
                         ["fault:throttle", "ok", "fault:internal", "ok", "fault:unavailable", "ok"])

    def test_persistent_fault_until_cleared_and_action_filter(self):
        emu.fault("throttle", actions=["GetSessionToken"])
        self.assertEqual(call()[0], 200)
        for _ in range(3):
            self.assertEqual(call({"Action": "GetSessionToken", "Version": "2011-06-15"})[0], 400)
        emu.clear_faults()
        self.assertEqual(call({"Action": "GetSessionToken", "Version": "2011-06-15"})[0], 200)

    def test_hostile_endpoint_modes(self):
        # "rewrite": processed (the code is used), answered with the text the test chose.
        emu.fault("rewrite", count=1, actions=["GetSessionToken"], field="Expiration", text="9999-12-31T23:59:59Z")
        status, _, body = call({"Action": "GetSessionToken", "Version": "2011-06-15"})
        self.assertEqual(status, 200)
        self.assertIn(b"<Expiration>9999-12-31T23:59:59Z</Expiration>", body)
        self.assertIn(b"<SessionToken>", body)
        # "redirect": a 3xx with a Location, nothing processed (urllib does not follow a POST's 307).
        emu.fault("redirect", count=1, status=307, location="https://127.0.0.1:1/elsewhere")
        status, headers, _ = call()
        self.assertEqual(status, 307)
        self.assertEqual(headers.get("Location"), "https://127.0.0.1:1/elsewhere")
        self.assertEqual([c["outcome"] for c in emu.calls()], ["fault:rewrite", "fault:redirect"])
        with self.assertRaises(RuntimeError):
            emu.fault("redirect", status=200)
        with self.assertRaises(RuntimeError):
            emu.fault("rewrite", field="Expiration")

    def test_broken_bodies(self):
        emu.fault("truncated", count=1)
        status, _, body = call()
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b"<GetCallerIdentityResponse"))
        self.assertNotIn(b"</GetCallerIdentityResponse>", body)
        emu.fault("non_xml", count=1, status=502)
        status, headers, body = call()
        self.assertEqual((status, headers["Content-Type"]), (502, "text/html"))
        self.assertIn(b"<html>", body)
        emu.fault("short_body", count=1)
        with self.assertRaises(http.client.IncompleteRead):
            call()

    def test_reset_and_close_give_no_answer(self):
        emu.fault("reset", count=1)
        with self.assertRaises(ConnectionResetError):
            call()
        emu.fault("close", count=1)
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            call()
        self.assertEqual(call()[0], 200)

    def test_slow_answers(self):
        emu.fault("slow", count=1, delay=1.0)
        started = time.monotonic()
        self.assertEqual(call()[0], 200)
        self.assertGreaterEqual(time.monotonic() - started, 1.0)
        started = time.monotonic()
        call()
        self.assertLess(time.monotonic() - started, 0.9)

    def test_a_lost_answer_still_consumed_the_code(self):
        """Phase "after": STS did the work, the client never heard -- resending the code fails."""
        code = emu.fresh_totp(ALICE_MFA)
        params = {"Action": "GetSessionToken", "Version": "2011-06-15", "SerialNumber": ALICE_MFA,
                  "TokenCode": code}
        emu.fault("internal", count=1, phase="after")
        self.assertEqual(call(params, ALICE_KEY, ALICE_SECRET)[0], 500)
        status, _, body = call(params, ALICE_KEY, ALICE_SECRET)
        self.assertEqual(status, 403)
        self.assertIn(b"invalid MFA one time pass code", body)
        first, second = emu.calls("GetSessionToken")
        self.assertEqual((first["processed_outcome"], first["outcome"]), ("ok", "fault:internal"))
        self.assertTrue(second["code_reused"])

    def test_phase_before_leaves_the_code_unused(self):
        code = emu.fresh_totp(ALICE_MFA)
        params = {"Action": "GetSessionToken", "Version": "2011-06-15", "SerialNumber": ALICE_MFA,
                  "TokenCode": code}
        emu.fault("throttle", count=1)
        self.assertEqual(call(params, ALICE_KEY, ALICE_SECRET)[0], 400)
        self.assertEqual(call(params, ALICE_KEY, ALICE_SECRET)[0], 200)


class Certificates(unittest.TestCase):
    def setUp(self):
        emu.reset()

    def handshake(self):
        context = ssl.create_default_context(cafile=emu.ca_bundle)
        with socket.create_connection(("127.0.0.1", emu.port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname="127.0.0.1"):
                pass

    def test_each_bad_certificate_is_refused_by_a_verifying_client(self):
        self.handshake()
        for name, reason in (("wrong-ca", "unable to get local issuer certificate"),
                             ("expired", "certificate has expired"),
                             ("wrong-host", "IP address mismatch")):
            emu.use_cert(name)
            with self.assertRaises(ssl.SSLCertVerificationError) as caught:
                self.handshake()
            self.assertIn(reason, str(caught.exception), name)
        emu.use_cert("good")
        self.handshake()


class Proxy(unittest.TestCase):
    def connect(self, target):
        proxy_port = int(emu.proxy.rsplit(":", 1)[1])
        conn = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=5)
        conn.set_tunnel(target.split(":")[0], int(target.split(":")[1]))
        return conn

    def test_sts_host_names_are_tunnelled_to_the_emulator(self):
        conn = self.connect("sts.eu-west-1.amazonaws.com:443")
        conn.connect()
        context = ssl.create_default_context(cafile=emu.ca_bundle)
        with context.wrap_socket(conn.sock, server_hostname="sts.eu-west-1.amazonaws.com") as tls:
            tls.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            self.assertIn(b'"ok": true', tls.recv(4096) + tls.recv(4096))

    def test_other_hosts_are_refused(self):
        conn = self.connect("example.com:443")
        with self.assertRaises(OSError) as caught:
            conn.connect()
        self.assertIn("403", str(caught.exception))


class ManyClients(unittest.TestCase):
    def setUp(self):
        emu.reset()

    def test_64_parallel_clients(self):
        results = []

        def one():
            results.append(call()[0])
        threads = [threading.Thread(target=one) for _ in range(64)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(results, [200] * 64)
        self.assertEqual(emu.count("GetCallerIdentity", "ok"), 64)

    def test_one_code_sent_by_32_clients_succeeds_once(self):
        params = {"Action": "GetSessionToken", "Version": "2011-06-15", "SerialNumber": ALICE_MFA,
                  "TokenCode": emu.fresh_totp(ALICE_MFA)}
        results = []
        barrier = threading.Barrier(32)

        def one():
            barrier.wait()
            results.append(call(params, ALICE_KEY, ALICE_SECRET)[0])
        threads = [threading.Thread(target=one) for _ in range(32)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(sorted(results), [200] + [403] * 31)
        self.assertEqual(emu.count("GetSessionToken", "ok"), 1)
        self.assertEqual(len(emu.calls("GetSessionToken", "AccessDenied")), 31)


if __name__ == "__main__":
    unittest.main()
