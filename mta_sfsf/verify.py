"""``mta-sfsf verify``: prove that the wiring a plan describes works, by making the calls
SuccessFactors will make. Every step of every connection gets one verdict:

- ``verified``: the check made the real call and got the answer a working setup gives;
- ``failed``: it did not (the reason and what to do are printed);
- ``not checkable``: no documented endpoint can confirm it (an outbound OAuth configuration
  lives inside SuccessFactors); the values it must hold are printed, to compare by eye.

Exit 0 when everything checkable is verified, 1 when a check failed, 2 on usage errors.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, TextIO, Tuple
from urllib.parse import urlsplit, urlunsplit

from . import planfile
from .errors import InputError, UsageError
from .http import Answer, Client, TokenOutcome, TransportError
from .planfile import Connection, Integration, Known, Placeholder, Plan, SecretRef
from .secrets import Secret, env_name, redact, resolve
from .urls import url_problem

VERIFIED, FAILED, NOT_CHECKABLE = "verified", "failed", "not checkable"
PLATFORM_ID_ENV = "MTA_SFSF_PLATFORM_CLIENT_ID"
PLATFORM_SECRET_ENV = "MTA_SFSF_PLATFORM_CLIENT_SECRET"
MAX_PAYLOAD = 1024 * 1024

# Deterministic sample values for well-known SuccessFactors source fields; others get
# "sample <field>".
SAMPLE_VALUES = {
    "userId": "sfadmin", "personIdExternal": "sfadmin", "jobTitle": "Senior Benefits Analyst",
    "effectiveStartDate": "2026-01-01", "location": "Berlin", "company": "ACME_DE",
    "department": "Human Resources", "managerId": "sfmanager", "email": "sfadmin@example.com",
}


@dataclass
class VerifyOptions:
    plan: str
    extensions: List[str] = field(default_factory=list)
    connections: List[str] = field(default_factory=list)
    token_url: Optional[str] = None
    app_url: Optional[str] = None
    send_event: bool = False
    payload: Optional[str] = None
    timeout: float = 10.0
    format: str = "text"
    platform_url: Optional[str] = None


@dataclass
class Verdict:
    step: str
    kind: str
    title: str
    status: str
    reason: str = ""
    action: str = ""
    values: Dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"step": self.step, "kind": self.kind, "title": self.title, "verdict": self.status,
                "reason": self.reason, "action": self.action, "values": self.values}


# ---------------------------------------------------------------- shared with simulate-event

def extension_data(paths: List[str]) -> List[Any]:
    """The parsed trees of the extension descriptors, in the order given."""
    from .descriptor import read_document

    trees = []
    for path in paths:
        document, problems = read_document(path)
        if document.data is None:
            first = problems[0] if problems else None
            detail = f": {first.message} (line {first.line})" if first else ""
            raise InputError(f"{path}: cannot read the extension descriptor{detail}")
        trees.append(document.data)
    return trees


def checked_timeout(seconds: float) -> None:
    if not 0 < seconds <= 600:
        raise UsageError("--timeout must be more than 0 and at most 600 seconds")


def checked_url(value: Optional[str], option: str) -> Optional[str]:
    if value is None:
        return None
    problem = url_problem(value)
    if problem:
        raise UsageError(f"{option} {value}: {problem}")
    return value.rstrip("/") if option == "--app-url" else value


def aim(url: str, app_url: Optional[str]) -> str:
    """The REST API URL with its origin (and any path prefix) taken from ``--app-url``."""
    if not app_url:
        return url
    base = urlsplit(app_url)
    target = urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + target.path,
                       target.query, ""))


def rest_url(integration: Integration, app_url: Optional[str]) -> Tuple[Optional[str], str]:
    """(URL to call, why not) for an integration's destination."""
    value = integration.rest_url
    if isinstance(value, Known) and isinstance(value.value, str):
        return aim(value.value, app_url), ""
    if isinstance(value, Placeholder) and app_url:
        # A placeholder such as "<app URL>/api/events": keep the path after the last ">".
        tail = value.text.rsplit(">", 1)[-1]
        if tail.startswith("/"):
            return app_url + tail, ""
    return None, (f"the plan does not know the REST API URL yet ({planfile.display(value)}); "
                  "give --app-url")


