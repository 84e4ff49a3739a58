"""The HTTP client: timeouts, retries only where safe, Basic-only token fetch, redaction."""
from __future__ import annotations

import base64
import email.utils
import re
import socket
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, quote_plus

import pytest
import requests

from mta_sfsf import __version__
from mta_sfsf.online.http import (BACKOFF_CAP, EXCERPT_CHARS, MAX_ATTEMPTS, MAX_BODY_BYTES,
                           RETRY_AFTER_CAP, WITHHELD, Client, TransportError,
                                  retry_after_seconds)
from mta_sfsf.secrets import Secret
from servers import scripted  # noqa: F401  (fixture)

TOKEN = {"access_token": "tok-0123456789abcdef", "token_type": "Bearer", "expires_in": 900}


@pytest.fixture
def sleeps(mocker):
    return mocker.Mock()


@pytest.fixture
def client(sleeps):
    with Client(timeout=0.3, sleep=sleeps, jitter=lambda: 1.0) as c:
        yield c


def test_token_request_uses_basic_only_and_names_the_tool(scripted, client):
    server = scripted([{"body": TOKEN}])
    outcome = client.fetch_token(server.url + "/oauth2/api/v1/token", "my-client",
                                 Secret("s3cr3t-value-1"))
    assert outcome.ok and outcome.token.reveal() == TOKEN["access_token"]
    assert outcome.expires_in == 900
    sent = server.requests[0]
    assert sent["method"] == "POST"
    expected = base64.b64encode(b"my-client:s3cr3t-value-1").decode()
    assert sent["headers"]["Authorization"] == f"Basic {expected}"
    assert parse_qs(sent["body"].decode()) == {"grant_type": ["client_credentials"]}
    assert sent["headers"]["User-Agent"] == f"mta-sfsf/{__version__}"


def test_429_honours_retry_after_seconds(scripted, client, sleeps):
    server = scripted([{"status": 429, "headers": {"Retry-After": "7"}, "body": ""},
                       {"body": TOKEN}])
    outcome = client.fetch_token(server.url, "id", Secret("secret-429"))
    assert outcome.ok and outcome.answer.attempts == 2
    sleeps.assert_called_once_with(7.0)
    assert len(server.requests) == 2


def test_retry_after_is_capped_and_understands_http_dates():
    assert retry_after_seconds("86400") == RETRY_AFTER_CAP
    now = time.time()
    in_ten = email.utils.formatdate(now + 10, usegmt=True)
    assert 8.5 <= retry_after_seconds(in_ten, now=now) <= 10
    assert retry_after_seconds(email.utils.formatdate(now - 100, usegmt=True), now=now) == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_503_then_success_backs_off_with_jitter(scripted, sleeps):
    server = scripted([{"status": 503}, {"status": 502}, {"body": TOKEN}])
    jitters = iter([0.0, 1.0])
    with Client(timeout=0.3, sleep=sleeps, jitter=lambda: next(jitters)) as c:
        outcome = c.fetch_token(server.url, "id", Secret("secret-503"))
    assert outcome.ok and outcome.answer.attempts == 3
    waits = [call.args[0] for call in sleeps.call_args_list]
    assert waits == [0.25, 1.0]  # 0.5 s then 1 s, each jittered into [half, full]


def test_retries_stop_after_a_bound(scripted, client, sleeps):
    server = scripted([{"status": 503, "body": {"error": "down"}}])
    outcome = client.fetch_token(server.url, "id", Secret("secret-down"))
    assert not outcome.ok and outcome.answer.status == 503
    assert outcome.answer.attempts == MAX_ATTEMPTS == len(server.requests)
    assert all(call.args[0] <= BACKOFF_CAP for call in sleeps.call_args_list)


def test_event_post_is_never_retried(scripted, client, sleeps):
    server = scripted([{"status": 503}])
    answer = client.request("POST", server.url + "/events", retry=False, data=b"{}")
    assert answer.status == 503 and len(server.requests) == 1
    sleeps.assert_not_called()


