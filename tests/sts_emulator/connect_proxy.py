"""An HTTP CONNECT proxy in front of the emulator, so that clients which build STS's public endpoint
themselves (the AWS CLI's assume-role credential provider ignores --endpoint-url) reach the
emulator instead of AWS: HTTPS_PROXY=http://127.0.0.1:PROXY_PORT, NO_PROXY=127.0.0.1,localhost.

Only STS host names are tunnelled, and always to the emulator itself (whose certificates carry
those names); any other host gets 403, so a test can never reach the real AWS through it.
"""
import re
import socketserver

STS_HOST = re.compile(r"sts(-fips)?(\.[a-z0-9-]+)?\.(amazonaws\.com|api\.aws)")


class ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address, sts_server):
        self.sts_server = sts_server
        super().__init__(address, ProxyHandler)

    def handle_error(self, request, client_address):
        pass


class ProxyHandler(socketserver.StreamRequestHandler):
    rbufsize = 0  # nothing of the client's TLS handshake may be read ahead by this layer
    timeout = 30

    def _answer(self, status, reason):
        self.wfile.write(f"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\n\r\n".encode())

    def handle(self):
        request_line = self.rfile.readline(8192).decode("latin-1").split()
        while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
            pass
        if len(request_line) != 3 or request_line[0] != "CONNECT":
            return self._answer(405, "Only CONNECT is supported")
        host, _, port = request_line[1].rpartition(":")
        if port != "443" or not STS_HOST.fullmatch(host.lower()):
            return self._answer(403, f"The STS emulator's proxy only reaches STS, not {host}")
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        self.server.sts_server.finish_request(self.connection, ("127.0.0.1", self.client_address[1]))
