"""The emulator's control API: JSON over the same HTTPS listener, under /_emulator/, 127.0.0.1 only.

Routes (bodies and answers are JSON; see docs/sts-emulator.md for examples):
  GET  health | state | sessions          GET/POST clock        GET/POST/DELETE faults
  GET/DELETE log                          POST reset            POST tls
  GET  totp?serial=ARN                    POST users | roles | keys | settings
  GET  keys?user=NAME
  PUT/DELETE policies                     POST evaluate
"""
import json
import time
from urllib.parse import parse_qs, urlsplit

import pyotp

import iam_policy
from faults import FaultError
from world import AccessKey, ConfigError, key_id_for_account, random_secret


class ControlError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def handle(app, method, path, body):
    parts = urlsplit(path)
    route = parts.path[len("/_emulator/"):].strip("/")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        data = json.loads(body) if body.strip() else {}
        if not isinstance(data, dict):
            raise ControlError(400, "the request body must be a JSON object")
        handler = ROUTES.get((method, route))
        if handler is None:
            raise ControlError(404, f"no control route {method} /_emulator/{route}")
        with app.sts.lock:
            return 200, handler(app, data, query)
    except json.JSONDecodeError as e:
        return 400, {"error": f"invalid JSON body: {e}"}
    except ControlError as e:
        return e.status, {"error": str(e)}
    except (ConfigError, FaultError, iam_policy.PolicyError, ValueError, KeyError, TypeError) as e:
        return 400, {"error": f"{type(e).__name__}: {e}"}


def _need(data, *names):
    missing = [n for n in names if n not in data]
    if missing:
        raise ControlError(400, f"missing field(s): {', '.join(missing)}")
    return [data[n] for n in names]


def health(app, data, query):
    return {"ok": True}


def state(app, data, query):
    return {"clock": app.clock.as_dict(), "cert": app.cert_name, "faults": app.faults.as_list(),
            "calls": len(app.log.entries), "sessions": len(app.world.sessions),
            "settings": app.world.settings}


def get_clock(app, data, query):
    return app.clock.as_dict()


def set_clock(app, data, query):
    """{"offset": s} | {"advance": s} | {"now": epoch} ; and/or {"skew": s} for signature checks."""
    offset = None
    if "offset" in data:
        offset = float(data["offset"])
    if "advance" in data:
        offset = app.clock.offset + float(data["advance"])
    if "now" in data:
        offset = float(data["now"]) - time.time()
    app.clock.update(offset=offset, skew=data.get("skew"))
    return app.clock.as_dict()


def get_faults(app, data, query):
    return {"faults": app.faults.as_list()}


def add_fault(app, data, query):
    if data.get("mode") in (None, "none"):
        app.faults.clear()
    else:
        app.faults.add(data)
    return {"faults": app.faults.as_list()}


def clear_faults(app, data, query):
    app.faults.clear()
    return {"faults": []}


def get_log(app, data, query):
    entries = app.log.select(query.get("action"), query.get("outcome"))
    return {"count": len(entries), "calls": entries}


def clear_log(app, data, query):
    app.log.clear()
    return {"count": 0}


def reset(app, data, query):
    app.faults.clear()
    app.log.clear()
    app.clock.update(offset=0, skew=0)
    app.cert_name = "good"
    app.reset_world()
    return {"ok": True}


def set_tls(app, data, query):
    (name,) = _need(data, "cert")
    if name not in app.contexts:
        raise ControlError(400, f"cert must be one of {sorted(app.contexts)}")
    app.cert_name = name
    return {"cert": name}


def totp(app, data, query):
    serial = query.get("serial") or data.get("serial")
    device = app.world.devices.get(serial)
    if device is None:
        raise ControlError(404, f"no MFA device {serial!r}")
    generator = pyotp.TOTP(device.secret)
    step = int(app.clock.now()) // generator.interval + int(query.get("steps", 0))
    return {"code": generator.generate_otp(step), "step": step,
            "last_used_step": device.last_used_step,
            "seconds_left": generator.interval - int(app.clock.now()) % generator.interval}


def sessions(app, data, query):
    out = []
    for s in app.world.sessions.values():
        out.append({"access_key_id": s.key_id, "role": s.role.arn if s.role else None,
                    "user": s.user.arn if s.user else None, "session_name": s.session_name,
                    "issued": s.issued, "expires": s.expires, "mfa_time": s.mfa_time,
                    "chained": s.chained})
    return {"sessions": out}


def signins(app, data, query):
    """The console sessions made through /federation (getSigninToken), with their MFA state."""
    return {"signins": app.federation.as_list()}


def add_user(app, data, query):
    account, name = _need(data, "account", "name")
    if app.world.find_user(account, name):
        raise ControlError(409, f"user {name} already exists in {account}")
    spec = {k: v for k, v in data.items() if k not in ("account", "name")}
    user = app.world.add_user(account, name, spec)
    return {"arn": user.arn, "user_id": user.user_id}