def test_a_read_that_never_answers_times_out(scripted, client):
    server = scripted([{"action": "hang"}])
    started = time.monotonic()
    with pytest.raises(TransportError) as caught:
        client.request("POST", server.url + "/events", retry=False, data=b"{}")
    assert time.monotonic() - started < 2
    assert caught.value.message == (f"{server.url} accepted the connection but sent no answer "
                                    "within 0.3 s")
    assert caught.value.may_have_arrived
    assert len(server.requests) == 1


def test_a_connection_reset_is_one_clear_line(scripted, client):
    server = scripted([{"action": "reset"}])
    with pytest.raises(TransportError) as caught:
        client.request("POST", server.url + "/events", retry=False, data=b"{}")
    message = caught.value.message
    assert message.startswith(f"cannot reach {server.url}: ")
    assert "\n" not in message and "Pool" not in message and "object at" not in message
    assert caught.value.may_have_arrived


def test_token_post_is_retried_after_a_reset(scripted, client, sleeps):
    server = scripted([{"action": "reset"}, {"body": TOKEN}])
    outcome = client.fetch_token(server.url, "id", Secret("secret-reset"))
    assert outcome.ok and len(server.requests) == 2 and sleeps.call_count == 1


def test_connection_refused_did_not_reach_the_server(client):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransportError) as caught:
        client.request("POST", f"http://127.0.0.1:{port}/x", retry=False)
    assert "refused" in caught.value.message and not caught.value.may_have_arrived


def test_an_error_body_echoing_the_secret_is_redacted(scripted, client):
    def echo(handler):
        return f"bad credentials {handler.headers['Authorization']} for s3cr3t-echo-42"

    server = scripted([{"status": 500, "body": echo, "headers": {"Content-Type": "text/plain"}}])
    outcome = client.fetch_token(server.url, "echo-client", Secret("s3cr3t-echo-42"))
    text = outcome.answer.text + outcome.answer.excerpt() + repr(outcome)
    assert "s3cr3t-echo-42" not in text
    assert base64.b64encode(b"echo-client:s3cr3t-echo-42").decode() not in text
    assert "(sensitive)" in outcome.answer.text


def test_tls_failure_is_one_line(client):
    # A plain-HTTP listener spoken to with https: the TLS handshake fails.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(TransportError) as caught:
            Client(timeout=0.3).request("GET", f"https://127.0.0.1:{port}/", retry=False)
    assert "\n" not in caught.value.message
    assert caught.value.message.startswith(("cannot reach https://127.0.0.1",
                                            "TLS verification failed", "https://127.0.0.1"))


def test_platform_tokens_are_reused_for_their_lifetime(scripted, mocker):
    server = scripted([{"body": {"access_token": "platform-token-1", "expires_in": 1500}}])
    now = [1000.0]
    with Client(timeout=0.3, sleep=mocker.Mock(), clock=lambda: now[0]) as c:
        first = c.cached_token(server.url, "pid", Secret("platform-secret"), grant_in_query=True)
        now[0] += 1000
        second = c.cached_token(server.url, "pid", Secret("platform-secret"), grant_in_query=True)
        now[0] += 600
        c.cached_token(server.url, "pid", Secret("platform-secret"), grant_in_query=True)
    assert first is second
    assert len(server.requests) == 2
    assert server.requests[0]["path"].endswith("?grant_type=client_credentials")


# ------------------------------------------------------------------ hostile or unusual servers

def test_an_endless_body_is_read_only_up_to_a_cap(scripted, client):
    server = scripted([{"action": "endless"}])
    started = time.monotonic()
    answer = client.request("GET", server.url + "/state", retry=False)
    assert time.monotonic() - started < 2
    assert answer.status == 200 and answer.truncated
    assert len(answer.body) == MAX_BODY_BYTES
    assert answer.excerpt().endswith("...") and len(answer.excerpt()) == EXCERPT_CHARS + 3


def test_a_token_post_redirect_is_not_followed(scripted, client):
    elsewhere = scripted([{"body": TOKEN}])
    # Another host name for the same machine: a cross-host redirect.
    target = elsewhere.url.replace("127.0.0.1", "localhost") + "/steal"
    server = scripted([{"status": 307, "headers": {"Location": target}}])
    outcome = client.fetch_token(server.url + "/token", "redirected", Secret("secret-307-x"))
    assert not outcome.ok and outcome.answer.status == 307
    assert outcome.answer.headers["location"] == target
    assert elsewhere.requests == [] and len(server.requests) == 1


