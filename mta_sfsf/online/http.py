"""HTTP for the online commands: one ``requests`` Session per run, a (connect, read) timeout on
every call, retries only where repeating a request is harmless (the token request), no redirect
ever followed (a Basic or Bearer header must not travel to another host), TLS verification always
on (``REQUESTS_CA_BUNDLE`` and proxies come from the environment through ``requests``), and
answer bodies read only up to a cap.

Nothing here prints. Failures of the transport become ``TransportError`` with a one-line,
redacted message; HTTP answers are returned as they are, for the caller to judge.
"""
from __future__ import annotations

import base64
import email.utils
import json
import random
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

import requests
import requests.adapters
import urllib3
import urllib3.connection
from requests.structures import CaseInsensitiveDict

from .. import __version__
from ..errors import UsageError
from ..report import one_line
from ..secrets import Secret, redact, remember, remember_basic, resembles_secret
from ..urls import is_loopback, url_problem

RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_ATTEMPTS = 4
BACKOFF_BASE = 0.5  # seconds; doubled per attempt, then jittered
BACKOFF_CAP = 8.0
RETRY_AFTER_CAP = 30.0  # a server may ask for more; a CLI user should not wait for it
WAIT_BUDGET = 30.0  # all waits between the attempts of one request together
MAX_TIMEOUT = 600.0
MAX_BODY_BYTES = 64 * 1024  # a token, an error or a state fits many times; more is not read
EXCERPT_CHARS = 200
WITHHELD = "(withheld: it resembles a secret)"
# Token-like values an OAuth answer may hold, whatever its status: remembered for redaction.
TOKEN_KEYS = ("access_token", "refresh_token", "id_token")


class TransportError(Exception):
    """No HTTP answer: refused, reset, timed out, TLS failure. ``message`` is one redacted line;
    ``may_have_arrived`` tells whether the request may have reached the server."""

    def __init__(self, message: str, may_have_arrived: bool) -> None:
        super().__init__(redact(message))
        self.message = redact(message)
        self.may_have_arrived = may_have_arrived


@dataclass
class Answer:
    """An HTTP answer reduced to what the commands judge. ``text`` and ``headers`` are redacted
    when read, so a secret learnt after the answer arrived (a token in its body) is hidden too;
    ``body`` is the unredacted text, only for reading a token out of it, never for printing."""

    status: int
    reason: str
    raw_headers: Dict[str, str] = field(repr=False)
    body: str = field(repr=False)
    elapsed_ms: float
    attempts: int = 1
    truncated: bool = False  # more than MAX_BODY_BYTES, or not all of it within the timeout
    note: str = ""  # why a retryable answer was not retried (a Retry-After past the budget)

    @property
    def text(self) -> str:
        return redact(self.body)

    @property
    def headers(self) -> CaseInsensitiveDict:
        return CaseInsensitiveDict({k: redact(v) for k, v in self.raw_headers.items()})

    def json(self) -> Any:
        try:
            return json.loads(self.text)
        except ValueError:
            return None

    def excerpt(self, limit: int = EXCERPT_CHARS) -> str:
        """The body as ``server_text`` shows it."""
        return server_text(self.body, limit, self.truncated)

    @property
    def location(self) -> str:
        """The ``Location`` header as ``server_text`` shows it; "?" if none."""
        return server_text(self.raw_headers.get("Location")
                           or CaseInsensitiveDict(self.raw_headers).get("Location") or "?")

    @property
    def shown_reason(self) -> str:
        """The status line's words as ``server_text`` shows them."""
        return server_text(self.reason, 60)


def server_text(text: str, limit: int = EXCERPT_CHARS, more: bool = False) -> str:
    """Text a server sent, as it may be printed: on one line, shortened to ``limit``, without
    control characters (a server's escape sequences must not reach the user's terminal), known
    secrets redacted; and withheld entirely when it resembles a secret in any encoding (a
    server may echo the credentials it was sent, encoded in ways no list of forms foresees)."""
    flat = " ".join(str(text).split())
    cut = flat[:limit]
    if resembles_secret(cut):
        return WITHHELD
    return one_line(redact(cut)) + ("..." if more or len(flat) > limit else "")


