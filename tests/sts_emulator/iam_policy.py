"""IAM policy parsing and evaluation for the STS emulator (and a reference for `mfaenv policy simulate`).

Follows the IAM documentation's evaluation logic for one account's identity policies: an explicit
Deny in any statement wins, else an Allow, else an implicit deny. Condition semantics are the
documented ones: several values of one key are OR-ed, several keys and operators are AND-ed, a key
missing from the request context makes a positive operator false and a negated one (String/Arn/
Numeric/Date "Not…", NotIpAddress) true, `…IfExists` is true when the key is missing, keys are
case-insensitive. Run as a script it evaluates JSON cases (see docs/sts-emulator.md).
"""
import base64
import datetime
import ipaddress
import json
import re
import sys

VERSIONS = ("2012-10-17", "2008-10-17")
STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
                  "Principal", "NotPrincipal", "Condition"}

# Base operator -> (value kind, negated).
OPERATORS = {
    "StringEquals": ("string", False), "StringNotEquals": ("string", True),
    "StringEqualsIgnoreCase": ("string_ci", False), "StringNotEqualsIgnoreCase": ("string_ci", True),
    "StringLike": ("string_like", False), "StringNotLike": ("string_like", True),
    "NumericEquals": ("numeric_eq", False), "NumericNotEquals": ("numeric_eq", True),
    "NumericLessThan": ("numeric_lt", False), "NumericLessThanEquals": ("numeric_le", False),
    "NumericGreaterThan": ("numeric_gt", False), "NumericGreaterThanEquals": ("numeric_ge", False),
    "DateEquals": ("date_eq", False), "DateNotEquals": ("date_eq", True),
    "DateLessThan": ("date_lt", False), "DateLessThanEquals": ("date_le", False),
    "DateGreaterThan": ("date_gt", False), "DateGreaterThanEquals": ("date_ge", False),
    "Bool": ("bool", False), "BinaryEquals": ("binary", False),
    "IpAddress": ("ip", False), "NotIpAddress": ("ip", True),
    "ArnEquals": ("arn", False), "ArnLike": ("arn", False),
    "ArnNotEquals": ("arn", True), "ArnNotLike": ("arn", True),
}
# Operators whose values may hold policy variables (${aws:username}).
VARIABLE_KINDS = {"string", "string_ci", "string_like", "arn"}


class PolicyError(ValueError):
    """The document is not a valid IAM policy (IAM would refuse to store it)."""


def _as_list(value, what):
    if isinstance(value, list):
        if not value:
            raise PolicyError(f"{what} must not be an empty list")
        return value
    return [value]


def _scalar_text(value, what):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    raise PolicyError(f"{what} must be a string, number or boolean, not {type(value).__name__}")


class Condition:
    def __init__(self, operator, key, values):
        self.operator, self.key, self.values = operator, key.lower(), values
        name = operator
        self.set_mode = None
        for prefix in ("ForAnyValue:", "ForAllValues:"):
            if name.startswith(prefix):
                self.set_mode, name = prefix[:-1], name[len(prefix):]
        self.if_exists = name.endswith("IfExists") and name != "IfExists"
        if self.if_exists:
            name = name[: -len("IfExists")]
        if name == "Null":
            if self.if_exists:
                raise PolicyError("Null cannot be combined with IfExists")
            self.kind, self.negated = "null", False
        elif name in OPERATORS:
            self.kind, self.negated = OPERATORS[name]
        else:
            raise PolicyError(f"unknown condition operator {operator!r}")
        self.base = name
        for v in values:
            self._check_value(v)

    def _check_value(self, value):
        if self.kind.startswith("numeric") and _number(value) is None:
            raise PolicyError(f"{self.operator}: {value!r} is not a number")
        if self.kind.startswith("date") and _date(value) is None:
            raise PolicyError(f"{self.operator}: {value!r} is not a date")
        if self.kind == "ip":
            try:
                ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise PolicyError(f"{self.operator}: {value!r} is not an IP address or CIDR")
        if self.kind in ("bool", "null") and value.lower() not in ("true", "false"):
            raise PolicyError(f"{self.operator}: {value!r} must be true or false")

    def evaluate(self, context, variables):
        present = context.get(self.key)
        if isinstance(present, list) and not present:
            present = None
        if self.kind == "null":
            absent = present is None
            return any((v.lower() == "true") == absent for v in self.values)
        if present is None:
            if self.if_exists or self.set_mode == "ForAllValues":
                return True
            if self.set_mode == "ForAnyValue":
                return False
            return self.negated
        items = present if isinstance(present, list) else [present]
        items = [_scalar_text(i, "context value") for i in items]
        if self.set_mode == "ForAllValues":
            return all(self._matches_one(i, variables) != self.negated for i in items)
        if self.set_mode == "ForAnyValue":
            return any(self._matches_one(i, variables) != self.negated for i in items)
        matched = any(self._matches_one(i, variables) for i in items)
        if self.kind.startswith("numeric") or self.kind.startswith("date"):
            if all(self._convert(i) is None for i in items):
                return False  # a context value of the wrong type never satisfies the operator
        return matched != self.negated

    def _convert(self, text):
        return _number(text) if self.kind.startswith("numeric") else _date(text)

    def _matches_one(self, item, variables):
        for value in self.values:
            if self.kind in VARIABLE_KINDS:
                value = substitute(value, variables)
                if value is None:
                    continue
            if _compare(self.kind, item, value):
                return True
        return False


