#!/usr/bin/python3
"""A local HTTPS STS for tests: `emulator.py [--config FILE] [--state-dir DIR] [--port N] [--port-file F]`.

Serves the STS Query API (sts_service.py), the IAM Query API (iam_service.py: requests signed for
service "iam") and, under /_emulator/, a control API (control_api.py) on
one threaded HTTPS listener bound to 127.0.0.1, plus a CONNECT proxy (connect_proxy.py) that leads
STS's public host names to it. TLS material is made with openssl at start-up
(tls_certs.py); the certificate served can be swapped at run time for the fault tests. Every STS
call is appended to <state-dir>/calls.jsonl. See docs/sts-emulator.md.
"""
import argparse
import json
import os
import signal
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
import traceback
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import control_api  # noqa: E402
import sigv4_check  # noqa: E402
import default_world  # noqa: E402
import tls_certs  # noqa: E402
from call_log import CallLog  # noqa: E402
from connect_proxy import ProxyServer  # noqa: E402
from faults import Faults, peek_action  # noqa: E402
from federation import Federation  # noqa: E402
from iam_service import IamService  # noqa: E402
from sts_service import StsService  # noqa: E402
from world import ConfigError, World  # noqa: E402


class Clock:
    """The emulator's time (offset from the real clock) and the clock signatures are checked with.

    Signatures are checked against real time + skew, not the emulator's time: clients sign with
    the real clock, so moving the emulator's clock (to expire a session) must not make every
    signature stale. The offset is mirrored in clock.json for totp.py."""

    def __init__(self, path, offset=0.0):
        self.path, self.offset, self.skew = path, float(offset), 0.0
        self.lock = threading.Lock()
        self._write()

    def now(self):
        return time.time() + self.offset

    def signature_now(self):
        return time.time() + self.skew

    def update(self, offset=None, skew=None):
        with self.lock:
            if offset is not None:
                self.offset = float(offset)
            if skew is not None:
                self.skew = float(skew)
            self._write()

    def as_dict(self):
        return {"now": self.now(), "offset": self.offset, "skew": self.skew,
                "iso": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.now()))}

    def _write(self):
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"offset": self.offset, "skew": self.skew}, f)
        os.replace(tmp, self.path)


class Emulator:
    """Everything the request handlers share."""

    def __init__(self, config, state_dir, clock_offset):
        self.config, self.state_dir = config, state_dir
        self.clock = Clock(os.path.join(state_dir, "clock.json"), clock_offset)
        self.log = CallLog(os.path.join(state_dir, "calls.jsonl"))
        self.reset_world()  # before the TLS work: a configuration error is reported at once
        self.stopping = threading.Event()
        self.faults = Faults()
        self.certs = tls_certs.generate(os.path.join(state_dir, "tls"))
        self.ca_bundle = os.path.join(state_dir, "tls", "ca.pem")
        self.contexts = {}
        for name, (cert, key) in self.certs.items():
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            self.contexts[name] = ctx
        self.cert_name = "good"

    def reset_world(self):
        self.world = World(self.config)
        self.sts = StsService(self.world, self.clock, self.world.settings)
        self.federation = Federation(self.world, self.clock, self.log, self.sts.lock)
        self.iam = IamService(self.world, self.clock, self.world.settings, self.sts)

    def service_for(self, header_items):
        """IAM when the request is signed for service iam (any host or path), else STS."""
        auth = next((v for k, v in header_items if k.lower() == "authorization"), None)
        return self.iam if sigv4_check.service_of({"Authorization": auth}) == "iam" else self.sts


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512

    def __init__(self, address, app):
        self.app = app
        super().__init__(address, Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake runs in the connection's own thread: a slow or failing client must not
        # block the accept loop.
        request.settimeout(30)
        # Headers and body go out in separate writes: without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every keep-alive request.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            conn = self.app.contexts[self.app.cert_name].wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # e.g. a client refusing the wrong-ca/expired certificate
        try:
            self.RequestHandlerClass(conn, client_address, self)
        except (ConnectionError, ssl.SSLError, socket.timeout):
            pass
        finally:
            conn.close()

    def handle_error(self, request, client_address):
        # Disconnects are normal here (faults, clients giving up); anything else is a bug to see.
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, socket.timeout)):
            traceback.print_exc()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sts-emulator"
    sys_version = ""
    timeout = 30

    def log_message(self, fmt, *args):
        pass

    def version_string(self):
        return self.server_version

    def date_time_string(self, timestamp=None):
        return formatdate(self.server.app.clock.signature_now(), usegmt=True)

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _dispatch(self):
        app = self.server.app
        body = self._read_body()
        if self.path.startswith("/_emulator/"):
            if self.client_address[0] != "127.0.0.1":
                return self._send(403, b'{"error": "control API is for 127.0.0.1 only"}\n',
                                  "application/json")
            status, payload = control_api.handle(app, self.command, self.path, body)
            return self._send(status, (json.dumps(payload, indent=1) + "\n").encode(),
                              "application/json")
        if self.path == "/federation" or self.path.startswith("/federation?"):
            # Only a fault that names "federation" among its actions applies here, so the STS fault
            # tests do not also break the console's second step.
            fault = app.faults.take("federation", explicit=True)
            if fault is not None:
                return self._fault_reply(fault, None, "federation", {})
            status, payload, ctype, headers = app.federation.handle(self.command, self.path)
            return self._send(status, payload, ctype, extra_headers=headers)
        self._sts(app, body)

    def _sts(self, app, body):
        items = list(self.headers.items())
        action = peek_action(self.path, items, body)
        entry = {"time": app.clock.as_dict()["iso"], "epoch": app.clock.now(),
                 "real_time": time.time(), "method": self.command}
        fault = app.faults.take(action)
        if fault is not None and fault.mode == "slow" and fault.phase == "before":
            entry.update(fault="slow", delayed=fault.delay)
            app.stopping.wait(fault.delay)
            fault = None
        if fault is not None and fault.phase == "before":
            entry.update(action=action, fault=fault.mode, outcome="fault:" + fault.mode)
            app.log.append(entry)
            return self._fault_reply(fault, None, action, entry)
        status, xml = app.service_for(items).handle(self.command, self.path, items, body, entry)
        if fault is not None and fault.mode == "slow":  # processed now, answered late
            entry.update(fault="slow", delayed=fault.delay)
            app.log.append(entry)
            app.stopping.wait(fault.delay)
        elif fault is not None:
            entry.update(fault=fault.mode, processed_outcome=entry.get("outcome"),
                         outcome="fault:" + fault.mode)
            app.log.append(entry)
            return self._fault_reply(fault, (status, xml), action, entry)
        else:
            app.log.append(entry)
        self._send(status, xml, "text/xml", entry.get("request_id"))

    def _fault_reply(self, fault, real, action, entry):
        status, body, ctype, declared, headers = fault.response(real, action, entry.get("request_id"))
        if status is None:  # reset or close: no HTTP answer at all
            if fault.mode == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        self._send(status, body, ctype, entry.get("request_id"), declared, headers)

    def _send(self, status, body, content_type, request_id=None, declared_length=None,
              extra_headers=None):
        self.send_response(status)
        for name, value in (extra_headers or {}).items():
            self.send_header(name, value)
        if request_id:
            self.send_header("x-amzn-RequestId", request_id)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if declared_length is None else declared_length))
        self.end_headers()
        self.wfile.write(body)
        if declared_length is not None and declared_length != len(body):
            self.close_connection = True


