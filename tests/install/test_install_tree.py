#!/usr/bin/python3
"""`cmake --install` and `make install PREFIX=... DESTDIR=...` (issue 14): the binary, both man
pages, the direnv library and the shell completions land in their standard places under the
staging root and nowhere else, and the staged binary runs."""
import os
import subprocess
import tempfile
import unittest

SOURCE_DIR = os.environ.get("MFAENV_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_DIR = os.environ.get("MFAENV_BUILD_DIR") or os.path.join(SOURCE_DIR, "build")
MFAENV = os.environ.get("MFAENV_BINARY") or os.path.join(BUILD_DIR, "mfaenv")


def expected(prefix):
    files = {
        f"{prefix}/bin/mfaenv",
        f"{prefix}/lib/mfaenv/mfaenv-httplib.so",  # the credential server's HTTP module (dlopen()ed)
        f"{prefix}/share/man/man1/mfaenv.1",
        f"{prefix}/share/man/man5/mfaenv-config.5",
        f"{prefix}/share/mfaenv/direnv/mfaenv.sh",
        f"{prefix}/share/doc/mfaenv/README.md",
        f"{prefix}/share/doc/mfaenv/reference.md",
        f"{prefix}/share/bash-completion/completions/mfaenv",
        f"{prefix}/share/zsh/vendor-completions/_mfaenv",
        f"{prefix}/share/fish/vendor_completions.d/mfaenv.fish",
    }
    return files


def tree(root):
    out = set()
    for base, _, files in os.walk(root):
        for name in files:
            out.add("/" + os.path.relpath(os.path.join(base, name), root))
    return out


class InstallTree(unittest.TestCase):
    def check(self, root, prefix):
        self.assertEqual(tree(root), expected(prefix))
        binary = root + prefix + "/bin/mfaenv"
        self.assertTrue(os.access(binary, os.X_OK))
        r = subprocess.run([binary, "--version"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^mfaenv \d+\.\d+\.\d+ \(git [^)]+\)\n$")
        with open(root + prefix + "/share/mfaenv/direnv/mfaenv.sh") as f:
            direnv = f.read()
        self.assertEqual(direnv, subprocess.run([MFAENV, "hook", "direnv"], capture_output=True, text=True).stdout)
        self.assertIn("use_mfaenv", direnv)
        with open(root + prefix + "/share/man/man1/mfaenv.1") as f:
            self.assertIn(".TH MFAENV 1", f.read())
        for shell, path in (("bash", "bash-completion/completions/mfaenv"), ("zsh", "zsh/vendor-completions/_mfaenv"),
                            ("fish", "fish/vendor_completions.d/mfaenv.fish")):
            with open(f"{root}{prefix}/share/{path}") as f:  # what the binary prints, as built
                self.assertEqual(f.read(), subprocess.run([MFAENV, "completion", shell], capture_output=True,
                                                          text=True, check=True).stdout)

    def test_cmake_install_with_destdir(self):
        with tempfile.TemporaryDirectory() as root:
            r = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", "/usr"], capture_output=True, text=True,
                               env=dict(os.environ, DESTDIR=root))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.check(root, "/usr")

    def test_make_install_prefix_destdir(self):
        with tempfile.TemporaryDirectory() as root:
            r = subprocess.run(["make", "-s", "-C", SOURCE_DIR, "install", f"BUILD={BUILD_DIR}", "PREFIX=/opt/mfaenv",
                                f"DESTDIR={root}"], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.check(root, "/opt/mfaenv")


if __name__ == "__main__":
    unittest.main(verbosity=2)
