"""``mta-sfsf sandbox``: a local stand-in for a Neo subaccount's OAuth service, for developing an
extension app and for aiming ``verify`` and ``simulate-event`` at (``--token-url``).

Endpoints, on 127.0.0.1 only:

- ``POST /oauth2/api/v1/token``: as Neo's OAuth service, client credentials only in an HTTP
  Basic header (never in the body), ``grant_type=client_credentials`` only; issues opaque
  bearer tokens with a lifetime. Failures: 401 ``invalid_client`` (no, malformed or wrong
  credentials, or credentials in the body), 400 ``unsupported_grant_type`` or
  ``invalid_request``, each a JSON body with ``error`` and ``error_description``.
- ``GET /oauth2/api/v1/tokeninfo`` with ``Authorization: Bearer <token>``: 200
  ``{"active": true, "client_id": ..., "expires_in": ...}`` for a live token, else 401
  ``{"active": false}``. What a local app calls to check a token.
- ``POST /oauth2/api/v1/introspect`` with form ``token=<token>``: RFC 7662 style, always 200,
  ``{"active": false}`` for an unknown or expired token.

Client secrets come from the environment (``MTA_SFSF_SANDBOX_SECRET_<CLIENT>``) or a file
(``--secret-file``, lines ``client-id:secret``), never from arguments. Ctrl-C stops it (exit 0).
"""
from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import secrets as random_tokens
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, Mapping, Optional, TextIO, Tuple
from urllib.parse import parse_qs, urlsplit

from .. import __version__
from ..errors import InputError, UsageError
from ..report import one_line
from ..secrets import env_name, remember

TOKEN_PATH = "/oauth2/api/v1/token"
TOKENINFO_PATH = "/oauth2/api/v1/tokeninfo"
INTROSPECT_PATH = "/oauth2/api/v1/introspect"
MAX_BODY = 64 * 1024
MAX_LIFETIME = 180 * 24 * 3600
MAX_LIVE_TOKENS = 10_000  # a token flood from a test loop costs at most this much memory
IDLE_TIMEOUT = 30.0  # seconds a connection may sit without sending; then it is closed
REQUEST_DEADLINE = 60.0  # seconds one request may take in all (a header line every 5 s ...)


@dataclass
class SandboxOptions:
    port: int = 0
    clients: List[str] = field(default_factory=list)
    token_lifetime: int = 3600
    secret_file: Optional[str] = None


