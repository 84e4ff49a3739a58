"""``mta-sfsf verify``: prove that the wiring a plan describes works, by making the calls
SuccessFactors will make. Every step of every connection gets one verdict (``verdicts.py``):

- ``verified``: the check made the real call and got the answer a working setup gives;
- ``failed``: it did not (the reason and what to do are printed);
- ``not checkable``: no documented endpoint can confirm it (an outbound OAuth configuration
  lives inside SuccessFactors); the values it must hold are printed, to compare by eye.

Exit 0 when everything checkable is verified, 1 when a check failed, 4 when nothing was verified
(every step not checkable: nothing was proven), 2 on usage errors.
"""
from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import quote

from . import planfile
from .credentials import client_id_source, credentials, extension_data, token_failure
from .events import post_event, read_payload, rest_url, sample_event
from .http import Client, TransportError, checked_timeout, checked_url, server_text
from ..expand.landscape import is_known_host
from .planfile import LoadedPlan, PlanConnection, PlanIntegration
from ..secrets import Secret, env_name, redact
from ..urls import url_problem
from .verdicts import FAILED, NOT_CHECKABLE, VERIFIED, Results, Verdict, exit_status, report

PLATFORM_ID_ENV = "MTA_SFSF_PLATFORM_CLIENT_ID"
PLATFORM_SECRET_ENV = "MTA_SFSF_PLATFORM_CLIENT_SECRET"


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


