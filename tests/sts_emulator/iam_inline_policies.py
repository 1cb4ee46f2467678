"""IAM's inline policy actions: PutUserPolicy and PutGroupPolicy store a document that the
emulator's evaluator (iam_policy.py) then applies to every later call of the user (or of the
group's members), STS's protected call and every IAM action included; DeleteUserPolicy and
DeleteGroupPolicy remove one. Documents IAM would refuse get MalformedPolicyDocument."""
import json
import re

from iam_policy import Policy, PolicyError
from iam_service import IamError, iam_action, no_such_entity

POLICY_NAME_RE = re.compile(r"[\w+=,.@-]{1,128}")
MAX_INLINE_BYTES = 2048  # users' inline policies, all together (groups: 5120), not counting spaces


def _policy_name(params):
    name = params.get("PolicyName")
    if name is None or not POLICY_NAME_RE.fullmatch(name):
        raise IamError(400, "ValidationError", f"1 validation error detected: Value '{name}' at "
                       "'policyName' failed to satisfy constraint: Member must satisfy regular expression "
                       "pattern: [\\w+=,.@-]+")
    return name


def _document(params, name):
    text = params.get("PolicyDocument")
    if text is None:
        raise IamError(400, "ValidationError", "1 validation error detected: Value null at "
                       "'policyDocument' failed to satisfy constraint: Member must not be null")
    try:
        return Policy(json.loads(text), name=name)
    except (json.JSONDecodeError, PolicyError) as e:
        raise IamError(400, "MalformedPolicyDocument", f"Syntax errors in policy. ({e})")


def _group(service, caller, params):
    name = params.get("GroupName")
    group = service.world.find_group(caller.account, name or "")
    if group is None:
        raise no_such_entity(f"The group with name {name} cannot be found.")
    return group


@iam_action("PutUserPolicy")
def put_user_policy(service, caller, params, region, entry):
    user = service.target_user(caller, params)
    name = _policy_name(params)
    service.authorize(caller, "iam:PutUserPolicy", user.arn, region, entry)
    policy = _document(params, name)
    others = sum(len(re.sub(r"\s", "", json.dumps(p.document))) for n, p in user.policies.items() if n != name)
    if others + len(re.sub(r"\s", "", params["PolicyDocument"])) > MAX_INLINE_BYTES:
        raise IamError(409, "LimitExceeded", f"Maximum policy size of {MAX_INLINE_BYTES} bytes exceeded "
                       f"for user {user.name}")
    user.policies[name] = policy
    entry["policy_name"] = name
    return None


@iam_action("PutGroupPolicy")
def put_group_policy(service, caller, params, region, entry):
    group = _group(service, caller, params)
    name = _policy_name(params)
    service.authorize(caller, "iam:PutGroupPolicy", group.arn, region, entry)
    group.policies[name] = _document(params, name)
    entry["policy_name"] = name
    return None


@iam_action("DeleteUserPolicy")
def delete_user_policy(service, caller, params, region, entry):
    user = service.target_user(caller, params)
    name = _policy_name(params)
    service.authorize(caller, "iam:DeleteUserPolicy", user.arn, region, entry)
    if user.policies.pop(name, None) is None:
        raise no_such_entity(f"The user policy with name {name} cannot be found.")
    return None


@iam_action("DeleteGroupPolicy")
def delete_group_policy(service, caller, params, region, entry):
    group = _group(service, caller, params)
    name = _policy_name(params)
    service.authorize(caller, "iam:DeleteGroupPolicy", group.arn, region, entry)
    if group.policies.pop(name, None) is None:
        raise no_such_entity(f"The group policy with name {name} cannot be found.")
    return None