def load_config(path):
    if path is None:
        return default_world.config()
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise ConfigError(f"cannot read {path}: {e}")


def _watch_parent(pid, app):
    while not app.stopping.wait(1.0):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            app.stopping.set()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Local STS emulator for mfaenv's tests.")
    parser.add_argument("--config", help="JSON world description (default: default_world.py)")
    parser.add_argument("--state-dir", help="directory for TLS files, clock.json, calls.jsonl")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free)")
    parser.add_argument("--port-file", help="write the chosen port here once listening")
    parser.add_argument("--proxy-port", type=int, default=0, help="CONNECT proxy port (0: any)")
    parser.add_argument("--clock-offset", type=float, default=0.0, help="seconds ahead of real time")
    parser.add_argument("--parent-pid", type=int, help="exit when this process is gone")
    parser.add_argument("--exit-after", type=float, default=0, help="exit after N seconds (0: never)")
    args = parser.parse_args(argv)
    state_dir = args.state_dir or tempfile.mkdtemp(prefix="sts-emulator-")
    os.makedirs(state_dir, exist_ok=True)
    try:
        app = Emulator(load_config(args.config), state_dir, args.clock_offset)
    except (ConfigError, RuntimeError) as e:
        print(f"sts-emulator: {e}", file=sys.stderr)
        return 2
    server = Server(("127.0.0.1", args.port), app)
    port = server.server_address[1]
    proxy = ProxyServer(("127.0.0.1", args.proxy_port), server)
    info = {"port": port, "endpoint": f"https://127.0.0.1:{port}", "pid": os.getpid(),
            "proxy": f"http://127.0.0.1:{proxy.server_address[1]}",
            "ca_bundle": app.ca_bundle, "state_dir": state_dir,
            "clock_file": app.clock.path, "log_file": app.log.path}
    with open(os.path.join(state_dir, "emulator.json.tmp"), "w") as f:
        json.dump(info, f, indent=1)
    os.replace(os.path.join(state_dir, "emulator.json.tmp"), os.path.join(state_dir, "emulator.json"))
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(f"{port}\n")
        os.replace(args.port_file + ".tmp", args.port_file)
    print(f"sts-emulator: listening on {info['endpoint']} (state in {state_dir})", flush=True)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: app.stopping.set())
    if args.parent_pid:
        threading.Thread(target=_watch_parent, args=(args.parent_pid, app), daemon=True).start()
    for listener in (server, proxy):
        threading.Thread(target=listener.serve_forever, kwargs={"poll_interval": 0.2},
                         daemon=True).start()
    app.stopping.wait(args.exit_after or None)
    app.stopping.set()
    for listener in (server, proxy):
        listener.shutdown()
        listener.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
