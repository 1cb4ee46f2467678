"""Fault modes of the emulator: what a flaky network, an overloaded STS or a proxy looks like.

A fault applies to the next `count` STS requests (all of them when count is null), optionally only
to some actions. Phase "before" answers without processing the request (nothing changes: an MFA
code is not consumed); phase "after" processes it first (the code is consumed, a session issued)
and then loses or mangles the answer, which is what makes resending a code dangerous.

Two modes stand for a broken or hostile endpoint rather than a flaky network: "rewrite" processes
the request and replaces the text of one element of the answer (an <Expiration> already past or in
9999, an <AccessKeyId> holding a control character), and "redirect" answers with a 3xx and a
Location, as a captive portal or a misconfigured proxy does (real STS never redirects).
"""
import re
import threading
from urllib.parse import parse_qsl

import sts_xml
import sigv4_check

MODES = {
    # mode: (status, error code, message) for the modes that answer with an ErrorResponse
    "throttle": (400, "Throttling", "Rate exceeded"),
    "internal": (500, "InternalFailure", "The request processing has failed because of an unknown "
                 "error, exception or failure."),
    "unavailable": (503, "ServiceUnavailable", "Service is unable to handle request."),
    "error": None, "slow": None, "truncated": None, "short_body": None, "non_xml": None,
    "reset": None, "close": None, "rewrite": None, "redirect": None,
}

NON_XML_BODY = (b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
                b"<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an "
                b"upstream server.</p></body></html>\n")


class FaultError(ValueError):
    pass


class Fault:
    def __init__(self, spec):
        self.mode = spec.get("mode")
        if self.mode not in MODES:
            raise FaultError(f"unknown fault mode {self.mode!r}; one of {sorted(MODES)}")
        self.count = spec.get("count")
        if self.count is not None and (not isinstance(self.count, int) or self.count < 1):
            raise FaultError("count must be a positive integer or null (persistent)")
        self.phase = spec.get("phase", "before")
        if self.phase not in ("before", "after"):
            raise FaultError("phase must be 'before' or 'after'")
        self.delay = float(spec.get("delay", 0))
        self.actions = set(spec["actions"]) if spec.get("actions") else None
        self.status = int(spec.get("status", 400 if self.mode == "error" else 200))
        self.code = spec.get("code", "AccessDenied")
        self.message = spec.get("message", "Injected by the STS emulator")
        if self.mode == "slow" and self.delay <= 0:
            raise FaultError("the slow fault needs a positive 'delay' in seconds")
        self.field, self.text = spec.get("field"), spec.get("text")
        if self.mode == "rewrite":
            if not (isinstance(self.field, str) and re.fullmatch(r"\w+", self.field) and isinstance(self.text, str)):
                raise FaultError("the rewrite fault needs 'field' (an element name) and 'text' (its new text)")
            self.phase = "after"  # a rewritten answer is always one STS processed
        self.location = spec.get("location", "https://signin.example.net/captive")
        if self.mode == "redirect":
            self.status = int(spec.get("status", 302))
            if not 300 <= self.status < 400:
                raise FaultError("the redirect fault's status must be a 3xx")

    def as_dict(self):
        return {"mode": self.mode, "count": self.count, "phase": self.phase, "delay": self.delay,
                "actions": sorted(self.actions) if self.actions else None}

    def response(self, real, action, request_id):
        """(status, body, content type, declared Content-Length or None, extra headers); status None:
        no answer."""
        status, body, ctype, declared = self._response(real, action, request_id)
        headers = {"Location": self.location} if self.mode == "redirect" else {}
        return status, body, ctype, declared, headers

    def _response(self, real, action, request_id):
        request_id = request_id or "00000000-0000-0000-0000-000000000000"
        if self.mode in ("reset", "close"):
            return None, b"", None, None
        if self.mode == "redirect":
            return self.status, b"<html><body>Moved</body></html>\n", "text/html", None
        if self.mode == "rewrite":
            status, body = real
            field = self.field.encode()
            new = b"<" + field + b">" + self.text.encode() + b"</" + field + b">"
            pattern = b"<" + field + b">[^<]*</" + field + b">"
            return status, re.sub(pattern, lambda _: new, body), "text/xml", None
        if self.mode == "non_xml":
            return self.status, NON_XML_BODY, "text/html", None
        if self.mode in ("throttle", "internal", "unavailable", "error"):
            status, code, message = MODES[self.mode] or (self.status, self.code, self.message)
            kind = "Receiver" if status >= 500 else "Sender"
            return status, sts_xml.error(kind, code, message, request_id), "text/xml", None
        body = real[1] if real else _placeholder(action, request_id)
        status = real[0] if real else 200
        if self.mode == "truncated":
            return status, body[: len(body) // 2], "text/xml", None
        return status, body[: len(body) // 2], "text/xml", len(body)  # short_body


def _placeholder(action, request_id):
    action = action or "GetCallerIdentity"
    return sts_xml.response(action, [("Arn", "arn:aws:iam::000000000000:user/placeholder"),
                                     ("UserId", "AIDAPLACEHOLDER000000"),
                                     ("Account", "000000000000")], request_id)


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.active = []

    def add(self, spec):
        fault = Fault(spec)
        with self.lock:
            self.active.append(fault)
        return fault

    def clear(self):
        with self.lock:
            self.active = []

    def take(self, action, explicit=False):
        """The first fault that applies to this request, its count consumed; explicit: only a fault
        that names the action."""
        with self.lock:
            for fault in self.active:
                if (fault.actions is None and explicit) or (fault.actions is not None and action not in fault.actions):
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count == 0:
                        self.active.remove(fault)
                return fault
        return None

    def as_list(self):
        with self.lock:
            return [f.as_dict() for f in self.active]


def peek_action(raw_path, header_items, body):
    """The Action parameter, read before the request is processed (for per-action faults)."""
    _, _, query = raw_path.partition("?")
    for name, value in sigv4_check.decode_query(query):
        if name == "Action":
            return value
    content_type = next((v for k, v in header_items if k.lower() == "content-type"), "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        try:
            for name, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True):
                if name == "Action":
                    return value
        except UnicodeDecodeError:
            return None
    return None
