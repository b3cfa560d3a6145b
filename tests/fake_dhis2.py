"""A hostile fake DHIS2 server on a loopback address (127.0.0.0/8 only; never a real host).

Raw sockets in a thread, so each answer can be exactly as broken as a case needs: a
redirect, a status line dripped a byte a second, a stall after the headers, a body
shorter or longer than its Content-Length. Every request's ``Authorization`` header is
recorded (``seen``), so a test can say no credentials reached a server. Every loop is
bounded in count and time: a server answers at most ``MAX_REQUESTS`` requests and
stops within a second of :meth:`Server.stop`.
"""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import threading
from pathlib import Path

MAX_REQUESTS = 8
MAX_HEADER_BYTES = 64 * 1024
MAX_DRIP_BYTES = 600           # ten minutes of dripping at most
STALL_SECONDS = 600            # the longest a stalled answer holds the connection
ANSWER = {"dataValues": [{"dataElement": "CHILDREN", "period": "2023", "orgUnit": "19606",
                          "categoryOptionCombo": "default", "attributeOptionCombo": "default", "value": "1534"}]}
BODY = json.dumps(ANSWER).encode()


class Server:
    """A server on ``host``, port chosen by the system, answering as ``behaviour`` says."""

    def __init__(self, behaviour: str, host: str = "127.0.0.1", location: str = "", tls: Path | None = None):
        assert host.startswith("127."), host           # loopback only
        self.behaviour, self.location, self.seen = behaviour, location, []
        self.stopped = threading.Event()
        self.listener = socket.create_server((host, 0))
        self.listener.settimeout(0.5)
        self.tls = None
        if tls is not None:
            self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.tls.load_cert_chain(tls / "cert.pem", tls / "key.pem")
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://{host}:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        for _ in range(MAX_REQUESTS):
            while not self.stopped.is_set():
                try:
                    conn, _ = self.listener.accept()
                    break
                except TimeoutError:
                    continue
            else:
                return
            try:
                with self._wrap(conn) as client:
                    self._answer(client)
            except OSError:
                pass                                   # the client cut the connection: what the cases test

    def _wrap(self, conn: socket.socket) -> socket.socket:
        conn.settimeout(5)
        return self.tls.wrap_socket(conn, server_side=True) if self.tls else conn

    def _answer(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < MAX_HEADER_BYTES:
            part = client.recv(4096)
            if not part:
                return
            head += part
        lines = head.decode("latin-1").split("\r\n")
        auth = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("authorization:")]
        self.seen.append((lines[0], auth[0] if auth else ""))
        getattr(self, "_" + self.behaviour)(client)

    def _headers(self, status: str, length: int, extra: str = "") -> bytes:
        return (f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n{extra}"
                "Connection: close\r\n\r\n").encode()

    def _ok(self, client):
        client.sendall(self._headers("200 OK", len(BODY)) + BODY)

    def _redirect(self, client):
        client.sendall(self._headers("302 Found", 0, f"Location: {self.location}\r\n"))

    def _hop(self, client):
        """A redirect within the server first (to ``location``), then the answer."""
        (self._redirect if len(self.seen) == 1 else self._ok)(client)

    def _drip(self, client):
        for byte in (self._headers("200 OK", len(BODY)) + BODY)[:MAX_DRIP_BYTES]:
            client.sendall(bytes([byte]))
            if self.stopped.wait(1.0):
                return

    def _stall(self, client):
        client.sendall(self._headers("200 OK", len(BODY)))
        self.stopped.wait(STALL_SECONDS)

    def _short(self, client):
        client.sendall(self._headers("200 OK", len(BODY) + 500) + BODY)

    def _long(self, client):
        client.sendall(self._headers("200 OK", len(BODY) - 20) + BODY)

    def _duplicate(self, client):
        body = BODY.replace(b'"value": "1534"', b'"value": "1534", "value": "1543"')
        client.sendall(self._headers("200 OK", len(body)) + body)

    def stop(self) -> None:
        """Stop answering (within a second) and close the listening socket."""
        self.stopped.set()
        self.thread.join(timeout=5)
        self.listener.close()


def self_signed(folder: Path) -> Path:
    """A key and a self-signed certificate for 127.0.0.1 in ``folder`` (openssl), trusted via SSL_CERT_FILE."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", folder / "key.pem", "-out", folder / "cert.pem", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
    return folder
