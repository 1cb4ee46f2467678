#!/usr/bin/python3
"""Prints the current TOTP code for a secret: an `mfa_process` for tests (aws-vault's convention).

    totp.py [--secret-file F | --secret-env NAME] [--clock-file F] [--count-file F] [--sleep S]

The secret (base32) comes from a file or an environment variable (default MFA_TOTP_SECRET). The
time is the emulator's: real time plus the offset in its clock.json (--clock-file, or the
STS_EMULATOR_CLOCK_FILE environment variable), so codes stay valid when a test moves the clock.
--count-file appends one line per run, so tests can count how often the process was run.
"""
import argparse
import fcntl
import json
import os
import sys
import time

import pyotp


def emulator_time(clock_file):
    if not clock_file:
        return time.time()
    try:
        with open(clock_file) as f:
            return time.time() + float(json.load(f).get("offset", 0))
    except (OSError, ValueError) as e:
        raise SystemExit(f"totp: cannot read the emulator clock {clock_file}: {e}")


def main(argv):
    parser = argparse.ArgumentParser(description="Print the current TOTP code.")
    parser.add_argument("--secret-file")
    parser.add_argument("--secret-env", default="MFA_TOTP_SECRET")
    parser.add_argument("--clock-file", default=os.environ.get("STS_EMULATOR_CLOCK_FILE"))
    parser.add_argument("--count-file", default=os.environ.get("MFA_PROCESS_COUNT_FILE"))
    parser.add_argument("--sleep", type=float, default=0.0, help="wait first (a slow device)")
    args = parser.parse_args(argv)
    if args.secret_file:
        try:
            with open(args.secret_file) as f:
                secret = f.read().strip()
        except OSError as e:
            print(f"totp: cannot read the secret: {e.strerror}", file=sys.stderr)
            return 1
    else:
        secret = os.environ.get(args.secret_env, "").strip()
    if not secret:
        print(f"totp: no secret (use --secret-file or set {args.secret_env})", file=sys.stderr)
        return 1
    if args.count_file:
        with open(args.count_file, "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.write(f"{os.getpid()} {time.time():.3f}\n")
    if args.sleep:
        time.sleep(args.sleep)
    try:
        code = pyotp.TOTP(secret).at(int(emulator_time(args.clock_file)))
    except (ValueError, TypeError):
        print("totp: the secret is not valid base32", file=sys.stderr)
        return 1
    print(code)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
