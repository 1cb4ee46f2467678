#!/usr/bin/python3
"""The real keyrings behind `mfaenv keys` (issue 16): a gnome-keyring-daemon started inside
dbus-run-session and unlocked with a test password (the Secret Service through libsecret), and
`pass` with a throw-away GnuPG key in a temporary GNUPGHOME. Keys are added, read by a login
against the emulator, listed and removed; a locked keyring under --no-prompt is exit 3 saying what
to unlock; no key id or secret reaches argv, stderr or --debug."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from mfaenv_env import EmulatorTest, MFAENV, W, Home

KEYRING_PASSWORD = "keyring test password"


def run_in_dbus_session(env, script, timeout=120):
    """Runs `script` (sh) in a new D-Bus session with an unlocked gnome-keyring-daemon."""
    prelude = ("set -e\n"
               f"printf %s '{KEYRING_PASSWORD}' | gnome-keyring-daemon --unlock --components=secrets >/dev/null\n")
    # Output to a file, not a pipe: the keyring daemon D-Bus starts may keep a pipe open after the
    # session ends.
    with tempfile.TemporaryFile(mode="w+") as log:
        r = subprocess.run(["dbus-run-session", "--", "sh", "-c", prelude + script], env=env, stdout=log, stderr=log,
                           text=True, timeout=timeout, stdin=subprocess.DEVNULL, start_new_session=True)
        log.seek(0)
        r.stderr = log.read()
    return r


def secret_free(test, text):
    for s in (W.BOB_SECRET, W.BOB_KEY, KEYRING_PASSWORD):
        test.assertNotIn(s, text)


class SecretService(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {"profile bob": {}}, {})
        self.addCleanup(shutil.rmtree, self.home.dir, True)
        self.env = dict(self.home.env, XDG_DATA_HOME=os.path.join(self.home.dir, "data"),
                        XDG_RUNTIME_DIR=self.home.dir, MFAENV=MFAENV,
                        AWS_ACCESS_KEY_ID=W.BOB_KEY, AWS_SECRET_ACCESS_KEY=W.BOB_SECRET)

    def test_add_login_list_remove(self):
        out = os.path.join(self.home.dir, "out")
        os.mkdir(out)
        r = run_in_dbus_session(self.env, f"""
"$MFAENV" keys add bob --backend secret-service --from-env 2>{out}/add.err
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
"$MFAENV" keys list --json >{out}/list.json 2>{out}/list.err
"$MFAENV" login bob --debug >{out}/login.out 2>{out}/login.err
LD_DEBUG=libs "$MFAENV" env bob --no-prompt >{out}/env.out 2>{out}/warm.libs
timeout 10 gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" >/dev/null
"$MFAENV" logout bob 2>/dev/null
set +e
timeout 20 "$MFAENV" env bob --no-prompt >/dev/null 2>{out}/locked.err
echo $? >{out}/locked.rc
timeout 20 "$MFAENV" keys remove bob --force 2>{out}/locked-remove.err
echo $? >{out}/locked-remove.rc
set -e
"$MFAENV" keys list --json >{out}/list2.json
""")
        self.assertEqual(r.returncode, 0, r.stderr + "".join(  # every step but the two locked ones succeeded
            open(os.path.join(out, f)).read() for f in sorted(os.listdir(out)) if f.endswith(".err")))

        def read(name):
            with open(os.path.join(out, name)) as f:
                return f.read()
        rows = json.loads(read("list.json"))
        self.assertEqual([(x["Profile"], x["Backend"], x["AccessKeyId"]) for x in rows],
                         [("bob", "secret-service", "AKIA…0002")])
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)  # the keys came from the keyring
        # The warm path (a usable cached session) loads neither libsecret nor GLib nor D-Bus.
        libs = read("warm.libs")
        self.assertIn("calling init", libs)  # the loader did report
        for lib in ("libsecret", "libglib", "libgio", "libdbus", "libgcrypt"):
            self.assertNotIn(lib, libs)
        self.assertIn("locked keyring", read("locked.err"))
        self.assertEqual(read("locked.rc").strip(), "3")
        # Removing from a locked keyring is refused with what to do, and the item stays.
        self.assertEqual(read("locked-remove.rc").strip(), "1")
        self.assertIn("locked keyring and were not deleted", read("locked-remove.err"))
        self.assertEqual(len(json.loads(read("list2.json"))), 1)
        for name in os.listdir(out):
            secret_free(self, read(name) if name.endswith((".err", ".json", ".libs")) else "")
        secret_free(self, read("login.err"))
        with open(self.env["AWS_CONFIG_FILE"]) as f:
            self.assertNotIn(W.BOB_KEY, f.read())


class Pass(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {"profile bob": {}}, {})
        self.addCleanup(shutil.rmtree, self.home.dir, True)
        gnupg = tempfile.mkdtemp(prefix="gpg-", dir="/tmp")
        self.addCleanup(shutil.rmtree, gnupg, True)
        self.env = dict(self.home.env, GNUPGHOME=gnupg, PASSWORD_STORE_DIR=os.path.join(self.home.dir, "store"))
        self.addCleanup(subprocess.run, ["gpgconf", "--kill", "all"], env=self.env, capture_output=True)
        subprocess.run(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key",
                        "mfaenv test <mfaenv-test@example.invalid>", "default", "default", "never"],
                       env=self.env, check=True, capture_output=True, timeout=120)
        subprocess.run(["pass", "init", "mfaenv-test@example.invalid"], env=self.env, check=True, capture_output=True)

    def mfaenv(self, *args, **extra):
        return subprocess.run([MFAENV, *args], env=dict(self.env, **extra), capture_output=True, text=True,
                              timeout=120, stdin=subprocess.DEVNULL, start_new_session=True)

    def test_add_login_list_remove(self):
        r = self.mfaenv("keys", "add", "bob", "--backend", "pass", "--from-env",
                        AWS_ACCESS_KEY_ID=W.BOB_KEY, AWS_SECRET_ACCESS_KEY=W.BOB_SECRET)
        self.assertEqual(r.returncode, 0, r.stderr)
        secret_free(self, r.stderr)
        entry = os.path.join(self.env["PASSWORD_STORE_DIR"], "mfaenv", "bob.gpg")
        with open(entry, "rb") as f:
            self.assertNotIn(W.BOB_SECRET.encode(), f.read())
        shown = subprocess.run(["pass", "show", "mfaenv/bob"], env=self.env, capture_output=True, text=True)
        self.assertEqual(shown.stdout.splitlines()[0], W.BOB_SECRET)  # pass's convention: secret first
        r = self.mfaenv("login", "bob", "--debug")
        self.assertEqual(r.returncode, 0, r.stderr)
        secret_free(self, r.stderr)
        self.assertEqual(self.emu.count("GetSessionToken", "ok"), 1)
        r = self.mfaenv("keys", "list", "--json")
        self.assertEqual([(x["Profile"], x["Backend"], x["AccessKeyId"]) for x in json.loads(r.stdout)],
                         [("bob", "pass", "AKIA…0002")])
        r = self.mfaenv("keys", "remove", "bob", "--force")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(entry))


if __name__ == "__main__":
    unittest.main()
