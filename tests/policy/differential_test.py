#!/usr/bin/python3
"""`mfaenv policy simulate` against the STS emulator's policy enforcement, on generated cases.

1. Evaluator: a seeded generator writes policies (actions/resources with wildcards, NotAction,
   NotResource, variables, String*/Numeric*/Bool/Null conditions with IfExists, several values,
   keys and operators) and requests (MFA absent/false/present with ages, other context keys);
   each pair goes to `mfaenv policy simulate --json` and to tests/sts_emulator/iam_policy.py.
2. The wire: a subset of the policies is attached to a user of a running emulator and the
   protected call (sts:GetAccessKeyInfo) is made with long-term keys, a session without MFA and MFA
   sessions of several ages; the emulator's answer (allowed / explicit deny / no allow) must be
   what simulate says for that request.

Decision and deciding statement must agree; every disagreement is printed with the policy and the
request so it can be replayed by hand. MFAENV_DIFF_SEED and MFAENV_DIFF_CASES change the run.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

BINARY = os.environ["MFAENV_BINARY"]
SOURCE = os.environ["MFAENV_SOURCE_DIR"]
sys.path.insert(0, os.path.join(SOURCE, "tests", "sts_emulator"))

import iam_policy  # noqa: E402

SEED = int(os.environ.get("MFAENV_DIFF_SEED", "20240607"))
CASES = int(os.environ.get("MFAENV_DIFF_CASES", "300"))
MAP = {"allowed": "Allow", "explicitDeny": "ExplicitDeny", "implicitDeny": "ImplicitDeny"}

REQUEST_ACTIONS = ["s3:GetObject", "s3:ListBucket", "iam:EnableMFADevice", "iam:CreateVirtualMFADevice",
                   "sts:GetAccessKeyInfo", "ec2:RunInstances", "iam:ListMFADevices", "iam:DeactivateMFADevice"]
REQUEST_RESOURCES = ["*", "*", "*", "arn:aws:s3:::bucket/key", "arn:aws:s3:::Bucket/key", "arn:aws:iam::123456789012:user/alice",
                     "arn:aws:iam::123456789012:mfa/alice", "arn:aws:iam::123456789012:user/bob"]
ACTION_PATTERNS = ["*", "*", "*", "*", "s3:*", "s3:Get*", "iam:*MFA*", "S3:getobject", "sts:GetAccessKeyInfo", "ec2:?unInstances",
                   "iam:ListMFADevices", "iam:*", "sts:*", "*:*", "iam:Enable*", "STS:getaccesskeyinfo"]
RESOURCE_PATTERNS = ["*", "*", "*", "*", "arn:aws:s3:::bucket/*", "arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:mfa/*",
                     "arn:aws:s3:::*", "arn:aws:iam::123456789012:user/alice", "arn:aws:s3:::b?cket/*",
                     "arn:aws:iam::*:user/${aws:username, 'bob'}", "arn:aws:s3:::${*}"]
MFA_AGES = [0, 59, 60, 61, 899, 900, 901, 3599, 3600, 3601, 43200, 50000]
AGE_VALUES = ["3600", 3600, "900", ["900", "43200"], 0, "60", "1800.5", 43200, ["60", 3600], "+900"]
USERNAME_VALUES = ["alice", "ALICE", "al*", "a?ice", "${aws:username}", ["bob", "alice"], "b*",
                   "${aws:PrincipalTag/team, 'alice'}", "*"]
STRING_OPS = ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
              "StringLike", "StringNotLike"]
NUMERIC_OPS = ["NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
               "NumericGreaterThan", "NumericGreaterThanEquals"]


def maybe_if_exists(rng, op):
    return op + "IfExists" if rng.random() < 0.35 else op


def one_or_list(rng, pool, k=3):
    if rng.random() < 0.7:
        return rng.choice(pool)
    return rng.sample(pool, rng.randint(1, min(k, len(pool))))


def condition_entry(rng):
    """(operator, key, value) drawn from the families simulate evaluates."""
    kind = rng.choice(["present", "present", "age", "age", "null", "username", "team"])
    if kind == "present":
        key = rng.choice(["aws:MultiFactorAuthPresent", "aws:MultiFactorAuthPresent", "AWS:multifactorauthpresent"])
        return maybe_if_exists(rng, "Bool"), key, rng.choice(["true", "false", True, False, ["true", "false"], "TRUE"])
    if kind == "age":
        key = rng.choice(["aws:MultiFactorAuthAge", "aws:multifactorauthage"])
        return maybe_if_exists(rng, rng.choice(NUMERIC_OPS)), key, rng.choice(AGE_VALUES)
    if kind == "null":
        key = rng.choice(["aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent", "aws:username"])
        return "Null", key, rng.choice(["true", "false", True, False])
    if kind == "username":
        return maybe_if_exists(rng, rng.choice(STRING_OPS)), "aws:username", rng.choice(USERNAME_VALUES)
    return maybe_if_exists(rng, rng.choice(STRING_OPS)), "aws:PrincipalTag/team", rng.choice(["ops", "dev", ["ops", "dev"], "o*"])


def statement(rng, index):
    s = {}
    if rng.random() < 0.4:
        s["Sid"] = f"S{index}"
    s["Effect"] = rng.choice(["Allow", "Deny"])
    s["NotAction" if rng.random() < 0.2 else "Action"] = one_or_list(rng, ACTION_PATTERNS)
    s["NotResource" if rng.random() < 0.15 else "Resource"] = one_or_list(rng, RESOURCE_PATTERNS, 2)
    condition = {}
    for _ in range(rng.choice([0, 0, 1, 1, 1, 2, 3])):
        op, key, value = condition_entry(rng)
        condition.setdefault(op, {})[key] = value
    if condition:
        s["Condition"] = condition
    return s


def policy(rng):
    doc = {}
    version = rng.random()
    if version < 0.85:
        doc["Version"] = "2012-10-17"
    elif version < 0.93:
        doc["Version"] = "2008-10-17"
    statements = [statement(rng, i) for i in range(rng.randint(1, 4))]
    doc["Statement"] = statements[0] if len(statements) == 1 and rng.random() < 0.3 else statements
    return doc


def request(rng):
    """(action, resource, mfa flags for simulate, context for the emulator, extra context pairs)."""
    mfa = rng.choice(["absent", "false", "present", "present"])
    context, flags = {}, ["--mfa", mfa]
    if mfa == "present":
        age = rng.choice(MFA_AGES)
        flags += ["--mfa-age", str(age)]
        context.update({"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": str(age)})
    elif mfa == "false":
        context["aws:MultiFactorAuthPresent"] = "false"
    extra = {}
    if rng.random() < 0.6:
        extra["aws:username"] = rng.choice(["alice", "bob", "Alice"])
    if rng.random() < 0.3:
        extra["aws:PrincipalTag/team"] = rng.choice(["ops", "dev"])
    if mfa == "present" and rng.random() < 0.05:
        extra["aws:MultiFactorAuthAge"] = rng.choice(["old", "+60", "60.0"])
    context.update(extra)
    return rng.choice(REQUEST_ACTIONS), rng.choice(REQUEST_RESOURCES), flags, context, extra


def simulate(doc, action, resource, flags, extra):
    args = [BINARY, "policy", "simulate", "-", "--json", "--action", action, "--resource", resource, *flags]
    for k, v in extra.items():
        args += ["--context", f"{k}={v}"]
    r = subprocess.run(args, input=json.dumps(doc, indent=1), capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        return {"decision": "error", "error": r.stderr.strip(), "statement": None}
    out = json.loads(r.stdout)
    st = out["statement"]
    return {"decision": MAP[out["decision"]], "statement": None if st is None else st["number"] - 1}


def emulator_decision(doc, action, resource, context):
    try:
        p = iam_policy.Policy(doc, name="p")
    except iam_policy.PolicyError as e:
        return {"decision": "InvalidPolicy", "error": str(e), "statement": None}
    d = iam_policy.evaluate([p], action, resource, context)
    return {"decision": d.decision, "statement": None if d.statement is None else d.statement.index}


def report(disagreements):
    lines = [f"{len(disagreements)} disagreement(s) (seed {SEED}):"]
    for d in disagreements[:15]:
        lines.append(json.dumps(d, sort_keys=True))
    return "\n".join(lines)


class EvaluatorDifferential(unittest.TestCase):
    def test_simulate_agrees_with_the_emulator_evaluator(self):
        rng = random.Random(SEED)
        disagreements, seen = [], {"Allow": 0, "ExplicitDeny": 0, "ImplicitDeny": 0}
        pairs = 0
        while pairs < CASES:
            doc = policy(rng)
            for _ in range(rng.randint(1, 4)):
                action, resource, flags, context, extra = request(rng)
                mine = simulate(doc, action, resource, flags, extra)
                theirs = emulator_decision(doc, action, resource, context)
                pairs += 1
                seen[theirs["decision"]] = seen.get(theirs["decision"], 0) + 1
                if mine != theirs:
                    disagreements.append({"policy": doc, "action": action, "resource": resource,
                                          "context": context, "simulate": mine, "emulator": theirs})
        self.assertEqual(disagreements, [], report(disagreements))
        self.assertGreaterEqual(pairs, 200)
        # The generator must exercise every outcome, or agreement proves little.
        for decision in ("Allow", "ExplicitDeny", "ImplicitDeny"):
            self.assertGreater(seen[decision], pairs // 10, seen)


def parse_xml(body):
    root = ET.fromstring(body)
    return {el.tag.split("}")[-1]: (el.text or "") for el in root.iter()}


class WireDifferential(unittest.TestCase):
    """The emulator's real enforcement: policies attached to a user, GetAccessKeyInfo over HTTPS."""
    USER, KEY, SECRET = "dave", "AKIADAVE00EXAMPLE005", "daveSecretKey/EXAMPLE+0123456789abcdefgh"
    TOTP = "GEZDGNBVGY3TQOJQGEZDGNBVDAVE"
    ACCOUNT = "123456789012"

    @classmethod
    def setUpClass(cls):
        import harness
        cls.serial = f"arn:aws:iam::{cls.ACCOUNT}:mfa/{cls.USER}"
        config = {"accounts": {cls.ACCOUNT: {"users": {cls.USER: {
            "keys": [{"id": cls.KEY, "secret": cls.SECRET}], "mfa": [{"secret": cls.TOTP}], "policies": {}}}}}}
        cls.emu = harness.Emulator(config=config)
        cls.emu.start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def session(self, with_mfa):
        params = {"Action": "GetSessionToken", "Version": "2011-06-15", "DurationSeconds": "129600"}
        if with_mfa:
            params.update(SerialNumber=self.serial, TokenCode=self.emu.fresh_totp(self.serial))
        status, _, body = self.emu.raw_request(params, self.KEY, self.SECRET)
        self.assertEqual(status, 200, body)
        x = parse_xml(body)
        return x["AccessKeyId"], x["SecretAccessKey"], x["SessionToken"]

    def protected_call(self, key, secret, token=None):
        status, _, body = self.emu.raw_request(
            {"Action": "GetAccessKeyInfo", "Version": "2011-06-15", "AccessKeyId": self.KEY}, key, secret, token)
        if status == 200:
            return "Allow"
        message = parse_xml(body).get("Message", "")
        self.assertEqual(status, 403, body)
        if "with an explicit deny" in message:
            return "ExplicitDeny"
        if "because no identity-based policy allows" in message:
            return "ImplicitDeny"
        self.fail(f"unexpected answer: {body!r}")

    def test_protected_call_agrees_with_simulate(self):
        rng = random.Random(SEED + 1)
        # MFA ages the emulator will see: the clock moves forward between rounds. Limits in these
        # policies are at least 100 s away from every age, so a second of real time cannot matter.
        ages = [0, 1800, 7200, 50000]
        limits = ["900", 3600, "43200", ["900", "43200"], 3600.5]
        docs = []
        for i in range(12):
            doc = policy(rng)
            statements = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
            for s in statements:
                for op, block in s.get("Condition", {}).items():
                    for key in block:
                        if key.lower() == "aws:multifactorauthage":
                            block[key] = rng.choice(limits)
            docs.append(doc)
        # Seeds and the generated MFA policy are always in.
        docs.append({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": 3600}}}]})
        docs.append({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": "*",
                                                             "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]})

        no_mfa = self.session(with_mfa=False)
        with_mfa = self.session(with_mfa=True)
        disagreements, pairs, elapsed, seen = [], 0, 0, {}
        for age in ages:
            self.emu.advance_clock(age - elapsed)
            elapsed = age
            for n, doc in enumerate(docs):
                try:
                    iam_policy.Policy(doc)
                except iam_policy.PolicyError:
                    continue
                self.emu.put_policy("Generated", doc, user=self.USER)
                for label, creds, flags in (("long-term keys", (self.KEY, self.SECRET), ["--mfa", "absent"]),
                                            ("session without MFA", no_mfa, ["--mfa", "false"]),
                                            (f"MFA session aged {age}", with_mfa, ["--mfa-age", str(age)])):
                    if label != f"MFA session aged {age}" and age != ages[0]:
                        continue  # the MFA age matters only to MFA sessions
                    wire = self.protected_call(*creds)
                    mine = simulate(doc, "sts:GetAccessKeyInfo", "*", flags, {"aws:username": self.USER})
                    pairs += 1
                    seen[wire] = seen.get(wire, 0) + 1
                    if mine["decision"] != wire:
                        disagreements.append({"policy": doc, "credentials": label, "simulate": mine, "emulator": wire})
        self.emu.delete_policy("Generated", user=self.USER)
        self.assertEqual(disagreements, [], report(disagreements))
        self.assertGreaterEqual(pairs, 60)
        for decision in ("Allow", "ExplicitDeny", "ImplicitDeny"):
            self.assertGreater(seen.get(decision, 0), 5, seen)


if __name__ == "__main__":
    unittest.main()