@dataclass
class Credentials:
    token_url: Optional[str]
    client_id: Optional[str]
    secret: Optional[Secret]
    missing: List[str]


def credentials(conn: Connection, trees: List[Any], token_url: Optional[str],
                environ: Optional[Mapping[str, str]] = None) -> Credentials:
    """What SuccessFactors will send to the token endpoint, from the plan, the extension
    descriptors and the environment; ``missing`` says what is not found and where to put it."""
    environ = os.environ if environ is None else environ
    missing = []
    url = token_url
    if url is None:
        if isinstance(conn.token_url, Known) and isinstance(conn.token_url.value, str):
            url = conn.token_url.value
        else:
            missing.append(f"the token URL ({planfile.display(conn.token_url)}): give --token-url")
    client_id: Optional[str] = None
    id_env = env_name("CLIENT_ID", conn.name)
    if isinstance(conn.client_id, Placeholder) and conn.client_id.env:
        id_env = conn.client_id.env
    if isinstance(conn.client_id, Known) and conn.client_id.value not in (None, ""):
        client_id = str(conn.client_id.value)
    elif isinstance(conn.client_id, SecretRef):
        found = resolve(conn.client_id.ref, trees, environ)
        client_id = found.reveal() if found else None
    if client_id is None and environ.get(id_env):
        client_id = environ[id_env]
    if client_id is None:
        missing.append(f"the client ID, which SAP BTP generates: set {id_env}")
    secret: Optional[Secret] = None
    secret_env = env_name("CLIENT_SECRET", conn.name)
    if isinstance(conn.client_secret, SecretRef):
        secret = resolve(conn.client_secret.ref, trees, environ)
    if isinstance(conn.client_secret, SecretRef) and conn.client_secret.ref.get("env"):
        secret_env = str(conn.client_secret.ref["env"])
    if secret is None and environ.get(secret_env):
        secret = Secret(environ[secret_env])
    if secret is None:
        ref = conn.client_secret.ref if isinstance(conn.client_secret, SecretRef) else {}
        if ref.get("locator"):
            missing.append(f"the client secret: set {secret_env} or pass the extension "
                           "descriptor that holds it (-e) at "
                           + planfile.format_locator(ref["locator"]))
        else:
            by = f" (generated by {ref['generated_by']})" if ref.get("generated_by") else ""
            missing.append(f"the client secret{by}: set {secret_env}")
    return Credentials(url, client_id, secret, missing)


def sample_value(source: Any) -> Any:
    if isinstance(source, dict):
        if "constant" in source and len(source) == 1:
            return source["constant"]
        return {key: sample_value(value) for key, value in source.items()}
    if isinstance(source, str):
        return SAMPLE_VALUES.get(source, f"sample {source}")
    return source


def sample_event(integration: Integration) -> bytes:
    """The JSON SuccessFactors would post, built from the integration's fields."""
    event = sample_value(integration.fields or {})
    return json.dumps(event, sort_keys=True, ensure_ascii=False).encode("utf-8")


def read_payload(path: str) -> bytes:
    """The event to send instead of the sample: a JSON file, sent as its bytes."""
    return planfile.read_json(path, MAX_PAYLOAD, "SuccessFactors posts a JSON event")[0]


