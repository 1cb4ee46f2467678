"""Checks a request's AWS Signature Version 4 the way STS does, recomputing it with botocore.

The signature is recomputed by botocore.auth.SigV4Auth from the request's own parts (method, path,
query, the headers listed in SignedHeaders, body, the X-Amz-Date) and the secret of the access key;
only the header selection is ours, because the server must sign exactly what the client listed.
"""
import calendar
import hashlib
import hmac
import re
import time
from urllib.parse import unquote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

ALGORITHM = "AWS4-HMAC-SHA256"


class AuthError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class ParsedAuth:
    def __init__(self, key_id, date, region, service, signed_headers, signature, amz_date, token):
        self.key_id, self.date, self.region, self.service = key_id, date, region, service
        self.signed_headers, self.signature = signed_headers, signature
        self.amz_date, self.token = amz_date, token


def _incomplete(message):
    return AuthError(400, "IncompleteSignature", message)


def service_of(headers):
    """The service named in the Authorization header's credential scope ("sts", "iam"), or None."""
    header = headers.get("Authorization") or ""
    match = re.search(r"Credential=[^/,]*/\d{8}/[^/,]*/([^/,]*)/aws4_request", header)
    return match.group(1) if match else None


def parse(headers, query_pairs, expected_service="sts"):
    """Reads Authorization and X-Amz-Date; raises AuthError for missing or malformed parts."""
    header = headers.get("Authorization")
    if header is None:
        if any(k == "X-Amz-Signature" for k, _ in query_pairs):
            raise _incomplete("The STS emulator does not accept presigned (query string) requests.")
        raise AuthError(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
    algorithm, _, rest = header.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise _incomplete(f"Unsupported AWS 'algorithm': '{algorithm}'")
    fields = {}
    for part in rest.split(","):
        name, eq, value = part.strip().partition("=")
        if eq:
            fields[name] = value
    missing = [f"Authorization header requires '{n}' parameter." for n in
               ("Credential", "Signature", "SignedHeaders") if n not in fields]
    amz_date = headers.get("X-Amz-Date")
    if amz_date is None:
        missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a"
                       " 'Date' header.")
    if missing:
        raise _incomplete(" ".join(missing) + f" Authorization={header.split(',')[0]}")
    scope = fields["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise _incomplete("Credential should be scoped to a valid region. ")
    key_id, date, region, service, _ = scope
    if service != expected_service:
        raise AuthError(403, "SignatureDoesNotMatch",
                        f"Credential should be scoped to correct service: '{expected_service}'. ")
    if not re.fullmatch(r"\d{8}T\d{6}Z", amz_date):
        raise _incomplete(f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See "
                          "http://en.wikipedia.org/wiki/ISO_8601")
    if date != amz_date[:8]:
        raise AuthError(403, "SignatureDoesNotMatch",
                        f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                        f"date from HTTP: '{date}' != '{amz_date[:8]}', from '{amz_date}'.")
    signed = [h.strip().lower() for h in fields["SignedHeaders"].split(";") if h.strip()]
    return ParsedAuth(key_id, date, region, service, signed, fields["Signature"], amz_date,
                      headers.get("X-Amz-Security-Token"))


class _Recompute(SigV4Auth):
    """SigV4Auth signing exactly the headers the client listed, with the query normalised."""

    def __init__(self, credentials, region, signed_headers, query_pairs, service="sts"):
        super().__init__(credentials, service, region)
        self._signed, self._query = signed_headers, query_pairs

    def headers_to_sign(self, request):
        header_map = HTTPHeaders()
        for name in self._signed:
            for value in request.headers.get_all(name) or []:
                header_map[name] = value
        return header_map

    def canonical_query_string(self, request):
        # STS decodes the query and re-encodes it per the SigV4 rules before comparing.
        return self._canonical_query_string_params(self._query)


def check_signature(auth, secret, method, raw_path, query_pairs, header_items, body):
    """Raises AuthError(SignatureDoesNotMatch) unless the client signed with `secret`."""
    present = {name.lower() for name, _ in header_items}
    absent = [h for h in auth.signed_headers if h not in present]
    if "host" not in auth.signed_headers or absent:
        raise AuthError(403, "SignatureDoesNotMatch", _MISMATCH)
    headers = HTTPHeaders()
    for name, value in header_items:
        headers[name.lower()] = value
    content_sha = headers.get("x-amz-content-sha256")
    if content_sha and content_sha != "UNSIGNED-PAYLOAD" and \
            content_sha != hashlib.sha256(body).hexdigest():
        raise AuthError(400, "XAmzContentSHA256Mismatch",
                        "The provided 'x-amz-content-sha256' header does not match what was computed.")
    request = AWSRequest(method=method, url="https://" + headers.get("host", "") +
                         raw_path.split("?", 1)[0], headers=headers, data=body)
    request.context["timestamp"] = auth.amz_date
    signer = _Recompute(Credentials(auth.key_id, secret, auth.token), auth.region,
                        auth.signed_headers, query_pairs, auth.service)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, auth.signature):
        raise AuthError(403, "SignatureDoesNotMatch", _MISMATCH)


_MISMATCH = ("The request signature we calculated does not match the signature you provided. "
             "Check your AWS Secret Access Key and signing method. Consult the service "
             "documentation for details.")


def amz_date_epoch(amz_date):
    return calendar.timegm(time.strptime(amz_date, "%Y%m%dT%H%M%SZ"))


def check_time(auth, now, max_skew, code="SignatureDoesNotMatch"):
    """STS refuses a signature more than `max_skew` seconds (15 min) away from its clock."""
    signed_at = amz_date_epoch(auth.amz_date)
    fmt = lambda t: time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t))  # noqa: E731
    minutes = f"{max_skew // 60} min." if max_skew % 60 == 0 else f"{max_skew} sec."
    if signed_at < now - max_skew:
        raise AuthError(403 if code == "SignatureDoesNotMatch" else 400, code,
                        f"Signature expired: {auth.amz_date} is now earlier than "
                        f"{fmt(now - max_skew)} ({fmt(now)} - {minutes})")
    if signed_at > now + max_skew:
        raise AuthError(403 if code == "SignatureDoesNotMatch" else 400, code,
                        f"Signature not yet current: {auth.amz_date} is still later than "
                        f"{fmt(now + max_skew)} ({fmt(now)} + {minutes})")


def decode_query(raw_query):
    """Query pairs, percent-decoded ('+' stays '+': SigV4 clients encode spaces as %20)."""
    pairs = []
    for part in raw_query.split("&") if raw_query else []:
        if part:
            name, _, value = part.partition("=")
            pairs.append((unquote(name), unquote(value)))
    return pairs
