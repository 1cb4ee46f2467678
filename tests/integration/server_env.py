"""What the credential-server tests share: a running `mfaenv exec PROFILE --server` whose command
reports the endpoint's variables to the test, and HTTP requests to it."""
import http.client
import json
import os
import signal
import subprocess
import time

from mfaenv_env import MFAENV

# The command under `exec --server`: writes the two variables to a file the test reads, then waits.
REPORTER = ('printf "%s %s\\n" "$AWS_CONTAINER_CREDENTIALS_FULL_URI" "$AWS_CONTAINER_AUTHORIZATION_TOKEN" > "$1.tmp"'
            ' && mv "$1.tmp" "$1" && exec sleep 600')


class RunningServer:
    def __init__(self, home, profile="alice", extra_args=(), env=None):
        self.report = os.path.join(home.dir, "server-vars")
        if os.path.exists(self.report):
            os.remove(self.report)
        e = dict(home.env)
        e.update(env or {})
        self.proc = subprocess.Popen([MFAENV, "exec", profile, "--server", *extra_args, "--", "sh", "-c", REPORTER,
                                      "reporter", self.report], env=e, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
        deadline = time.monotonic() + 30
        while not os.path.exists(self.report):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                out, err = self.proc.communicate(timeout=10)
                raise AssertionError(f"the server did not start (exit {self.proc.returncode}): {err}")
            time.sleep(0.02)
        with open(self.report) as f:
            self.url, self.token = f.read().split()
        self.host, rest = self.url[len("http://"):].split("/", 1)
        self.address, port = self.host.split(":")
        self.port = int(port)
        self.path = "/" + rest

    def request(self, method="GET", path=None, token=True, host=None, timeout=10):
        """(status, JSON body) of one request; `token` True sends the right token, a string that one."""
        c = http.client.HTTPConnection(self.address, self.port, timeout=timeout)
        headers = {}
        if token is True:
            headers["Authorization"] = self.token
        elif token:
            headers["Authorization"] = token
        c.putrequest(method, path or self.path, skip_host=True)
        c.putheader("Host", host if host is not None else self.host)
        for k, v in headers.items():
            c.putheader(k, v)
        c.endheaders()
        r = c.getresponse()
        body = r.read().decode()
        c.close()
        return r.status, json.loads(body)

    def stop(self):
        """Ends the command (SIGTERM through mfaenv) and returns (returncode, stdout, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, out, err
