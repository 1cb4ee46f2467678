"""The world every test starts from unless it brings its own configuration.

Account 123456789012:
  root   long-term key, MFA device arn:aws:iam::123456789012:mfa/root-account-mfa-device
  alice  MFA device; policies: AllowAll + the awsume seed's two Deny statements (no MFA; MFA older
         than 3600 s) -- long-term keys are denied everything but GetSessionToken/GetCallerIdentity
  bob    no MFA device; AllowAll -- the plain static-keys user
  carol  MFA device; the direnv seed's single Allow * with Bool aws:MultiFactorAuthPresent true
  roles  Admin     trusts alice and carol (user ARNs) when aws:MultiFactorAuthPresent is true;
                   MaxSessionDuration 43200; AllowAll
         ReadOnly  trusts the account (arn:aws:iam::123456789012:root) with no condition;
                   allows sts:GetCallerIdentity only (GetAccessKeyInfo is implicitly denied)
         Deploy    trusts the Admin role (for role chaining); AllowAll
         Audit     trusts alice with sts:ExternalId "audit-ext-1"; AllowAll
Account 210987654321:
  roles  CrossAccount  trusts arn:aws:iam::123456789012:root when MFA is present; AllowAll
"""
import copy

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"

ALICE_KEY = "AKIAALICE0EXAMPLE001"
ALICE_SECRET = "aliceSecretKey/EXAMPLE+0123456789abcdefg"
ALICE_MFA = f"arn:aws:iam::{ACCOUNT}:mfa/alice"
ALICE_TOTP = "JBSWY3DPEHPK3PXPALICE234"
BOB_KEY = "AKIABOB00EXAMPLE0002"
BOB_SECRET = "bobSecretKey/EXAMPLE+0123456789abcdefghi"
CAROL_KEY = "AKIACAROL0EXAMPLE003"
CAROL_SECRET = "carolSecretKey/EXAMPLE+0123456789abcdef"
CAROL_MFA = f"arn:aws:iam::{ACCOUNT}:mfa/carol"
CAROL_TOTP = "KRSXG5CTMVRXEZLUCAROL234"
ROOT_KEY = "AKIAROOT0EXAMPLE0004"
ROOT_SECRET = "rootSecretKey/EXAMPLE+0123456789abcdefgh"
ROOT_MFA = f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device"
ROOT_TOTP = "MFRGGZDFMZTWQ2LKROOT2345"

ADMIN_ROLE = f"arn:aws:iam::{ACCOUNT}:role/Admin"
READONLY_ROLE = f"arn:aws:iam::{ACCOUNT}:role/ReadOnly"
DEPLOY_ROLE = f"arn:aws:iam::{ACCOUNT}:role/Deploy"
AUDIT_ROLE = f"arn:aws:iam::{ACCOUNT}:role/Audit"
AUDIT_EXTERNAL_ID = "audit-ext-1"
CROSS_ROLE = f"arn:aws:iam::{OTHER_ACCOUNT}:role/CrossAccount"

ALLOW_ALL = {"Version": "2012-10-17",
             "Statement": [{"Sid": "AllowAll", "Effect": "Allow", "Action": "*", "Resource": "*"}]}

# The awsume seed's policy: two statements, because conditions in one statement are AND-ed.
FORCE_MFA = {"Version": "2012-10-17", "Statement": [
    {"Sid": "DenyWithoutMFA", "Effect": "Deny", "Action": "*", "Resource": "*",
     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
    {"Sid": "DenyOldMFA", "Effect": "Deny", "Action": "*", "Resource": "*",
     "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": 3600}}}]}

# The direnv seed's policy: one Allow when MFA is present.
ALLOW_WITH_MFA = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["*"], "Resource": "*",
     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}


def _trust(principal, condition=None):
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


MFA_PRESENT = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}

_CONFIG = {
    "settings": {"signature_max_skew": 900, "skew_error_code": "SignatureDoesNotMatch"},
    "accounts": {
        ACCOUNT: {
            "root": {"keys": [{"id": ROOT_KEY, "secret": ROOT_SECRET}],
                     "mfa": [{"serial": ROOT_MFA, "secret": ROOT_TOTP}]},
            "users": {
                "alice": {"keys": [{"id": ALICE_KEY, "secret": ALICE_SECRET}],
                          "mfa": [{"serial": ALICE_MFA, "secret": ALICE_TOTP}],
                          "policies": {"AllowAll": ALLOW_ALL, "ForceMFA": FORCE_MFA}},
                "bob": {"keys": [{"id": BOB_KEY, "secret": BOB_SECRET}],
                        "policies": {"AllowAll": ALLOW_ALL}},
                "carol": {"keys": [{"id": CAROL_KEY, "secret": CAROL_SECRET}],
                          "mfa": [{"serial": CAROL_MFA, "secret": CAROL_TOTP}],
                          "policies": {"AllowWithMFA": ALLOW_WITH_MFA}},
            },
            "roles": {
                "Admin": {"trust": _trust([f"arn:aws:iam::{ACCOUNT}:user/alice",
                                           f"arn:aws:iam::{ACCOUNT}:user/carol"], MFA_PRESENT),
                          "max_session_duration": 43200, "policies": {"AllowAll": ALLOW_ALL}},
                "ReadOnly": {"trust": _trust(f"arn:aws:iam::{ACCOUNT}:root"),
                             "policies": {"CallerIdentityOnly": {
                                 "Version": "2012-10-17", "Statement": [{
                                     "Effect": "Allow", "Action": "sts:GetCallerIdentity",
                                     "Resource": "*"}]}}},
                "Deploy": {"trust": _trust(ADMIN_ROLE), "policies": {"AllowAll": ALLOW_ALL}},
                "Audit": {"trust": _trust(f"arn:aws:iam::{ACCOUNT}:user/alice", {
                    "StringEquals": {"sts:ExternalId": AUDIT_EXTERNAL_ID}}),
                    "policies": {"AllowAll": ALLOW_ALL}},
            },
        },
        OTHER_ACCOUNT: {
            "roles": {
                "CrossAccount": {"trust": _trust(f"arn:aws:iam::{ACCOUNT}:root", MFA_PRESENT),
                                 "policies": {"AllowAll": ALLOW_ALL}},
            },
        },
    },
}


def config():
    """A fresh copy of the default configuration (tests may change it before starting)."""
    return copy.deepcopy(_CONFIG)
