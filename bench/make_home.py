#!/usr/bin/python3
"""Writes the throw-away HOME that bench/run measures in: alice's profile from the emulator's default
world (long-term keys, MFA device, an `mfa_process` printing the emulator's current code).

    make_home.py HOME EMULATOR_DIR
"""
import os
import sys

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "sts_emulator"))

import default_world as W  # noqa: E402
import harness  # noqa: E402


def main(home, emulator_dir):
    secret_file = os.path.join(home, "alice.totp")
    with open(secret_file, "w") as f:
        f.write(W.ALICE_TOTP)
    os.chmod(secret_file, 0o600)
    mfa_process = (f"{harness.PYTHON} {harness.TOTP_SCRIPT} --secret-file {secret_file}"
                   f" --clock-file {os.path.join(emulator_dir, 'clock.json')}")
    harness.write_aws_files(
        home,
        {"profile alice": {"mfa_serial": W.ALICE_MFA, "mfa_process": mfa_process, "region": "eu-west-1"}},
        {"alice": {"aws_access_key_id": W.ALICE_KEY, "aws_secret_access_key": W.ALICE_SECRET}})
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make_home.py HOME EMULATOR_DIR")
    sys.exit(main(sys.argv[1], sys.argv[2]))
