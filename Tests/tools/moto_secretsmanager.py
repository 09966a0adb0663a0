"""Starts a moto server on 127.0.0.1 (a free port) with request signing enforced and moto's
request recorder on, for the `credentials import aws` tests. The bootstrap creates an IAM user
and access key, then these secrets (name, tags, rotation), then clears the recording, so the
recording holds exactly the requests the code under test made. Prints one JSON line
{"endpoint", "access_key_id", "secret_access_key", "recording"} and serves until stdin closes.

usage: moto_secretsmanager.py RECORDING_FILE
"""
import json
import os
import sys

RECORDING = sys.argv[1]
SECRETS = [
    # name, value, tags, rotate after days (None: rotation never set up)
    ("prod/openrouter-key", "sk-or-VALUE-never-read-1", [{"Key": "team", "Value": "agents"}], 30),
    ("prod/anthropic-key", "sk-ant-VALUE-never-read-2", [], None),
]
# Actions before moto starts enforcing authentication: the bootstrap below, exactly.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(3 + len(SECRETS) + sum(1 for s in SECRETS if s[3]))
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ["MOTO_ENABLE_RECORDING"] = "True"
os.environ["MOTO_RECORDER_FILEPATH"] = RECORDING

import boto3  # noqa: E402
import moto_bootstrap  # noqa: E402

server, endpoint, key, anonymous = moto_bootstrap.start()
sm = boto3.client("secretsmanager", **anonymous)
for name, value, tags, days in SECRETS:
    sm.create_secret(Name=name, SecretString=value, Tags=tags)
    if days:
        # No rotation Lambda: moto then rotates in place (a new version, LastRotatedDate = now).
        sm.rotate_secret(SecretId=name, RotationRules={"AutomaticallyAfterDays": days}, RotateImmediately=True)
open(RECORDING, "w").close()
print(json.dumps({"endpoint": endpoint, "access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"],
                  "recording": RECORDING}), flush=True)
sys.stdin.read()
server.stop()
