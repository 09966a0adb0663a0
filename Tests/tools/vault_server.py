"""A small HashiCorp Vault stand-in on 127.0.0.1 for the `credentials import vault` tests: KV v2
metadata only, in Vault's own JSON shapes. Every request (method, path, headers) is appended to
LOG as one JSON line before the reply. Answers
  GET|LIST /v1/<mount>/metadata/<folder>/?list=true  {"data": {"keys": [...]}}  (404 when empty)
  GET /v1/<mount>/metadata/<path>                    the metadata document from DOCUMENTS
  GET /v1/<mount>/data/<path>                        a secret value (so a read would show in LOG)
and 403 {"errors": ["permission denied"]} when X-Vault-Token is not TOKEN. Prints
{"endpoint"} and serves until stdin closes.

usage: vault_server.py LOG TOKEN MOUNT DOCUMENTS_JSON_FILE
"""
import json
import sys

import server_lifetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, unquote

log_path, token, mount = sys.argv[1], sys.argv[2], sys.argv[3]
with open(sys.argv[4], encoding="utf-8") as f:
    documents = json.load(f)  # {"path": <metadata document>}


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"method": self.command, "path": self.path, "headers": dict(self.headers.items())}) + "\n")
        if self.headers.get("X-Vault-Token") != token:
            return self.answer(403, {"errors": ["permission denied"]})
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        listing = self.command == "LIST" or "list=true" in parts.query
        meta = f"/v1/{mount}/metadata/"
        data = f"/v1/{mount}/data/"
        if path.startswith(data):
            return self.answer(200, {"data": {"data": {"value": "VALUE-never-read"}}})
        if not path.startswith(meta):
            return self.answer(404, {"errors": []})
        rest = path[len(meta):]
        if listing:
            folder = rest if rest == "" or rest.endswith("/") else rest + "/"
            keys = set()
            for name in documents:
                if name.startswith(folder):
                    tail = name[len(folder):]
                    keys.add(tail.split("/")[0] + "/" if "/" in tail else tail)
            if not keys:
                return self.answer(404, {"errors": []})
            return self.answer(200, {"request_id": "r", "data": {"keys": sorted(keys)}})
        if rest in documents:
            return self.answer(200, documents[rest])
        return self.answer(404, {"errors": []})

    do_GET = handle_any
    do_LIST = handle_any
    do_POST = handle_any

    def log_message(self, *args):
        pass


server_lifetime.exit_when_stdin_closes()
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(json.dumps({"endpoint": f"http://127.0.0.1:{server.server_address[1]}"}), flush=True)
server.serve_forever()
