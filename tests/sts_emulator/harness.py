#!/usr/bin/python3
"""What integration tests use to run the STS emulator: start it, talk to its control API, point
clients at it. Import it from tests (sys.path.insert(0, ".../tests/sts_emulator")):

    with harness.Emulator() as emu:                 # default_world unless config= is given
        env = emu.client_env(home)                  # throw-away HOME, AWS_CA_BUNDLE, endpoint
        code = emu.totp(default_world.ALICE_MFA)    # the code at the emulator's clock
        emu.advance_clock(3600); emu.fault("throttle", count=2); emu.count("GetSessionToken")

As a command (for shell tests and `make demo`):
    harness.py start --dir D [--config F]   start in the background, print `export` lines
    harness.py stop --dir D
"""
import argparse
import ctypes
import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import default_world  # noqa: E402

PYTHON = "/usr/bin/python3"
AWS_CLI = "/usr/bin/aws"
TOTP_SCRIPT = os.path.join(HERE, "totp.py")
_BOTOCORE_SESSION = None


def _die_with_parent():
    # Linux: the emulator gets SIGTERM when the test process dies, even on SIGKILL of the test.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Emulator:
    def __init__(self, config=None, state_dir=None, clock_offset=0, port=0, startup_timeout=20):
        self.config = default_world.config() if config is None else config
        self._own_dir = state_dir is None
        self.state_dir = state_dir or tempfile.mkdtemp(prefix="sts-emulator-")
        self.clock_offset, self.port, self.startup_timeout = clock_offset, port, startup_timeout
        self.process = self.proxy = None
        self._clients = []
        self._conn, self._control_lock = None, threading.Lock()
        self._ssl = ssl.create_default_context()
        self._ssl.check_hostname = False
        self._ssl.verify_mode = ssl.CERT_NONE  # the control API must work while a bad cert is served

    # -- life cycle ----------------------------------------------------------------------------
    def start(self):
        os.makedirs(self.state_dir, exist_ok=True)
        config_path = self.config if isinstance(self.config, str) else os.path.join(
            self.state_dir, "config.json")
        if not isinstance(self.config, str):
            with open(config_path, "w") as f:
                json.dump(self.config, f, indent=1)
        port_file = os.path.join(self.state_dir, "port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self._stderr = open(os.path.join(self.state_dir, "emulator.stderr"), "w")
        self.process = subprocess.Popen(
            [PYTHON, os.path.join(HERE, "emulator.py"), "--config", config_path,
             "--state-dir", self.state_dir, "--port", str(self.port), "--port-file", port_file,
             "--clock-offset", str(self.clock_offset), "--parent-pid", str(os.getpid())],
            stdout=subprocess.DEVNULL, stderr=self._stderr, preexec_fn=_die_with_parent)
        deadline = time.time() + self.startup_timeout
        while not os.path.exists(port_file):
            if self.process.poll() is not None or time.time() > deadline:
                with open(os.path.join(self.state_dir, "emulator.stderr")) as f:
                    problem = f.read().strip() or "no answer in time"
                self.stop()
                raise RuntimeError(f"STS emulator did not start: {problem}")
            time.sleep(0.02)
        with open(port_file) as f:
            self.port = int(f.read())
        with open(os.path.join(self.state_dir, "emulator.json")) as f:
            self.proxy = json.load(f)["proxy"]
        self.control("GET", "health")
        return self

    def stop(self):
        self.close_clients()
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self._stderr.close()
        self.process = None
        if self._own_dir and not os.environ.get("STS_EMULATOR_KEEP"):
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- where it is ---------------------------------------------------------------------------
    @property
    def endpoint(self):
        return f"https://127.0.0.1:{self.port}"

    @property
    def signin_endpoint(self):
        """The console federation endpoint, for MFAENV_SIGNIN_ENDPOINT."""
        return f"https://127.0.0.1:{self.port}/federation"

    @property
    def ca_bundle(self):
        return os.path.join(self.state_dir, "tls", "ca.pem")

    @property
    def clock_file(self):
        return os.path.join(self.state_dir, "clock.json")

    @property
    def log_file(self):
        return os.path.join(self.state_dir, "calls.jsonl")

    # -- control API ---------------------------------------------------------------------------
    def control(self, method, route, body=None, query=""):
        """Calls the control API (one kept-alive connection, reopened when the emulator closed it)."""
        path = f"/_emulator/{route}" + (f"?{query}" if query else "")
        data = json.dumps(body).encode() if body is not None else None
        with self._control_lock:
            for attempt in (1, 2):
                if self._conn is None:
                    self._conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=10,
                                                             context=self._ssl)
                try:
                    self._conn.request(method, path, body=data,
                                       headers={"Content-Type": "application/json"})
                    response = self._conn.getresponse()
                    payload = response.read()
                    break
                except (OSError, http.client.HTTPException):
                    self._conn.close()
                    self._conn = None
                    if attempt == 2:
                        raise
        if response.status != 200:
            raise RuntimeError(f"control {method} {route}: {response.status} {payload.decode().strip()}")
        return json.loads(payload)

    def now(self):
        return self.control("GET", "clock")["now"]

    def advance_clock(self, seconds):
        return self.control("POST", "clock", {"advance": seconds})

    def set_clock_offset(self, seconds):
        return self.control("POST", "clock", {"offset": seconds})

    def set_signature_skew(self, seconds):
        """Makes the emulator judge X-Amz-Date as if the client's clock were `seconds` behind."""
        return self.control("POST", "clock", {"skew": seconds})

    def totp(self, serial, steps=0):
        """The device's code at the emulator clock (steps=1: the next 30 s window's code)."""
        return self.control("GET", "totp", query=f"serial={serial}&steps={steps}")["code"]

    def fresh_totp(self, serial):
        """A code AWS will accept: moves the clock to the next window if this one's code is used."""
        info = self.control("GET", "totp", query=f"serial={serial}")
        if info["last_used_step"] is not None and info["step"] <= info["last_used_step"]:
            self.advance_clock(info["seconds_left"])
            info = self.control("GET", "totp", query=f"serial={serial}")
        return info["code"]

    def fault(self, mode, count=None, delay=None, actions=None, phase="before", **extra):
        spec = {"mode": mode, "count": count, "phase": phase, **extra}
        if delay is not None:
            spec["delay"] = delay
        if actions is not None:
            spec["actions"] = list(actions)
        return self.control("POST", "faults", spec)

    def clear_faults(self):
        return self.control("DELETE", "faults")

    def use_cert(self, name):
        """'good', 'wrong-ca', 'expired' or 'wrong-host'."""
        return self.control("POST", "tls", {"cert": name})

    def calls(self, action=None, outcome=None):
        query = "&".join(f"{k}={v}" for k, v in (("action", action), ("outcome", outcome)) if v)
        return self.control("GET", "log", query=query)["calls"]

    def count(self, action=None, outcome=None):
        return len(self.calls(action, outcome))

    def clear_log(self):
        return self.control("DELETE", "log")

    def reset(self):
        return self.control("POST", "reset")

    def put_policy(self, name, document, user=None, role=None, account=default_world.ACCOUNT):
        owner = {"user": user} if user else {"role": role}
        return self.control("PUT", "policies", {"account": account, "name": name,
                                                "document": document, **owner})

    def delete_policy(self, name, user=None, role=None, account=default_world.ACCOUNT):
        owner = {"user": user} if user else {"role": role}
        return self.control("DELETE", "policies", {"account": account, "name": name, **owner})

    def signins(self):
        """Console sessions made through the federation endpoint (federation.py)."""
        return self.control("GET", "signins")["signins"]

    def evaluate(self, cases):
        return self.control("POST", "evaluate", {"cases": cases})["results"]

    # -- clients -------------------------------------------------------------------------------
    def client_env(self, home, base=None, **extra):
        """An environment for a client process: throw-away HOME, no real AWS settings leaking in,
        and STS's public host names sent to the emulator through its CONNECT proxy."""
        env = {k: v for k, v in (base if base is not None else os.environ).items()
               if not k.startswith(("AWS_", "MFAENV_"))
               and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
        os.makedirs(os.path.join(home, ".aws"), exist_ok=True)
        env.update(HOME=home, AWS_CONFIG_FILE=os.path.join(home, ".aws", "config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, ".aws", "credentials"),
                   AWS_CA_BUNDLE=self.ca_bundle, AWS_ENDPOINT_URL_STS=self.endpoint,
                   AWS_ENDPOINT_URL_IAM=self.endpoint,
                   AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true",
                   AWS_PAGER="", AWS_MAX_ATTEMPTS="1", STS_EMULATOR_CLOCK_FILE=self.clock_file,
                   XDG_CACHE_HOME=os.path.join(home, ".cache"),
                   HTTPS_PROXY=self.proxy, https_proxy=self.proxy,
                   NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def totp_command(self, secret_file):
        """An `mfa_process` command printing the device's current code at the emulator clock."""
        return f"{PYTHON} {TOTP_SCRIPT} --secret-file {secret_file} --clock-file {self.clock_file}"

    def raw_request(self, params, key=None, secret=None, token=None, method="POST", when=None,
                    region="us-east-1"):
        """Sends an STS Query API call signed by botocore (unsigned without key); returns
        (status, headers dict, body bytes). `when` (epoch) overrides the signing time."""
        from urllib.parse import urlencode
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        query = urlencode(params)
        if method == "GET":
            request = AWSRequest(method="GET", url=f"{self.endpoint}/?{query}")
        else:
            request = AWSRequest(method="POST", url=self.endpoint + "/", data=query.encode(),
                                 headers={"Content-Type":
                                          "application/x-www-form-urlencoded; charset=utf-8"})
        if key is not None:
            signer = _SignedAt(Credentials(key, secret, token), "sts", region)
            signer.when = time.time() if when is None else when
            signer.add_auth(request)
        prepared = request.prepare()
        http = urllib.request.Request(prepared.url, data=prepared.body, method=method,
                                      headers=dict(prepared.headers.items()))
        context = ssl.create_default_context(cafile=self.ca_bundle)
        try:
            with urllib.request.urlopen(http, context=context, timeout=30) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers.items()), e.read()

    def keys(self, user=None):
        """The access keys in the world: [{"id", "user", "account", "status"}] (no secrets)."""
        return self.control("GET", "keys", query=f"user={user}" if user else "")["keys"]

    def set_key_propagation_delay(self, seconds):
        """A key made by CreateAccessKey is unknown to STS and IAM for `seconds` (emulator clock)."""
        self.control("POST", "settings", {"key_propagation_delay": seconds})

    def iam_client(self, key, secret, token=None):
        """A botocore IAM client for the emulator (requests signed for service iam)."""
        return self.botocore_client(key, secret, token, service="iam")

    def botocore_client(self, key, secret, token=None, service="sts"):
        import botocore.config
        global _BOTOCORE_SESSION
        if _BOTOCORE_SESSION is None:  # loading botocore's models takes ~0.2 s: do it once
            import botocore.session
            _BOTOCORE_SESSION = botocore.session.get_session()
        client = _BOTOCORE_SESSION.create_client(
            service, region_name="us-east-1", endpoint_url=self.endpoint, verify=self.ca_bundle,
            aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token,
            config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}))
        self._clients.append(client)
        return client

    def close_clients(self):
        """Closes the botocore clients made so far (their pooled TLS connections)."""
        for client in self._clients:
            client.close()
        self._clients = []