def post_event(client: Client, url: str, body: bytes, token: Optional[Secret]) -> Answer:
    """POST an event once: never retried, as the app may already have acted on it."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token.reveal()}"
    return client.request("POST", url, retry=False, data=body, headers=headers)


def token_failure(outcome: TokenOutcome, creds: Credentials, conn: Connection) -> Tuple[str, str]:
    """(reason, what to do) for a token endpoint that issued no token."""
    answer = outcome.answer
    code = f" ({outcome.error})" if outcome.error else ""
    said = f": {outcome.description}" if outcome.description else ""
    subaccount = _subaccount_of(creds.token_url or "")
    if answer.status == 401 or outcome.error in ("invalid_client", "unauthorized_client"):
        reason = (f"the token endpoint rejected client ID {creds.client_id!r} with this secret "
                  f"(HTTP {answer.status}{code}{said})")
        action = ("one of these applies: the client ID is unknown in this subaccount (check "
                  "Security > OAuth > Clients); the secret differs from the one SuccessFactors "
                  "will use (the one in -e or " + env_name("CLIENT_SECRET", conn.name) + "); the "
                  "client's Authorization Grant is not Client Credentials; the token URL names "
                  "the wrong subaccount" + (f" (it names {subaccount!r})" if subaccount else ""))
        return reason, action
    if outcome.error in ("unsupported_grant_type", "invalid_grant", "invalid_scope"):
        return (f"the token endpoint refused the client-credentials grant (HTTP {answer.status}"
                f"{code}{said})", "set the OAuth client's Authorization Grant to Client "
                "Credentials in SAP BTP (Security > OAuth > Clients)")
    if answer.status == 404:
        return ("no token endpoint at this URL (HTTP 404)", "copy the Token Endpoint from the "
                "cockpit (Security > OAuth > Branding > OAuth URLs) and check host and subaccount")
    if 300 <= answer.status < 400:
        return (f"the token URL redirects (HTTP {answer.status} to "
                f"{answer.headers.get('Location', '?')})", "use the Token Endpoint exactly as "
                "the cockpit shows it")
    if 200 <= answer.status < 300:
        return (f"HTTP {answer.status} without an access_token: this URL is not an OAuth token "
                "endpoint", "copy the Token Endpoint from the cockpit")
    retried = f" after {answer.attempts} attempts" if answer.attempts > 1 else ""
    return (f"the token endpoint answered HTTP {answer.status}{code}{retried}{said}",
            "try again later; if it persists, check the SAP BTP status page")


def _subaccount_of(token_url: str) -> str:
    host = urlsplit(token_url).hostname or ""
    first = host.split(".", 1)[0]
    return first[len("oauthasservices-"):] if first.startswith("oauthasservices-") else ""


# ---------------------------------------------------------------- the checks

class Verifier:
    def __init__(self, plan: Plan, options: VerifyOptions, client: Client, trees: List[Any],
                 environ: Mapping[str, str]) -> None:
        self.plan = plan
        self.options = options
        self.client = client
        self.trees = trees
        self.environ = environ
        self.payload = read_payload(options.payload) if options.payload else None

    def connection(self, conn: Connection) -> List[Verdict]:
        verdicts: List[Verdict] = []
        token: Optional[Secret] = None
        token_problem = "the plan has no btp-oauth-client step for this connection"
        for step in conn.steps:
            kind = step["kind"]
            if kind == "btp-oauth-client" and conn.client_credentials:
                verdict, token = self.oauth_client(conn, step)
                token_problem = "" if token else f"no token (see {step['id']})"
                verdicts.append(verdict)
            elif kind == "sfsf-integration":
                integration = next(i for i in conn.integrations if i.step is step)
                verdicts.append(self.integration(conn, integration, token, token_problem))
            else:
                verdicts.append(self.not_checkable(conn, step))
        return verdicts

    def _verdict(self, step: Dict[str, Any], status: str, reason: str = "", action: str = "",
                 values: Optional[Dict[str, str]] = None) -> Verdict:
        return Verdict(step["id"], step["kind"], str(step.get("title") or step["kind"]), status,
                       redact(reason), redact(action), values or {})

    def not_checkable(self, conn: Connection, step: Dict[str, Any]) -> Verdict:
        why = {
            "sfsf-outbound-oauth-config": "SuccessFactors has no documented API to read outbound "
                                          "OAuth configurations; compare these values by eye",
            "btp-oauth-client": "a SAML bearer client needs a user assertion from SuccessFactors; "
                                "compare these values by eye",
        }.get(step["kind"], "no documented endpoint can confirm this step; compare these values")
        values = planfile.step_values(self.plan, step)
        if step["kind"] == "sfsf-outbound-oauth-config" and isinstance(
                conn.client_id, Placeholder) and "Client ID" in values:
            known = credentials(conn, self.trees, None, self.environ).client_id
            if known:
                values["Client ID"] = f"{known} (from {env_name('CLIENT_ID', conn.name)})"
        return self._verdict(step, NOT_CHECKABLE, why, values=values)

    def oauth_client(self, conn: Connection, step: Dict[str, Any]
                     ) -> Tuple[Verdict, Optional[Secret]]:
        creds = credentials(conn, self.trees, self.options.token_url, self.environ)
        if creds.missing:
            return self._verdict(step, FAILED, "cannot check: missing " + "; ".join(creds.missing),
                                 "provide the missing values and run verify again"), None
        assert creds.token_url and creds.client_id and creds.secret
        problem = url_problem(creds.token_url)
        if problem:
            return self._verdict(step, FAILED, f"the token URL {creds.token_url} {problem}",
                                 "fix token-url in the descriptor, or give --token-url"), None
        try:
            outcome = self.client.fetch_token(creds.token_url, creds.client_id, creds.secret)
        except TransportError as exc:
            return self._verdict(step, FAILED, f"token request failed: {exc.message}",
                                 "check the token URL, the network and proxy settings"), None
        if outcome.ok:
            life = f", expires in {outcome.expires_in} s" if outcome.expires_in is not None else ""
            return self._verdict(step, VERIFIED, f"{creds.token_url} issued a {outcome.token_type} "
                                 f"token to client ID {creds.client_id!r}{life}: the client "
                                 "exists, the grant is enabled and the secret is the one "
                                 "SuccessFactors will use"), outcome.token
        reason, action = token_failure(outcome, creds, conn)
        return self._verdict(step, FAILED, reason, action), None

    def integration(self, conn: Connection, integration: Integration, token: Optional[Secret],
                    token_problem: str) -> Verdict:
        step = integration.step
        url, why = rest_url(integration, self.options.app_url)
        if url is None:
            return self._verdict(step, FAILED, "cannot check: " + why, "give --app-url")
        problem = url_problem(url)
        if problem:
            return self._verdict(step, FAILED, f"the REST API URL {url} {problem}",
                                 "fix the integration's endpoint in the descriptor")
        # Without a token the body does not matter: an empty object, so that an unprotected
        # endpoint does not act on a fake event.
        try:
            answer = post_event(self.client, url, b"{}", None)
        except TransportError as exc:
            return self._verdict(step, FAILED, f"{url}: {exc.message}",
                                 "check that the application is deployed and started")
        if answer.status in (401, 403):
            refused = f"{url} refuses events without a token (HTTP {answer.status})"
        elif 200 <= answer.status < 300:
            return self._verdict(step, FAILED, f"{url} accepted an event without a token (HTTP "
                                 f"{answer.status}): the endpoint is not protected",
                                 "protect the endpoint with OAuth (login method OAUTH in web.xml); "
                                 "SAP requires an OAuth-protected app for integrations")
        elif 300 <= answer.status < 400:
            return self._verdict(step, FAILED, f"{url} redirects events without a token (HTTP "
                                 f"{answer.status} to {answer.headers.get('Location', '?')}): a "
                                 "browser login protects it, not OAuth",
                                 "protect the endpoint with the OAUTH login method; SuccessFactors "
                                 "cannot follow a login page")
        elif answer.status == 404:
            return self._verdict(step, FAILED, f"{url}: no such endpoint (HTTP 404)",
                                 "check the integration's endpoint path and that the application "
                                 "is deployed and started")
        else:
            return self._verdict(step, FAILED, f"{url} answered HTTP {answer.status} to an event "
                                 f"without a token: {answer.excerpt(120)}",
                                 "expected 401 or 403; check the application's logs")
        if not self.options.send_event:
            return self._verdict(step, VERIFIED, refused + "; delivery with a token not tried "
                                 "(add --send-event)")
        if not conn.client_credentials:
            return self._verdict(step, VERIFIED, refused + "; delivery with a token is not "
                                 "checkable for a SAML connection")
        if token is None:
            return self._verdict(step, FAILED, f"{refused}, but the sample event could not be "
                                 f"sent: {token_problem}", "fix the OAuth client first")
        body = self.payload if self.payload is not None else sample_event(integration)
        try:
            answer = post_event(self.client, url, body, token)
        except TransportError as exc:
            note = (" (not retried: the request may have reached the app)"
                    if exc.may_have_arrived else "")
            return self._verdict(step, FAILED, f"sending the sample event: {exc.message}{note}",
                                 "check the application's logs before sending again")
        if 200 <= answer.status < 300:
            return self._verdict(step, VERIFIED, f"{refused} and accepted the sample event with a "
                                 f"token (HTTP {answer.status}, sent once)")
        if answer.status in (401, 403):
            return self._verdict(step, FAILED, f"{url} rejected a valid token (HTTP "
                                 f"{answer.status}, sent once, not retried)",
                                 "subscribe the OAuth client to this application in SAP BTP and "
                                 "check the role the endpoint requires")
        return self._verdict(step, FAILED, f"{url} answered HTTP {answer.status} to the sample "
                             f"event (sent once, not retried): {answer.excerpt(120)}",
                             "check the application's logs; the event format may not match")

    def application_state(self, application: str) -> Optional[Verdict]:
        """The Java application's state through the Java ALM API, when a platform API client is
        configured in the environment."""
        client_id = self.environ.get(PLATFORM_ID_ENV)
        secret_value = self.environ.get(PLATFORM_SECRET_ENV)
        if not client_id or not secret_value or not application:
            return None
        step = {"id": f"application/{application}", "kind": "java-app-state",
                "title": "Java application is started"}
        base = self.options.platform_url or (f"https://api.{self.plan.host}"
                                             if self.plan.host else None)
        if not base or not self.plan.account:
            return self._verdict(step, FAILED, "cannot check: the plan has no landscape host "
                                 "and account", "write the plan with --host and --account")
        base = base.rstrip("/")
        problem = url_problem(base)
        if problem:
            return self._verdict(step, FAILED, f"the platform API URL {base} {problem}")
        try:
            outcome = self.client.cached_token(f"{base}/oauth2/apitoken/v1", client_id,
                                               Secret(secret_value), grant_in_query=True)
            if not outcome.ok:
                return self._verdict(step, FAILED, f"the platform API token endpoint answered "
                                     f"HTTP {outcome.answer.status}",
                                     f"check {PLATFORM_ID_ENV} and {PLATFORM_SECRET_ENV}")
            assert outcome.token is not None
            answer = self.client.request(
                "GET", f"{base}/lifecycle/v1/accounts/{self.plan.account}/apps/{application}/state",
                retry=True, headers={"Authorization": f"Bearer {outcome.token.reveal()}",
                                     "Accept": "application/json"})
        except TransportError as exc:
            return self._verdict(step, FAILED, f"Java ALM API: {exc.message}")
        body = answer.json()
        entity = body.get("entity") if isinstance(body, dict) else None
        state = entity.get("applicationState") if isinstance(entity, dict) else None
        if answer.status == 200 and state == "STARTED":
            return self._verdict(step, VERIFIED, f"application {application!r} is STARTED")
        if answer.status == 200:
            return self._verdict(step, FAILED, f"application {application!r} is {state}",
                                 f"start it: neo start -a {self.plan.account} -b {application} "
                                 f"-h {self.plan.host}")
        if answer.status == 404:
            return self._verdict(step, FAILED, f"no application {application!r} in subaccount "
                                 f"{self.plan.account!r} (HTTP 404)", "deploy the MTA first")
        return self._verdict(step, FAILED, f"Java ALM API answered HTTP {answer.status}",
                             "the platform API client needs the Lifecycle Management scopes"
                             if answer.status in (401, 403) else "try again later")


# ---------------------------------------------------------------- reporting

def _write_text(results: List[Tuple[str, List[Verdict]]], out: TextIO) -> None:
    for name, verdicts in results:
        out.write(f"{name}\n")
        for v in verdicts:
            out.write(f"  {v.status:<13} {v.step}  ({v.title})\n")
            if v.reason:
                out.write(f"                {v.reason}\n")
            if v.action:
                out.write(f"                what to do: {v.action}\n")
            for label, value in v.values.items():
                out.write(f"                {label}: {value}\n")


def _escape(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _write_github(results: List[Tuple[str, List[Verdict]]], out: TextIO) -> None:
    for _, verdicts in results:
        for v in verdicts:
            level = {"failed": "error", "verified": "notice"}.get(v.status, "warning")
            text = v.reason + (f" What to do: {v.action}" if v.action else "")
            if v.values:
                text += " Values: " + "; ".join(f"{k}: {val}" for k, val in v.values.items())
            title = f"{v.status}: {v.step}".replace(",", "%2C").replace(":", "%3A")
            out.write(f"::{level} title={title}::{_escape(text)}\n")


def counts(results: List[Tuple[str, List[Verdict]]]) -> Dict[str, int]:
    tally = {VERIFIED: 0, FAILED: 0, NOT_CHECKABLE: 0}
    for _, verdicts in results:
        for v in verdicts:
            tally[v.status] += 1
    return tally


def report(results: List[Tuple[str, List[Verdict]]], fmt: str, out: TextIO, err: TextIO) -> None:
    tally = counts(results)
    if fmt == "json":
        document = {"connections": [{"name": name, "steps": [v.as_dict() for v in verdicts]}
                                    for name, verdicts in results],
                    "summary": {"verified": tally[VERIFIED], "failed": tally[FAILED],
                                "not_checkable": tally[NOT_CHECKABLE]}}
        out.write(redact(json.dumps(document, indent=2, ensure_ascii=False)) + "\n")
    else:
        from io import StringIO

        buffer = StringIO()
        (_write_github if fmt == "github" else _write_text)(results, buffer)
        out.write(redact(buffer.getvalue()))
    err.write(f"{tally[VERIFIED]} verified, {tally[FAILED]} failed, "
              f"{tally[NOT_CHECKABLE]} not checkable\n")


def check(options: VerifyOptions, environ: Optional[Mapping[str, str]] = None,
          client: Optional[Client] = None) -> List[Tuple[str, List[Verdict]]]:
    """Run every check; the library entry point (no printing)."""
    environ = os.environ if environ is None else environ
    checked_timeout(options.timeout)
    options.token_url = checked_url(options.token_url, "--token-url")
    options.app_url = checked_url(options.app_url, "--app-url")
    if options.platform_url:
        checked_url(options.platform_url, "--platform-url")
    plan = planfile.read(options.plan)
    chosen = [plan.connection(name) for name in options.connections] or plan.connections
    trees = extension_data(options.extensions)
    own_client = client is None
    client = client or Client(options.timeout)
    try:
        verifier = Verifier(plan, options, client, trees, environ)
        results = [(conn.name, verifier.connection(conn)) for conn in chosen]
        apps = []
        for conn in chosen:
            if conn.application and conn.application not in apps:
                apps.append(conn.application)
        states = [v for v in (verifier.application_state(app) for app in apps) if v]
        if states:
            results.append(("applications", states))
        return results
    finally:
        if own_client:
            client.close()


def run(options: VerifyOptions) -> int:
    results = check(options)
    report(results, options.format or "text", sys.stdout, sys.stderr)
    return 1 if counts(results)[FAILED] else 0