def add_role(app, data, query):
    account, name = _need(data, "account", "name")
    if app.world.find_role(account, name):
        raise ControlError(409, f"role {name} already exists in {account}")
    spec = {k: v for k, v in data.items() if k not in ("account", "name")}
    role = app.world.add_role(account, name, spec)
    return {"arn": role.arn, "role_id": role.role_id}


def add_group(app, data, query):
    """{"account", "name", "members": [user names], "policies": {name: document}}"""
    account, name = _need(data, "account", "name")
    if app.world.find_group(account, name):
        raise ControlError(409, f"group {name} already exists in {account}")
    spec = {k: v for k, v in data.items() if k not in ("account", "name")}
    group = app.world.add_group(account, name, spec)
    return {"arn": group.arn, "members": [u.name for u in group.members]}


def mfa_devices(app, data, query):
    """Every MFA device, assigned or not; "otpauth" is the URI a CreateVirtualMFADevice QR code holds."""
    return {"devices": [{"serial": d.serial, "user": d.owner.name if d.owner else None,
                         "enabled": getattr(d, "enabled", None), "otpauth": getattr(d, "otpauth", None)}
                        for d in app.world.devices.values()]}


def add_key(app, data, query):
    """Creates a key for a user, or changes a key's status: {"account","user"[,"id","secret","status"]}."""
    if "id" in data and data["id"] in app.world.keys and "user" not in data:
        app.world.keys[data["id"]].status = data.get("status", "Active")
        return {"id": data["id"], "status": app.world.keys[data["id"]].status}
    account, name = _need(data, "account", "user")
    user = app.world.find_user(account, name)
    if user is None:
        raise ControlError(404, f"no user {name} in {account}")
    key = AccessKey(data.get("id") or key_id_for_account("AKIA", account),
                    data.get("secret") or random_secret(), user, data.get("status", "Active"))
    app.world.keys[key.key_id] = key
    return {"id": key.key_id, "secret": key.secret, "status": key.status}


def list_keys(app, data, query):
    """{"keys": [{"id", "user", "account", "status"}]} (no secrets); ?user=NAME filters."""
    user = query.get("user")
    return {"keys": [{"id": k.key_id, "user": k.owner.name, "account": k.owner.account, "status": k.status}
                     for k in app.world.keys.values() if user is None or k.owner.name == user]}


def _policy_owner(app, data):
    (account,) = _need(data, "account")
    if "user" in data:
        owner = app.world.find_user(account, data["user"])
    elif "role" in data:
        owner = app.world.find_role(account, data["role"])
    else:
        raise ControlError(400, "say whose policy: 'user' or 'role'")
    if owner is None:
        raise ControlError(404, "no such user or role")
    return owner


def put_policy(app, data, query):
    """{"account", "user"|"role", "name", "document"}; a role's "trust" is replaced with name "trust"."""
    owner = _policy_owner(app, data)
    name, document = _need(data, "name", "document")
    if name == "trust" and "role" in data:
        owner.trust = iam_policy.Policy(document, name="trust", kind="trust")
    else:
        owner.policies[name] = iam_policy.Policy(document, name=name)
    return {"policies": sorted(owner.policies)}


def delete_policy(app, data, query):
    owner = _policy_owner(app, data)
    (name,) = _need(data, "name")
    owner.policies.pop(name, None)
    return {"policies": sorted(owner.policies)}


def settings(app, data, query):
    for key in ("signature_max_skew", "skew_error_code", "key_propagation_delay"):
        if key in data:
            app.world.settings[key] = data[key]
    return {"settings": app.world.settings}


def evaluate(app, data, query):
    """One case {"policies","action","resource","context"} or {"cases": [...]} (iam_policy.py)."""
    if "cases" in data:
        return {"results": [iam_policy.evaluate_case(c) for c in data["cases"]]}
    return iam_policy.evaluate_case(data)


ROUTES = {
    ("GET", "health"): health, ("GET", "state"): state, ("GET", "sessions"): sessions,
    ("GET", "clock"): get_clock, ("POST", "clock"): set_clock,
    ("GET", "faults"): get_faults, ("POST", "faults"): add_fault, ("DELETE", "faults"): clear_faults,
    ("GET", "log"): get_log, ("DELETE", "log"): clear_log, ("POST", "reset"): reset,
    ("POST", "tls"): set_tls, ("GET", "totp"): totp,
    ("POST", "users"): add_user, ("POST", "roles"): add_role, ("POST", "keys"): add_key,
    ("GET", "keys"): list_keys,
    ("PUT", "policies"): put_policy, ("DELETE", "policies"): delete_policy,
    ("POST", "settings"): settings, ("POST", "evaluate"): evaluate,
    ("GET", "signins"): signins, ("POST", "groups"): add_group, ("GET", "mfa_devices"): mfa_devices,
}