def test_no_call_follows_a_redirect(scripted, client):
    elsewhere = scripted([{"body": {"ok": True}}])
    server = scripted([{"status": 302, "headers": {"Location": elsewhere.url + "/x"}}])
    answer = client.request("GET", server.url + "/state", retry=False,
                            headers={"Authorization": "Bearer bearer-tok-302-abc"})
    assert answer.status == 302 and elsewhere.requests == []


def test_a_redirect_location_echoing_the_basic_header_is_redacted(scripted, client):
    def location(handler):
        raw = handler.headers["Authorization"]
        return {"Location": f"https://evil.example/cb?raw={raw}&q={quote(raw, safe='')}"
                            f"&b={quote_plus(raw.split()[1])}"}

    server = scripted([{"status": 302, "headers": None, "body": ""}])
    server.script[0]["headers_from"] = location
    outcome = client.fetch_token(server.url, "echo-location", Secret("s3cr3t+/=loc"))
    encoded = base64.b64encode(b"echo-location:s3cr3t+/=loc").decode()
    shown = repr(dict(outcome.answer.headers)) + outcome.answer.text
    assert outcome.answer.status == 302 and "(sensitive)" in shown
    for form in (encoded, quote(encoded, safe=""), quote_plus(encoded)):
        assert form not in shown


def test_a_token_in_an_error_body_is_redacted(scripted, client):
    leaked = "tok-in-error-body-93a7c1"
    server = scripted([{"status": 500, "body": {
        "access_token": leaked, "error": "server_error",
        "error_description": f"issued {leaked} but could not store it"}}])
    outcome = client.fetch_token(server.url, "id", Secret("secret-500-body"))
    assert not outcome.ok
    assert outcome.description == WITHHELD  # it holds a token: withheld, not partly shown
    assert leaked not in outcome.answer.text + outcome.answer.excerpt()


# ------------------------------------------------------------------ TLS, proxies, timeouts

def test_the_session_never_disables_tls_verification(client):
    assert client.session.verify is True and client.session.trust_env is True
    package = Path(__file__).resolve().parents[2] / "mta_sfsf"
    sources = "\n".join(p.read_text() for p in package.rglob("*.py"))
    assert re.search(r"verify\s*=\s*False|\.verify\s*=\s*(?!True)|CERT_NONE|_create_unverified",
                     sources) is None


@pytest.fixture
def sent_with(mocker):
    """The keyword arguments each request reached the transport adapter with."""
    return mocker.spy(requests.adapters.HTTPAdapter, "send")