def _compare(kind, item, value):
    if kind == "string":
        return item == value
    if kind == "string_ci":
        return item.casefold() == value.casefold()
    if kind == "string_like":
        return glob_match(value, item)
    if kind == "bool":
        return item.lower() == value.lower()
    if kind == "binary":
        try:
            return base64.b64decode(item) == base64.b64decode(value)
        except ValueError:
            return False
    if kind == "ip":
        try:
            return ipaddress.ip_address(item) in ipaddress.ip_network(value, strict=False)
        except ValueError:
            return False
    if kind == "arn":
        return arn_match(value, item)
    convert = _number if kind.startswith("numeric") else _date
    a, b = convert(item), convert(value)
    if a is None or b is None:
        return False
    op = kind.split("_")[1]
    return {"eq": a == b, "lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op]


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return int(value) if re.fullmatch(r"[+-]?\d+", value.strip()) else float(value)
    except (ValueError, AttributeError):
        return None


def _date(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.timestamp()


_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def substitute(text, variables):
    """Replaces ${key} (and ${key, 'default'}) with context values; None when a key is missing."""
    if variables is None or "${" not in text:
        return text
    missing = False

    def replace(match):
        nonlocal missing
        inner = match.group(1)
        if inner in ("*", "?", "$"):
            return "\0" + inner  # a literal character, protected from wildcard expansion
        key, _, default = inner.partition(",")
        value = variables.get(key.strip().lower())
        if isinstance(value, list):
            value = value[0] if len(value) == 1 else None
        if value is None:
            default = default.strip()
            if len(default) >= 2 and default[0] == default[-1] == "'":
                return default[1:-1]
            missing = True
            return ""
        return _scalar_text(value, "context value").replace("*", "\0*").replace("?", "\0?")

    result = _VARIABLE.sub(replace, text)
    return None if missing else result


def _glob_regex(pattern):
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\0" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "*" else "." if c == "?" else re.escape(c))
        i += 1
    return "".join(out)


def glob_match(pattern, text, ignore_case=False):
    """IAM wildcard match: * is any run of characters, ? one character, the whole text must match."""
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.fullmatch(_glob_regex(pattern), text, flags) is not None


def arn_match(pattern, arn):
    """ArnLike/ArnEquals: six colon-separated parts, each matched with wildcards."""
    p_parts, a_parts = pattern.split(":", 5), arn.split(":", 5)
    if len(a_parts) != 6 or len(p_parts) != 6:
        return False
    return all(glob_match(p, a) for p, a in zip(p_parts, a_parts))


class Statement:
    def __init__(self, raw, index, kind):
        if not isinstance(raw, dict):
            raise PolicyError(f"statement {index} must be an object")
        unknown = set(raw) - STATEMENT_KEYS
        if unknown:
            raise PolicyError(f"statement {index}: unknown element(s) {sorted(unknown)}")
        self.index, self.sid = index, raw.get("Sid")
        self.effect = raw.get("Effect")
        if self.effect not in ("Allow", "Deny"):
            raise PolicyError(f"statement {index}: Effect must be Allow or Deny")
        self.actions, self.action_negated = self._pair(raw, "Action", "NotAction", index, True)
        self.resources, self.resource_negated = self._pair(raw, "Resource", "NotResource", index,
                                                           kind == "identity")
        if kind == "identity" and ("Principal" in raw or "NotPrincipal" in raw):
            raise PolicyError(f"statement {index}: identity policies cannot have a Principal")
        if "NotPrincipal" in raw:
            raise PolicyError(f"statement {index}: NotPrincipal is not supported by the emulator")
        self.principals = None
        if kind == "trust":
            if "Principal" not in raw:
                raise PolicyError(f"statement {index}: a trust policy statement needs a Principal")
            self.principals = _principals(raw["Principal"], index)
        self.conditions = []
        cond = raw.get("Condition", {})
        if not isinstance(cond, dict):
            raise PolicyError(f"statement {index}: Condition must be an object")
        for operator, block in cond.items():
            if not isinstance(block, dict) or not block:
                raise PolicyError(f"statement {index}: {operator} must map keys to values")
            for key, values in block.items():
                texts = [_scalar_text(v, f"{operator} {key}") for v in _as_list(values, key)]
                self.conditions.append(Condition(operator, key, texts))

    @staticmethod
    def _pair(raw, name, not_name, index, required):
        if name in raw and not_name in raw:
            raise PolicyError(f"statement {index}: {name} and {not_name} cannot both be present")
        if name not in raw and not_name not in raw:
            if required:
                raise PolicyError(f"statement {index}: needs {name} or {not_name}")
            return None, False
        key = name if name in raw else not_name
        values = [_scalar_text(v, key) for v in _as_list(raw[key], key)]
        return values, key == not_name

    def matches(self, action, resource, context, variables, principal_match=None):
        hit = any(glob_match(a, action, ignore_case=True) for a in self.actions)
        if hit == self.action_negated:
            return False
        if self.resources is not None and resource is not None:
            hit = False
            for pattern in self.resources:
                pattern = substitute(pattern, variables)
                if pattern is not None and glob_match(pattern, resource):
                    hit = True
                    break
            if hit == self.resource_negated:
                return False
        if self.principals is not None and not principal_match(self.principals):
            return False
        return all(c.evaluate(context, variables) for c in self.conditions)


def _principals(raw, index):
    if raw == "*":
        return {"AWS": ["*"]}
    if not isinstance(raw, dict) or not raw:
        raise PolicyError(f"statement {index}: Principal must be \"*\" or an object")
    return {k: [_scalar_text(v, "Principal") for v in _as_list(v_, k)] for k, v_ in raw.items()}


class Policy:
    def __init__(self, document, name="policy", kind="identity"):
        if isinstance(document, (str, bytes)):
            try:
                document = json.loads(document)
            except json.JSONDecodeError as e:
                raise PolicyError(f"{name}: invalid JSON: {e}")
        if not isinstance(document, dict):
            raise PolicyError(f"{name}: a policy must be a JSON object")
        unknown = set(document) - {"Version", "Statement", "Id"}
        if unknown:
            raise PolicyError(f"{name}: unknown top-level element(s) {sorted(unknown)}")
        self.version = document.get("Version", "2008-10-17")
        if self.version not in VERSIONS:
            raise PolicyError(f"{name}: Version must be one of {VERSIONS}")
        if "Statement" not in document:
            raise PolicyError(f"{name}: missing Statement")
        raw = document["Statement"]
        raw = raw if isinstance(raw, list) else [raw]
        self.name, self.document = name, document
        self.statements = [Statement(s, i, kind) for i, s in enumerate(raw)]


class Decision:
    def __init__(self, decision, policy=None, statement=None):
        self.decision, self.policy, self.statement = decision, policy, statement

    @property
    def allowed(self):
        return self.decision == "Allow"

    def as_dict(self):
        out = {"decision": self.decision}
        if self.statement is not None:
            out.update(policy=self.policy, statement=self.statement.index, sid=self.statement.sid)
        return out


def normalize_context(context):
    """Context keys are case-insensitive; values are strings or lists of strings."""
    return {k.lower(): v for k, v in (context or {}).items() if v is not None}


def evaluate(policies, action, resource, context, principal_match=None):
    """Explicit deny > allow > implicit deny over every statement of every policy."""
    context = normalize_context(context)
    allow = None
    for policy in policies:
        variables = context if policy.version == "2012-10-17" else None
        for st in policy.statements:
            if not st.matches(action, resource, context, variables, principal_match):
                continue
            if st.effect == "Deny":
                return Decision("ExplicitDeny", policy.name, st)
            if allow is None:
                allow = Decision("Allow", policy.name, st)
    return allow or Decision("ImplicitDeny")


def evaluate_case(case):
    """One JSON case: {"policies": [doc...], "action", "resource"?, "context"?} -> decision dict."""
    docs = case["policies"] if "policies" in case else [case["policy"]]
    try:
        policies = [Policy(d, name=str(i)) for i, d in enumerate(docs)]
    except PolicyError as e:
        return {"decision": "InvalidPolicy", "error": str(e)}
    return evaluate(policies, case["action"], case.get("resource", "*"),
                    case.get("context", {})).as_dict()


def main(argv):
    """`iam_policy.py < cases.jsonl`: one JSON case per input line, one decision per output line."""
    if len(argv) > 1:
        print("usage: iam_policy.py < cases.jsonl  (one case per line, see docs/sts-emulator.md)",
              file=sys.stderr)
        return 2
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(evaluate_case(json.loads(line))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