class Verifier:
    """The checks of one run; each method returns the verdict of one step."""

    def __init__(self, plan: LoadedPlan, options: VerifyOptions, client: Client, trees: List[Any],
                 environ: Mapping[str, str]) -> None:
        self.plan = plan
        self.options = options
        self.client = client
        self.trees = trees
        self.environ = environ
        self.payload = read_payload(options.payload) if options.payload else None

    def check_connection(self, conn: PlanConnection) -> List[Verdict]:
        verdicts: List[Verdict] = []
        token: Optional[Secret] = None
        token_problem = "the plan has no btp-oauth-client step for this connection"
        for step in conn.steps:
            kind = step["kind"]
            if kind == "btp-oauth-client" and conn.client_credentials:
                unknown = self.deployer_client(conn, step)
                if unknown:
                    verdicts.append(unknown)
                    token_problem = f"the deployer's client is not known (see {step['id']})"
                    continue
                verdict, token = self.check_oauth_client(conn, step)
                token_problem = "" if token else f"no token (see {step['id']})"
                verdicts.append(verdict)
            elif kind == "sfsf-integration":
                integration = next(i for i in conn.integrations if i.step is step)
                verdicts.append(self.check_integration(conn, integration, token, token_problem))
            else:
                verdicts.append(self.not_checkable(conn, step))
        return verdicts

    def _verdict(self, step: Dict[str, Any], status: str, reason: str = "", action: str = "",
                 values: Optional[Dict[str, str]] = None) -> Verdict:
        return Verdict(step["id"], step["kind"], str(step.get("title") or step["kind"]), status,
                       redact(reason), redact(action), values or {})

    def not_checkable(self, conn: PlanConnection, step: Dict[str, Any]) -> Verdict:
        why = {
            "sfsf-outbound-oauth-config": "SuccessFactors has no documented API to read outbound "
                                          "OAuth configurations; compare these values by eye",
            "btp-oauth-client": "a SAML bearer client needs a user assertion from SuccessFactors; "
                                "compare these values by eye",
        }.get(step["kind"], "no documented endpoint can confirm this step; compare these values")
        values = planfile.step_values(self.plan, step)
        if step["kind"] == "sfsf-outbound-oauth-config" and "Client ID" in values:
            values["Client ID"] = client_id_source(conn, self.trees, self.environ) \
                or values["Client ID"]
        return self._verdict(step, NOT_CHECKABLE, why, values=values)

    def deployer_client(self, conn: PlanConnection, step: Dict[str, Any]) -> Optional[Verdict]:
        """Not checkable: a client the Neo deployer registered, unless the environment names its
        ID and secret. Its secret is in no file of the user's, and SAP documents no way to read
        the secret of a client it did not let you define."""
        if step.get("performed_by") != "neo-deployer":
            return None
        id_env, secret_env = env_name("CLIENT_ID", conn.name), env_name("CLIENT_SECRET", conn.name)
        if self.environ.get(id_env) and self.environ.get(secret_env):
            return None
        return self._verdict(
            step, NOT_CHECKABLE, "the Neo deployer registered this client, so its secret is not "
            "in your files, and SAP documents no way to read a generated secret",
            f"to check it, put the client's ID in {id_env} (the cockpit lists the client under "
            f"Security > OAuth > Clients) and its secret in {secret_env}, if you know it, and run "
            "verify again", values=planfile.step_values(self.plan, step))

    def check_oauth_client(self, conn: PlanConnection, step: Dict[str, Any]
                           ) -> Tuple[Verdict, Optional[Secret]]:
        creds = credentials(conn, self.trees, self.options.token_url, self.environ,
                            self.plan.account)
        if creds.refused:
            return self._verdict(step, FAILED, creds.refused,
                                 "check the plan's token URL; if that host really is the token "
                                 "endpoint, give it with --token-url"), None
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

    def check_integration(self, conn: PlanConnection, integration: PlanIntegration,
                          token: Optional[Secret], token_problem: str) -> Verdict:
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
                                 f"{answer.status} to {answer.location}): a "
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

    def check_application_state(self, application: str) -> Optional[Verdict]:
        """The Java application's state through the Java ALM API, when a platform API client is
        configured in the environment."""
        client_id = self.environ.get(PLATFORM_ID_ENV)
        secret_value = self.environ.get(PLATFORM_SECRET_ENV)
        if not client_id or not secret_value or not application:
            return None
        step = {"id": f"application/{application}", "kind": "java-app-state",
                "title": "Java application is started"}
        host = self.plan.host.lower()
        if not self.options.platform_url and host and not is_known_host(host):
            # The platform API client may manage every app of the subaccount: its secret goes
            # only to SAP's own hosts unless the user names another with --platform-url.
            return self._verdict(step, NOT_CHECKABLE, f"the plan's landscape host {host!r} is "
                                 "not a Neo region host; the platform API client's secret is "
                                 "sent only to api.<Neo region host>",
                                 "give --platform-url to check the application's state there")
        base = self.options.platform_url or (f"https://api.{host}" if host else None)
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
            # Not retried: only the token request is (the README's promise).
            answer = self.client.request(
                "GET", f"{base}/lifecycle/v1/accounts/{quote(self.plan.account, safe='')}"
                f"/apps/{quote(application, safe='')}/state",
                retry=False, headers={"Authorization": f"Bearer {outcome.token.reveal()}",
                                     "Accept": "application/json"})
        except TransportError as exc:
            return self._verdict(step, FAILED, f"Java ALM API: {exc.message}")
        body = answer.json()
        entity = body.get("entity") if isinstance(body, dict) else None
        state = entity.get("applicationState") if isinstance(entity, dict) else None
        if answer.status == 200 and state == "STARTED":
            return self._verdict(step, VERIFIED, f"application {application!r} is STARTED")
        if answer.status == 200:
            return self._verdict(step, FAILED, f"application {application!r} is "
                                 f"{server_text(str(state), 40)}",
                                 "start it: neo start -a " + " ".join(
                                     (shlex.quote(self.plan.account), "-b",
                                      shlex.quote(application), "-h", shlex.quote(host))))
        if answer.status == 404:
            return self._verdict(step, FAILED, f"no application {application!r} in subaccount "
                                 f"{self.plan.account!r} (HTTP 404)", "deploy the MTA first")
        return self._verdict(step, FAILED, f"Java ALM API answered HTTP {answer.status}",
                             "the platform API client needs the Lifecycle Management scopes"
                             if answer.status in (401, 403) else "try again later")


def check(options: VerifyOptions, environ: Optional[Mapping[str, str]] = None,
          client: Optional[Client] = None) -> Results:
    """Run every check; the library entry point (no printing)."""
    environ = os.environ if environ is None else environ
    checked_timeout(options.timeout)
    for value, option in ((options.token_url, "--token-url"), (options.app_url, "--app-url"),
                          (options.platform_url, "--platform-url")):
        checked_url(value, option)
    plan = planfile.read(options.plan)
    chosen = [plan.connection(name) for name in options.connections] or plan.connections
    trees = extension_data(options.extensions)
    own_client = client is None
    client = client or Client(options.timeout)
    try:
        verifier = Verifier(plan, options, client, trees, environ)
        results = [(conn.name, verifier.check_connection(conn)) for conn in chosen]
        apps = list(dict.fromkeys(conn.application for conn in chosen if conn.application))
        states = [v for v in (verifier.check_application_state(app) for app in apps) if v]
        if states:
            results.append(("applications", states))
        return results
    finally:
        if own_client:
            client.close()


def run(options: VerifyOptions) -> int:
    results = check(options)
    report(results, options.format or "text", sys.stdout, sys.stderr)
    return exit_status(results)