@dataclass
class TokenOutcome:
    """The token endpoint's verdict on a client ID and secret."""

    answer: Answer
    token: Optional[Secret] = None
    token_type: str = ""
    expires_in: Optional[int] = None
    error: str = ""  # the OAuth ``error`` code, e.g. invalid_client
    description: str = ""  # the OAuth ``error_description``, redacted and shortened

    @property
    def ok(self) -> bool:
        return self.token is not None


def checked_timeout(seconds: float) -> float:
    """``--timeout`` as given, or a UsageError."""
    if not 0 < seconds <= MAX_TIMEOUT:
        raise UsageError(f"--timeout must be more than 0 and at most {MAX_TIMEOUT:g} seconds")
    return seconds


def checked_url(value: Optional[str], option: str) -> Optional[str]:
    """A URL option (``--token-url``, ``--app-url``, ...) as given, or a UsageError: https, or
    http only for loopback, never with credentials in it."""
    if value is None:
        return None
    problem = url_problem(value)
    if problem:
        raise UsageError(f"{option} {value}: {problem}")
    return value


def retry_after_seconds(value: Optional[str], now: Optional[float] = None,
                        cap: float = RETRY_AFTER_CAP) -> Optional[float]:
    """``Retry-After`` as seconds to wait (delta seconds or an HTTP date), capped; None if absent
    or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, min(when.timestamp() - now, cap))


def _reason_of(exc: BaseException) -> str:
    """The human part of a requests/urllib3 exception, without pool and object names (a
    certificate's names or a malformed status line come from the server: ``server_text``)."""
    return server_text(_reason_words(exc), EXCERPT_CHARS)


def _reason_words(exc: BaseException) -> str:
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if match:
        return match.group(1).strip().rstrip(".").lower()
    for words in ("Connection reset by peer", "RemoteDisconnected", "Connection aborted",
                  "Remote end closed connection without response", "certificate verify failed",
                  "timed out"):
        if words.lower() in text.lower():
            return {"RemoteDisconnected": "the server closed the connection without answering",
                    "Connection aborted": "the connection was aborted"}.get(words, words.lower())
    return type(exc).__name__


def _arriving(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives: each piece is what one read of the socket gave (urllib3 2.3+
    ``read1``), so a deadline can be checked between reads; older urllib3 gives 1 KiB pieces."""
    read1 = getattr(response.raw, "read1", None)
    if read1 is None:  # pragma: no cover - urllib3 before 2.3
        yield from response.iter_content(1024)
        return
    while True:
        try:
            data = read1(8192, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise requests.exceptions.ReadTimeout(exc) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise requests.exceptions.ChunkedEncodingError(exc) from None
        if not data:
            return
        yield data


def _decode(data: bytes, encoding: Optional[str]) -> str:
    try:
        return data.decode(encoding or "utf-8", "replace")
    except LookupError:  # a charset Python does not know
        return data.decode("utf-8", "replace")


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    return request


MAX_LIFETIME = 10 ** 8  # seconds (three years); a longer "expires_in" is not believed


def token_lifetime(value: Any) -> Optional[int]:
    """``expires_in`` as whole seconds, or None for anything that is not a plausible lifetime:
    not a number, a bool, NaN, infinite (``1e999`` in JSON), negative or absurdly large."""
    if isinstance(value, str) and value.isdigit() and len(value) <= 12:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value != value or not 0 <= value <= MAX_LIFETIME:  # NaN, or out of range (inf too)
        return None
    return int(value)


def basic_authorization(client_id: str, secret: Secret) -> str:
    """The HTTP Basic ``Authorization`` value, UTF-8 encoded as RFC 7617 says (section 2.1,
    ``charset="UTF-8"``); a UsageError for what Basic cannot carry: a ``:`` in the client ID,
    control characters, a lone surrogate."""
    value = secret.reveal()
    if ":" in client_id:
        raise UsageError(f"client ID {client_id!r} contains ':', which HTTP Basic "
                         "authentication cannot carry in a user name (RFC 7617)")
    for what, text in (("client ID", client_id), ("client secret", value)):
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise UsageError(f"the {what} contains control characters, which HTTP Basic "
                             "authentication cannot carry (RFC 7617); check the value")
    try:
        pair = f"{client_id}:{value}".encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError("the client ID or secret is not valid Unicode text (a lone surrogate); "
                         "check the value") from None
    return "Basic " + base64.b64encode(pair).decode("ascii")


def where(url: str) -> str:
    """``scheme://host:port`` of a URL, for messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# The exchange the current thread is making; its connections attach their socket to it.
_EXCHANGE = threading.local()


class _Watchdog:
    """One exchange's deadline: when it passes, the socket is shut down, which ends any read
    blocked on it. A socket timeout alone bounds each read, not the exchange: a server that
    sends its headers one byte a second would never time out."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sock: Optional[socket.socket] = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        _EXCHANGE.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _EXCHANGE.watchdog = None

    def attach(self, sock: Optional[socket.socket]) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                self._shut()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut()

    def _shut(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Watched:
    """A connection that attaches its socket to the current exchange's watchdog, and connects to
    ``localhost`` as 127.0.0.1 without a DNS lookup (``urls.is_loopback``)."""

    def _new_conn(self) -> socket.socket:
        if self.host.lower() != "localhost":  # type: ignore[attr-defined]
            return super()._new_conn()  # type: ignore[misc]
        named = self._dns_host  # type: ignore[has-type]
        self._dns_host = "127.0.0.1"
        try:
            return super()._new_conn()  # type: ignore[misc]
        finally:
            self._dns_host = named

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        watchdog = getattr(_EXCHANGE, "watchdog", None)
        if watchdog is not None:
            watchdog.attach(self.sock)  # type: ignore[attr-defined]
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_Watched, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _Adapter(requests.adapters.HTTPAdapter):
    """requests' adapter with watched connections, direct and through a proxy."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
        return manager


class Client:
    """One Session for one run. ``sleep``, ``clock`` and ``jitter`` are seams for tests.

    ``timeout`` bounds each exchange as a whole: connecting, the headers and the body. A request
    that may be retried is tried at most MAX_ATTEMPTS times, and all waits between its attempts
    together stay within WAIT_BUDGET; so it ends within MAX_ATTEMPTS x timeout + WAIT_BUDGET."""

    def __init__(self, timeout: float = 10.0, sleep: Optional[Callable[[float], None]] = None,
                 clock: Optional[Callable[[], float]] = None,
                 jitter: Optional[Callable[[], float]] = None) -> None:
        if not timeout or timeout <= 0:
            timeout = 10.0
        self.timeout: Tuple[float, float] = (timeout, timeout)
        self.sleep = sleep or time.sleep
        self.clock = clock or time.monotonic
        self.jitter = jitter or random.random
        self.session = requests.Session()
        for prefix in ("http://", "https://"):
            self.session.mount(prefix, _Adapter())
        # trust_env (the default) brings proxies and REQUESTS_CA_BUNDLE from the environment;
        # session.verify stays True.
        self.session.headers["User-Agent"] = f"mta-sfsf/{__version__}"
        # No compressed answers: the body cap then bounds what is decoded as well as read.
        self.session.headers["Accept-Encoding"] = "identity"
        self._tokens: Dict[Tuple[str, str], Tuple[TokenOutcome, float]] = {}

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _backoff(self, attempt: int, answer: Optional[requests.Response]) -> float:
        """Seconds to wait before the next attempt: the server's Retry-After (uncapped here:
        the caller does not wait past its budget), else capped, jittered exponential backoff."""
        if answer is not None:
            wait = retry_after_seconds(answer.headers.get("Retry-After"), cap=float("inf"))
            if wait is not None:
                return wait
        return min(BACKOFF_CAP, BACKOFF_BASE * 2 ** attempt) * (0.5 + self.jitter() / 2)

    def request(self, method: str, url: str, *, retry: bool, **kwargs: Any) -> Answer:
        """Send one request; when ``retry`` (only for requests that are harmless to repeat),
        retry 429/502/503/504 and connection failures with capped, jittered backoff, within
        the wait budget."""
        # An explicit no-op auth keeps requests from adding .netrc credentials: "refuses an
        # event without a token" must really be sent without one.
        kwargs.setdefault("auth", _no_auth)
        attempts = MAX_ATTEMPTS if retry else 1
        waited = 0.0
        for attempt in range(attempts):
            started = self.clock()
            note = ""
            try:
                with _Watchdog(self.timeout[1]) as watchdog:
                    response = self._send(requests.Request(method, url, **kwargs))
                    if retry and response.status_code in RETRY_STATUSES and attempt + 1 < attempts:
                        wait = self._backoff(attempt, response)
                        if wait <= min(RETRY_AFTER_CAP, WAIT_BUDGET - waited):
                            response.close()
                            self.sleep(wait)
                            waited += wait
                            continue
                        note = (f"asked to retry after {wait:g} s, more than mta-sfsf waits "
                                f"({WAIT_BUDGET:g} s in all); not retried")
                    with response:
                        body, truncated = self._read_body(response, watchdog)
            except requests.exceptions.RequestException as exc:
                error = self._transport_error(exc, url, method, watchdog.expired)
                wait = self._backoff(attempt, None)
                if retry and attempt + 1 < attempts and wait <= WAIT_BUDGET - waited \
                        and not isinstance(exc, (requests.exceptions.SSLError,
                                                 requests.exceptions.InvalidURL,
                                                 requests.exceptions.MissingSchema)):
                    self.sleep(wait)
                    waited += wait
                    continue
                if attempt:
                    error = TransportError(f"{error.message} (after {attempt + 1} attempts)",
                                           error.may_have_arrived)
                raise error from None
            elapsed = (self.clock() - started) * 1000.0
            return Answer(response.status_code, response.reason or "", dict(response.headers),
                          body, elapsed, attempt + 1, truncated, note)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, request: requests.Request) -> requests.Response:
        """Exactly one request, its body not yet read. The transport adapter is called directly:
        ``Session.send`` would follow a redirect, or, told not to, read the redirect's whole
        body into memory (unbounded). The environment still applies: proxies, NO_PROXY and
        REQUESTS_CA_BUNDLE, through ``merge_environment_settings``; but never a proxy for a
        loopback address (plain http:// there would hand the secret to the proxy)."""
        prepared = self.session.prepare_request(request)
        # verify=True: never off; a private CA comes from REQUESTS_CA_BUNDLE.
        settings = self.session.merge_environment_settings(prepared.url, {}, True, True, None)
        proxies = settings["proxies"]
        if is_loopback(urlsplit(prepared.url or "").hostname or ""):
            proxies = {}
        adapter = self.session.get_adapter(prepared.url or "")
        return adapter.send(prepared, stream=True, timeout=self.timeout,
                            verify=settings["verify"], cert=settings["cert"], proxies=proxies)

    def _read_body(self, response: requests.Response, watchdog: _Watchdog) -> Tuple[str, bool]:
        """At most MAX_BODY_BYTES of the body, decoded; and whether there was more. A server
        that streams without end is cut off at the cap, one that trickles at the exchange's
        deadline: neither is waited for."""
        chunks: List[bytes] = []
        size = 0
        try:
            for chunk in _arriving(response):
                chunks.append(chunk)
                size += len(chunk)
                if size >= MAX_BODY_BYTES or watchdog.expired:
                    break
            else:
                if not watchdog.expired:
                    return _decode(b"".join(chunks), response.encoding), False
        except requests.exceptions.RequestException:
            if not watchdog.expired:
                raise
        return _decode(b"".join(chunks)[:MAX_BODY_BYTES], response.encoding), True

    def _transport_error(self, exc: requests.exceptions.RequestException, url: str,
                         method: str, expired: bool = False) -> TransportError:
        place = where(url)
        connect, read = self.timeout
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return TransportError(f"could not connect to {place} within {connect:g} s", False)
        if expired or isinstance(exc, requests.exceptions.ReadTimeout):
            return TransportError(f"{place} accepted the connection but sent no answer within "
                                  f"{read:g} s", True)
        if isinstance(exc, requests.exceptions.SSLError):
            return TransportError(f"TLS verification failed for {place} ({_reason_of(exc)}); for "
                                  "a private CA set REQUESTS_CA_BUNDLE to its certificate file",
                                  False)
        if isinstance(exc, requests.exceptions.ProxyError):
            return TransportError(f"the proxy refused or failed the request to {place} "
                                  "(check HTTPS_PROXY / NO_PROXY)", False)
        if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                            requests.exceptions.InvalidSchema)):
            return TransportError(f"not a usable URL: {place}", False)
        if isinstance(exc, requests.exceptions.ConnectionError):
            reason = _reason_of(exc)
            refused = "refused" in reason or "name or service" in reason or \
                "resolution" in reason or "not known" in reason
            return TransportError(f"cannot reach {place}: {reason}", not refused)
        return TransportError(f"{method} to {place} failed: {_reason_of(exc)}", True)

    def fetch_token(self, token_url: str, client_id: str, secret: Secret,
                    grant_in_query: bool = False) -> TokenOutcome:
        """OAuth 2.0 client credentials with the ID and secret in an HTTP Basic header (Neo's
        OAuth service accepts no other form). Repeating a token request is harmless: retried."""
        header = basic_authorization(client_id, secret)
        remember_basic(client_id, secret.reveal())
        # The header value itself, so that its URL-encoded forms (a Location echoing it) are
        # known too.
        remember(header.split(" ", 1)[1])
        if grant_in_query:  # the platform API token endpoint: grant type in the query string
            kwargs: Dict[str, Any] = {"params": {"grant_type": "client_credentials"}}
        else:
            kwargs = {"data": {"grant_type": "client_credentials"}}
        answer = self.request("POST", token_url, retry=True,
                              headers={"Accept": "application/json", "Authorization": header},
                              **kwargs)
        try:
            body = json.loads(answer.body)
        except ValueError:
            body = None
        body = body if isinstance(body, dict) else {}
        for key in TOKEN_KEYS:  # whatever the status: an error answer may carry a token too
            if isinstance(body.get(key), str):
                remember(body[key])
        token = body.get("access_token")
        if 200 <= answer.status < 300 and isinstance(token, str) and token:
            expires_in = token_lifetime(body.get("expires_in"))
            token_type = server_text(str(body.get("token_type") or "Bearer"), 40)
            return TokenOutcome(answer, Secret(token), token_type, expires_in)
        error = body.get("error")
        description = body.get("error_description")
        return TokenOutcome(answer, error=server_text(error, 80) if isinstance(error, str) else "",
                            description=server_text(description, 200)
                            if isinstance(description, str) else "")

    def cached_token(self, token_url: str, client_id: str, secret: Secret,
                     grant_in_query: bool = False) -> TokenOutcome:
        """``fetch_token``, reusing a token for its lifetime (less a safety margin), as SAP asks
        for platform API tokens."""
        key = (token_url, client_id)
        cached = self._tokens.get(key)
        if cached and self.clock() < cached[1]:
            return cached[0]
        outcome = self.fetch_token(token_url, client_id, secret, grant_in_query)
        if outcome.ok:
            lifetime = outcome.expires_in if outcome.expires_in is not None else 300
            self._tokens[key] = (outcome, self.clock() + max(0, lifetime - 30))
        return outcome
