"""A hostile token endpoint or app echoes the client secret back in every encoding it can think
of, in a 401 body, the status line, a redirect's Location and an event answer: verify and
simulate-event print none of it."""
from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from mta_sfsf.cli import main
from servers import scripted  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "fixtures" / "online" / "sample-plan.json"
CLIENT_ID = "fuzz-client"
ENV_ID = "MTA_SFSF_CLIENT_ID_BENEFITSEVENTS"
ENV_SECRET = "MTA_SFSF_CLIENT_SECRET_BENEFITSEVENTS"
SECRETS = ["Zm9vYmFy/c2VjcmV0+MTIz=", "gehéim-Wört-ñ9-Qx7Lp", "密码-秘密-암호-пароль-Q8",
           "Kp3:x/y?z&w=9+v%41"]


def echoes(client_id: str, secret: str) -> dict:
    """Every form of the secret a server might send back (name -> text)."""
    raw = secret.encode()
    pair = f"{client_id}:{secret}".encode()
    forms = {
        "raw": secret, "upper": secret.upper(), "spaced": " ".join(secret),
        "quote-safe-slash": quote(secret), "quote": quote(secret, safe=""),
        "quote-plus": quote_plus(secret),
        "quote-lower": re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(),
                              quote(secret, safe="")),
        "quote-twice": quote(quote(secret, safe=""), safe=""),
        "quote-pair": quote(f"{client_id}:{secret}"),
        "b64": base64.b64encode(raw).decode(), "b64-url": base64.urlsafe_b64encode(raw).decode(),
        "b64-nopad": base64.b64encode(raw).decode().rstrip("="),
        "b64-shifted": base64.b64encode(b"x" + raw).decode(),
        "b64-pair": base64.b64encode(pair).decode(),
        "b64-pair-url-nopad": base64.urlsafe_b64encode(pair).decode().rstrip("="),
        "basic-header": "Basic " + base64.b64encode(pair).decode(),
        "quote-basic": quote("Basic " + base64.b64encode(pair).decode(), safe=""),
        "hex": raw.hex(), "hex-upper": raw.hex().upper(),
        "json-u": "".join(f"\\u{ord(c):04x}" for c in secret),
        "html-dec": "".join(f"&#{ord(c)};" for c in secret),
        "html-hex": "".join(f"&#x{ord(c):x};" for c in secret),
        "html-escape": html.escape(secret),
        "replacement": raw.decode("ascii", "replace"),
        "latin1-mojibake": raw.decode("latin-1"),
        "cp1252-mojibake": raw.decode("cp1252", "replace"),
        "latin1-lossy": secret.encode("latin-1", "replace").decode("latin-1"),
        "json-of-quote": json.dumps(quote(secret))[1:-1],
    }
    return forms


def _status_line_safe(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1").replace("\r", "").replace("\n", "")


def leaks(output: str, secret: str) -> list:
    """The echo forms of ``secret`` (or 8 consecutive characters of one) found in ``output``."""
    found = []
    ours = quote(f"Basic {CLIENT_ID}:")  # the client ID itself is printed, and may be
    for name, form in echoes(CLIENT_ID, secret).items():
        for i in range(max(1, len(form) - 7)):
            window = form[i:i + 8]
            informative = sum(c.isalnum() for c in window) >= 4  # not "??-??-??"
            if len(window) == 8 and informative and window in output and window not in ours:
                found.append((name, window))
                break
    return found


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    monkeypatch.setenv(ENV_ID, CLIENT_ID)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def run(capsys, argv):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_token_endpoint_echoing_the_secret_gets_it_withheld(capsys, scripted, monkeypatch,
                                                              secret, fmt):
    monkeypatch.setenv(ENV_SECRET, secret)
    forms = list(echoes(CLIENT_ID, secret).values())
    script = []
    for form in forms:  # one token request per form: a 401 with the echo everywhere it fits
        script.append({"status": 401, "reason": _status_line_safe(form),
                       "body": {"error": form, "error_description": f"bad client {form}"}})
        script.append({"status": 302, "body": "",
                       "headers": {"Location": "https://evil.example/cb?e="
                                   + _status_line_safe(form)}})
    server = scripted(script)
    for _ in range(len(script)):
        code, output = run(capsys, ["verify", str(PLAN), "--format", fmt, "--timeout", "2",
                                    "--connection", "BenefitsEvents",
                                    "--token-url", server.url + "/token"])
        assert code == 1
        assert leaks(output, secret) == []
        assert secret not in output
    assert len(server.requests) == len(script)
    assert "(withheld: it resembles a secret)" in output


@pytest.mark.parametrize("secret", SECRETS[:2])
def test_an_app_echoing_the_secret_in_event_answers_gets_it_withheld(capsys, scripted,
                                                                     monkeypatch, secret):
    monkeypatch.setenv(ENV_SECRET, secret)
    token = scripted([{"body": {"access_token": "tok-echo-8f7e6d5c4b3a", "token_type": secret,
                                "expires_in": 60}}])
    script = [{"status": 500, "reason": _status_line_safe(form), "body": f"failed for {form}",
               "headers": {"Content-Type": "text/plain"}}
              for form in echoes(CLIENT_ID, secret).values()]
    app = scripted(script)
    for _ in script:
        code, output = run(capsys, ["simulate-event", str(PLAN), "--integration",
                                    "JobTitleChanged", "--timeout", "2", "--token-url",
                                    token.url + "/token", "--app-url", app.url])
        assert code == 1
        assert leaks(output, secret) == [] and secret not in output
        assert "tok-echo-8f7e6d5c4b3a" not in output


def test_ordinary_server_text_still_shows(capsys, scripted, monkeypatch):
    monkeypatch.setenv(ENV_SECRET, SECRETS[0])
    server = scripted([{"status": 401, "body": {"error": "invalid_client",
                                                "error_description": "Bad client credentials"}}])
    code, output = run(capsys, ["verify", str(PLAN), "--format", "text", "--timeout", "2",
                                "--connection", "BenefitsEvents", "--token-url", server.url])
    assert code == 1
    assert "(HTTP 401 (invalid_client): Bad client credentials)" in output
