"""The emulator's IAM world: accounts, users, root users, access keys, MFA devices, roles, sessions.

Built from the JSON configuration (format in docs/sts-emulator.md) and changed at run time through
the control API. Identifiers look like AWS's (AIDA…, AROA…, AKIA…, ASIA…); session access key ids
encode their account the way AWS's do, so GetAccessKeyInfo can answer for any key.
"""
import base64
import hashlib
import os
import re
import secrets
import time

from iam_policy import Policy, PolicyError

ACCOUNT_RE = re.compile(r"\d{12}")
NAME_RE = re.compile(r"[\w+=,.@-]{1,64}")


class ConfigError(ValueError):
    """The emulator's configuration (file or control API call) is invalid."""


def stable_id(prefix, text):
    digest = base64.b32encode(hashlib.sha256(text.encode()).digest()).decode()
    return prefix + digest[:17]


def key_id_for_account(prefix, account):
    """A 20-character access key id whose bits carry the account, as AWS's key ids do."""
    head = (int(account) << 7) | secrets.randbits(7)
    raw = head.to_bytes(6, "big") + os.urandom(4)
    return prefix + base64.b32encode(raw).decode()


def account_from_key_id(key_id):
    try:
        raw = base64.b32decode(key_id[4:20])
    except (ValueError, TypeError):
        return None
    return "%012d" % ((int.from_bytes(raw[:6], "big") & 0x7FFFFFFFFF80) >> 7)


def random_secret():
    return base64.b64encode(os.urandom(30)).decode()


def random_session_token():
    # Real tokens are long, base64 with '+', '/' and '=': clients must quote them correctly.
    return "IQoJb3JpZ2luX2VjE" + base64.b64encode(os.urandom(300)).decode()


class MfaDevice:
    def __init__(self, serial, secret, owner):
        self.serial, self.secret, self.owner = serial, secret, owner
        self.last_used_step = None  # AWS refuses a code whose time step is not newer than this


class AccessKey:
    def __init__(self, key_id, secret, owner, status="Active", created=None):
        self.key_id, self.secret, self.owner, self.status = key_id, secret, owner, status
        # None: configured keys, known everywhere at once; CreateAccessKey sets the time, so that
        # the key_propagation_delay setting can refuse a new key for a while.
        self.created = created
        self.create_date = created if created is not None else time.time() - 86400 * 30
        self.last_used = None


class User:
    """An IAM user, or an account's root user (kind "root")."""

    def __init__(self, account, name, kind="user", path="/", user_id=None):
        self.account, self.name, self.kind, self.path = account, name, kind, path
        if kind == "root":
            self.arn, self.user_id = f"arn:aws:iam::{account}:root", account
        else:
            self.arn = f"arn:aws:iam::{account}:user{path}{name}"
            self.user_id = user_id or stable_id("AIDA", self.arn)
        self.policies = {}
        self.mfa_devices = {}
        self.groups = []  # Group objects: their inline policies apply to the user too


class Group:
    """An IAM group: members and inline policies (PutGroupPolicy)."""

    def __init__(self, account, name, path="/"):
        self.account, self.name, self.path = account, name, path
        self.arn = f"arn:aws:iam::{account}:group{path}{name}"
        self.policies = {}
        self.members = []


class Role:
    def __init__(self, account, name, trust, max_session_duration=3600, path="/", role_id=None):
        self.account, self.name, self.path = account, name, path
        self.arn = f"arn:aws:iam::{account}:role{path}{name}"
        self.role_id = role_id or stable_id("AROA", self.arn)
        self.trust = trust
        if not 3600 <= max_session_duration <= 43200:
            raise ConfigError(f"role {name}: max_session_duration must be 3600..43200")
        self.max_session_duration = max_session_duration
        self.policies = {}


class Session:
    """Temporary credentials issued by GetSessionToken (role None) or AssumeRole."""

    def __init__(self, user, role, session_name, issued, expires, mfa_time, chained=False,
                 source_key_id=None):
        self.user, self.role, self.session_name = user, role, session_name
        self.source_key_id = source_key_id  # the long-term key a GetSessionToken session came from
        self.issued, self.expires, self.mfa_time, self.chained = issued, expires, mfa_time, chained
        account = role.account if role else user.account
        self.key_id = key_id_for_account("ASIA", account)
        self.secret = random_secret()
        self.token = random_session_token()


class Caller:
    """Who signed a request: long-term keys of a user/root, or a session."""

    def __init__(self, key_id, user=None, session=None):
        self.key_id, self.session = key_id, session
        self.user = session.user if session else user
        self.role = session.role if session else None

    @property
    def account(self):
        return self.role.account if self.role else self.user.account

    @property
    def arn(self):
        if self.role:
            return f"arn:aws:sts::{self.role.account}:assumed-role/{self.role.name}/{self.session.session_name}"
        return self.user.arn

    @property
    def user_id(self):
        return f"{self.role.role_id}:{self.session.session_name}" if self.role else self.user.user_id

    @property
    def is_root(self):
        return self.role is None and self.user.kind == "root"

    @property
    def policies(self):
        if self.role:
            return list(self.role.policies.values())
        return list(self.user.policies.values()) + [p for g in self.user.groups for p in g.policies.values()]

    def context(self, now, region):
        """The global condition keys IAM puts into a request made by this caller."""
        ctx = {
            "aws:PrincipalArn": self.role.arn if self.role else self.user.arn,
            "aws:PrincipalAccount": self.account,
            "aws:PrincipalType": "AssumedRole" if self.role else
                                 ("Account" if self.user.kind == "root" else "User"),
            "aws:userid": self.user_id,
            "aws:CurrentTime": format_time(now),
            "aws:EpochTime": str(int(now)),
            "aws:SecureTransport": "true",
            "aws:SourceIp": "127.0.0.1",
            "aws:RequestedRegion": region,
            "aws:PrincipalIsAWSService": "false",
            "aws:ViaAWSService": "false",
        }
        if not self.role and self.user.kind == "user":
            ctx["aws:username"] = self.user.name
        if self.session:
            ctx["aws:TokenIssueTime"] = format_time(self.session.issued)
            ctx["aws:MultiFactorAuthPresent"] = "true" if self.session.mfa_time is not None else "false"
            if self.session.mfa_time is not None:
                ctx["aws:MultiFactorAuthAge"] = str(max(0, int(now - self.session.mfa_time)))
        return ctx


