#!/usr/bin/python3
"""A throw-away HTTPS server for the HTTP client tests.

Makes a CA and a server certificate for IP 127.0.0.1 with openssl in DIR, then serves:
  https_port  - HTTPS with that certificate; echoes the request as JSON; /status/NNN answers NNN
  silent_port - accepts TCP connections (kernel backlog) and never says a word: for timeouts
and prints one JSON line {"https_port", "silent_port", "ca", "other_ca"} on stdout. Exits when stdin
closes, so it dies with the test that started it.
"""
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OPENSSL_CONFIG = """
[req]
distinguished_name = dn
prompt = no
[dn]
CN = mfaenv test CA
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""
EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_certificates(directory):
    with open(os.path.join(directory, "openssl.cnf"), "w") as f:
        f.write(OPENSSL_CONFIG)
    for name in ("ca", "other-ca"):
        openssl("req", "-x509", "-new", *EC, "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
                "-config", "openssl.cnf", "-extensions", "ca_ext", "-subj", f"/CN=mfaenv {name}", cwd=directory)
    openssl("req", "-new", *EC, "-keyout", "server.key", "-out", "server.csr", "-config", "openssl.cnf",
            "-subj", "/CN=127.0.0.1", cwd=directory)
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "openssl.cnf", "-extensions", "server_ext", cwd=directory)


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        status = 200
        if self.path.startswith("/status/"):
            status = int(self.path.split("/")[2])
        payload = json.dumps({"method": self.command, "path": self.path,
                              "headers": [[k, v] for k, v in self.headers.items()], "body": body}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Echo-Test", "Yes")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that reject the certificate hang up mid-handshake: expected here


def main():
    directory = sys.argv[1]
    make_certificates(directory)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(directory, "server.pem"), os.path.join(directory, "server.key"))
    server = QuietServer(("127.0.0.1", 0), Echo)
    # The handshake happens on the first read, in the handler's thread, so a stalled client cannot
    # block the accept loop.
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"https_port": server.server_address[1], "silent_port": silent.getsockname()[1],
                      "ca": os.path.join(directory, "ca.pem"),
                      "other_ca": os.path.join(directory, "other-ca.pem")}), flush=True)
    sys.stdin.read()  # until the test closes the pipe or dies
    os._exit(0)


if __name__ == "__main__":
    main()
