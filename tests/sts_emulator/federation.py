"""The console federation endpoint (signin.aws.amazon.com/federation) as AWS documents it for custom
identity brokers: `getSigninToken` trades temporary credentials for a sign-in token, `login`
redirects the browser to the console with it. The emulator serves it on its own listener under
/federation; `GET /_emulator/signins` shows the console sessions made, with their MFA state.

AWS's rules kept (docs/sts-emulator.md, "Console sign-in"):
- Session = URL-encoded JSON {"sessionId", "sessionKey", "sessionToken"} of temporary credentials
  from AssumeRole (or GetFederationToken, which the emulator does not issue). Long-term keys and
  GetSessionToken sessions are refused (aws-vault #106: "fails with Bad Request").
- SessionDuration 900..43200, and only for role sessions that were assumed with long-term
  credentials: credentials made from other temporary credentials (role chaining, or a role assumed
  with a GetSessionToken MFA session) get 400 with it (the IAM guide's custom-broker page; seen as
  "Invalid credentials parameter" by aws-vault #77, aws-sso-cli #1247). Without it the console
  session lasts as long as the credentials.
- The sign-in token is good for 15 minutes. `login` needs Action, SigninToken and an https
  Destination on a console host of an AWS partition; it answers 302 to the Destination.
Errors are 400 with a short text body, as the real endpoint answers HTML error pages.
"""
import hmac
import json
import secrets
import uuid
from urllib.parse import parse_qsl, urlsplit

TOKEN_LIFETIME = 900
CONSOLE_HOSTS = ("aws.amazon.com", "amazonaws.cn", "amazonaws-us-gov.com")


class FederationError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status, self.message = status, message


class Federation:
    def __init__(self, world, clock, log, lock):
        self.world, self.clock, self.log = world, clock, log
        self.lock = lock  # the STS service's: sessions are read here
        self.tokens = {}     # sign-in token -> console session dict
        self.signins = []    # console sessions, in order of getSigninToken

    def handle(self, method, raw_path):
        """Returns (status, body bytes, content type, extra headers)."""
        entry = {"time": self.clock.as_dict()["iso"], "epoch": self.clock.now(), "method": method,
                 "request_id": str(uuid.uuid4()), "service": "signin"}
        params = dict(parse_qsl(urlsplit(raw_path).query, keep_blank_values=True))
        action = params.get("Action")
        entry["action"] = action
        try:
            if method != "GET":
                raise FederationError("The federation endpoint takes GET requests", 405)
            with self.lock:
                if action == "getSigninToken":
                    result = self._get_signin_token(params, entry)
                elif action == "login":
                    result = self._login(params, entry)
                else:
                    raise FederationError(f"Unknown Action {action!r}: getSigninToken or login")
            entry.update(outcome="ok", status=result[0])
            return result
        except FederationError as e:
            entry.update(outcome="FederationError", status=e.status, error=e.message)
            return e.status, (e.message + "\n").encode(), "text/plain", {}
        finally:
            self.log.append(entry)

    def _get_signin_token(self, params, entry):
        try:
            session_doc = json.loads(params.get("Session", ""))
        except json.JSONDecodeError:
            raise FederationError("Invalid credentials parameter: Session is not JSON")
        if not isinstance(session_doc, dict) or not all(
                isinstance(session_doc.get(k), str) for k in ("sessionId", "sessionKey", "sessionToken")):
            raise FederationError("Invalid credentials parameter: Session needs sessionId, sessionKey "
                                  "and sessionToken")
        key_id = session_doc["sessionId"]
        entry["access_key_id"] = key_id
        if key_id in self.world.keys:
            raise FederationError("Invalid credentials parameter: long-term access keys cannot sign in; "
                                  "use temporary credentials from AssumeRole or GetFederationToken")
        session = self.world.sessions.get(key_id)
        if session is None or not hmac.compare_digest(session.secret, session_doc["sessionKey"]) \
                or not hmac.compare_digest(session.token, session_doc["sessionToken"]):
            raise FederationError("Invalid credentials parameter: the credentials are not valid")
        now = self.clock.now()
        if now >= session.expires:
            raise FederationError("Invalid credentials parameter: the credentials have expired")
        if session.role is None:
            raise FederationError("Invalid credentials parameter: credentials from GetSessionToken cannot "
                                  "sign in to the console")
        expires = session.expires
        duration = params.get("SessionDuration")
        if duration is not None:
            if not duration.isdigit() or not 900 <= int(duration) <= 43200:
                raise FederationError("Invalid SessionDuration: 900 to 43200 seconds")
            if getattr(session, "assumed_with_session", False) or session.chained:
                raise FederationError("Invalid credentials parameter: SessionDuration cannot be used with "
                                      "credentials made from temporary credentials")
            expires = now + int(duration)
        token = secrets.token_urlsafe(96)
        signin = {"id": len(self.signins) + 1, "principal":
                  f"arn:aws:sts::{session.role.account}:assumed-role/{session.role.name}/{session.session_name}",
                  "access_key_id": key_id, "mfa": session.mfa_time is not None,
                  "mfa_time": session.mfa_time, "issued": now, "console_expires": expires,
                  "session_duration": int(duration) if duration is not None else None,
                  "token_expires": now + TOKEN_LIFETIME, "logins": 0, "destination": None}
        self.tokens[token] = signin
        self.signins.append(signin)
        entry.update(principal=signin["principal"], mfa=signin["mfa"])
        body = json.dumps({"SigninToken": token}).encode()
        return 200, body, "application/json", {}

    def _login(self, params, entry):
        token = params.get("SigninToken")
        destination = params.get("Destination")
        if not token or not destination:
            raise FederationError("login needs SigninToken and Destination")
        signin = None
        for known, candidate in self.tokens.items():
            if hmac.compare_digest(known, token):
                signin = candidate
        if signin is None:
            raise FederationError("Invalid SigninToken")
        if self.clock.now() >= signin["token_expires"]:
            raise FederationError("The SigninToken has expired (tokens are good for 15 minutes)")
        parts = urlsplit(destination)
        host = parts.hostname or ""
        if parts.scheme != "https" or not any(host == h or host.endswith("." + h) for h in CONSOLE_HOSTS):
            raise FederationError("Destination must be an https URL of the AWS console")
        signin["logins"] += 1
        signin["destination"] = destination
        signin["issuer"] = params.get("Issuer")
        entry.update(principal=signin["principal"], mfa=signin["mfa"])
        return 302, b"", "text/plain", {"Location": destination}

    def as_list(self):
        with self.lock:
            now = self.clock.now()
            return [dict(s, mfa_age=int(now - s["mfa_time"]) if s["mfa_time"] is not None else None)
                    for s in self.signins]
