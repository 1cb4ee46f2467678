#!/usr/bin/python3
"""A long-running boto3 program, as a user's would be: calls GetCallerIdentity and the MFA-protected
GetAccessKeyInfo every half second for SECONDS, with credentials from the default chain (under
`mfaenv exec --server`: the container endpoint). Prints a JSON summary: calls, failures, the session
keys in the order seen (a new one after each refresh) and the Expiration each had."""
import json
import sys
import time

import boto3

seconds, protected_key = float(sys.argv[1]), sys.argv[2]
session = boto3.Session()
sts = session.client("sts")
summary = {"calls": 0, "failures": [], "keys": [], "expired_served": 0}
end = time.time() + seconds
while time.time() < end:
    try:
        identity = sts.get_caller_identity()
        sts.get_access_key_info(AccessKeyId=protected_key)
        credentials = session.get_credentials()
        key = credentials.get_frozen_credentials().access_key
        if not summary["keys"] or summary["keys"][-1] != key:
            summary["keys"].append(key)
        expiry = getattr(credentials, "_expiry_time", None)
        if expiry is not None and expiry.timestamp() <= time.time():
            summary["expired_served"] += 1
        summary["arn"] = identity["Arn"]
    except Exception as e:  # noqa: BLE001 - every failure is what the test counts
        summary["failures"].append(f"{time.strftime('%H:%M:%S')} {type(e).__name__}: {e}")
    summary["calls"] += 1
    time.sleep(0.5)
print(json.dumps(summary))
