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
from moto.server import ThreadedMotoServer  # noqa: E402

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
endpoint = f"http://{host}:{port}"
anonymous = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam = boto3.client("iam", **anonymous)
iam.create_user(UserName="homebase")
iam.put_user_policy(UserName="homebase", PolicyName="all",
                    PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="homebase")["AccessKey"]
s3 = boto3.client("s3", **anonymous)
for bucket in BUCKETS:
    s3.create_bucket(Bucket=bucket)
print(json.dumps({"endpoint": endpoint, "access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"]}), flush=True)
sys.stdin.read()
server.stop()
