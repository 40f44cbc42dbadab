"""Small real services run inside the lab's server namespace: HTTP (pages, basic-auth admin, upload sink)
and an FTP login responder, so that hydra, slowhttptest and curl talk to real sockets.

Run as ``python -m tergeu.net.lab_services http|ftp PORT``; only ever bound inside a namespace
that the lab created, never on the host.
"""

from __future__ import annotations

import base64
import os
import random
import socketserver
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USER, PASSWORD = "admin", "Zx9-lab-Secret"


class Handler(BaseHTTPRequestHandler):
    server_version = "LabHTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        return

    def _page(self, n: int) -> bytes:
        rnd = random.Random(self.path)
        words = ["alpha", "bank", "case", "delta", "kazakh", "river", "steppe", "tengri", "yurt"]
        return ("<html><body>" + " ".join(rnd.choice(words) for _ in range(n)) + "</body></html>").encode()

    def do_GET(self) -> None:
        if self.path.startswith("/admin"):
            auth = self.headers.get("Authorization", "")
            good = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if auth != good:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="lab"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        if self.path.startswith("/files/"):
            # downloads of a size named in the path (".../3.bin" = 3 x 100 kB)
            digits = "".join(ch for ch in self.path if ch.isdigit()) or "5"
            body = os.urandom(min(int(digits), 50) * 100_000)
        else:
            size = 200 if self.path.startswith("/beacon") else 200 + (hash(self.path) % 3000)
            body = self._page(size // 6)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _sink(self) -> None:
        left = int(self.headers.get("Content-Length", "0") or 0)
        while left > 0:
            chunk = self.rfile.read(min(left, 65536))
            if not chunk:
                break
            left -= len(chunk)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_POST = _sink
    do_PUT = _sink


class FTPLogin(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self.wfile.write(b"220 lab FTP server ready\r\n")
        user = ""
        for _ in range(64):
            line = self.rfile.readline(512)
            if not line:
                return
            cmd, _, arg = line.decode("latin-1").strip().partition(" ")
            cmd = cmd.upper()
            if cmd == "USER":
                user = arg
                self.wfile.write(b"331 Password required\r\n")
            elif cmd == "PASS":
                ok = user == USER and arg == PASSWORD
                self.wfile.write(b"230 Logged in\r\n" if ok else b"530 Login incorrect\r\n")
            elif cmd == "QUIT":
                self.wfile.write(b"221 Bye\r\n")
                return
            else:
                self.wfile.write(b"502 Not implemented\r\n")


class _TCP(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main(argv: list[str]) -> None:
    kind, port = argv[0], int(argv[1])
    if kind == "http":
        srv = ThreadingHTTPServer(("0.0.0.0", port), Handler)
        srv.daemon_threads = True
        srv.request_queue_size = 256
        srv.serve_forever()
    elif kind == "ftp":
        _TCP(("0.0.0.0", port), FTPLogin).serve_forever()
    else:
        raise SystemExit(f"unknown service {kind}")


if __name__ == "__main__":
    main(sys.argv[1:])