class TokenStore:
    """Issued tokens and their expiry; thread-safe, with an injectable clock for tests."""

    def __init__(self, lifetime: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.lifetime = lifetime
        self.clock = clock
        self._tokens: Dict[str, Tuple[str, float]] = {}
        self._lock = threading.Lock()

    def issue(self, client_id: str) -> str:
        # Not registered for redaction: the sandbox never prints a token, and a registry entry
        # per token would grow for as long as it runs.
        token = random_tokens.token_hex(16)
        with self._lock:
            now = self.clock()
            self._prune(now)
            self._tokens[token] = (client_id, now + self.lifetime)
        return token

    def _prune(self, now: float) -> None:
        """Drop expired tokens, and the oldest beyond ``MAX_LIVE_TOKENS``. Tokens are kept in
        the order issued, which with one lifetime is the order they expire: only the front of
        the dict is ever looked at, so issuing stays cheap."""
        while self._tokens:
            oldest = next(iter(self._tokens))
            if self._tokens[oldest][1] > now and len(self._tokens) < MAX_LIVE_TOKENS:
                return
            del self._tokens[oldest]

    def __len__(self) -> int:
        with self._lock:
            return len(self._tokens)

    def lookup(self, token: str) -> Optional[Tuple[str, int]]:
        """(client ID, seconds left) for a live token."""
        with self._lock:
            entry = self._tokens.get(token)
            if entry is None:
                return None
            left = entry[1] - self.clock()
            if left <= 0:
                del self._tokens[token]
                return None
            return entry[0], int(left)


class _LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up mid-request is routine; anything else is one line, no traceback.
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            sys.stderr.write(f"mta-sfsf sandbox: request from {client_address[0]} failed "
                             f"({type(error).__name__})\n")


class Sandbox:
    """The server; ``start()`` runs it in a thread (tests), ``serve()`` in the foreground."""

    def __init__(self, clients: Mapping[str, str], lifetime: int = 3600, port: int = 0,
                 clock: Callable[[], float] = time.monotonic,
                 log: Optional[TextIO] = None, idle_timeout: float = IDLE_TIMEOUT,
                 request_deadline: float = REQUEST_DEADLINE) -> None:
        self.clients = dict(clients)
        self.idle_timeout = idle_timeout
        self.request_deadline = request_deadline
        for secret in self.clients.values():
            remember(secret)
        self.tokens = TokenStore(lifetime, clock)
        self.log = log
        # Loopback only, whatever is asked: there is deliberately no host or bind option.
        self.server = _LoopbackServer(("127.0.0.1", port), _handler_for(self))
        self._thread: Optional[threading.Thread] = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def token_url(self) -> str:
        return self.base_url + TOKEN_PATH

    @property
    def tokeninfo_url(self) -> str:
        return self.base_url + TOKENINFO_PATH

    def start(self) -> "Sandbox":
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def authenticate(self, header: str) -> Optional[str]:
        """The client ID for a valid ``Basic`` header, else None (constant-time compare)."""
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic" or not encoded.strip():
            return None
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, sep, secret = decoded.partition(":")
        expected = self.clients.get(client_id)
        if not sep or expected is None:
            hmac.compare_digest(secret, secret)  # same work for unknown IDs
            return None
        return client_id if hmac.compare_digest(secret.encode(), expected.encode()) else None


def _handler_for(sandbox: Sandbox) -> type:
    class Handler(BaseHTTPRequestHandler):
        server_version = f"mta-sfsf-sandbox/{__version__}"
        sys_version = ""
        protocol_version = "HTTP/1.1"
        # A connection that sends nothing (or half a request) is closed, not kept forever.
        timeout = sandbox.idle_timeout

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the request line is logged by _answer, without query strings or headers

        def handle_one_request(self) -> None:
            """One request within the sandbox's request deadline: the idle timeout bounds each
            read, not a client that sends a header line every few seconds for ever."""
            def cut_off() -> None:
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

            timer = threading.Timer(sandbox.request_deadline, cut_off)
            timer.daemon = True
            timer.start()
            try:
                super().handle_one_request()
            finally:
                timer.cancel()

        def _answer(self, status: int, body: dict, note: str = "") -> None:
            data = json.dumps(body, sort_keys=True).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            if status == 401:
                self.send_header("WWW-Authenticate", 'Basic realm="oauth"'
                                 if self.path.startswith(TOKEN_PATH) else 'Bearer')
            self.end_headers()
            if sandbox.log is not None:  # logged first: the client may stop us once answered
                path = one_line(urlsplit(self.path).path)  # the client's bytes, not ours
                sandbox.log.write(f"{self.command} {path} {status}{' ' + note if note else ''}\n")
                sandbox.log.flush()
            self.wfile.write(data)

        def _error(self, status: int, error: str, description: str) -> None:
            self._answer(status, {"error": error, "error_description": description}, error)

        def _form(self) -> Optional[Dict[str, List[str]]]:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY:
                self.close_connection = True
                return None
            raw = self.rfile.read(length) if length else b""
            query = parse_qs(urlsplit(self.path).query)
            try:
                form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                return None
            for key, values in query.items():
                form.setdefault(key, values)
            return form

        def do_POST(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            form = self._form()
            if form is None:
                self._error(400, "invalid_request", "unreadable or oversized request body")
                return
            if path == TOKEN_PATH:
                self._token(form)
            elif path == INTROSPECT_PATH:
                found = sandbox.tokens.lookup((form.get("token") or [""])[0])
                body = {"active": False} if found is None else {
                    "active": True, "client_id": found[0], "token_type": "Bearer",
                    "exp": int(time.time()) + found[1]}
                self._answer(200, body)
            else:
                self._error(404, "not_found", "no such endpoint")

        def _token(self, form: Dict[str, List[str]]) -> None:
            if "client_secret" in form or ("client_id" in form
                                           and "Authorization" not in self.headers):
                self._error(401, "invalid_client", "client credentials in the request body are "
                            "not supported; send them with HTTP Basic auth")
                return
            client_id = sandbox.authenticate(self.headers.get("Authorization") or "")
            if client_id is None:
                self._error(401, "invalid_client", "bad client credentials")
                return
            grant = (form.get("grant_type") or [""])[0]
            if not grant:
                self._error(400, "invalid_request", "grant_type is missing")
                return
            if grant != "client_credentials":
                self._error(400, "unsupported_grant_type",
                            "only client_credentials is supported")
                return
            token = sandbox.tokens.issue(client_id)
            self._answer(200, {"access_token": token, "token_type": "Bearer",
                               "expires_in": sandbox.tokens.lifetime}, f"client={client_id}")

        def do_GET(self) -> None:  # noqa: N802
            if urlsplit(self.path).path != TOKENINFO_PATH:
                self._error(404, "not_found", "no such endpoint")
                return
            scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
            found = sandbox.tokens.lookup(token.strip()) if scheme.lower() == "bearer" else None
            if found is None:
                self._answer(401, {"active": False}, "inactive")
                return
            self._answer(200, {"active": True, "client_id": found[0], "expires_in": found[1],
                               "token_type": "Bearer"}, f"client={found[0]}")

    return Handler


def read_secret_file(path: str) -> Dict[str, str]:
    """``client-id:secret`` per line; blank lines and ``#`` comments ignored."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read(MAX_BODY * 16).splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        detail = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise InputError(f"{path}: cannot read: {detail}") from None
    clients: Dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        client_id, sep, secret = line.partition(":")
        if not sep or not client_id.strip() or not secret:
            raise InputError(f"{path}:{number}: expected client-id:secret")
        clients[client_id.strip()] = secret
    return clients


def client_secrets(options: SandboxOptions, environ: Mapping[str, str]) -> Dict[str, str]:
    clients = read_secret_file(options.secret_file) if options.secret_file else {}
    for client_id in options.clients:
        variable = env_name("SANDBOX_SECRET", client_id)
        if environ.get(variable):
            clients[client_id] = environ[variable]
        elif client_id not in clients:
            raise UsageError(f"--client {client_id}: no secret; set {variable} or list it in "
                             "--secret-file")
    if not clients:
        raise UsageError("no clients: give --client ID (secret in MTA_SFSF_SANDBOX_SECRET_<ID>) "
                         "or --secret-file")
    return clients


def run(options: SandboxOptions, environ: Optional[Mapping[str, str]] = None,
        out: Optional[TextIO] = None) -> int:
    environ = os.environ if environ is None else environ
    out = sys.stdout if out is None else out
    if not 0 < options.token_lifetime <= MAX_LIFETIME:
        raise UsageError(f"--token-lifetime must be between 1 and {MAX_LIFETIME} seconds")
    if not 0 <= options.port <= 65535:
        raise UsageError("--port must be between 0 and 65535")
    clients = client_secrets(options, environ)
    try:
        sandbox = Sandbox(clients, options.token_lifetime, options.port, log=sys.stderr)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{options.port}: "
                         f"{exc.strerror or exc}") from None
    out.write(f"mta-sfsf sandbox: a local stand-in for a Neo subaccount's OAuth service\n"
              f"  token endpoint:  {sandbox.token_url}\n"
              f"  token info:      {sandbox.tokeninfo_url}  (GET, Authorization: Bearer ...)\n"
              f"  introspection:   {sandbox.base_url}{INTROSPECT_PATH}  (POST token=...)\n"
              f"  clients:         {', '.join(sorted(clients))}\n"
              f"  token lifetime:  {options.token_lifetime} s\n"
              "Press Ctrl-C to stop.\n")
    out.flush()
    try:
        sandbox.server.serve_forever()
    except KeyboardInterrupt:
        out.write("sandbox stopped\n")
    finally:
        sandbox.server.server_close()
    return 0