def format_time(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class World:
    def __init__(self, config):
        self.settings = dict(config.get("settings", {}))
        self.accounts = set()
        self.users = {}      # arn -> User
        self.roles = {}      # arn -> Role
        self.keys = {}       # key id -> AccessKey
        self.devices = {}    # serial -> MfaDevice
        self.sessions = {}   # key id -> Session
        self.groups = {}     # arn -> Group
        accounts = config.get("accounts")
        if not isinstance(accounts, dict) or not accounts:
            raise ConfigError("config needs an 'accounts' object with at least one account")
        for account, spec in accounts.items():
            self.add_account(account, spec)

    def add_account(self, account, spec):
        if not ACCOUNT_RE.fullmatch(str(account)):
            raise ConfigError(f"account {account!r} must be 12 digits")
        self.accounts.add(account)
        if "root" in spec:
            self.add_user(account, "root", dict(spec["root"], kind="root"))
        for name, user in spec.get("users", {}).items():
            self.add_user(account, name, user)
        for name, role in spec.get("roles", {}).items():
            self.add_role(account, name, role)
        for name, group in spec.get("groups", {}).items():
            self.add_group(account, name, group)

    def add_group(self, account, name, spec):
        """{"members": [user names], "policies": {name: document}, "path": "/"}"""
        if not NAME_RE.fullmatch(name):
            raise ConfigError(f"group name {name!r} is not a valid IAM name")
        group = Group(account, name, spec.get("path", "/"))
        for member in spec.get("members", []):
            user = self.find_user(account, member)
            if user is None or user.kind != "user":
                raise ConfigError(f"group {name}: no user {member!r} in {account}")
            group.members.append(user)
            user.groups.append(group)
        for pname, doc in spec.get("policies", {}).items():
            group.policies[pname] = parse_policy(doc, pname, "identity")
        self.groups[group.arn] = group
        return group

    def find_group(self, account, name):
        return next((g for g in self.groups.values() if g.account == account and g.name == name), None)

    def add_user(self, account, name, spec):
        kind = spec.get("kind", "user")
        if kind == "user" and not NAME_RE.fullmatch(name):
            raise ConfigError(f"user name {name!r} is not a valid IAM name")
        self.accounts.add(account)
        user = User(account, name, kind, spec.get("path", "/"), spec.get("id"))
        for key in spec.get("keys", []):
            if not {"id", "secret"} <= set(key):
                raise ConfigError(f"user {name}: each key needs 'id' and 'secret'")
            if key["id"] in self.keys:
                raise ConfigError(f"access key {key['id']} is defined twice")
            self.keys[key["id"]] = AccessKey(key["id"], key["secret"], user,
                                             key.get("status", "Active"))
        for device in spec.get("mfa", []):
            default = "root-account-mfa-device" if kind == "root" else name
            serial = device.get("serial", f"arn:aws:iam::{account}:mfa/{default}")
            if "secret" not in device:
                raise ConfigError(f"MFA device {serial} needs a base32 'secret'")
            try:
                base64.b32decode(device["secret"].upper() + "=" * (-len(device["secret"]) % 8))
            except ValueError:
                raise ConfigError(f"MFA device {serial}: secret is not base32")
            user.mfa_devices[serial] = self.devices[serial] = MfaDevice(serial, device["secret"], user)
        for pname, doc in spec.get("policies", {}).items():
            user.policies[pname] = parse_policy(doc, pname, "identity")
        self.users[user.arn] = user
        return user

    def add_role(self, account, name, spec):
        if not NAME_RE.fullmatch(name):
            raise ConfigError(f"role name {name!r} is not a valid IAM name")
        if "trust" not in spec:
            raise ConfigError(f"role {name} needs a 'trust' policy")
        self.accounts.add(account)
        role = Role(account, name, parse_policy(spec["trust"], f"{name} trust policy", "trust"),
                    int(spec.get("max_session_duration", 3600)), spec.get("path", "/"), spec.get("id"))
        for pname, doc in spec.get("policies", {}).items():
            role.policies[pname] = parse_policy(doc, pname, "identity")
        self.roles[role.arn] = role
        return role

    def find_user(self, account, name):
        for user in self.users.values():
            if user.account == account and (user.name == name or (name == "root" and user.kind == "root")):
                return user
        return None

    def find_role(self, account, name):
        return next((r for r in self.roles.values() if r.account == account and r.name == name), None)

    def add_session(self, session):
        self.sessions[session.key_id] = session
        return session

    def account_of_key(self, key_id):
        if key_id in self.keys:
            return self.keys[key_id].owner.account
        if key_id in self.sessions:
            s = self.sessions[key_id]
            return (s.role or s.user).account
        return account_from_key_id(key_id)


def parse_policy(doc, name, kind):
    try:
        return Policy(doc, name=name, kind=kind)
    except PolicyError as e:
        raise ConfigError(f"{name}: {e}")