def _signer_class():
    from botocore.auth import SigV4Auth

    class SignedAt(SigV4Auth):
        """botocore's SigV4 with a chosen signing time (for clock-skew tests)."""
        when = None

        def add_auth(self, request):
            request.context["timestamp"] = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self.when))
            self._modify_request_before_signing(request)
            canonical = self.canonical_request(request)
            signature = self.signature(self.string_to_sign(request, canonical), request)
            self._inject_signature_to_request(request, signature)
    return SignedAt


def _SignedAt(*args):
    return _signer_class()(*args)


def write_aws_files(home, config=None, credentials=None):
    """Writes ~/.aws/config ({"profile a": {...}, "default": {...}}) and ~/.aws/credentials."""
    paths = []
    for name, sections in (("config", config or {}), ("credentials", credentials or {})):
        path = os.path.join(home, ".aws", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            for section, values in sections.items():
                f.write(f"[{section}]\n")
                f.writelines(f"{k} = {v}\n" for k, v in values.items())
                f.write("\n")
        os.chmod(path, 0o600)
        paths.append(path)
    return paths


def main(argv):
    parser = argparse.ArgumentParser(description="Start or stop a background STS emulator.")
    parser.add_argument("command", choices=("start", "stop"))
    parser.add_argument("--dir", required=True, help="state directory")
    parser.add_argument("--config", help="JSON world (default: default_world.py)")
    args = parser.parse_args(argv)
    pid_file = os.path.join(args.dir, "emulator.pid")
    if args.command == "stop":
        try:
            with open(pid_file) as f:
                os.kill(int(f.read()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
        return 0
    os.makedirs(args.dir, exist_ok=True)
    port_file = os.path.join(args.dir, "port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    cmd = [PYTHON, os.path.join(HERE, "emulator.py"), "--state-dir", args.dir,
           "--port-file", port_file, "--exit-after", "7200"]
    if args.config:
        cmd += ["--config", args.config]
    with open(os.path.join(args.dir, "emulator.stderr"), "w") as err:
        process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err,
                                   start_new_session=True)
    with open(pid_file, "w") as f:
        f.write(str(process.pid))
    deadline = time.time() + 20
    while not os.path.exists(port_file):
        if process.poll() is not None or time.time() > deadline:
            print("harness: the STS emulator did not start; see " + err.name, file=sys.stderr)
            return 1
        time.sleep(0.02)
    with open(port_file) as f:
        port = int(f.read())
    print(f"export AWS_ENDPOINT_URL_STS=https://127.0.0.1:{port}")
    print(f"export AWS_ENDPOINT_URL_IAM=https://127.0.0.1:{port}")
    print(f"export AWS_CA_BUNDLE={os.path.join(args.dir, 'tls', 'ca.pem')}")
    print(f"export STS_EMULATOR_CLOCK_FILE={os.path.join(args.dir, 'clock.json')}")
    print(f"export STS_EMULATOR_DIR={args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
