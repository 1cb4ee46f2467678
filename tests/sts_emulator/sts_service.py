"""The STS Query API actions: authentication, GetSessionToken, AssumeRole, GetCallerIdentity and the
policy-protected GetAccessKeyInfo, with AWS's validation rules, limits and error texts."""
import hmac
import re
import threading
import traceback
import uuid

import pyotp

import sigv4_check
import sts_xml
from query_request import QueryRequest
from iam_policy import evaluate, normalize_context
from world import Caller, Session, format_time

VERSION = "2011-06-15"
NOT_IMPLEMENTED = {"AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "DecodeAuthorizationMessage",
                   "GetFederationToken"}
MFA_INVALID = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
MFA_UNKNOWN_DEVICE = ("MultiFactorAuthentication failed, unable to validate MFA code.  Please verify "
                      "your MFA serial number is valid and associated with this user.")
TOKEN_INVALID = "The security token included in the request is invalid."
TOKEN_EXPIRED = "The security token included in the request is expired"
CHAINING_LIMIT = ("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed "
                  "by role chaining.")
ROLE_MAX = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
ROLE_ARN_RE = re.compile(r"arn:aws:iam::(\d{12}):role/(?:[\w+=,.@/-]*/)?([\w+=,.@-]{1,64})")


class StsError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def access_denied(message):
    return StsError(403, "AccessDenied", message)


class Validation:
    """Collects AWS-style model constraint failures into one ValidationError."""

    def __init__(self):
        self.problems = []

    def add(self, value, member, constraint):
        shown = "null" if value is None else f"'{value}'"
        self.problems.append(f"Value {shown} at '{member}' failed to satisfy constraint: "
                             f"Member must {constraint}")

    def integer(self, params, name, member, low, high):
        raw = params.get(name)
        if raw is None:
            return None
        if not re.fullmatch(r"-?\d+", raw):
            self.add(raw, member, "be an integer")
            return None
        value = int(raw)
        if value < low:
            self.add(raw, member, f"have value greater than or equal to {low}")
        elif value > high:
            self.add(raw, member, f"have value less than or equal to {high}")
        return value

    def text(self, params, name, member, low, high, pattern, required=False):
        value = params.get(name)
        if value is None:
            if required:
                self.add(None, member, "not be null")
            return None
        if len(value) < low:
            self.add(value, member, f"have length greater than or equal to {low}")
        elif len(value) > high:
            self.add(value, member, f"have length less than or equal to {high}")
        elif not re.fullmatch(pattern, value, re.ASCII):  # AWS's \w is ASCII only
            self.add(value, member, f"satisfy regular expression pattern: {pattern}")
        return value

    def raise_if_any(self):
        if self.problems:
            n = len(self.problems)
            raise StsError(400, "ValidationError", f"{n} validation error{'s' if n > 1 else ''} "
                           f"detected: " + "; ".join(self.problems))


def _mfa_params(check, params):
    serial = check.text(params, "SerialNumber", "serialNumber", 9, 256, r"[\w+=/:,.@-]*")
    code = check.text(params, "TokenCode", "tokenCode", 6, 6, r"[\d]*")
    return serial, code


