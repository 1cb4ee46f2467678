#!/usr/bin/python3
# Differential test of mfaenv's config reader against Debian's python3-botocore: for every case of
# config_cases.py (hand-written nasty files, then seeded random ones), `mfaenv config profiles`,
# `config list --json --profile P` and `config get` must give what botocore's
# Session.available_profiles and Session(profile=P).get_scoped_config() give, and a file botocore
# rejects must make mfaenv exit 6 naming the same file and line.
#   MFAENV_BINARY=build/mfaenv /usr/bin/python3 tests/aws/differential_test.py [--seed N] [--count N]
import argparse
import configparser
import json
import os
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import config_cases  # noqa: E402

import botocore.configloader  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.session  # noqa: E402

PROFILE_SAMPLE = 6  # profiles checked one by one per case (all of them are listed by `profiles`)
MISSING_PROFILE = "no-such-profile-3f9a"


def write_case(folder, config, credentials):
    paths = []
    for name, content in (("config", config), ("credentials", credentials)):
        path = os.path.join(folder, name)
        if content == config_cases.DIRECTORY:
            os.mkdir(path)
        elif content != config_cases.MISSING:
            with open(path, "wb") as f:
                f.write(content)
        paths.append(path)
    return paths


def python_line_of(data, offset):
    """The line of byte `offset` as Python's universal newlines count lines."""
    return data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def rejection_line(error, path):
    """The line botocore's ConfigParseError points at, or None when it names none."""
    inner = error.kwargs.get("error")
    if isinstance(inner, (configparser.DuplicateSectionError, configparser.DuplicateOptionError,
                          configparser.MissingSectionHeaderError)):
        return inner.lineno
    if isinstance(inner, configparser.ParsingError):
        return inner.errors[0][0]
    if isinstance(inner, UnicodeDecodeError):
        with open(path, "rb") as f:
            data = f.read()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            return python_line_of(data, e.start)
    return None  # _parse_nested's ValueError names no line


_session = None


def botocore_session():
    """A Session with its config caches cleared. Creating one per case costs 30 ms; the caches
    (full_config, the profile map) are all that depends on the files. MFAENV_DIFF_FRESH_SESSIONS=1
    makes a new Session each time instead, to check that this shortcut changes nothing."""
    global _session
    if _session is None or os.environ.get("MFAENV_DIFF_FRESH_SESSIONS"):
        _session = botocore.session.Session()
    _session._config = None
    _session._profile_map = None
    _session._profile = None
    _session.set_config_variable("profile", None)
    return _session


def botocore_view(config_path, credentials_path, sample_rng):
    """What botocore makes of the pair: ('rejected', path, line) or ('ok', profiles, {profile: dict})."""
    os.environ["AWS_CONFIG_FILE"] = config_path
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = credentials_path
    session = botocore_session()
    try:
        profiles = session.available_profiles
    except botocore.exceptions.ConfigParseError as e:
        path = e.kwargs["path"]
        return ("rejected", path, rejection_line(e, path))
    checked = [p for p in profiles if p != ""]  # mfaenv reads an empty --profile as "not given"
    if len(checked) > PROFILE_SAMPLE:
        checked = [checked[0], checked[-1]] + sample_rng.sample(checked[1:-1], PROFILE_SAMPLE - 2)
    scoped = {None: session.get_scoped_config()}
    for profile in checked:
        session.set_config_variable("profile", profile)  # what Session(profile=...) does
        scoped[profile] = session.get_scoped_config()
    session.set_config_variable("profile", MISSING_PROFILE)
    try:
        session.get_scoped_config()
        raise AssertionError("botocore found " + MISSING_PROFILE)
    except botocore.exceptions.ProfileNotFound:
        pass
    return ("ok", profiles, scoped)


