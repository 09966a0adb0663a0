"""A tiny HTTP server for the ObjectStore retry tests: answers requests in order from a script
given as JSON in argv[1] — a list of {"status": N, "body": "...", "delay": seconds, "headers": {...}} — then answers
200 with the body argv[2] forever. Prints {"port": N} once listening; serves until stdin closes.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

script = json.loads(sys.argv[1])
final_body = sys.argv[2].encode()
lock = threading.Lock()
served = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        with lock:
            step = script[len(served)] if len(served) < len(script) else {"status": 200, "body": None}
            served.append(self.command)
        if step.get("delay"):
            time.sleep(step["delay"])
        body = final_body if step.get("body") is None else step["body"].encode()
        self.send_response(step["status"])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "application/xml")
        self.send_header("ETag", '"0123456789abcdef0123456789abcdef"')
        for name, value in step.get("headers", {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = answer


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(json.dumps({"port": server.server_address[1]}), flush=True)
sys.stdin.read()