class StsService:
    def __init__(self, world, clock, settings):
        self.world, self.clock, self.settings = world, clock, settings
        self.lock = threading.RLock()

    # -- entry point ---------------------------------------------------------------------------
    def handle(self, method, raw_path, header_items, body, entry):
        """Returns (status, xml bytes); fills `entry` (the call's log line)."""
        request_id = str(uuid.uuid4())
        entry["request_id"] = request_id
        with self.lock:
            try:
                action, result = self._dispatch(method, raw_path, header_items, body, entry)
                entry.update(outcome="ok", status=200)
                return 200, sts_xml.response(action, result, request_id)
            except (StsError, sigv4_check.AuthError) as e:
                entry.update(outcome=e.code, status=e.status)
                kind = "Receiver" if e.status >= 500 else "Sender"
                return e.status, sts_xml.error(kind, e.code, e.message, request_id)
            except Exception:  # a bug in the emulator: answer like AWS, keep the trace for the log
                entry.update(outcome="InternalFailure", status=500, trace=traceback.format_exc())
                return 500, sts_xml.error("Receiver", "InternalFailure", "The request processing "
                                          "has failed because of an unknown error, exception or "
                                          "failure.", request_id)

    def _dispatch(self, method, raw_path, header_items, body, entry):
        try:
            request = QueryRequest(method, raw_path, header_items, body)
        except UnicodeDecodeError:
            raise StsError(400, "MalformedQueryString", "The request body is not valid UTF-8")
        action, params = request.action, request.params
        entry["action"] = action
        caller, region = self.authenticate(request.auth_headers(), method, raw_path, request.query,
                                           header_items, body, entry)
        if action is None:
            raise StsError(400, "MissingAction", "Missing Action")
        version = params.get("Version")
        if action in NOT_IMPLEMENTED:
            raise StsError(400, "InvalidAction", f"The STS emulator does not implement {action}")
        handler = getattr(self, "_" + action, None) if re.fullmatch(r"[A-Z]\w+", action) else None
        if handler is None or version != VERSION or action not in (
                "GetSessionToken", "AssumeRole", "GetCallerIdentity", "GetAccessKeyInfo"):
            raise StsError(400, "InvalidAction", f"Could not find operation {action} for version "
                           f"{version or 'NO_VERSION_SPECIFIED'}")
        return action, handler(caller, params, region, entry)

    # -- authentication ------------------------------------------------------------------------
    def authenticate(self, auth_headers, method, raw_path, query, header_items, body, entry,
                     service="sts"):
        """The caller of a signed request (STS and IAM share it) and the region it was signed for.

        A key younger than the `key_propagation_delay` setting is unknown (InvalidClientTokenId),
        as a new IAM key is for a few seconds at AWS. Sessions made from a key stay valid after the
        key is deactivated or deleted: AWS documents that temporary credentials cannot be revoked
        and are valid until they expire."""
        auth = sigv4_check.parse(auth_headers, query, service)
        entry["access_key_id"] = auth.key_id
        world, now = self.world, self.clock.now()
        key = world.keys.get(auth.key_id)
        session = world.sessions.get(auth.key_id)
        if key is not None:
            if key.status != "Active" or auth.token is not None:
                raise StsError(403, "InvalidClientTokenId", TOKEN_INVALID)
            if key.known_at is not None and now < key.known_at:
                entry["propagating"] = True
                raise StsError(403, "InvalidClientTokenId", TOKEN_INVALID)
            secret, caller = key.secret, Caller(auth.key_id, user=key.owner)
        elif session is not None:
            if auth.token is None or not hmac.compare_digest(auth.token, session.token):
                raise StsError(403, "InvalidClientTokenId", TOKEN_INVALID)
            secret, caller = session.secret, Caller(auth.key_id, session=session)
        else:
            raise StsError(403, "InvalidClientTokenId", TOKEN_INVALID)
        sigv4_check.check_signature(auth, secret, method, raw_path, query, header_items, body)
        sigv4_check.check_time(auth, self.clock.signature_now(),
                               int(self.settings.get("signature_max_skew", 900)),
                               self.settings.get("skew_error_code", "SignatureDoesNotMatch"))
        if session is not None and now >= session.expires:
            raise StsError(403, "ExpiredToken", TOKEN_EXPIRED)
        entry["principal"] = caller.arn
        return caller, auth.region

    def _check_code(self, caller, serial, code, entry):
        """Verifies a TOTP code at the emulator clock (±1 step); a step already used is refused."""
        entry["serial_number"] = serial
        entry["token_code_sent"] = code is not None
        devices = caller.user.mfa_devices if caller.role is None else {}
        if serial is None or serial not in devices:
            raise access_denied(MFA_UNKNOWN_DEVICE)
        device = devices[serial]
        if code is None:
            raise access_denied(MFA_INVALID)
        totp = pyotp.TOTP(device.secret)
        base = int(self.clock.now()) // totp.interval
        for step in (base, base - 1, base + 1):
            if hmac.compare_digest(totp.generate_otp(step), code):
                if device.last_used_step is not None and step <= device.last_used_step:
                    entry["code_reused"] = True
                    raise access_denied(MFA_INVALID)
                device.last_used_step = step
                entry["mfa_step"] = step
                return self.clock.now()
        raise access_denied(MFA_INVALID)

    # -- actions -------------------------------------------------------------------------------
    def _GetCallerIdentity(self, caller, params, region, entry):
        return [("Arn", caller.arn), ("UserId", caller.user_id), ("Account", caller.account)]

    def _GetSessionToken(self, caller, params, region, entry):
        check = Validation()
        duration = check.integer(params, "DurationSeconds", "durationSeconds", 900, 129600)
        serial, code = _mfa_params(check, params)
        check.raise_if_any()
        entry["duration_seconds"] = duration
        if caller.session is not None:
            raise access_denied("Cannot call GetSessionToken with session credentials")
        granted = duration or 43200
        if caller.is_root:
            granted = min(granted, 3600)  # AWS silently shortens root sessions to one hour
        mfa_time = None
        if serial is not None or code is not None:
            mfa_time = self._check_code(caller, serial, code, entry)
        now = self.clock.now()
        session = self.world.add_session(Session(caller.user, None, None, now, now + granted,
                                                 mfa_time, source_key_id=caller.key_id))
        entry.update(granted_duration=granted, issued_access_key_id=session.key_id,
                     mfa=mfa_time is not None)
        return [sts_xml.credentials(session, format_time(session.expires))]

    def _AssumeRole(self, caller, params, region, entry):
        check = Validation()
        role_arn = check.text(params, "RoleArn", "roleArn", 20, 2048,
                              r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD]+",
                              required=True)
        name = check.text(params, "RoleSessionName", "roleSessionName", 2, 64, r"[\w+=,.@-]*",
                          required=True)
        duration = check.integer(params, "DurationSeconds", "durationSeconds", 900, 43200)
        external_id = check.text(params, "ExternalId", "externalId", 2, 1224, r"[\w+=,.@:\/-]*")
        serial, code = _mfa_params(check, params)
        check.raise_if_any()
        entry.update(role_arn=role_arn, session_name=name, duration_seconds=duration)
        match = ROLE_ARN_RE.fullmatch(role_arn)
        if match is None:
            raise StsError(400, "ValidationError", f"{role_arn} is invalid")
        if caller.is_root:
            raise access_denied("Roles may not be assumed by root accounts.")
        now = self.clock.now()
        context = caller.context(now, region)
        mfa_time = caller.session.mfa_time if caller.session else None
        if serial is not None or code is not None:
            mfa_time = self._check_code(caller, serial, code, entry)
            context["aws:MultiFactorAuthPresent"] = "true"
            context["aws:MultiFactorAuthAge"] = str(int(now - mfa_time))
        context["sts:RoleSessionName"] = name
        if external_id is not None:
            context["sts:ExternalId"] = external_id
        role = self.world.find_role(match.group(1), match.group(2))
        denied = f"User: {caller.arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
        if role is None or role.arn != role_arn:
            raise access_denied(denied)
        self._authorize_assume(caller, role, context, denied)
        chained = caller.role is not None
        if chained and duration is not None and duration > 3600:
            raise StsError(400, "ValidationError", CHAINING_LIMIT)
        if duration is not None and duration > role.max_session_duration:
            raise StsError(400, "ValidationError", ROLE_MAX)
        granted = duration or 3600
        session = self.world.add_session(Session(None, role, name, now, now + granted, mfa_time,
                                                 chained=chained))
        # The console federation endpoint refuses SessionDuration for these (federation.py).
        session.assumed_with_session = caller.session is not None
        entry.update(granted_duration=granted, issued_access_key_id=session.key_id,
                     mfa=mfa_time is not None, chained=chained)
        assumed = Caller(session.key_id, session=session)
        return [sts_xml.credentials(session, format_time(session.expires)),
                ("AssumedRoleUser", [("AssumedRoleId", assumed.user_id), ("Arn", assumed.arn)])]

    def _authorize_assume(self, caller, role, context, denied):
        """Trust policy (resource side) and the caller's identity policies, as IAM combines them."""
        names = {caller.arn, caller.role.arn if caller.role else caller.user.arn}
        account_names = {f"arn:aws:iam::{caller.account}:root", caller.account}
        specific = by_account = False
        variables = context if role.trust.version == "2012-10-17" else None
        for statement in role.trust.statements:
            kinds = set()

            def principal_match(principals):
                values = set(principals.get("AWS", []))
                if "*" in values or values & names:
                    kinds.add("specific")
                elif values & account_names:
                    kinds.add("account")
                return bool(kinds)

            ctx = normalize_context(context)
            if not statement.matches("sts:AssumeRole", None, ctx, variables, principal_match):
                continue
            if statement.effect == "Deny":
                raise access_denied(denied)
            specific |= "specific" in kinds
            by_account |= "account" in kinds
        if not (specific or by_account):
            raise access_denied(denied)
        identity = evaluate(caller.policies, "sts:AssumeRole", role.arn, context)
        if identity.decision == "ExplicitDeny":
            raise access_denied(f"{denied} with an explicit deny in an identity-based policy")
        same_account = caller.account == role.account
        if not (same_account and specific) and identity.decision != "Allow":
            raise access_denied(denied)

    def _GetAccessKeyInfo(self, caller, params, region, entry):
        check = Validation()
        key_id = check.text(params, "AccessKeyId", "accessKeyId", 16, 128, r"[\w]*", required=True)
        check.raise_if_any()
        if not caller.is_root:  # the root user is not subject to identity policies
            decision = evaluate(caller.policies, "sts:GetAccessKeyInfo", "*",
                                caller.context(self.clock.now(), region))
            entry["policy_decision"] = decision.as_dict()
            base = f"User: {caller.arn} is not authorized to perform: sts:GetAccessKeyInfo"
            if decision.decision == "ExplicitDeny":
                raise access_denied(f"{base} with an explicit deny in an identity-based policy")
            if decision.decision != "Allow":
                raise access_denied(f"{base} because no identity-based policy allows the "
                                    f"sts:GetAccessKeyInfo action")
        return [("Account", self.world.account_of_key(key_id))]
