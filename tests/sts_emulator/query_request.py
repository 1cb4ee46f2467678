"""A Query API request (STS, IAM) as the services read it: parameters from the query string and,
for a form POST, from the body; the signing headers; the Action. One reading for every service, so
they cannot disagree on which of two repeated parameters counts."""
from urllib.parse import parse_qsl

import sigv4_check


class QueryRequest:
    def __init__(self, method, raw_path, header_items, body):
        """Raises UnicodeDecodeError when a form body is not UTF-8 (each service answers that in
        its own words)."""
        self.headers = {}
        for name, value in header_items:
            self.headers.setdefault(name.lower(), value)
        self.path, _, raw_query = raw_path.partition("?")
        self.query = sigv4_check.decode_query(raw_query)
        self.params = dict(reversed(self.query))  # the first of a repeated name wins, as in AWS
        if method == "POST" and self.headers.get("content-type", "").startswith(
                "application/x-www-form-urlencoded"):
            form = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            self.params.update(dict(reversed(form)))
        self.action = self.params.get("Action")

    def auth_headers(self):
        """The headers SigV4 checking needs, as sent."""
        wanted = {"Authorization": "authorization", "X-Amz-Date": "x-amz-date",
                  "X-Amz-Security-Token": "x-amz-security-token"}
        return {name: self.headers[key] for name, key in wanted.items() if key in self.headers}
