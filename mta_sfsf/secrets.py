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
    """Register a value (and its encoded forms) for ``redact`` and ``resembles_secret``."""
    if not value or len(value) < 4:
        return
    from urllib.parse import quote, quote_plus  # only a run that meets a secret pays for it

    raw = value.encode("utf-8", "surrogatepass")
    forms = {value, quote(raw, safe=""), quote(raw), quote_plus(raw),
             base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()}
    with _LOCK:
        _KNOWN.update(forms)
        _VALUES.add(("", value))


def remember_basic(user: str, password: str) -> None:
    """Register the Basic ``Authorization`` form of a client ID and secret (also URL-encoded,
    as a server may echo it in a redirect's ``Location``)."""
    from urllib.parse import quote, quote_plus

    remember(password)
    basic = base64.b64encode(f"{user}:{password}".encode("utf-8", "surrogatepass")).decode()
    with _LOCK:
        _KNOWN.update({basic, quote(basic, safe=""), quote(basic), quote_plus(basic)})
        _VALUES.add((user, password))


def is_known(value: str) -> bool:
    """Whether ``value`` is a secret this run knows (a client secret, a token)."""
    with _LOCK:
        return ("", value) in _VALUES


def redact(text: str) -> str:
    """``text`` with every known secret form replaced by ``(sensitive)``; bearer tokens too."""
    with _LOCK:
        known = sorted(_KNOWN, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, REDACTED)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + REDACTED, text)
    return _CREDENTIAL.sub(lambda m: m.group(1) + " " + REDACTED, text)


# ------------------------------------------------------------------ "does this resemble a secret"
# Text a server sends is printed only if no WINDOW consecutive letters and digits of a known
# secret appear in it, in any form a server could turn the secret into. Both sides are reduced
# to a skeleton (lower case, ASCII letters and digits only; and, for secrets without ASCII
# letters, Unicode letters and digits), so that case, separators, percent signs, replacement
# characters and Latin-1 mojibake of a non-ASCII secret no longer matter. The text is decoded
# first (percent, plus, HTML and JSON escapes, base64 and hex runs), the secret encoded
# (base64 of the secret and of the Basic "id:secret", hex of its UTF-8 bytes).
WINDOW = 6
_VALUES: set = set()  # (client ID or "", secret)
_NEEDLES: dict = {}  # (client ID or "", secret) -> set of skeleton windows
_B64_RUN = re.compile(r"[A-Za-z0-9+/_-]{8,}")
_HEX_RUN = re.compile(r"[0-9A-Fa-f]{12,}")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\(.)")


def _skeletons(text: str) -> List[str]:
    folded = text.casefold()
    return [re.sub(r"[^a-z0-9]+", "", folded), "".join(c for c in folded if c.isalnum())]


def _windows(skeleton: str, size: int, start: int = 0) -> set:
    if len(skeleton) < size:
        return {skeleton} if len(skeleton) >= 4 and start == 0 else set()
    return {skeleton[i:i + size] for i in range(start, len(skeleton) - size + 1)}


def _needles(user: str, secret: str) -> set:
    raw = secret.encode("utf-8", "surrogatepass")
    found: set = set()
    if not user:
        texts = [secret, raw.decode("latin-1"), raw.decode("cp1252", "replace")]
        for text in texts:
            for skeleton in _skeletons(text):
                found |= _windows(skeleton, WINDOW)
        found |= _windows(raw.hex(), 2 * WINDOW)
        found |= _windows(_skeletons(base64.b64encode(raw).decode())[0], 8)
        return found
    # The Basic header: only the base64 windows that encode some of the secret, not the ID.
    prefix = len(f"{user}:".encode("utf-8", "surrogatepass"))
    encoded = base64.b64encode(f"{user}:".encode("utf-8", "surrogatepass") + raw).decode()
    first = max(0, (prefix * 8) // 6 - 7)
    for i in range(first, len(encoded) - 8 + 1):
        window = _skeletons(encoded[i:i + 8])[0]
        if len(window) >= 6:
            found.add(window)
    return found


def _json_unescape(text: str) -> str:
    return _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2),
                            text)


def _decodings(text: str) -> set:
    """``text`` and what it becomes when decoded the ways a server may encode an echo."""
    from html import unescape
    from urllib.parse import unquote, unquote_plus

    seen = {text}
    frontier = [text]
    for _ in range(3):  # an echo encoded twice or thrice (percent of JSON of ...)
        grown = []
        for item in frontier:
            for decoded in (unquote(item), unquote_plus(item), unescape(item),
                            _json_unescape(item)):
                if decoded not in seen and len(seen) < 64:
                    seen.add(decoded)
                    grown.append(decoded)
        frontier = grown
    for item in list(seen):
        for run in _B64_RUN.findall(item):
            for offset in range(4):
                piece = run[offset:]
                piece = piece[:len(piece) - len(piece) % 4]
                for alphabet in (b"+/", b"-_"):
                    try:
                        data = base64.b64decode(piece.replace("=", ""), altchars=alphabet)
                    except ValueError:
                        continue
                    seen.add(data.decode("utf-8", "replace"))
        for run in _HEX_RUN.findall(item):
            for offset in range(2):
                piece = run[offset:]
                seen.add(bytes.fromhex(piece[:len(piece) - len(piece) % 2]).decode(
                    "utf-8", "replace"))
    return seen


def resembles_secret(text: str) -> bool:
    """Whether ``text`` holds enough of a known secret, in any encoding, that printing it
    could give the secret away (or most of it)."""
    if not text:
        return False
    with _LOCK:
        values = list(_VALUES)
    needles: set = set()
    for key in values:
        if key not in _NEEDLES:
            _NEEDLES[key] = _needles(*key)
        needles |= _NEEDLES[key]
    if not needles:
        return False
    sizes = sorted({len(n) for n in needles})
    for decoded in _decodings(text):
        for skeleton in _skeletons(decoded):
            for size in sizes:
                for i in range(max(1, len(skeleton) - size + 1)):
                    if skeleton[i:i + size] in needles:
                        return True
    return False


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
