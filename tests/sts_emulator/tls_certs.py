"""Throw-away TLS material for the emulator, made with the `openssl` command.

Four server certificates, all for 127.0.0.1, localhost and STS's public host names (for the
CONNECT proxy, connect_proxy.py) unless said otherwise:
  good        signed by the test CA (ca.pem, the bundle clients are given)
  wrong-ca    signed by a second CA that clients do not trust
  expired     signed by the test CA, valid only in 2020
  wrong-host  signed by the test CA, but for wrong.invalid only
"""
import os
import subprocess

CERT_NAMES = ("good", "wrong-ca", "expired", "wrong-host")
REGIONS = ("af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
           "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
           "ap-southeast-4", "ap-southeast-5", "ca-central-1", "ca-west-1", "eu-central-1",
           "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
           "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
           "us-east-1", "us-east-2", "us-west-1", "us-west-2")


def sts_host_names():
    """STS's endpoints (global, regional, FIPS, dual-stack) as SDKs build them."""
    names = ["sts.amazonaws.com"]
    for region in REGIONS:
        names += [f"sts.{region}.amazonaws.com", f"sts-fips.{region}.amazonaws.com",
                  f"sts.{region}.api.aws", f"sts-fips.{region}.api.aws"]
    return names

_CA_CONFIG = """[ca]
default_ca = ca_default
[ca_default]
database = {dir}/index.txt
new_certs_dir = {dir}
serial = {dir}/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
[policy_any]
commonName = supplied
"""

_SERVER_EXT = """basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = {san}
"""


def _openssl(*args, cwd):
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {done.stderr.strip()}")


def _make_ca(directory, name, subject):
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "30", "-subj", subject,
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             "-addext", "subjectKeyIdentifier=hash", cwd=directory)
    db = os.path.join(directory, f"{name}-db")
    os.makedirs(db, exist_ok=True)
    open(os.path.join(db, "index.txt"), "w").close()
    with open(os.path.join(db, "serial"), "w") as f:
        f.write(os.urandom(8).hex() + "\n")
    with open(os.path.join(db, "ca.cnf"), "w") as f:
        f.write(_CA_CONFIG.format(dir=db))


def _make_server(directory, name, ca, san, dates):
    _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", "/CN=sts-emulator",
             cwd=directory)
    ext = os.path.join(directory, f"{name}.ext")
    with open(ext, "w") as f:
        f.write(_SERVER_EXT.format(san=san))
    _openssl("ca", "-batch", "-notext", "-config", f"{ca}-db/ca.cnf", "-cert", f"{ca}.pem",
             "-keyfile", f"{ca}.key", "-in", f"{name}.csr", "-out", f"{name}.pem",
             "-extfile", ext, *dates, cwd=directory)


def generate(directory):
    """Creates (or reuses) the CAs and certificates; returns {name: (cert path, key path)}."""
    os.makedirs(directory, exist_ok=True)
    paths = {n: (os.path.join(directory, f"{n}.pem"), os.path.join(directory, f"{n}.key"))
             for n in CERT_NAMES}
    if all(os.path.exists(c) and os.path.exists(k) for c, k in paths.values()) and subprocess.run(
            ["openssl", "x509", "-checkend", "86400", "-noout", "-in", paths["good"][0]],
            capture_output=True).returncode == 0:
        return paths  # a state directory used again (harness.py start --dir D)
    local = ", ".join(["IP:127.0.0.1", "DNS:localhost"] + [f"DNS:{n}" for n in sts_host_names()])
    valid = ("-days", "30")
    _make_ca(directory, "ca", "/CN=mfaenv test CA")
    _make_ca(directory, "wrong-ca-root", "/CN=mfaenv untrusted CA")
    _make_server(directory, "good", "ca", local, valid)
    _make_server(directory, "wrong-ca", "wrong-ca-root", local, valid)
    _make_server(directory, "expired", "ca", local,
                 ("-startdate", "20200101000000Z", "-enddate", "20200102000000Z"))
    _make_server(directory, "wrong-host", "ca", "DNS:wrong.invalid", valid)
    return paths
