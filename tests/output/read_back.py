"""Reads mfaenv's JSON, dotenv and credential_process output back the way real consumers do, for
roundtrip_test.cc: Python's json module, python-dotenv, and botocore's ProcessProvider.

usage: read_back.py json FILE HEXFILE | dotenv FILE HEXFILE | credential-process FILE
HEXFILE holds the original value of MFAENV_T<i> on line i, hex-encoded. Prints what differs; exit 1.
"""
import io
import json
import sys


def expected_values(hexfile):
    with open(hexfile) as f:
        return {f"MFAENV_T{i}": bytes.fromhex(line.strip()) for i, line in enumerate(f)}


def check_json(path, hexfile):
    expected = expected_values(hexfile)
    with open(path, "rb") as f:
        data = f.read()
    got = json.loads(data.decode("utf-8"))  # strict: the output must be valid UTF-8
    bad = 0
    if set(got) != set(expected):
        print(f"json: keys differ: {sorted(set(got) ^ set(expected))}")
        bad += 1
    for key, raw in expected.items():
        want = raw.decode("utf-8", "replace")
        if got.get(key) != want:
            print(f"json: {key}: raw {raw!r} read back as {got.get(key)!r}, want {want!r}")
            bad += 1
    return bad


def check_dotenv(path, hexfile):
    import dotenv

    expected = expected_values(hexfile)
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    forms = {line.split(b"=", 1)[0].decode(): line.split(b"=", 1)[1][:1] for line in lines if b"=" in line}
    # Each variable is one line (newlines are always escaped). Lines python-dotenv cannot read (docs/shells.md) are left out, or they would also spoil the
    # lines after them.
    def readable(raw, form):
        try:
            raw.decode("utf-8")  # it reads text: invalid UTF-8 fails the whole file
        except UnicodeDecodeError:
            return False
        # Inside "...": no escape for $, and its pattern takes the \" of a final \\" for a quote.
        return form != b'"' or (b"$" not in raw and not raw.endswith(b"\\"))

    text = [line.decode("utf-8") for line in lines if b"=" in line and
            readable(expected[line.split(b"=", 1)[0].decode()], line.split(b"=", 1)[1][:1])]
    got = dotenv.dotenv_values(stream=io.StringIO("\n".join(text)))
    bad = checked = 0
    for key, raw in expected.items():
        if key not in forms or not readable(raw, forms[key]):  # refused by mfaenv: not written
            continue
        checked += 1
        if got.get(key) != raw.decode("utf-8"):
            print(f"python-dotenv: {key}: raw {raw!r} read back as {got.get(key)!r}")
            bad += 1
    if checked < len(forms) // 3:
        print(f"python-dotenv: only {checked} of {len(expected)} values were checkable")
        bad += 1
    return bad


def check_credential_process(path):
    from botocore.credentials import ProcessProvider

    with open(path, "rb") as f:
        stdout = f.read()

    class FakeProcess:
        returncode = 0

        def communicate(self):
            return stdout, b""

    provider = ProcessProvider("p", lambda: {"profiles": {"p": {"credential_process": "mfaenv x"}}},
                               popen=lambda *a, **k: FakeProcess())
    creds = provider.load()
    parsed = json.loads(stdout)
    frozen = creds.get_frozen_credentials()
    bad = 0
    if (frozen.access_key, frozen.secret_key, frozen.token) != (
            parsed["AccessKeyId"], parsed["SecretAccessKey"], parsed.get("SessionToken")):
        print("credential-process: botocore read different credentials")
        bad += 1
    refreshable = hasattr(creds, "_expiry_time")
    if refreshable != ("Expiration" in parsed):
        print(f"credential-process: refreshable={refreshable} but Expiration present={'Expiration' in parsed}")
        bad += 1
    if refreshable and creds._expiry_time.isoformat() != parsed["Expiration"].replace("Z", "+00:00"):
        print(f"credential-process: expiry {creds._expiry_time.isoformat()} != {parsed['Expiration']}")
        bad += 1
    return bad


def main():
    kind = sys.argv[1]
    if kind == "json":
        bad = check_json(sys.argv[2], sys.argv[3])
    elif kind == "dotenv":
        bad = check_dotenv(sys.argv[2], sys.argv[3])
    elif kind == "credential-process":
        bad = check_credential_process(sys.argv[2])
    else:
        sys.exit(f"unknown check {kind}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
