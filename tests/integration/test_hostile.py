#!/usr/bin/python3
"""Hostile files end to end (issue 8, item 5): the cache folder or a cache, lock or temporary file
replaced by a symlink, a FIFO, a folder, or something another user owns or can open; AWS config files
that are FIFOs, folders or 100 MB. Each case runs the real mfaenv against the STS emulator and checks
the exit code (docs/design.md §2), one clear line on stderr, no hang, no crash or sanitizer report, no
secret on stderr, and that nothing was read from or written through the hostile object. The
decisions are in docs/sessions.md, "Hostile files"."""
import json
import os
import shutil
import stat
import time
import unittest

from mfaenv_env import EmulatorTest, W, Home, assert_no_secret, env_json

OTHER_UID = 65534  # nobody
TIMEOUT = 30       # seconds for one mfaenv run (ASan builds are slower); a hang fails the test
# A session an attacker planted: valid JSON, valid for hours, but keys mfaenv must never serve.
PLANTED_KEY = "ASIAPLANTED0ATTACKER"
PLANTED_SECRET = "plantedSecret/EXAMPLE+attacker0123456789"
PLANTED_TOKEN = "PlantedSessionToken/EXAMPLE+" + "attacker" * 8
BIG = 100 << 20    # the 100 MB files


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def planted_session():
    now = time.time()
    return json.dumps({
        "version": 1, "kind": "mfa-session", "profile": "alice", "source": f"access key {W.ALICE_KEY}",
        "parent": "", "arn": f"arn:aws:iam::{W.ACCOUNT}:user/alice", "account": W.ACCOUNT,
        "mfa_serial": W.ALICE_MFA, "issued": rfc3339(now - 60), "mfa_time": rfc3339(now - 60),
        "not_after": None, "expiration": rfc3339(now + 6 * 3600), "access_key_id": PLANTED_KEY,
        "secret_access_key": PLANTED_SECRET, "session_token": PLANTED_TOKEN}, indent=2) + "\n"


def write(path, text, mode=0o600, uid=None):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    if uid is not None:
        os.chown(path, uid, uid)


def snapshot(path):
    """What a file is: to show afterwards that nothing was written through a link or into it."""
    st = os.lstat(path)
    content = None
    if stat.S_ISREG(st.st_mode):
        with open(path, "rb") as f:
            content = f.read()
    elif stat.S_ISDIR(st.st_mode):
        content = sorted(os.listdir(path))
    return (stat.S_IFMT(st.st_mode), st.st_mode & 0o7777, st.st_uid, st.st_ino, st.st_mtime_ns, content)


def kind(path):
    st = os.lstat(path)
    for test, name in ((stat.S_ISLNK, "link"), (stat.S_ISREG, "file"), (stat.S_ISDIR, "folder"),
                       (stat.S_ISFIFO, "fifo")):
        if test(st.st_mode):
            return name
    return "other"


