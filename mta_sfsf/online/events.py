"""The event a SuccessFactors integration posts, as ``verify --send-event`` and
``simulate-event`` send it: the JSON built from the integration's ``fields`` (or a payload file),
the REST API URL it goes to (the plan's, aimed at ``--app-url``), and the POST itself, sent once
and never retried, because the app may already have acted on it.
"""
from __future__ import annotations

import json
from typing import Any, Optional, Tuple
from urllib.parse import urlsplit, urlunsplit

from . import planfile
from .http import Answer, Client
from .planfile import Known, Placeholder, PlanIntegration
from ..secrets import Secret
from ..urls import is_loopback

MAX_PAYLOAD = 1024 * 1024

# Deterministic sample values for well-known SuccessFactors source fields; others get
# "sample <field>".
SAMPLE_VALUES = {
    "userId": "sfadmin", "personIdExternal": "sfadmin", "jobTitle": "Senior Benefits Analyst",
    "effectiveStartDate": "2026-01-01", "location": "Berlin", "company": "ACME_DE",
    "department": "Human Resources", "managerId": "sfmanager", "email": "sfadmin@example.com",
}


def sample_value(source: Any) -> Any:
    if isinstance(source, dict):
        if "constant" in source and len(source) == 1:
            return source["constant"]
        return {key: sample_value(value) for key, value in source.items()}
    if isinstance(source, str):
        return SAMPLE_VALUES.get(source, f"sample {source}")
    return source


def sample_event(integration: PlanIntegration) -> bytes:
    """The JSON SuccessFactors would post, built from the integration's fields."""
    event = sample_value(integration.fields or {})
    try:
        return json.dumps(event, sort_keys=True, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from the plan: JSON's own escape carries it
        return json.dumps(event, sort_keys=True).encode("ascii")


def read_payload(path: str) -> bytes:
    """The event to send instead of the sample: a JSON file, sent as its bytes."""
    return planfile.read_json(path, MAX_PAYLOAD, "SuccessFactors posts a JSON event")[0]


def aim(url: str, app_url: Optional[str]) -> str:
    """The REST API URL with its origin (and any path prefix) taken from ``--app-url``."""
    if not app_url:
        return url
    base = urlsplit(app_url)
    target = urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + target.path,
                       target.query, ""))


def rest_url(integration: PlanIntegration, app_url: Optional[str]) -> Tuple[Optional[str], str]:
    """(URL to call, why not) for an integration's destination."""
    value = integration.rest_url
    if isinstance(value, Known) and isinstance(value.value, str):
        untrusted = "" if app_url else untrusted_app_url(value.value)
        return (None, untrusted) if untrusted else (aim(value.value, app_url), "")
    if isinstance(value, Placeholder) and app_url:
        # A placeholder such as "<app URL>/api/events": keep the path after the last ">".
        tail = value.text.rsplit(">", 1)[-1]
        if tail.startswith("/"):
            return app_url.rstrip("/") + tail, ""
    return None, (f"the plan does not know the REST API URL yet ({planfile.display(value)}); "
                  "give --app-url")


def untrusted_app_url(url: str) -> str:
    """Why the plan's REST API URL ``url`` gets no request (and never a token), or "": only a
    Neo application host (``<application><subaccount>.<region host>``) or loopback, so that a
    plan changed in a pull request cannot aim events and tokens elsewhere."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""  # malformed: url_problem says so, and nothing is sent
    if not host or is_loopback(host) or planfile.neo_subdomain(host)[1]:
        return ""
    return (f"the plan's REST API URL host {host!r} is not a Neo application host "
            "(<application><subaccount>.<Neo region host>) nor a loopback address; nothing was "
            "sent there: give --app-url if the app really is there")


def post_event(client: Client, url: str, body: bytes, token: Optional[Secret]) -> Answer:
    """POST an event once: never retried, as the app may already have acted on it. Without a
    token, the probe that the endpoint refuses anonymous events."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token.reveal()}"
    return client.request("POST", url, retry=False, data=body, headers=headers)
