"""The Secret type and redaction: a secret never prints, ordinary words survive redaction."""
from __future__ import annotations

import base64

from mta_sfsf.secrets import REDACTED, Secret, env_name, redact, remember_basic, resolve


def test_secret_never_prints_itself():
    secret = Secret("s3cr3t-value-XYZ")
    assert str(secret) == repr(secret) == REDACTED
    assert f"{secret}" == REDACTED and "s3cr3t" not in repr([secret])
    assert secret.reveal() == "s3cr3t-value-XYZ"


def test_redact_known_values_in_every_encoding():
    Secret("p@ss word/1")
    remember_basic("client-1", "p@ss word/1")
    basic = base64.b64encode(b"client-1:p@ss word/1").decode()
    text = f"raw p@ss word/1 url p%40ss%20word%2F1 plus p%40ss+word%2F1 basic {basic}"
    assert "p@ss" not in redact(text) and "p%40ss" not in redact(text)
    assert basic not in redact(text)


def test_redact_bearer_tokens_but_not_prose():
    assert redact("Authorization: Bearer 3f9a8b7c6d5e4f3a2b1c") == f"Authorization: Bearer {REDACTED}"
    assert redact("header Basic Y2xpZW50OnNlY3JldA==") == f"header Basic {REDACTED}"
    prose = "SAML 2.0 Bearer Assertion and HTTP Basic authentication are documented"
    assert redact(prose) == prose


def test_env_name_and_resolution_order():
    assert env_name("CLIENT_SECRET", "Benefits-Events.1") == "MTA_SFSF_CLIENT_SECRET_BENEFITS_EVENTS_1"
    ref = {"env": "MTA_SFSF_CLIENT_SECRET_X",
           "locator": ["resources", {"name": "creds"}, "properties", "client-secret"]}
    first = {"resources": [{"name": "creds", "properties": {"client-secret": "from-first"}}]}
    last = {"resources": [{"name": "creds", "properties": {"client-secret": "from-last"}}]}
    assert resolve(ref, [first, last], {}).reveal() == "from-last"
    assert resolve(ref, [first, last], {"MTA_SFSF_CLIENT_SECRET_X": "from-env"}).reveal() == "from-env"
    assert resolve(ref, [{"resources": "oops"}], {}) is None


def test_basic_credentials_are_redacted_url_encoded_too():
    from urllib.parse import quote

    remember_basic("client-9", "pw+/=9xyz")
    basic = base64.b64encode(b"client-9:pw+/=9xyz").decode()
    assert "Y2xp" not in redact(f"Location: /x?echo={quote(basic, safe='')}")


def test_redaction_while_other_threads_remember_values(monkeypatch):
    import threading

    from mta_sfsf import secrets

    monkeypatch.setattr(secrets, "_KNOWN", set())  # leave the registry as it was afterwards
    stop = threading.Event()

    def remember_many():
        n = 0
        while not stop.is_set() and n < 20000:
            Secret(f"token-{n:08d}-value")
            n += 1

    worker = threading.Thread(target=remember_many)
    worker.start()
    try:
        for _ in range(200):  # a set changing size while being read would raise here
            assert redact("nothing secret here") == "nothing secret here"
    finally:
        stop.set()
        worker.join()
    assert redact("x token-00000001-value") == "x (sensitive)"


def test_text_resembling_a_secret_in_any_encoding(monkeypatch):
    from urllib.parse import quote

    from mta_sfsf import secrets

    monkeypatch.setattr(secrets, "_VALUES", set())
    secrets.remember_basic("some-client", "Q7x/Lp+9zW=kR2")
    secret = "Q7x/Lp+9zW=kR2"
    for echo in (secret, quote(f"some-client:{secret}"), secret.lower(), "Q7x Lp 9zW",
                 base64.b64encode(b"some-client:" + secret.encode()).decode()[8:],
                 base64.b64encode(b"??" + secret.encode()).decode(), secret.encode().hex(),
                 "".join(f"&#{ord(c)};" for c in secret), "\\u0051\\u0037x/Lp+9z"):
        assert secrets.resembles_secret(f"bad credentials: {echo}"), echo
    for prose in ("Bad client credentials", "invalid_client", "some-client is unknown",
                  "HTTP 401 Unauthorized", "Q7x"):
        assert not secrets.resembles_secret(prose), prose
    assert secrets.is_known(secret) and not secrets.is_known("some-client")
