"""IAM's user and access-key actions: GetUser, ListAccessKeys, CreateAccessKey (at most two keys
per user: LimitExceeded, as AWS), UpdateAccessKey, DeleteAccessKey. Each checks the caller's
identity policies for iam:<Action> on the user's ARN, so a policy that denies without MFA makes
key changes need an MFA session, as at AWS."""
import re

from iam_service import IamError, format_date, iam_action, no_such_entity
from world import AccessKey, key_id_for_account, random_secret

KEY_ID_RE = re.compile(r"[\w]{16,128}")


def _key_of(service, user, params):
    key_id = params.get("AccessKeyId")
    if key_id is None or not KEY_ID_RE.fullmatch(key_id):
        raise IamError(400, "ValidationError", "1 validation error detected: Value at 'accessKeyId' "
                       "failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+")
    key = service.world.keys.get(key_id)
    if key is None or key.owner is not user:
        raise no_such_entity(f"The Access Key with id {key_id} cannot be found.")
    return key


def _user_fields(user):
    fields = [("Path", user.path), ("UserName", user.name), ("UserId", user.user_id),
              ("Arn", user.arn), ("CreateDate", "2024-01-01T00:00:00Z")]
    return fields if user.kind == "user" else [("UserId", user.user_id), ("Arn", user.arn),
                                               ("CreateDate", "2024-01-01T00:00:00Z")]


@iam_action("GetUser")
def get_user(service, caller, params, region, entry):
    user = service.target_user(caller, params)
    service.authorize(caller, "iam:GetUser", user.arn, region, entry)
    return [("User", _user_fields(user))]


@iam_action("ListAccessKeys")
def list_access_keys(service, caller, params, region, entry):
    user = service.target_user(caller, params)
    service.authorize(caller, "iam:ListAccessKeys", user.arn, region, entry)
    members = [("member", [("UserName", user.name), ("AccessKeyId", k.key_id), ("Status", k.status),
                           ("CreateDate", format_date(k.create_date))])
               for k in service.world.keys.values() if k.owner is user]
    fields = [("UserName", user.name)] if user.kind == "user" else []
    return fields + [("AccessKeyMetadata", members), ("IsTruncated", "false")]


@iam_action("CreateAccessKey")
def create_access_key(service, caller, params, region, entry):
    user = service.target_user(caller, params)
    service.authorize(caller, "iam:CreateAccessKey", user.arn, region, entry)
    if sum(1 for k in service.world.keys.values() if k.owner is user) >= 2:
        raise IamError(409, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
    now = service.clock.now()
    key = AccessKey(key_id_for_account("AKIA", user.account), random_secret(), user, "Active", created=now)
    service.world.keys[key.key_id] = key
    entry["issued_access_key_id"] = key.key_id
    return [("AccessKey", [("UserName", user.name), ("AccessKeyId", key.key_id), ("Status", "Active"),
                           ("SecretAccessKey", key.secret), ("CreateDate", format_date(now))])]


@iam_action("UpdateAccessKey")
def update_access_key(service, caller, params, region, entry):
    user = service.target_user(caller, params)
    service.authorize(caller, "iam:UpdateAccessKey", user.arn, region, entry)
    status = params.get("Status")
    if status not in ("Active", "Inactive"):
        raise IamError(400, "ValidationError", f"1 validation error detected: Value '{status}' at "
                       "'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]")
    key = _key_of(service, user, params)
    key.status = status
    entry["target_access_key_id"] = key.key_id
    return None


@iam_action("DeleteAccessKey")
def delete_access_key(service, caller, params, region, entry):
    user = service.target_user(caller, params)
    service.authorize(caller, "iam:DeleteAccessKey", user.arn, region, entry)
    key = _key_of(service, user, params)
    del service.world.keys[key.key_id]
    entry["target_access_key_id"] = key.key_id
    return None
