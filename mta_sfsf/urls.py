"""URL rules shared by the validator and the online commands: HTTPS everywhere, plain HTTP only
for loopback addresses (local testing against a sandbox or an app on this machine).
"""
from __future__ import annotations

from typing import Optional


def is_loopback(host: str) -> bool:
    """A literal loopback address (127.0.0.0/8, ::1) or exactly ``localhost``, which the online
    commands connect to as 127.0.0.1 without asking DNS. Not ``*.localhost``: a resolver with a
    search domain (or a cluster's ``ndots``) may send such a name to a real host."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    import ipaddress  # imported when a URL is checked, not on every validate's start-up

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> Optional[str]:
    """Why ``url`` is not acceptable as an absolute endpoint, or None when it is."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a malformed port
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    del port
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "must be an absolute https:// URL"
    if parts.username or parts.password:
        return "must not carry credentials; they would be logged and stored in plain text"
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return "plain http:// is allowed only for loopback addresses (localhost, 127.0.0.1, ::1)"
    return None
