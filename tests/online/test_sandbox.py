"""The sandbox: Neo's token endpoint behaviour, token checks, secrets never from arguments."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from mta_sfsf.cli import main
from mta_sfsf.online.sandbox import Sandbox
from servers import CLIENT_ID, CLIENT_SECRET, sandbox  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]
GRANT = {"grant_type": "client_credentials"}


def token(sandbox, timeout=5, **kwargs):
    return requests.post(sandbox.token_url, timeout=timeout, **kwargs)


def test_issues_an_opaque_bearer_token_for_basic_credentials(sandbox):
    answer = token(sandbox, auth=(CLIENT_ID, CLIENT_SECRET), data=GRANT)
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 600
    assert len(body["access_token"]) == 32
    assert answer.headers["Cache-Control"] == "no-store"
    assert sandbox.server.server_address[0] == "127.0.0.1"


def test_grant_type_in_the_query_is_accepted(sandbox):
    answer = requests.post(sandbox.token_url + "?grant_type=client_credentials", timeout=5,
                           auth=(CLIENT_ID, CLIENT_SECRET))
    assert answer.status_code == 200


@pytest.mark.parametrize("kwargs, status, error", [
    ({"data": {**GRANT, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}}, 401,
     "invalid_client"),
    ({"auth": (CLIENT_ID, "wrong-secret"), "data": GRANT}, 401, "invalid_client"),
    ({"auth": ("unknown-client", CLIENT_SECRET), "data": GRANT}, 401, "invalid_client"),
    ({"data": GRANT}, 401, "invalid_client"),
    ({"auth": (CLIENT_ID, CLIENT_SECRET), "data": {"grant_type": "password"}}, 400,
     "unsupported_grant_type"),
    ({"auth": (CLIENT_ID, CLIENT_SECRET)}, 400, "invalid_request"),
    ({"headers": {"Authorization": "Basic !!!notbase64"}, "data": GRANT}, 401, "invalid_client"),
])
def test_refuses_what_neo_refuses(sandbox, kwargs, status, error):
    answer = token(sandbox, **kwargs)
    assert answer.status_code == status
    assert answer.json()["error"] == error
    assert CLIENT_SECRET not in answer.text


def test_tokeninfo_and_introspection(sandbox):
    issued = token(sandbox, auth=(CLIENT_ID, CLIENT_SECRET), data=GRANT).json()["access_token"]
    info = requests.get(sandbox.tokeninfo_url, timeout=5,
                        headers={"Authorization": f"Bearer {issued}"})
    assert info.status_code == 200
    assert info.json()["active"] is True and info.json()["client_id"] == CLIENT_ID
    bad = requests.get(sandbox.tokeninfo_url, timeout=5, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json() == {"active": False}
    introspect = sandbox.base_url + "/oauth2/api/v1/introspect"
    assert requests.post(introspect, data={"token": issued}, timeout=5).json()["active"] is True
    assert requests.post(introspect, data={"token": "nope"}, timeout=5).json() == {"active": False}


def test_tokens_expire_after_their_lifetime():
    now = [0.0]
    server = Sandbox({"c": "secret-expiry"}, lifetime=60, clock=lambda: now[0]).start()
    try:
        issued = token(server, auth=("c", "secret-expiry"), data=GRANT).json()["access_token"]
        headers = {"Authorization": f"Bearer {issued}"}
        now[0] = 59
        assert requests.get(server.tokeninfo_url, headers=headers, timeout=5).status_code == 200
        now[0] = 60
        assert requests.get(server.tokeninfo_url, headers=headers, timeout=5).status_code == 401
    finally:
        server.stop()


def test_unknown_paths_are_404(sandbox):
    assert requests.get(sandbox.base_url + "/", timeout=5).status_code == 404
    assert requests.post(sandbox.base_url + "/other", timeout=5).status_code == 404


def test_no_client_is_a_usage_error(capsys):
    assert main(["sandbox"]) == 2
    assert "no clients" in capsys.readouterr().err


def test_a_client_without_secret_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.delenv("MTA_SFSF_SANDBOX_SECRET_MY_APP", raising=False)
    assert main(["sandbox", "--client", "my-app"]) == 2
    assert "MTA_SFSF_SANDBOX_SECRET_MY_APP" in capsys.readouterr().err


def test_a_broken_secret_file_names_its_line(tmp_path, capsys):
    secrets = tmp_path / "clients.txt"
    secrets.write_text("# clients\nok:secret-ok\nno-colon-here\n")
    assert main(["sandbox", "--secret-file", str(secrets)]) == 2
    assert f"{secrets}:3: expected client-id:secret" in capsys.readouterr().err


def test_prints_its_urls_and_stops_on_ctrl_c(tmp_path, monkeypatch, mocker, capsys):
    secrets = tmp_path / "clients.txt"
    secrets.write_text("from-file:secret-from-file\n")
    monkeypatch.setenv("MTA_SFSF_SANDBOX_SECRET_FROM_ENV", "secret-from-env")
    mocker.patch("http.server.ThreadingHTTPServer.serve_forever", side_effect=KeyboardInterrupt)
    code = main(["sandbox", "--client", "from-env", "--secret-file", str(secrets)])
    out = capsys.readouterr().out
    assert code == 0
    assert "token endpoint:  http://127.0.0.1:" in out and "/oauth2/api/v1/token" in out
    assert "clients:         from-env, from-file" in out
    assert "secret-from" not in out
    assert out.endswith("sandbox stopped\n")


def test_the_real_process_serves_and_stops_cleanly():
    env = {**os.environ, "MTA_SFSF_SANDBOX_SECRET_PROC": "secret-proc-1",
           "PYTHONPATH": str(ROOT)}
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mta_sfsf", "sandbox", "--client", "proc",
                                "--port", str(port)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        lines = [process.stdout.readline() for _ in range(2)]
        url = lines[1].split()[-1]
        assert url == f"http://127.0.0.1:{port}/oauth2/api/v1/token"
        answer = requests.post(url, auth=("proc", "secret-proc-1"), data=GRANT, timeout=5)
        assert answer.status_code == 200
        # The request is logged after its answer is sent: wait for the line before stopping.
        logged = process.stderr.readline()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
        err = logged + err
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "sandbox stopped" in out
    assert "POST /oauth2/api/v1/token 200 client=proc" in err
    assert "secret-proc-1" not in out + err and "Traceback" not in err


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_slow_client_does_not_block_others(sandbox):
    # One connection sends half a request and waits; the others must still be served at once.
    with socket.create_connection(sandbox.server.server_address) as slow:
        slow.sendall(b"POST /oauth2/api/v1/token HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n")
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda _: token(sandbox, auth=(CLIENT_ID, CLIENT_SECRET),
                                                     data=GRANT, timeout=2), range(16)))
    assert [a.status_code for a in answers] == [200] * 16
    assert len({a.json()["access_token"] for a in answers}) == 16


def test_an_idle_connection_is_closed_after_the_idle_timeout():
    server = Sandbox({"c": "secret-idle"}, idle_timeout=0.2).start()
    try:
        with socket.create_connection(server.server.server_address, timeout=3) as idle:
            started = time.monotonic()
            assert idle.recv(1) == b""  # closed by the server, not by our timeout
            assert time.monotonic() - started < 2
    finally:
        server.stop()


def test_a_request_trickling_header_lines_is_cut_off_at_the_request_deadline():
    server = Sandbox({"c": "secret-slowloris"}, idle_timeout=0.4, request_deadline=0.8).start()
    try:
        with socket.create_connection(server.server.server_address, timeout=5) as slow:
            started = time.monotonic()
            slow.sendall(b"POST /oauth2/api/v1/token HTTP/1.1\r\n")
            closed_after = None
            for n in range(40):  # a header line every 0.15 s: each within the idle timeout
                time.sleep(0.15)
                try:
                    slow.sendall(b"X-Slow-%d: 1\r\n" % n)
                except OSError:
                    closed_after = time.monotonic() - started
                    break
            assert closed_after is not None and closed_after < 2.5
    finally:
        server.stop()


def test_stop_is_prompt_with_a_kept_alive_connection_and_frees_the_port():
    server = Sandbox({"c": "secret-stop"}).start()
    address = server.server.server_address
    with requests.Session() as session:  # keeps its connection open after the answer
        assert session.post(server.token_url, auth=("c", "secret-stop"), data=GRANT,
                            timeout=2).status_code == 200
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 1
    with pytest.raises(OSError):
        socket.create_connection(address, timeout=1).close()


def test_listens_on_loopback_only_and_has_no_bind_option(capsys, monkeypatch):
    server = Sandbox({"c": "secret-bind"}, port=free_port())
    try:
        assert server.server.server_address[0] == "127.0.0.1"
        assert server.server.socket.getsockname()[0] == "127.0.0.1"
    finally:
        server.server.server_close()
    monkeypatch.setenv("MTA_SFSF_SANDBOX_SECRET_C", "secret-bind")
    for option in ("--host", "--bind", "--address", "--listen"):
        with pytest.raises(SystemExit) as caught:
            main(["sandbox", "--client", "c", option, "0.0.0.0"])
        assert caught.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_a_client_that_resets_its_connection_prints_no_traceback(capfd):
    import struct

    server = Sandbox({"c": "secret-reset"}).start()
    try:
        for _ in range(3):
            conn = socket.create_connection(server.server.server_address)
            conn.sendall(b"POST /oauth2/api/v1/token HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Length: 99\r\n\r\nab")
            # SO_LINGER 0: close with a reset, as a crashing client or a proxy timeout does.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
        time.sleep(0.2)
        assert requests.get(server.base_url + "/nothing", timeout=2).status_code == 404
    finally:
        server.stop()
    assert "Traceback" not in capfd.readouterr().err


def test_expired_tokens_do_not_pile_up():
    from mta_sfsf import secrets
    from mta_sfsf.online.sandbox import TokenStore

    now = [0.0]
    store = TokenStore(lifetime=5, clock=lambda: now[0])
    known_before = len(secrets._KNOWN)
    for _ in range(10_000):
        store.issue("c")
        now[0] += 1
    assert len(store) <= 6
    assert len(secrets._KNOWN) == known_before  # the sandbox never prints a token to redact


def test_live_tokens_are_capped_oldest_first():
    from mta_sfsf.online.sandbox import MAX_LIVE_TOKENS, TokenStore

    store = TokenStore(lifetime=3600, clock=lambda: 0.0)
    first = store.issue("c")
    for _ in range(MAX_LIVE_TOKENS):
        last = store.issue("c")
    assert len(store) == MAX_LIVE_TOKENS
    assert store.lookup(first) is None and store.lookup(last) == ("c", 3600)


def test_the_log_escapes_the_request_path():
    import io

    log = io.StringIO()
    server = Sandbox({"c": "secret-log"}, log=log).start()
    try:
        conn = socket.create_connection(server.server.server_address)
        conn.sendall(b"GET /x\x1b[2J\x9b1m\x07 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     b"\r\n")
        assert conn.recv(1024).startswith(b"HTTP/1.1 404")
        conn.close()
    finally:
        server.stop()
    assert log.getvalue() == "GET /x\\x1b[2J\\x9b1m\\x07 404 not_found\n"
