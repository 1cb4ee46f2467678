"""IAM's virtual MFA device actions, as AWS answers them: CreateVirtualMFADevice (a new seed and
its QR code; the device is unassigned until enabled), EnableMFADevice (two consecutive codes),
ListMFADevices, DeactivateMFADevice, DeleteVirtualMFADevice (refused while the device is assigned).
Every action is checked against the caller's identity policies (iam:<Action> on the user's ARN,
or on the device's ARN for create/delete), so the MFA policy an `mfaenv policy attach` put there
decides what a caller without MFA may still do. A device enabled here is what GetSessionToken then
checks codes against."""
import base64
import hmac
import re
import subprocess
from urllib.parse import quote

import pyotp

from iam_service import IamError, format_date, iam_action, no_such_entity
from world import MfaDevice

NAME_RE = re.compile(r"[\w+=,.@-]{1,226}")
PATH_RE = re.compile(r"(/[!-~]*/)|/")
CODE_RE = re.compile(r"\d{6}")
MAX_DEVICES_PER_USER = 8  # AWS: up to eight MFA devices of any kind per user


def otpauth_uri(name, account, seed):
    """What the QR code holds: IAM's documented otpauth://totp/$virtualMFADeviceName@$AccountName
    ?secret=$Base32String, with the account id as AccountName."""
    return f"otpauth://totp/{quote(name, safe='')}@{account}?secret={seed}"


def qr_png(text):
    """The QR code as a PNG, drawn by Debian's qrencode (the text goes on stdin, not in argv)."""
    try:
        out = subprocess.run(["qrencode", "-t", "PNG", "-s", "4", "-o", "-"], input=text.encode(),
                             capture_output=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as e:
        raise RuntimeError(f"qrencode failed ({e}); install the qrencode package")
    return out.stdout


def _device_arn(account, path, name):
    return f"arn:aws:iam::{account}:mfa{path}{name}"


def _validation(value, member, constraint):
    return IamError(400, "ValidationError", f"1 validation error detected: Value '{value}' at '{member}' "
                    f"failed to satisfy constraint: Member must {constraint}")


def _serial(params):
    serial = params.get("SerialNumber")
    if serial is None or not 9 <= len(serial) <= 256 or not re.fullmatch(r"[\w+=/:,.@-]+", serial):
        raise _validation(serial, "serialNumber", "satisfy regular expression pattern: [\\w+=/:,.@-]+")
    return serial


@iam_action("CreateVirtualMFADevice")
def create_virtual_mfa_device(service, caller, params, region, entry):
    name = params.get("VirtualMFADeviceName")
    if name is None or not NAME_RE.fullmatch(name):
        raise _validation(name, "virtualMFADeviceName", "satisfy regular expression pattern: [\\w+=,.@-]+")
    path = params.get("Path", "/")
    if not PATH_RE.fullmatch(path):
        raise _validation(path, "path", "satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)")
    serial = _device_arn(caller.account, path, name)
    service.authorize(caller, "iam:CreateVirtualMFADevice", serial, region, entry)
    entry["serial_number"] = serial
    if any(d.serial.rsplit("/", 1)[-1] == name and d.serial.split(":")[4] == caller.account
           for d in service.world.devices.values()):
        raise IamError(409, "EntityAlreadyExists", "MFADevice entity at the same path and name already exists.")
    seed = pyotp.random_base32(64)
    device = MfaDevice(serial, seed, None)
    device.created = service.clock.now()
    device.enabled = None
    service.world.devices[serial] = device
    device.otpauth = otpauth_uri(name, caller.account, seed)  # for tests (GET /_emulator/mfa_devices)
    png = qr_png(device.otpauth)
    return [("VirtualMFADevice", [("SerialNumber", serial),
                                  ("Base32StringSeed", base64.b64encode(seed.encode()).decode()),
                                  ("QRCodePNG", base64.b64encode(png).decode())])]


def _consecutive(device, code1, code2, now):
    """The step of code2 when code1 and code2 are the codes of two consecutive 30 s steps, the
    second one current (or one step off either way, like GetSessionToken); else None."""
    totp = pyotp.TOTP(device.secret)
    base = int(now) // totp.interval
    for step in (base, base - 1, base + 1):
        if hmac.compare_digest(totp.generate_otp(step), code2) and \
                hmac.compare_digest(totp.generate_otp(step - 1), code1):
            return step
    return None


@iam_action("EnableMFADevice")
def enable_mfa_device(service, caller, params, region, entry):
    user = service.target_user(caller, params) if params.get("UserName") else None
    if user is None:
        raise _validation(None, "userName", "not be null")
    serial = _serial(params)
    codes = [params.get("AuthenticationCode1"), params.get("AuthenticationCode2")]
    for i, code in enumerate(codes, 1):
        if code is None or not CODE_RE.fullmatch(code):
            raise _validation("*" * len(code or ""), f"authenticationCode{i}",
                              "satisfy regular expression pattern: [\\d]+")
    service.authorize(caller, "iam:EnableMFADevice", user.arn, region, entry)
    entry["serial_number"] = serial
    device = service.world.devices.get(serial)
    if device is None:
        raise no_such_entity(f"VirtualMFADevice with serial number {serial} doesn't exist.")
    if device.owner is not None:
        raise IamError(409, "EntityAlreadyExists", "MFA Device is already in use.")
    if len(user.mfa_devices) >= MAX_DEVICES_PER_USER:
        raise IamError(409, "LimitExceeded", "Cannot exceed quota for MFADevicesPerUser: 8")
    step = _consecutive(device, codes[0], codes[1], service.clock.now())
    if step is None:
        raise IamError(403, "InvalidAuthenticationCode", "Authentication code for device is not valid.")
    device.owner = user
    device.last_used_step = step  # the codes are spent: GetSessionToken takes only newer ones
    device.enabled = service.clock.now()
    user.mfa_devices[serial] = device
    return None


@iam_action("ListMFADevices")
def list_mfa_devices(service, caller, params, region, entry):
    user = service.target_user(caller, params)
    service.authorize(caller, "iam:ListMFADevices", user.arn, region, entry)
    members = [("member", [("UserName", user.name), ("SerialNumber", d.serial),
                           ("EnableDate", format_date(getattr(d, "enabled", None) or 1704067200))])
               for d in user.mfa_devices.values()]
    return [("MFADevices", members), ("IsTruncated", "false")]


@iam_action("DeactivateMFADevice")
def deactivate_mfa_device(service, caller, params, region, entry):
    user = service.target_user(caller, params)
    serial = _serial(params)
    service.authorize(caller, "iam:DeactivateMFADevice", user.arn, region, entry)
    entry["serial_number"] = serial
    device = user.mfa_devices.get(serial)
    if device is None:
        raise no_such_entity(f"MFA Device with serial number {serial} does not exist.")
    del user.mfa_devices[serial]
    device.owner = None
    device.enabled = None
    return None


@iam_action("DeleteVirtualMFADevice")
def delete_virtual_mfa_device(service, caller, params, region, entry):
    serial = _serial(params)
    service.authorize(caller, "iam:DeleteVirtualMFADevice", serial, region, entry)
    entry["serial_number"] = serial
    device = service.world.devices.get(serial)
    if device is None or serial.split(":")[4] != caller.account:
        raise no_such_entity(f"VirtualMFADevice with serial number {serial} doesn't exist.")
    if device.owner is not None:
        raise IamError(409, "DeleteConflict", "MFA Device is still in use")
    del service.world.devices[serial]
    return None
