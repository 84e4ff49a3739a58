"""Which names hold a credential (the rule is documented in ``rules/literal_secrets.py``), and
the values written under such names: findings must never quote one, even when a descriptor
aliases it into a name.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Set

from .tree import YMap, YSeq

_SECRET_ENDINGS = ("password", "passwd", "pwd", "passphrase", "secret", "token", "apikey",
                   "privatekey", "secretkey", "accesskey")
_KEY_QUALIFIERS = frozenset({"api", "private", "secret", "access", "client", "signing",
                             "encryption", "master", "shared", "account", "subscription"})
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_WORDS = re.compile(r"[-_.\s]+")
_sensitive_cache: Dict[str, bool] = {}


def is_sensitive_name(name: str) -> bool:
    """Whether a parameter or property name holds a credential (rules/literal_secrets.py)."""
    cached = _sensitive_cache.get(name)
    if cached is None:
        words = [w for w in _WORDS.split(_CAMEL.sub(r"\1-\2", name).lower()) if w]
        cached = bool(words) and (_names_a_secret(words) or words[-1].endswith("s")
                                  and _names_a_secret(words[:-1] + [words[-1][:-1]]))
        if len(_sensitive_cache) < 10_000:
            _sensitive_cache[name] = cached
    return cached


def _names_a_secret(words: list) -> bool:
    return words[-1].endswith(_SECRET_ENDINGS) or (
        len(words) >= 2 and words[-1] == "key" and words[-2] in _KEY_QUALIFIERS)


def secret_values(*trees: Any) -> Set[str]:
    """Every text written under a sensitive name in ``trees``."""
    found: Set[str] = set()
    stack = list(trees)
    while stack:
        node = stack.pop()
        if isinstance(node, YMap):
            for key, value in node.items():
                if isinstance(key, str) and isinstance(value, str) and value \
                        and is_sensitive_name(key):
                    found.add(value)
                stack.append(value)
        elif isinstance(node, YSeq):
            stack.extend(node)
    return found
