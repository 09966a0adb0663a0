"""Starts a moto S3 server on 127.0.0.1 (a free port) for the ObjectStore tests, with request
signing enforced: a bootstrap creates an IAM user and access key and the bucket(s), after which
moto checks every request's SigV4 signature against that key. Prints one JSON line
{"endpoint", "access_key_id", "secret_access_key"} and serves until stdin closes.

usage: moto_s3.py BUCKET...
"""
import json
import os
import sys

# Actions before moto starts enforcing authentication: the bootstrap below, exactly.
BUCKETS = sys.argv[1:]
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(3 + len(BUCKETS))
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
import moto_bootstrap  # noqa: E402

server, endpoint, key, anonymous = moto_bootstrap.start()
s3 = boto3.client("s3", **anonymous)
for bucket in BUCKETS:
    s3.create_bucket(Bucket=bucket)
print(json.dumps({"endpoint": endpoint, "access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"]}), flush=True)
sys.stdin.read()
server.stop()
