"""Loopback test servers for the online commands (standard library only): the receiving app
(an OAuth-protected extension endpoint that checks bearer tokens against the sandbox and records
events) and a scripted server that misbehaves on cue.
"""
from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional


class _HttpServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up early (a cut-off body, a timeout) is what some tests do.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class _Server:
    handler: type

    def __init__(self) -> None:
        self.server = _HttpServer(("127.0.0.1", 0), self.handler)
        self.server.daemon_threads = True
        self.server.owner = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def release(self) -> None:
        pass


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send(self, status: int, body: bytes = b"",
             headers: Optional[Dict[str, str]] = None, reason: Optional[str] = None) -> None:
        self.send_response(status, reason)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""


class _AppHandler(_Quiet):
    def do_POST(self) -> None:  # noqa: N802
        app: ReceivingApp = self.server.owner  # type: ignore[attr-defined]
        data = self.body()
        app.attempts.append({"path": self.path, "authorization": "Authorization" in self.headers})
        header = self.headers.get("Authorization") or ""
        client_id = app.check_token(header)
        if client_id is None:
            self.send(401, b'{"error":"unauthorized"}', {"Content-Type": "application/json",
                                                          "WWW-Authenticate": "Bearer"})
            return
        if self.path not in app.paths:
            self.send(404, b'{"error":"no such endpoint"}', {"Content-Type": "application/json"})
            return
        try:
            event = json.loads(data.decode("utf-8"))
        except ValueError:
            self.send(400, b'{"error":"not JSON"}', {"Content-Type": "application/json"})
            return
        app.events.append({"path": self.path, "client_id": client_id, "event": event})
        self.send(app.accept_status, b'{"received":true}', {"Content-Type": "application/json"})


class ReceivingApp(_Server):
    """An extension app endpoint protected by OAuth: it asks the sandbox's token info endpoint
    whether a bearer token is live, as a real app would ask its OAuth service."""

    handler = _AppHandler

    def __init__(self, tokeninfo_url: Optional[str], paths: List[str],
                 protected: bool = True) -> None:
        self.tokeninfo_url = tokeninfo_url
        self.paths = set(paths)
        self.protected = protected
        self.accept_status = 200
        self.events: List[Dict[str, Any]] = []
        self.attempts: List[Dict[str, Any]] = []
        super().__init__()

    def check_token(self, header: str) -> Optional[str]:
        if not self.protected:
            return "anonymous"
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token or not self.tokeninfo_url:
            return None
        request = urllib.request.Request(self.tokeninfo_url,
                                         headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                info = json.loads(answer.read())
        except (urllib.error.URLError, ValueError):
            return None
        return info.get("client_id") if info.get("active") else None


class _ScriptHandler(_Quiet):
    def _any(self) -> None:
        owner: ScriptedServer = self.server.owner  # type: ignore[attr-defined]
        body = self.body()
        with owner.lock:
            owner.requests.append({"method": self.command, "path": self.path,
                                   "headers": dict(self.headers), "body": body})
            step = owner.script.pop(0) if len(owner.script) > 1 else owner.script[0]
        action = step.get("action", "answer")
        if action == "hang":  # read the request, never answer: the client's read timeout
            owner.release_event.wait(10)
            self.close_connection = True
            return
        if action == "endless":  # a body that never ends: the client must stop reading
            self.send_response(step.get("status", 200))
            for key, value in (step.get("headers") or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                while not owner.release_event.is_set():
                    self.wfile.write(chunk)
                    with owner.lock:
                        owner.bytes_sent += len(chunk)
            except OSError:
                pass
            self.close_connection = True
            return
        if action == "trickle":  # one byte at a time, each well within the read timeout
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                while not owner.release_event.wait(0.02):
                    self.wfile.write(b"t")
                    self.wfile.flush()
            except OSError:
                pass
            self.close_connection = True
            return
        if action == "reset":  # close with RST (SO_LINGER 0) instead of an answer
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        text = step.get("body", "")
        if callable(text):
            text = text(self)
        payload = text if isinstance(text, bytes) else (
            json.dumps(text) if isinstance(text, (dict, list)) else str(text)).encode()
        headers = step.get("headers") or {"Content-Type": "application/json"}
        if "headers_from" in step:  # headers computed from the request, e.g. an echo
            headers = step["headers_from"](self)
        status = step.get("status", 200)
        reason = step.get("reason")
        self.send(status(self) if callable(status) else status, payload, headers,
                  reason(self) if callable(reason) else reason)

    do_GET = do_POST = _any


class ScriptedServer(_Server):
    """Answers each request with the next step of ``script`` (the last one repeats): a dict with
    ``status`` (or a function of the request handler), ``reason`` (the status line's words, or
    a function of the handler), ``headers`` (or ``headers_from``, a
    function of the handler), ``body`` (or a function of the handler), or ``action``: ``hang``,
    ``reset``, ``endless`` or ``trickle``."""

    handler = _ScriptHandler

    def __init__(self, script: List[Dict[str, Any]]) -> None:
        self.script = list(script)
        self.requests: List[Dict[str, Any]] = []
        self.lock = threading.Lock()
        self.release_event = threading.Event()
        self.bytes_sent = 0
        super().__init__()

    def release(self) -> None:
        self.release_event.set()


# ------------------------------------------------------------------ pytest fixtures
# Import them into a test module (``from servers import sandbox, app``) to use them.

import pytest  # noqa: E402

from mta_sfsf.online.sandbox import Sandbox  # noqa: E402

CLIENT_ID = "cid-benefits-events"
CLIENT_SECRET = "FAKE-not-a-real-secret-0000"  # the value sample-mta/sample.mtaext holds
EVENT_PATHS = ["/api/v1/events/job-title", "/api/v1/events/location"]


@pytest.fixture
def sandbox():
    server = Sandbox({CLIENT_ID: CLIENT_SECRET}, lifetime=600).start()
    yield server
    server.stop()


@pytest.fixture
def app(sandbox):
    server = ReceivingApp(sandbox.tokeninfo_url, EVENT_PATHS)
    yield server
    server.stop()


@pytest.fixture
def scripted():
    """``scripted([...])`` starts a ScriptedServer; all are stopped after the test."""
    started: List[ScriptedServer] = []

    def start(script: List[Dict[str, Any]]) -> ScriptedServer:
        server = ScriptedServer(script)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