def run(binary, env, *args):
    p = subprocess.run([binary, "config", *args], env=env, capture_output=True, timeout=30)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def compare(binary, case_dir, paths, expected):
    """Runs mfaenv on one case; returns a list of disagreements (empty when it agrees)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": case_dir, "LC_ALL": "C.UTF-8",
           "AWS_CONFIG_FILE": paths[0], "AWS_SHARED_CREDENTIALS_FILE": paths[1]}
    problems = []
    rc, out, err = run(binary, env, "profiles")
    if expected[0] == "rejected":
        _, path, line = expected
        where = f"{path}:{line}:" if line is not None else f"{path}:"
        if rc != 6 or where not in err:
            problems.append(f"botocore rejects {where}; mfaenv exit {rc}, stderr {err.strip()!r}")
        return problems
    _, profiles, scoped = expected
    if rc != 0 or out.split("\n")[:-1] != profiles:
        problems.append(f"profiles: botocore {profiles!r}; mfaenv exit {rc} {out!r} {err.strip()!r}")
        return problems
    for profile, values in scoped.items():
        args = ["list", "--json"] + ([f"--profile={profile}"] if profile is not None else [])
        rc, out, err = run(binary, env, *args)
        got = json.loads(out) if rc == 0 else None
        if got != values:
            problems.append(f"profile {profile!r}: botocore {values!r}; mfaenv exit {rc} {out!r} {err.strip()!r}")
            continue
        # `config get` of one plain value and one nested value (keys with '.' or a leading '-' are
        # read differently by the command line, as by `aws configure get`).
        plain = [k for k, v in values.items() if isinstance(v, str) and "." not in k and not k.startswith("-")]
        nested = [(k, s) for k, v in values.items() if isinstance(v, dict) and "." not in k
                  and not k.startswith("-") and k not in scoped for s in v if "." not in s]
        selector = [f"--profile={profile}"] if profile is not None else []
        if plain:
            key = plain[len(plain) // 2]
            rc, out, err = run(binary, env, "get", key, *selector)
            if rc != 0 or out != values[key] + "\n":
                problems.append(f"get {key!r} --profile {profile!r}: want {values[key]!r}; got exit {rc} {out!r}")
        if nested:
            key, sub = nested[0]
            rc, out, err = run(binary, env, "get", f"{key}.{sub}", *selector)
            if rc != 0 or out != values[key][sub] + "\n":
                problems.append(f"get {key}.{sub} --profile {profile!r}: want {values[key][sub]!r}; got {rc} {out!r}")
    named = [p for p in scoped if p is not None]
    if named:
        rc, out, err = run(binary, env, "get", "no_such_key_x", f"--profile={named[0]}")
        if rc != 1 or out != "":
            problems.append(f"get of a missing key: exit {rc} {out!r} (want exit 1, no output)")
    rc, out, err = run(binary, env, "list", "--json", f"--profile={MISSING_PROFILE}")
    if rc != 1 or out != "" or MISSING_PROFILE not in err:
        problems.append(f"missing profile: exit {rc} {out!r} {err!r} (want exit 1 and a message)")
    return problems


SET_KEYS = ["region", "mfa_serial", "aws_access_key_id", "aws_session_token", "Output", "ÄPFEL", "s3"]
SET_VALUES = ["us-west-2", "", "a=b", "x # y", "é 🙂", "v;w", "[z]", "arn:aws:iam::123456789012:mfa/bob"]
CREDENTIALS_KEYS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")


def writable_key(key):
    return key and "." not in key and not key.startswith(("-", "[")) and key == key.strip()


def kept_lines(old, new):
    """Comment and blank lines of `old` that `new` lost (`config set` must keep them all)."""
    def lines(data):
        return [line for line in data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
                if not line.strip() or line.strip().startswith((b"#", b";"))]
    missing = list(lines(old))
    for line in lines(new):
        if line in missing:
            missing.remove(line)
    return [m for m in missing if m.strip()]


def check_set(binary, case_dir, paths, expected, rng):
    """`mfaenv config set` on a copy of an accepted pair: botocore must then read the new value, every
    other value as before, and the file must keep its comments and mode."""
    if any(os.path.isdir(p) for p in paths):
        return []
    _, profiles, scoped = expected
    candidates = [p for p in scoped if p and p != "DEFAULT" and not p.startswith("-")]
    profile = rng.choice(candidates + ["new-profile"])
    own = [k for k in scoped.get(profile, {}) if writable_key(k)]
    key = rng.choice(own + SET_KEYS)
    sub = rng.choice(["addressing_style", "new_sub"]) if key not in CREDENTIALS_KEYS and rng.random() < 0.2 else None
    value = rng.choice(SET_VALUES)
    target = paths[1] if key in CREDENTIALS_KEYS else paths[0]
    before = open(target, "rb").read() if os.path.exists(target) else None
    if before is not None:
        os.chmod(target, 0o640)
    old_view = {p: values for p, values in scoped.items() if p is not None}
    env = {"PATH": "/usr/bin:/bin", "HOME": case_dir, "LC_ALL": "C.UTF-8",
           "AWS_CONFIG_FILE": paths[0], "AWS_SHARED_CREDENTIALS_FILE": paths[1]}
    args = ["set", f"{key}.{sub}" if sub else key, value, f"--profile={profile}"]
    section_existed = has_section(paths, target, profile)
    inherited = defaults_of(target) if not section_existed and before is not None else set()
    rc, out, err = run(binary, env, *args)
    what = f"set {args[1:]!r}"
    if rc == 6 and inherited and "so the file was left alone" in err:
        return []  # a new section would inherit a [DEFAULT] block that botocore rejects in a section
    if rc != 0:
        return [f"{what}: exit {rc} {err.strip()!r}"]
    problems = []
    after = open(target, "rb").read()
    if before is not None and stat_mode(target) != 0o640:
        problems.append(f"{what}: mode changed to {stat_mode(target):o}")
    if before is None and stat_mode(target) != 0o600:
        problems.append(f"{what}: new file has mode {stat_mode(target):o}")
    if before is not None and kept_lines(before, after):
        problems.append(f"{what}: lost lines {kept_lines(before, after)!r}")
    creds_win = key not in CREDENTIALS_KEYS and key.lower() in credentials_section(paths[1], profile)
    k = key.lower()
    new_views = botocore_view_profiles(paths, list(old_view) + [profile])
    for p in list(old_view) + ([profile] if profile not in old_view else []):
        old = old_view.get(p, {})
        new = new_views[p]
        want = dict(old)
        if p == profile and not creds_win:
            base = new.get(k) if isinstance(new, dict) and isinstance(new.get(k), dict) else {}
            want[k] = {**base, sub: value} if sub else value
        if isinstance(new, dict) and p == profile:
            # A section that `set` had to create inherits the [DEFAULT] keys of its file (configparser).
            new = {name: v for name, v in new.items() if name == k or name not in inherited}
            want = {name: v for name, v in want.items() if name == k or name not in inherited}
        if new != want:
            problems.append(f"{what}: botocore reads profile {p!r} as {new!r}, want {want!r}")
    rc, out, err = run(binary, env, "list", "--json", f"--profile={profile}")
    if rc != 0 or json.loads(out) != new_views[profile]:
        problems.append(f"{what}: mfaenv then reads exit {rc} {out!r}")
    return problems


def has_section(paths, target, profile):
    """Whether `target` (one of the pair) already has a section that botocore reads as `profile`."""
    try:
        if target == paths[1]:
            return profile in botocore.configloader.raw_config_parse(target)
        return profile in botocore.configloader.load_config(target)["profiles"]
    except botocore.exceptions.ConfigNotFound:
        return False


def defaults_of(path):
    parser = configparser.RawConfigParser()
    parser.read([path], encoding="utf-8")
    return set(parser.defaults())


def stat_mode(path):
    return os.stat(path).st_mode & 0o7777


def credentials_section(path, profile):
    try:
        return botocore.configloader.raw_config_parse(path).get(profile, {})
    except botocore.exceptions.ConfigNotFound:
        return {}


def botocore_view_profiles(paths, profiles):
    """get_scoped_config() of each profile (or a string saying why botocore cannot give it)."""
    os.environ["AWS_CONFIG_FILE"], os.environ["AWS_SHARED_CREDENTIALS_FILE"] = paths
    session = botocore_session()
    views = {}
    for profile in profiles:
        session.set_config_variable("profile", profile)
        try:
            views[profile] = session.get_scoped_config()
        except (botocore.exceptions.ProfileNotFound, botocore.exceptions.ConfigParseError) as e:
            views[profile] = f"botocore error: {e}"
    return views


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=int(os.environ.get("MFAENV_DIFF_SEED", "20241123")))
    parser.add_argument("--count", type=int, default=300, help="random cases after the hand-written ones")
    parser.add_argument("--mutations", type=int, default=100, help="mutated hand-written cases after those")
    parser.add_argument("--only", help="run only the case with this name")
    args = parser.parse_args()
    binary = os.environ.get("MFAENV_BINARY")
    if not binary or not os.access(binary, os.X_OK):
        sys.exit("differential_test: set MFAENV_BINARY to the built mfaenv")
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        os.environ.pop(name, None)

    cases = (config_cases.nasty_cases() + config_cases.random_cases(args.seed, args.count) +
             config_cases.mutated_cases(args.seed, args.mutations))
    if args.only:
        cases = [c for c in cases if c[0] == args.only]
    sample_rng = random.Random(args.seed)
    failures = []
    rejected = 0
    with tempfile.TemporaryDirectory(prefix="mfaenv-diff-") as root:
        prepared = []
        for i, (name, config, credentials) in enumerate(cases):
            case_dir = os.path.join(root, f"{i:04d}")
            os.mkdir(case_dir)
            paths = write_case(case_dir, config, credentials)
            expected = botocore_view(paths[0], paths[1], sample_rng)
            rejected += expected[0] == "rejected"
            prepared.append((name, case_dir, paths, expected))
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = pool.map(lambda c: (c[0], compare(binary, c[1], c[2], c[3])), prepared)
            for name, problems in results:
                failures += [f"{name}: {problem}"[:2000] for problem in problems]
        set_rng = random.Random(args.seed)
        written = 0
        for name, case_dir, paths, expected in prepared:
            if expected[0] == "ok":
                written += 1
                failures += [f"{name}: {problem}"[:2000] for problem in check_set(binary, case_dir, paths, expected, set_rng)]
    print(f"differential_test: {len(cases)} cases (seed {args.seed}), {rejected} rejected by botocore, "
          f"{written} changed by `config set`, {len(failures)} disagreements")
    for failure in failures:
        print("  " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
