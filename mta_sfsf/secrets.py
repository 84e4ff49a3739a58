"""Secrets: a value type that never prints itself, where a secret may come from (environment or an
extension descriptor, never the command line), and a redaction registry for any text that might
echo one back (a server's error body, an exception message).
"""
from __future__ import annotations

import base64
import os
import re
import threading
from typing import Any, Iterable, List, Mapping, Optional
from urllib.parse import quote, quote_plus

REDACTED = "(sensitive)"
_KNOWN: set = set()
_LOCK = threading.Lock()  # the sandbox's threads remember tokens while others redact


class Secret:
    """A secret value; ``str``/``repr`` show ``(sensitive)``, ``reveal()`` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        remember(value)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return REDACTED

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def remember(value: str) -> None:
    """Register a value (and its encoded forms) for ``redact``."""
    if not value or len(value) < 4:
        return
    forms = {value, quote(value, safe=""), quote_plus(value),
             base64.b64encode(value.encode()).decode()}
    with _LOCK:
        _KNOWN.update(forms)


def remember_basic(user: str, password: str) -> None:
    """Register the Basic ``Authorization`` form of a client ID and secret (also URL-encoded,
    as a server may echo it in a redirect's ``Location``)."""
    remember(password)
    basic = base64.b64encode(f"{user}:{password}".encode()).decode()
    with _LOCK:
        _KNOWN.update({basic, quote(basic, safe=""), quote_plus(basic)})


def redact(text: str) -> str:
    """``text`` with every known secret form replaced by ``(sensitive)``; bearer tokens too."""
    with _LOCK:
        known = sorted(_KNOWN, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, REDACTED)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + REDACTED, text)
    return _CREDENTIAL.sub(lambda m: m.group(1) + " " + REDACTED, text)


# An Authorization header's value, whatever it is; and a Bearer/Basic credential: a token-like
# word (12+ characters, a digit among them), so that prose such as "SAML Bearer Assertion" stays.
_AUTH_HEADER = re.compile(r"(?i)(\bauthorization[\"']?\s*[:=]\s*[\"']?(?:bearer|basic)\s+)[^\s\"',}]+")
_CREDENTIAL = re.compile(r"(?i)\b(bearer|basic)\s+(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{12,}")


def env_name(kind: str, connection: str) -> str:
    """``env_name("CLIENT_SECRET", "Benefits-Events")`` -> ``MTA_SFSF_CLIENT_SECRET_BENEFITS_EVENTS``."""
    return f"MTA_SFSF_{kind}_" + re.sub(r"[^A-Z0-9]", "_", connection.upper())


def walk(data: Any, locator: Iterable[Any]) -> Any:
    """Follow a locator: a string is a map key, ``{"name": n}`` the list element named ``n``."""
    for step in locator:
        if isinstance(step, dict):
            if not isinstance(data, list):
                return None
            data = next((item for item in data if isinstance(item, dict)
                         and item.get("name") == step.get("name")), None)
        elif isinstance(data, dict):
            data = data.get(step)
        else:
            return None
        if data is None:
            return None
    return data


def resolve(ref: Mapping[str, Any], extension_data: List[Any],
            environ: Optional[Mapping[str, str]] = None) -> Optional[Secret]:
    """The value a plan's secret reference points to: its environment variable first (a CI
    secret store), then the extension descriptors, the last in the chain winning."""
    environ = os.environ if environ is None else environ
    name = ref.get("env")
    if name and environ.get(name):
        return Secret(environ[name])
    locator = ref.get("locator")
    if locator:
        for data in reversed(extension_data):
            value = walk(data, locator)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                return Secret(str(value))
    return None
