#!/usr/bin/python3
"""QR codes read back by a real decoder (zbarimg): the PNG writer's output, and the terminal drawing
rendered to an image with ImageMagick and a monospace font, one label per terminal line stacked as a
terminal shows them (white text on black, the thin gaps between lines included)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

PROBE = os.environ.get("QR_PROBE", "")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
CONVERT = "/usr/bin/convert"
URI = "otpauth://totp/alice@123456789012?secret=" + "JBSWY3DPEHPK3PXP" * 4


def zbar(path):
    out = subprocess.run(["zbarimg", "-q", "--raw", path], capture_output=True, text=True)
    return out.stdout.rstrip("\n")


def render_terminal_text(text, path, light_on_dark=True):
    """Draws terminal text as a terminal would: each line a label of the same font, stacked."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    background, fill = ("black", "white") if light_on_dark else ("white", "black")
    labels = ["label:" + line for line in text.rstrip("\n").split("\n")]
    subprocess.run([CONVERT, "-background", background, "-fill", fill, "-font", FONT, "-pointsize", "16",
                    *labels, "-append", "-bordercolor", background, "-border", "16", path],
                   check=True, capture_output=True)


def probe(*args, text=URI):
    return subprocess.run([PROBE, *args], input=text.encode(), capture_output=True, check=True).stdout


class ReadBack(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="qr-read-back-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def test_png_decodes_to_the_exact_uri(self):
        for pixels in ("8", "3"):
            path = os.path.join(self.dir, f"code{pixels}.png")
            with open(path, "wb") as f:
                f.write(probe("png", pixels))
            self.assertEqual(zbar(path), URI)

    def test_plain_terminal_text_decodes_on_a_dark_terminal(self):
        path = os.path.join(self.dir, "plain.png")
        render_terminal_text(probe("text").decode(), path)
        self.assertEqual(zbar(path), URI)

    def test_ansi_terminal_text_decodes_whatever_the_theme(self):
        text = probe("text", "ansi").decode()
        self.assertTrue(text.startswith("\x1b[97;40m"))
        # The escapes set white on black whatever the terminal's theme: rendered so, it decodes.
        path = os.path.join(self.dir, "ansi.png")
        render_terminal_text(text, path, light_on_dark=True)
        self.assertEqual(zbar(path), URI)

    def test_a_long_seed_and_odd_names_still_decode(self):
        uri = "otpauth://totp/a%2Bb%3Dc@123456789012?secret=" + "A" * 64
        path = os.path.join(self.dir, "long.png")
        render_terminal_text(probe("text", text=uri).decode(), path)
        self.assertEqual(zbar(path), uri)


if __name__ == "__main__":
    if not PROBE:
        sys.exit("QR_PROBE must name the qr_probe binary")
    unittest.main(verbosity=2)