def test_requests_ca_bundle_is_honoured(scripted, client, sent_with, monkeypatch, tmp_path):
    bundle = tmp_path / "private-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    server = scripted([{"body": {"ok": True}}])
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    client.request("GET", server.url, retry=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    client.request("GET", server.url, retry=False)
    first, second = (call.kwargs for call in sent_with.call_args_list)
    assert first["verify"] is True and second["verify"] == str(bundle)
    assert first["timeout"] == second["timeout"] == (0.3, 0.3)


def test_proxies_come_from_the_environment(scripted, client, monkeypatch):
    proxy = scripted([{"body": {"via": "proxy"}}])
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    answer = client.request("GET", "http://app.example.invalid/state", retry=False)
    assert answer.status == 200
    assert proxy.requests[0]["path"] == "http://app.example.invalid/state"
    assert proxy.requests[0]["headers"]["User-Agent"] == f"mta-sfsf/{__version__}"


def test_every_call_has_a_connect_and_read_timeout(scripted, sent_with, mocker):
    server = scripted([{"body": {"access_token": "tok-timeouts-0001", "expires_in": 60}}])
    with Client(timeout=0.7, sleep=mocker.Mock()) as c:
        c.fetch_token(server.url, "id", Secret("secret-timeouts"))
        c.request("POST", server.url, retry=False, data=b"{}")
        c.request("GET", server.url, retry=False)
    assert [call.kwargs["timeout"] for call in sent_with.call_args_list] == [(0.7, 0.7)] * 3


def test_a_trickling_body_is_cut_off_after_the_read_timeout(scripted, client):
    server = scripted([{"action": "trickle"}])
    started = time.monotonic()
    answer = client.request("GET", server.url + "/state", retry=False)
    assert time.monotonic() - started < 1.5  # read timeout 0.3 s, then cut off
    assert answer.status == 200 and answer.truncated and 0 < len(answer.body) < 100


def test_control_characters_from_a_server_do_not_reach_the_terminal(scripted, client):
    server = scripted([{"status": 302, "body": "line one\x1b[2J\x07 done\u202e",
                        "headers": {"Location": "https://idp.example/\x1b]0;pwned\x07login"}}])
    answer = client.request("GET", server.url, retry=False)
    assert answer.excerpt() == "line one\\x1b[2J\\x07 done\\u202e"
    assert answer.location == "https://idp.example/\\x1b]0;pwned\\x07login"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_endless_redirect_body_is_not_read_either(scripted, client, method):
    # requests itself reads a whole redirect body when it does not follow it: not here.
    server = scripted([{"action": "endless", "status": 302,
                        "headers": {"Location": "https://elsewhere.example/"}}])
    started = time.monotonic()
    answer = client.request(method, server.url, retry=False)
    assert time.monotonic() - started < 2
    assert answer.status == 302 and answer.truncated and len(answer.body) == MAX_BODY_BYTES
    assert answer.location == "https://elsewhere.example/"


def test_503_honours_a_retry_after_date_and_not_a_long_one(scripted, sleeps, mocker):
    mocker.patch("mta_sfsf.online.http.time.time", return_value=1_800_000_000.0)
    soon = email.utils.formatdate(1_800_000_000 + 5, usegmt=True)
    later = email.utils.formatdate(1_800_000_000 + 3600, usegmt=True)
    server = scripted([{"status": 503, "headers": {"Retry-After": soon}},
                       {"status": 429, "headers": {"Retry-After": later}}, {"body": TOKEN}])
    with Client(timeout=0.3, sleep=sleeps) as c:
        outcome = c.fetch_token(server.url, "id", Secret("secret-dates"))
    assert not outcome.ok and outcome.answer.status == 429 and outcome.answer.attempts == 2
    assert [call.args[0] for call in sleeps.call_args_list] == [5.0]
    assert "asked to retry after 3600 s" in outcome.answer.note


# ------------------------------------------------------------------ HTTP Basic (RFC 7617)

@pytest.mark.parametrize("client_id, secret", [("client-é", "gehéim-Wört"),
                                               ("客户", "密码-秘密-пароль")])
def test_basic_credentials_are_utf8_as_rfc_7617_says(scripted, client, client_id, secret):
    server = scripted([{"body": TOKEN}])
    assert client.fetch_token(server.url, client_id, Secret(secret)).ok
    sent = server.requests[0]["headers"]["Authorization"]
    assert sent == "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.mark.parametrize("client_id, secret, words", [
    ("id:with-colon", "s3cret-value", "contains ':'"),
    ("client", "line\nbreak-secret", "control characters"),
    ("client", "lone-\udc80-surrogate", "not valid Unicode"),
])
def test_what_basic_cannot_carry_is_refused_before_sending(scripted, client, client_id, secret,
                                                           words):
    from mta_sfsf.errors import UsageError

    server = scripted([{"body": TOKEN}])
    with pytest.raises(UsageError) as caught:
        client.fetch_token(server.url, client_id, Secret(secret))
    assert words in str(caught.value) and secret not in str(caught.value)
    assert server.requests == []


# ------------------------------------------------------------------ loopback means loopback

