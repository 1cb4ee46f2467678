"""The IAM Query API (Version 2010-05-08) of the emulator: authentication shared with STS, IAM's
XML namespace, identity-policy checks on every action, and a table of actions that other files
fill in (iam_access_keys.py; more modules are listed in ACTION_MODULES).

An action is registered with @iam_action("Name") and called as fn(service, caller, params, entry);
it returns the Result's fields (a list for sts_xml), or None for actions without a Result element,
and raises IamError for AWS's error answers.
"""
import importlib
import time
import traceback
import uuid

import sigv4_check
import sts_xml
from query_request import QueryRequest
from iam_policy import evaluate
from sts_service import StsError

VERSION = "2010-05-08"
NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/"
ACTIONS = {}
ACTION_MODULES = ["iam_access_keys", "iam_mfa_devices", "iam_inline_policies"]


class IamError(StsError):
    """An IAM error answer: status, Code, Message."""


def iam_action(name):
    def register(fn):
        ACTIONS[name] = fn
        return fn
    return register


def no_such_entity(message):
    return IamError(404, "NoSuchEntity", message)


class IamService:
    def __init__(self, world, clock, settings, sts):
        self.world, self.clock, self.settings, self.sts = world, clock, settings, sts
        self.lock = sts.lock  # one lock for the world: STS and IAM change the same keys
        for module in ACTION_MODULES:
            importlib.import_module(module)

    def handle(self, method, raw_path, header_items, body, entry):
        """Returns (status, xml bytes); fills `entry` (the call's log line)."""
        request_id = str(uuid.uuid4())
        entry.update(request_id=request_id, service="iam")
        with self.lock:
            try:
                action, result = self._dispatch(method, raw_path, header_items, body, entry)
                entry.update(outcome="ok", status=200)
                return 200, sts_xml.response(action, result, request_id, NAMESPACE)
            except (StsError, sigv4_check.AuthError) as e:
                entry.update(outcome=e.code, status=e.status)
                kind = "Receiver" if e.status >= 500 else "Sender"
                return e.status, sts_xml.error(kind, e.code, e.message, request_id, NAMESPACE)
            except Exception:
                entry.update(outcome="ServiceFailure", status=500, trace=traceback.format_exc())
                return 500, sts_xml.error("Receiver", "ServiceFailure", "An unknown error occurred.",
                                          request_id, NAMESPACE)

    def _dispatch(self, method, raw_path, header_items, body, entry):
        try:
            request = QueryRequest(method, raw_path, header_items, body)
        except UnicodeDecodeError:
            raise IamError(400, "MalformedQueryString", "The request body is not valid UTF-8")
        action, params = request.action, request.params
        entry["action"] = action
        caller, region = self.sts.authenticate(request.auth_headers(), method, raw_path, request.query,
                                               header_items, body, entry, service="iam")
        handler = ACTIONS.get(action)
        if handler is None or params.get("Version") != VERSION:
            raise IamError(400, "InvalidAction", f"Could not find operation {action} for version "
                           f"{params.get('Version') or 'NO_VERSION_SPECIFIED'}")
        return action, handler(self, caller, params, region, entry)

    # -- helpers for the actions ---------------------------------------------------------------
    def authorize(self, caller, action, resource, region, entry):
        """The caller's identity policies must allow `action` on `resource` (root: always)."""
        if caller.is_root:
            return
        decision = evaluate(caller.policies, action, resource, caller.context(self.clock.now(), region))
        entry["policy_decision"] = decision.as_dict()
        base = f"User: {caller.arn} is not authorized to perform: {action} on resource: {resource}"
        if decision.decision == "ExplicitDeny":
            raise IamError(403, "AccessDenied", f"{base} with an explicit deny in an identity-based policy")
        if decision.decision != "Allow":
            raise IamError(403, "AccessDenied", f"{base} because no identity-based policy allows "
                           f"the {action} action")

    def target_user(self, caller, params):
        """The user named by UserName, else the caller's own user (IAM's rule for key actions)."""
        name = params.get("UserName")
        if name is None:
            if caller.role is not None:
                raise IamError(400, "ValidationError", "Must specify userName when calling with "
                               "non-User credentials")
            return caller.user
        user = self.world.find_user(caller.account, name)
        if user is None or user.kind != "user":
            raise no_such_entity(f"The user with name {name} cannot be found.")
        return user


def format_date(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
