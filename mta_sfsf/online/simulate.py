"""``mta-sfsf simulate-event``: do what a SuccessFactors integration does when its event fires.
Obtain a token as the outbound OAuth configuration says (client credentials, HTTP Basic, POST),
then POST the JSON event to the integration's REST API URL; print status, latency and a short,
redacted excerpt of each answer.

An event POST is never retried: the app may already have acted on it. Exit 0 when every event
was accepted (2xx), 1 otherwise, 2 on usage errors.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import List, Mapping, Optional, TextIO, Tuple

from . import planfile
from ..errors import UsageError
from .credentials import Credentials, credentials, extension_data, token_failure
from .events import post_event, read_payload, rest_url, sample_event
from .http import Client, TransportError, checked_timeout, checked_url
from .planfile import LoadedPlan, PlanConnection, PlanIntegration
from ..secrets import redact
from ..urls import url_problem

MAX_COUNT = 1000


@dataclass
class SimulateOptions:
    plan: str
    integration: str
    extensions: List[str] = field(default_factory=list)
    app_url: Optional[str] = None
    token_url: Optional[str] = None
    payload: Optional[str] = None
    count: int = 1
    timeout: float = 10.0


def find(plan: LoadedPlan, name: str) -> Tuple[PlanConnection, PlanIntegration]:
    """An integration by name, or by ``connection/name`` when two connections share it."""
    wanted_conn, _, wanted = name.rpartition("/")
    matches = [(conn, integ) for conn in plan.connections for integ in conn.integrations
               if integ.name == wanted and (not wanted_conn or conn.name == wanted_conn)]
    if not matches:
        known = ", ".join(f"{c.name}/{i.name}" for c in plan.connections for i in c.integrations)
        raise UsageError(f"--integration {name}: not in {plan.path} (it has: {known or 'none'})")
    if len(matches) > 1:
        raise UsageError(f"--integration {name}: several connections have it; write "
                         "CONNECTION/INTEGRATION")
    return matches[0]


def simulate(options: SimulateOptions, out: TextIO, environ: Optional[Mapping[str, str]] = None,
             client: Optional[Client] = None) -> int:
    environ = os.environ if environ is None else environ
    if not 1 <= options.count <= MAX_COUNT:
        raise UsageError(f"--count must be between 1 and {MAX_COUNT}")
    checked_timeout(options.timeout)
    token_url = checked_url(options.token_url, "--token-url")
    app_url = checked_url(options.app_url, "--app-url")
    plan = planfile.read(options.plan)
    conn, integration = find(plan, options.integration)
    if not conn.client_credentials:
        raise UsageError(f"--integration {options.integration}: connection {conn.name} is "
                         f"{conn.type}; simulate-event supports OAuth2ClientCredentials only (a "
                         "SAML bearer token needs a user assertion from SuccessFactors)")
    body = read_payload(options.payload) if options.payload else sample_event(integration)
    url, why = rest_url(integration, app_url)
    if url is None:
        raise UsageError(why)
    problem = url_problem(url)
    if problem:
        raise UsageError(f"REST API URL {url}: {problem}")
    creds = credentials(conn, extension_data(options.extensions), token_url, environ,
                        plan.account)
    if creds.refused:
        raise UsageError(f"{creds.refused}: give --token-url if that really is the token "
                         "endpoint")
    if creds.missing:
        raise UsageError("missing " + "; ".join(creds.missing))
    assert creds.token_url and creds.client_id and creds.secret
    problem = url_problem(creds.token_url)
    if problem:
        raise UsageError(f"token URL {creds.token_url}: {problem}")
    own_client = client is None
    client = client or Client(options.timeout)
    try:
        return _deliver(client, creds, conn, url, body, options.count, out)
    finally:
        if own_client:
            client.close()


def _deliver(client: Client, creds: Credentials, conn: PlanConnection, url: str, body: bytes,
             count: int, out: TextIO) -> int:
    def say(line: str) -> None:
        out.write(redact(line) + "\n")
        out.flush()

    assert creds.token_url and creds.client_id and creds.secret
    try:
        outcome = client.fetch_token(creds.token_url, creds.client_id, creds.secret)
    except TransportError as exc:
        say(f"token: {exc.message}")
        return 1
    if not outcome.ok:
        reason, action = token_failure(outcome, creds, conn)
        say(f"token: {reason}")
        say(f"  what to do: {action}")
        return 1
    say(f"token: {outcome.answer.status} from {creds.token_url} for client ID "
        f"{creds.client_id!r} in {outcome.answer.elapsed_ms:.0f} ms")
    failures = 0
    for number in range(1, count + 1):
        try:
            answer = post_event(client, url, body, outcome.token)
        except TransportError as exc:
            failures += 1
            note = ("; not retried: the request may have reached the app"
                    if exc.may_have_arrived else "; the request did not reach the app")
            say(f"event {number}/{count}: POST {url}: {exc.message}{note}")
            continue
        if not 200 <= answer.status < 300:
            failures += 1
        excerpt = answer.excerpt()
        say(f"event {number}/{count}: POST {url} -> {answer.status} {answer.shown_reason} in "
            f"{answer.elapsed_ms:.0f} ms" + (f": {excerpt}" if excerpt else ""))
    if failures:
        say(f"{failures} of {count} event(s) not accepted (events are never retried)")
    return 1 if failures else 0


def run(options: SimulateOptions) -> int:
    return simulate(options, sys.stdout)