@pytest.mark.parametrize("url, ok", [
    ("http://localhost:8080/t", True), ("http://127.0.0.1/t", True), ("http://127.9.8.7/t", True),
    ("http://[::1]:9/t", True), ("http://LOCALHOST/t", True),
    ("http://evil.localhost:8080/t", False), ("http://localhost./t", False),
    ("http://localhost.example.com/t", False), ("http://128.0.0.1/t", False),
])
def test_plain_http_only_for_literal_loopback_or_exactly_localhost(url, ok):
    from mta_sfsf.urls import url_problem

    assert (url_problem(url) is None) is ok


def test_localhost_is_connected_to_as_127_0_0_1_without_dns(scripted, client, monkeypatch):
    server = scripted([{"body": {"ok": True}}])
    looked_up = []
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        looked_up.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    url = server.url.replace("127.0.0.1", "localhost")
    answer = client.request("GET", url + "/state", retry=False)
    assert answer.status == 200 and "localhost" not in looked_up
    assert server.requests[0]["headers"]["Host"] == url.split("//")[1]


def test_loopback_requests_never_go_through_a_proxy(scripted, client, monkeypatch):
    proxy = scripted([{"status": 599}])
    server = scripted([{"body": {"ok": True}}])
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "")
    for host in ("127.0.0.1", "localhost"):
        answer = client.request("GET", server.url.replace("127.0.0.1", host), retry=False)
        assert answer.status == 200
    assert proxy.requests == []


# ------------------------------------------------------------------ one deadline per exchange

def _slow_server(lines, pause):
    """A raw server that sends ``lines`` one byte at a time, ``pause`` seconds apart."""
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve():
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            for byte in b"".join(lines):
                if stop.wait(pause):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", stop, listener


@pytest.mark.parametrize("lines", [
    [b"HTTP/1.1 200 OK\r\n"] + [b"X-Slow: header-line\r\n"] * 100,  # headers, one byte a time
    [b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", b"y" * 5000],  # then a slow body
])
def test_the_timeout_bounds_the_whole_exchange(lines):
    url, stop, listener = _slow_server(lines, 0.02)
    try:
        with Client(timeout=0.6) as c:
            started = time.monotonic()
            try:
                answer = c.request("GET", url + "/state", retry=False)
            except TransportError as exc:
                assert exc.message == f"{url} accepted the connection but sent no answer within 0.6 s"
            else:
                assert answer.truncated
            assert time.monotonic() - started < 1.2
    finally:
        stop.set()
        listener.close()


def test_a_retry_after_beyond_the_wait_budget_is_not_waited_for(scripted, client, sleeps):
    server = scripted([{"status": 503, "headers": {"Retry-After": "999999"}}])
    outcome = client.fetch_token(server.url, "id", Secret("secret-retry-after"))
    assert not outcome.ok and outcome.answer.status == 503 and len(server.requests) == 1
    sleeps.assert_not_called()
    assert "asked to retry after 999999 s" in outcome.answer.note


def test_all_waits_of_one_request_share_one_budget(scripted, client, sleeps):
    from mta_sfsf.online.http import WAIT_BUDGET

    server = scripted([{"status": 429, "headers": {"Retry-After": "20"}}])
    outcome = client.fetch_token(server.url, "id", Secret("secret-budget"))
    assert not outcome.ok and len(server.requests) == 2  # 20 s waited once; 40 s is too much
    assert [call.args[0] for call in sleeps.call_args_list] == [20.0] and WAIT_BUDGET == 30


@pytest.mark.parametrize("lifetime, expected", [
    ("1e999", None), ("NaN", None), ("-Infinity", None), ("-5", None), ("true", None),
    ("1e300", None), ('"123456789012345678901234567890"', None), ("3600.7", 3600),
    ('"900"', 900), ("10" * 200, None)])
def test_a_token_lifetime_of_any_json_number_is_read_without_crashing(scripted, mocker, lifetime,
                                                                        expected):
    body = '{"access_token": "tok-lifetime-5e6f7a8b", "expires_in": %s}' % lifetime
    server = scripted([{"body": body.encode()}])
    with Client(timeout=0.5, sleep=mocker.Mock()) as c:
        outcome = c.cached_token(server.url, "id", Secret("secret-lifetime"))
        again = c.cached_token(server.url, "id", Secret("secret-lifetime"))
    assert outcome.ok and outcome.expires_in == expected and again.ok