class Hostile(EmulatorTest):
    key = None  # the cache key of profile alice, the same in every HOME

    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("needs root: files of another user are made with chown")
        super().setUpClass()

    def setUp(self):
        super().setUp()
        self.home = Home(self.emu, {})
        self.addCleanup(shutil.rmtree, self.home.dir, ignore_errors=True)
        self.aws = os.path.join(self.home.dir, ".aws")
        self.config = os.path.join(self.aws, "config")
        self.credentials = os.path.join(self.aws, "credentials")
        self.write_config()
        self.cache = os.path.join(self.home.dir, ".cache", "mfaenv")  # XDG_CACHE_HOME/mfaenv
        self.secrets = [PLANTED_SECRET, PLANTED_TOKEN]
        if Hostile.key is None:
            os.makedirs(self.cache, mode=0o700)
            r = self.mfaenv("status", "alice", "--json")
            self.assertEqual(r.returncode, 0, r.stderr)
            Hostile.key = os.path.basename(json.loads(r.stdout)[0]["cache_file"])[:-len(".json")]
            shutil.rmtree(self.cache)
        self.session = os.path.join(self.cache, self.key + ".json")
        self.lock = os.path.join(self.cache, self.key + ".lock")
        self.tmp = self.session + ".tmp"
        self.elsewhere = os.path.join(self.home.dir, "elsewhere")
        os.makedirs(self.elsewhere)

    def write_config(self):
        write(self.config, f"[profile alice]\nmfa_serial = {W.ALICE_MFA}\nmfa_process = {self.home.mfa_process}\n"
                           "region = eu-west-1\n\n[profile bob]\nregion = us-west-2\n")
        write(self.credentials, f"[alice]\naws_access_key_id = {W.ALICE_KEY}\naws_secret_access_key = {W.ALICE_SECRET}\n"
                                f"\n[bob]\naws_access_key_id = {W.BOB_KEY}\naws_secret_access_key = {W.BOB_SECRET}\n")

    def make_cache(self, mode=0o700):
        os.makedirs(self.cache)
        os.chmod(self.cache, mode)

    # Running and checking

    def mfaenv(self, *args, env=None):
        started = time.monotonic()
        r = self.home.mfaenv(*args, env=env, timeout=TIMEOUT)  # raises TimeoutExpired on a hang
        r.elapsed = time.monotonic() - started
        return r

    def env(self, **kw):
        return self.mfaenv("env", "alice", "--format", "json", **kw)

    def check(self, r, code, *fragments, lines=1):
        """Exit code, no crash, no secret; `lines` lines on stderr, the first holding every fragment."""
        self.assertGreaterEqual(r.returncode, 0, f"killed by signal {-r.returncode}: {r.stderr}")
        self.assertNotRegex(r.stderr, r"Sanitizer|runtime error:|Segmentation|terminate called")
        self.assertEqual(r.returncode, code, r.stderr)
        if r.returncode == 0 and r.stdout.startswith("{"):
            served = env_json(r)
            self.secrets += [served.get("AWS_SECRET_ACCESS_KEY"), served.get("AWS_SESSION_TOKEN")]
        assert_no_secret(self, r.stderr, self.secrets)
        got = [line for line in r.stderr.splitlines() if line.strip()]
        self.assertEqual(len(got), lines, r.stderr)
        for fragment in fragments:
            self.assertIn(fragment, got[0] if got else "", r.stderr)
        if code != 0:
            self.assertEqual(r.stdout, "")

    def session_calls(self):
        return self.emu.count("GetSessionToken", "ok")

    def assert_fresh_session_served(self, r):
        """A new session from STS was served and cached in a private regular file."""
        self.assertNotEqual(env_json(r)["AWS_ACCESS_KEY_ID"], PLANTED_KEY)
        self.assertTrue(env_json(r)["AWS_ACCESS_KEY_ID"].startswith("ASIA"))
        self.assertEqual(self.session_calls(), 1)
        st = os.lstat(self.session)
        self.assertTrue(stat.S_ISREG(st.st_mode))
        self.assertEqual((st.st_mode & 0o777, st.st_uid), (0o600, os.geteuid()))
        with open(self.session) as f:
            self.assertEqual(json.load(f)["access_key_id"], env_json(r)["AWS_ACCESS_KEY_ID"])
        self.assertFalse(os.path.lexists(self.tmp))

    def assert_refused_before_sts(self):
        self.assertEqual(self.emu.count(), 0)
        self.assertEqual(self.home.mfa_process_runs(), 0)

    # The cache folder: refused (exit 1) unless it is a real folder of ours that only we can open.

    def test_cache_folder_that_is_a_symlink_to_a_private_folder_of_ours_is_refused(self):
        real = os.path.join(self.elsewhere, "real-cache")
        os.mkdir(real, 0o700)
        write(os.path.join(real, self.key + ".json"), planted_session())
        link = os.path.join(self.home.dir, "cache-link")
        os.symlink(real, link)
        before = snapshot(real)
        for cache_dir in (link, link + "/"):  # "dir/" would make open() follow the link
            r = self.env(env={"MFAENV_CACHE_DIR": cache_dir})
            self.check(r, 1, f"{link} is a symbolic link", "remove the link, or set MFAENV_CACHE_DIR")
        self.assertEqual(snapshot(real), before)
        self.assert_refused_before_sts()

    def test_cache_folder_that_is_a_symlink_to_a_folder_of_another_user_is_refused(self):
        theirs = os.path.join(self.elsewhere, "their-cache")
        os.mkdir(theirs, 0o700)
        os.chown(theirs, OTHER_UID, OTHER_UID)
        os.makedirs(os.path.dirname(self.cache))
        os.symlink(theirs, self.cache)  # the default place, XDG_CACHE_HOME/mfaenv
        r = self.env()
        self.check(r, 1, f"{self.cache} is a symbolic link")
        self.assertEqual(os.listdir(theirs), [])
        self.assert_refused_before_sts()

    def test_cache_folder_of_another_user_is_refused(self):
        self.make_cache()
        write(self.session, planted_session(), uid=OTHER_UID)
        os.chown(self.cache, OTHER_UID, OTHER_UID)
        before = snapshot(self.cache)
        r = self.env()
        self.check(r, 1, f"{self.cache} belongs to user id {OTHER_UID}, not to you (0)", "MFAENV_CACHE_DIR")
        self.assertEqual(snapshot(self.cache), before)
        self.assert_refused_before_sts()

    def assert_open_cache_folder_refused(self, mode):
        # A session that would be served from a private folder (see the end) is not served from this one.
        self.make_cache(mode)
        write(self.session, planted_session())
        before = snapshot(self.cache)
        r = self.env()
        self.check(r, 1, f"{self.cache} is open to other users (mode {mode:o}): run 'chmod 700 {self.cache}'")
        self.assertEqual(snapshot(self.cache), before)
        self.assert_refused_before_sts()
        # The advice works, and shows the planted file is otherwise a valid session.
        os.chmod(self.cache, 0o700)
        r = self.env()
        self.check(r, 0, lines=0)
        self.assertEqual(env_json(r)["AWS_ACCESS_KEY_ID"], PLANTED_KEY)

    def test_group_writable_cache_folder_is_refused(self):
        self.assert_open_cache_folder_refused(0o770)

    def test_world_writable_cache_folder_is_refused(self):
        self.assert_open_cache_folder_refused(0o777)

    def test_world_readable_cache_folder_is_refused(self):
        self.assert_open_cache_folder_refused(0o755)

    # The session file: never trusted, never written through; replaced by a fresh session.

    def assert_ignored_and_replaced(self, r, *fragments):
        self.check(r, 0, f"mfaenv: ignoring a cached session: {self.session}", *fragments,
                   "a new session will replace it")
        self.assert_fresh_session_served(r)

    def test_cache_file_that_is_a_symlink_to_a_planted_session_is_not_served(self):
        self.make_cache()
        planted = os.path.join(self.elsewhere, "planted.json")
        write(planted, planted_session())  # ours and private: everything but the link is fine
        os.symlink(planted, self.session)
        before = snapshot(planted)
        r = self.env()
        self.assert_ignored_and_replaced(r, "is a symbolic link, which mfaenv does not follow here")
        self.assertEqual(snapshot(planted), before)

    def test_cache_file_that_is_a_symlink_to_a_system_file_is_not_overwritten_on_refresh(self):
        self.make_cache()
        passwd = os.path.join(self.elsewhere, "passwd")
        write(passwd, "root:x:0:0:root:/root:/bin/bash\n", mode=0o644)
        os.symlink(passwd, self.session)
        before = snapshot(passwd)
        r = self.mfaenv("credential-process", "alice")
        self.check(r, 0, f"ignoring a cached session: {self.session} is a symbolic link")
        self.assertEqual(snapshot(passwd), before)
        self.assertEqual(kind(self.session), "file")
        self.assertEqual(self.session_calls(), 1)
        self.secrets.append(json.loads(r.stdout)["SecretAccessKey"])
        assert_no_secret(self, r.stderr, self.secrets)
        # A dangling link is not followed to create its target either.
        os.unlink(self.session)
        missing = os.path.join(self.elsewhere, "created-through-link")
        os.symlink(missing, self.session)
        self.emu.advance_clock(30)  # the next code: the last one is remembered as used
        r = self.mfaenv("credential-process", "alice")
        self.check(r, 0, f"ignoring a cached session: {self.session} is a symbolic link")
        self.assertFalse(os.path.lexists(missing))
        self.assertEqual(kind(self.session), "file")

    def assert_planted_file_replaced(self, mode, uid, *fragments):
        self.make_cache()
        write(self.session, planted_session(), mode=mode, uid=uid)
        witness = os.path.join(self.cache, "witness")  # a second name for the planted inode
        os.link(self.session, witness)
        before = snapshot(witness)
        r = self.env()
        self.assert_ignored_and_replaced(r, *fragments)
        self.assertEqual(snapshot(witness), before)  # replaced by rename, not rewritten in place

    def test_cache_file_of_another_user_is_replaced_not_served(self):
        self.assert_planted_file_replaced(0o600, OTHER_UID, f"belongs to user id {OTHER_UID}, not to you (0)")

    def test_group_writable_cache_file_is_replaced_not_served(self):
        self.assert_planted_file_replaced(0o660, None, "is open to other users (mode 660)")

    def test_world_writable_cache_file_is_replaced_not_served(self):
        self.assert_planted_file_replaced(0o666, None, "is open to other users (mode 666)")

    def test_world_readable_cache_file_is_replaced_not_served(self):
        self.assert_planted_file_replaced(0o644, None, "is open to other users (mode 644)")

    # FIFOs and folders in place of files: no hang; replaced where mfaenv owns the name, refused for
    # the lock (replacing it could let two processes hold the lock at once), ignored for AWS files.

    def test_fifo_in_place_of_the_cache_file_is_replaced(self):
        self.make_cache()
        os.mkfifo(self.session, 0o600)
        r = self.env()
        self.assert_ignored_and_replaced(r, "is a FIFO, not a regular file")

    def test_empty_folder_in_place_of_the_cache_file_is_replaced(self):
        self.make_cache()
        os.mkdir(self.session, 0o700)
        r = self.env()
        self.assert_ignored_and_replaced(r, "is a folder, not a regular file")

    def test_folder_with_files_in_place_of_the_cache_file_is_left_alone(self):
        self.make_cache()
        os.mkdir(self.session, 0o700)
        write(os.path.join(self.session, "keep"), "data")
        before = snapshot(self.session)
        r = self.env()
        # The session works and is served; the second line says why it is not cached and what to do.
        self.check(r, 0, f"ignoring a cached session: {self.session} is a folder", lines=2)
        self.assertIn(f"could not be cached: {self.session} is a folder with files in it", r.stderr)
        self.assertIn("move it away", r.stderr)
        self.assertEqual(snapshot(self.session), before)
        self.assertFalse(os.path.lexists(self.tmp))
        self.assertEqual(self.session_calls(), 1)

    def assert_lock_refused(self, *fragments):
        r = self.env()
        self.check(r, 1, f"mfaenv: {self.lock} is", "not mfaenv's lock file: remove it", *fragments)
        self.assert_refused_before_sts()
        self.assertFalse(os.path.lexists(self.session))

    def test_fifo_in_place_of_the_lock_file_is_refused(self):
        self.make_cache()
        os.mkfifo(self.lock, 0o600)
        self.assert_lock_refused("a FIFO")
        self.assertEqual(kind(self.lock), "fifo")
        os.unlink(self.lock)  # the advice works
        self.check(self.env(), 0, lines=0)

    def test_folder_in_place_of_the_lock_file_is_refused(self):
        self.make_cache()
        os.mkdir(self.lock, 0o700)
        self.assert_lock_refused("a folder")
        self.assertEqual(os.listdir(self.lock), [])

    def test_lock_file_that_is_a_symlink_is_refused(self):
        self.make_cache()
        target = os.path.join(self.elsewhere, "some-file")
        write(target, "precious\n")
        os.symlink(target, self.lock)
        before = snapshot(target)
        self.assert_lock_refused("a symbolic link")
        self.assertEqual(snapshot(target), before)
        os.unlink(self.lock)
        missing = os.path.join(self.elsewhere, "created-through-link")
        os.symlink(missing, self.lock)  # dangling: O_CREAT must not create the target
        self.assert_lock_refused("a symbolic link")
        self.assertFalse(os.path.lexists(missing))

    def test_fifo_in_place_of_the_temporary_file_is_cleared(self):
        # key.json.tmp is mfaenv's own scratch name (a crash can leave one): whatever is there goes.
        self.make_cache()
        os.mkfifo(self.tmp, 0o600)
        r = self.env()
        self.check(r, 0, lines=0)
        self.assert_fresh_session_served(r)

    def test_empty_folder_in_place_of_the_temporary_file_is_cleared(self):
        self.make_cache()
        os.mkdir(self.tmp, 0o700)
        r = self.env()
        self.check(r, 0, lines=0)
        self.assert_fresh_session_served(r)

    def test_temporary_file_that_is_a_symlink_is_not_written_through(self):
        self.make_cache()
        target = os.path.join(self.elsewhere, "tmp-target")
        write(target, "precious\n")
        os.symlink(target, self.tmp)
        before = snapshot(target)
        r = self.env()
        self.check(r, 0, lines=0)
        self.assert_fresh_session_served(r)
        self.assertEqual(snapshot(target), before)

    def test_folder_with_files_in_place_of_the_temporary_file_is_left_alone(self):
        self.make_cache()
        os.mkdir(self.tmp, 0o700)
        write(os.path.join(self.tmp, "keep"), "data")
        before = snapshot(self.tmp)
        r = self.env()
        self.check(r, 0, f"mfaenv: the new session works but could not be cached: {self.tmp} is a folder "
                         "with files in it", "move it away")
        self.assertTrue(env_json(r)["AWS_ACCESS_KEY_ID"].startswith("ASIA"))
        self.assertEqual(snapshot(self.tmp), before)
        self.assertFalse(os.path.lexists(self.session))

    # ~/.aws/config and credentials: the user's own files. A FIFO or folder is ignored with a
    # warning, as botocore ignores it (it counts as empty); nothing blocks, nothing is written.

    def assert_aws_file_ignored(self, path, what, key):
        before = snapshot(path)
        r = self.mfaenv("config", "profiles")
        self.check(r, 0, f"mfaenv: warning: {path} is {what}, not a file; it is ignored (as the AWS CLI does)")
        self.assertEqual(r.stdout.split(), ["alice", "bob"])
        # Writing a setting there fails cleanly instead of blocking on the FIFO or replacing the folder.
        r = self.mfaenv("config", "set", key, "AKIAEXAMPLE0000NEW00" if key.startswith("aws_") else "us-east-2",
                        "--profile", "alice")
        self.check(r, 1, f"{path} is {what}")
        self.assertEqual(snapshot(path), before)
        self.assertEqual(self.emu.count(), 0)

    def test_fifo_in_place_of_aws_config_is_ignored(self):
        os.unlink(self.config)
        os.mkfifo(self.config, 0o600)
        self.assert_aws_file_ignored(self.config, "a FIFO", "region")

    def test_fifo_in_place_of_aws_credentials_is_ignored(self):
        os.unlink(self.credentials)
        os.mkfifo(self.credentials, 0o600)
        self.assert_aws_file_ignored(self.credentials, "a FIFO", "aws_access_key_id")

    def test_folder_in_place_of_aws_config_is_ignored(self):
        os.unlink(self.config)
        os.mkdir(self.config)
        self.assert_aws_file_ignored(self.config, "a directory", "region")

    def test_folder_in_place_of_aws_credentials_is_ignored(self):
        os.unlink(self.credentials)
        os.mkdir(self.credentials)
        self.assert_aws_file_ignored(self.credentials, "a directory", "aws_access_key_id")

    def test_symlinked_aws_files_are_followed(self):
        # Dotfile managers (stow, chezmoi, home-manager) link ~/.aws/config: that is the user's choice.
        dotfiles = os.path.join(self.home.dir, "dotfiles")
        os.mkdir(dotfiles)
        for path in (self.config, self.credentials):
            os.rename(path, os.path.join(dotfiles, os.path.basename(path)))
            os.symlink(os.path.join(dotfiles, os.path.basename(path)), path)
        r = self.env()
        self.check(r, 0, lines=0)
        self.assert_fresh_session_served(r)

    # 100 MB config files: refused at once (exit 6, FILE:1), without reading them.

    def assert_huge_file_refused(self, path, variable, line_length):
        mib = 1 << 20
        chunk = ("x" * (line_length - 1) + "\n") * (mib // line_length) if line_length < mib else "x" * mib
        with open(path, "a") as f:
            f.write("[profile huge]\nnote = ")
            while f.tell() < BIG:  # exactly 100 MiB
                f.write(chunk[:BIG - f.tell()])
        before = snapshot(path)
        r = self.env()
        self.check(r, 6, f"mfaenv: {path}:1: the file is 100 MiB, larger than any AWS config file",
                   f"check {variable}")
        self.assertLess(r.elapsed, 10)
        self.assertEqual(snapshot(path), before)
        self.assertEqual(self.emu.count(), 0)

    def test_aws_config_with_a_100_mb_line_is_refused(self):
        self.assert_huge_file_refused(self.config, "AWS_CONFIG_FILE", BIG)

    def test_aws_config_of_100_mb_in_many_lines_is_refused(self):
        self.assert_huge_file_refused(self.config, "AWS_CONFIG_FILE", 80)

    def test_aws_credentials_with_a_100_mb_line_is_refused(self):
        self.assert_huge_file_refused(self.credentials, "AWS_SHARED_CREDENTIALS_FILE", BIG)

    def test_aws_credentials_of_100_mb_in_many_lines_is_refused(self):
        self.assert_huge_file_refused(self.credentials, "AWS_SHARED_CREDENTIALS_FILE", 80)

    def test_aws_config_with_a_long_line_under_the_limit_is_read_in_bounded_time(self):
        with open(self.config, "a") as f:
            f.write("\n[profile long]\nnote = " + "x" * (15 << 20) + "\n")
        r = self.mfaenv("config", "profiles")
        self.check(r, 0, lines=0)
        self.assertEqual(r.stdout.split(), ["alice", "bob", "long"])
        self.assertLess(r.elapsed, 15)


if __name__ == "__main__":
    unittest.main(verbosity=2)
