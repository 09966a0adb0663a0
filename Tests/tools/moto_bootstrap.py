"""The part every moto-backed test server shares: start moto on 127.0.0.1 (a free port) and create,
while moto still accepts unsigned requests, an IAM user with an access key allowed everything.
The caller sets INITIAL_NO_AUTH_ACTION_COUNT to the number of bootstrap actions (3 here, plus its
own) before importing this module, so moto enforces SigV4 from the first request under test."""
import json

import boto3
from moto.server import ThreadedMotoServer


def start():
    """Returns (server, endpoint, access key dict, client keyword arguments for more bootstrap calls)."""
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
    return server, endpoint, key, anonymous
