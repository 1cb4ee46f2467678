"""The emulator's call log: one JSON object per STS request, in memory and in calls.jsonl.

Tests count calls from it (one GetSessionToken for 32 parallel clients). Fields are described in
docs/sts-emulator.md; MFA codes, secrets and session tokens are never written.
"""
import json
import threading


class CallLog:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.entries = []
        open(path, "w").close()

    def append(self, entry):
        entry = {k: v for k, v in entry.items() if v is not None}
        with self.lock:
            self.entries.append(entry)
            with open(self.path, "a") as f:
                f.write(json.dumps(entry, sort_keys=True) + "\n")

    def clear(self):
        with self.lock:
            self.entries = []
            open(self.path, "w").close()

    def select(self, action=None, outcome=None):
        with self.lock:
            return [e for e in self.entries
                    if (action is None or e.get("action") == action)
                    and (outcome is None or e.get("outcome") == outcome)]
