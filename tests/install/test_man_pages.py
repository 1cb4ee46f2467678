#!/usr/bin/python3
"""The man pages against the binary (issue 14): every command and subcommand of mfaenv has a
section in mfaenv(1) naming each of its flags, and every config key and environment variable the
sources read is in mfaenv-config(5) and docs/reference.md. A flag added without a line in the page
fails here. The command table is the binary's own (`mfaenv __command-table --json`)."""
import json
import os
import re
import subprocess
import sys
import unittest

SOURCE_DIR = os.environ.get("MFAENV_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MFAENV = os.environ.get("MFAENV_BINARY") or os.path.join(SOURCE_DIR, "build", "mfaenv")
MAN1 = os.path.join(SOURCE_DIR, "docs", "man", "mfaenv.1")
MAN5 = os.path.join(SOURCE_DIR, "docs", "man", "mfaenv-config.5")
REFERENCE = os.path.join(SOURCE_DIR, "docs", "reference.md")


def command_table():
    """The binary's own command table (`mfaenv __command-table --json`, the one the parsers, --help
    and the completions read): {("login",): {"flags": {...}, "choices": {...}}, ...}; () holds the
    global flags. Hidden helper commands are not for people and need no page."""
    r = subprocess.run([MFAENV, "__command-table", "--json"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    dump = json.loads(r.stdout)
    table = {(): {"flags": {f["name"] for f in dump["global_flags"]}, "choices": set()}}
    for command in dump["commands"]:
        if command["hidden"]:
            continue
        choices = set()
        for item in command["flags"] + command["positionals"]:
            choices.update(item.get("choices") or [])
        table[tuple(command["path"].split())] = {"flags": {f["name"] for f in command["flags"]} - {"--help"},
                                                 "choices": choices}
    return table


def roff_text(path):
    with open(path) as f:
        text = f.read()
    text = re.sub(r"\\f[BIRP]", "", text)
    return text.replace("\\-", "-").replace("\\(dq", '"')


def man_sections(text):
    """{"mfaenv login": text of that .SS section, ...}"""
    sections = {}
    current = None
    for line in text.split("\n"):
        m = re.match(r'^\.SS "?([^"]*)"?$', line)
        if m:
            current = m.group(1)
            sections[current] = ""
        elif line.startswith(".SH"):
            current = None
        elif current:
            sections[current] += line + "\n"
    return sections


def source_files():
    for root, _, files in os.walk(os.path.join(SOURCE_DIR, "src")):
        for name in files:
            if name.endswith((".cc", ".h")):
                with open(os.path.join(root, name), errors="replace") as f:
                    yield f.read()


def keys_and_variables():
    """Config keys (profile->get("key"), p.get("key"), "mfaenv_*") and environment variables
    (env("NAME"), getenv("NAME"), kResolvingVariable) the sources read."""
    keys, variables = set(), set()
    for text in source_files():
        keys.update(re.findall(r'get\("([a-z][a-z0-9_]*)"\)', text))
        keys.update(re.findall(r'"(mfaenv_[a-z_]+)"', text))
        variables.update(re.findall(r'\benv\("([A-Z][A-Z0-9_]*)"\)', text))
        variables.update(re.findall(r'getenv\("([A-Z][A-Z0-9_]*)"\)', text))
        variables.update(re.findall(r'setting\(env, "([A-Z][A-Z0-9_]*)"', text))  # env var, else profile key
        keys.update(re.findall(r'setting\(env, "[A-Z0-9_]+", profile,\s*"([a-z_]+)"', text))
        variables.update(re.findall(r'constexpr const char\* k\w*Variable = "([A-Z_]+)"', text))
        variables.update(re.findall(r'"(MFAENV_[A-Z_]+)="', text))  # set for a child (mfa_process)
    keys.discard("")
    keys.discard("mfaenv_create_http_listener")  # the server module's entry point (dlsym), not a key
    return keys, variables


class ManPages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.table = command_table()
        cls.man1 = roff_text(MAN1)
        cls.sections = man_sections(cls.man1)
        cls.man5 = roff_text(MAN5)
        with open(REFERENCE) as f:
            cls.reference = f.read()

    def test_the_table_was_read(self):
        # A parse that found nothing would make the checks below pass vacuously.
        self.assertIn(("login",), self.table)
        self.assertIn(("config", "get"), self.table)
        self.assertIn("--token-code", self.table[("login",)]["flags"])
        self.assertIn("powershell", self.table[("env",)]["choices"])
        self.assertGreaterEqual(len(self.table), 15)

    def test_every_command_has_a_section_naming_each_of_its_flags(self):
        missing = []
        for path, entry in sorted(self.table.items()):
            if not path:
                continue
            title = "mfaenv " + " ".join(path)
            if title not in self.sections:
                missing.append(f"no section .SS \"{title}\"")
                continue
            for name in sorted(entry["flags"] | entry["choices"]):  # flags, and values like --format's
                if not re.search(r"(?<![a-z0-9-])" + re.escape(name) + r"(?![a-z0-9-])", self.sections[title]):
                    missing.append(f"{title}: {name}")
        self.assertEqual(missing, [], "missing from docs/man/mfaenv.1")

    def test_global_flags_are_documented(self):
        for flag in self.table[()]["flags"]:
            self.assertRegex(self.man1, re.escape(flag) + r"(?![a-z0-9-])")

    def test_no_section_for_a_command_that_does_not_exist(self):
        known = {"mfaenv " + " ".join(p) for p in self.table if p}
        self.assertEqual(sorted(set(self.sections) - known), [])

    def test_exit_codes_are_documented(self):
        exit_section = self.man1.split(".SH EXIT STATUS")[1].split(".SH")[0]
        for code in ("0", "1", "2", "3", "4", "5", "6", "126", "127"):
            self.assertIn(f".B {code}\n", exit_section)

    def test_every_config_key_and_variable_is_in_the_config_page_and_the_reference(self):
        keys, variables = keys_and_variables()
        self.assertIn("mfaenv_mfa_max_age", keys)
        self.assertIn("MFAENV_CACHE_DIR", variables)
        for name in sorted(keys | variables):
            self.assertTrue(re.search(r"(?m)^\.(TP|B|BR|IR)? ?.*\b" + re.escape(name) + r"\b", self.man5),
                            f"{name} not in mfaenv-config.5")
            self.assertIn(f"`{name}`", self.reference, f"{name} not in docs/reference.md")

    def test_pages_render_without_warnings(self):
        for page in (MAN1, MAN5):
            r = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True,
                               env=dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="0", PAGER="cat"))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr, "", page)


if __name__ == "__main__":
    unittest.main(verbosity=2, argv=sys.argv[:1])
