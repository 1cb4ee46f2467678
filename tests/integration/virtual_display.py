"""A virtual X display (Xvfb) for the tests of the graphical MFA prompts, and a person typing into
them (xdotool). Xvfb picks a free display number itself (-displayfd)."""
import os
import subprocess
import tempfile
import time

DIALOG_TITLE = "mfaenv: MFA code"


class VirtualDisplay:
    def __init__(self):
        read_end, write_end = os.pipe()
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1024x768x24",
                                      "-nolisten", "tcp"], pass_fds=[write_end], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_end)
        number = b""
        while not number.endswith(b"\n"):
            chunk = os.read(read_end, 16)
            if not chunk:
                raise AssertionError("Xvfb did not start: is the xvfb package installed (scripts/bootstrap)?")
            number += chunk
        os.close(read_end)
        self.display = ":" + number.decode().strip()
        self.runtime_dir = tempfile.mkdtemp(prefix="mfaenv-xdg-")
        os.chmod(self.runtime_dir, 0o700)

    def env(self):
        """What a process needs to show a dialog on this display."""
        return {"DISPLAY": self.display, "XDG_RUNTIME_DIR": self.runtime_dir}

    def xdotool(self, *args, timeout=30):
        e = dict(os.environ)
        e.update(self.env())
        return subprocess.run(["xdotool", *args], env=e, capture_output=True, text=True, timeout=timeout)

    def dialogs(self):
        """The window ids of mfaenv's dialogs on screen now."""
        r = self.xdotool("search", "--onlyvisible", "--name", DIALOG_TITLE)
        return r.stdout.split()

    def wait_for_dialog(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            windows = self.dialogs()
            if windows:
                return windows
            time.sleep(0.1)
        raise AssertionError(f"no MFA dialog appeared within {timeout} s")

    def _press(self, window, *keys_then_text):
        """Focuses `window` and sends real key events (XTEST) to it: no window manager runs here."""
        self.xdotool("windowfocus", "--sync", window, timeout=10)
        for action in keys_then_text:
            self.xdotool(*action)

    def _closed(self, window, within=3.0):
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if window not in self.dialogs():
                return True
            time.sleep(0.1)
        return False

    def answer(self, text, timeout=60):
        """Waits for the dialog, types `text` and presses Return, again if the dialog is still there
        (a machine under load may map the entry late); returns the window ids seen."""
        windows = self.wait_for_dialog(timeout)
        window = windows[-1]
        for _ in range(5):
            time.sleep(0.5)
            self._press(window, ("key", "--clearmodifiers", "ctrl+a"), ("type", "--delay", "30", text),
                        ("key", "Return"))
            if self._closed(window):
                return windows
        raise AssertionError("the dialog did not take the typed code")

    def cancel(self, timeout=60):
        windows = self.wait_for_dialog(timeout)
        for _ in range(5):
            time.sleep(0.5)
            self._press(windows[-1], ("key", "Escape"))
            if self._closed(windows[-1]):
                return windows
        raise AssertionError("the dialog did not close on Escape")

    def close_all(self):
        """Dismisses any dialog a failed test left on screen."""
        for window in self.dialogs():
            self._press(window, ("key", "Escape"))
            self._closed(window)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        subprocess.run(["rm", "-rf", self.runtime_dir])
