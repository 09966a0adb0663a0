"""A one-thread HTTP server on 127.0.0.1 for the on-call channel tests.

Usage: recording_server.py LOG RESPONSES_JSON
Prints its port on the first line of stdout, then serves until killed. Every POST is appended
to LOG as one JSON line {"path", "headers", "body", "json"} where "json" is the body parsed by
Python's json module (null when it does not parse), written before the reply is sent. It exits when its
stdin closes (the test process ended or let it go), so it never outlives the test. Replies
follow RESPONSES_JSON, a list of [status, body, headers] used in order; the last one repeats.
"""
import json
import sys

import server_lifetime
from http.server import BaseHTTPRequestHandler, HTTPServer

log_path = sys.argv[1]
responses = json.loads(sys.argv[2])
count = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        text = raw.decode("utf-8", errors="replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"path": self.path, "headers": dict(self.headers.items()), "body": text, "json": parsed}) + "\n")
        status, body, headers = responses[min(count, len(responses) - 1)]
        count += 1
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server_lifetime.exit_when_stdin_closes()
server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
