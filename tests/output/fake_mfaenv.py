#!/usr/bin/python3
"""A stand-in for `mfaenv` in the hook tests, put first on PATH by hooks_test.py.

  env PROFILE --no-prompt --format sh|fish   prints the session stored in $MFAENV_CACHE_DIR/PROFILE.json
                                             as mfaenv does, or exits 3 (no session) like mfaenv
  login PROFILE KEY EXPIRATION               stores a session the way mfaenv's cache does (a temporary
                                             file renamed into the folder, which changes its mtime)
  logout PROFILE                             removes it
  hook SHELL                                 runs the real mfaenv ($MFAENV_REAL)
Every call is appended to $FAKE_MFAENV_LOG; FAKE_MFAENV_EXIT forces an exit status for `env`.
"""
import json
import os
import sys


def quote_sh(v):
    return "'" + v.replace("'", "'\\''") + "'"


def quote_fish(v):
    return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"


def main(argv):
    with open(os.environ["FAKE_MFAENV_LOG"], "a") as log:
        log.write(" ".join(argv) + "\n")
    cache = os.environ["MFAENV_CACHE_DIR"]
    command = argv[0]
    if command == "hook":
        os.execv(os.environ["MFAENV_REAL"], ["mfaenv"] + argv)
    if command == "login":
        profile, key, expiration = argv[1:4]
        session = {"AccessKeyId": key, "SecretAccessKey": "s3cr'et $HOME", "SessionToken": "tok`en",
                   "Expiration": expiration}
        tmp = os.path.join(cache, profile + ".json.tmp")
        with open(tmp, "w") as f:
            json.dump(session, f)
        os.rename(tmp, os.path.join(cache, profile + ".json"))
        return 0
    if command == "logout":
        os.unlink(os.path.join(cache, argv[1] + ".json"))
        return 0
    if command != "env":
        print(f"fake mfaenv: unexpected command {argv}", file=sys.stderr)
        return 1
    profile = argv[1]
    fmt = argv[argv.index("--format") + 1] if "--format" in argv else "sh"
    if "--no-prompt" not in argv:
        print("fake mfaenv: hooks must pass --no-prompt", file=sys.stderr)
        return 1
    forced = os.environ.get("FAKE_MFAENV_EXIT")
    if forced:
        print(f"mfaenv: forced failure {forced}", file=sys.stderr)
        return int(forced)
    try:
        with open(os.path.join(cache, profile + ".json")) as f:
            session = json.load(f)
    except FileNotFoundError:
        print(f"mfaenv: no usable session for profile '{profile}' and --no-prompt was given", file=sys.stderr)
        return 3
    values = [("AWS_ACCESS_KEY_ID", session["AccessKeyId"]), ("AWS_SECRET_ACCESS_KEY", session["SecretAccessKey"]),
              ("AWS_SESSION_TOKEN", session["SessionToken"]), ("AWS_CREDENTIAL_EXPIRATION", session["Expiration"]),
              ("MFAENV_PROFILE", profile)]
    unset = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]
    if fmt == "fish":
        lines = [f"set -e {k}" for k in unset] + [f"set -gx {k} {quote_fish(v)}" for k, v in values]
    else:
        lines = [f"unset {k}" for k in unset] + [f"export {k}={quote_sh(v)}" for k, v in values]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
