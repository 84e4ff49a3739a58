"""The plan: the ordered steps that wire each outbound connection, who performs each, and what to
enter where, keyed by the labels of SAP's UI. ``plan.json`` is its versioned, deterministic form
(see the README, "The plan").

Values that come from an earlier step name that step and its output; secrets appear only as
references; values the tool derives say how; values nobody can know yet are placeholders.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from . import landscape
from ..diagnostics import COMMAND_LINE, Diagnostic, Loc, declare, make
from ..secrets import env_name

if TYPE_CHECKING:  # the registry imports CODES from here: keep this module cheap to import
    from .connections import Connection, Integration

FORMAT = "mta-sfsf-plan"
VERSION = 1

CODES = declare({
    "P001": ("warning", "no --host or no --account: the token URL, Subscription and REST API URLs "
                        "are placeholders"),
    "P002": ("warning", "--host is not a known Neo region host"),
    "P003": ("warning", "the Java module has no name parameter: the application URL is unknown"),
    "P004": ("warning", "deployer mode: client-id, client-secret or token-lifetime is ignored; the "
                        "Neo deployer chooses them"),
    "P005": ("warning", "an extension descriptor sets sfsf-outbound-connections: the deployer "
                        "receives it as written there, tool-only keys included"),
    "P006": ("warning", "an integration without an endpoint or event: its REST API URL or event is "
                        "a placeholder"),
})

DEPLOYER, OPERATOR = "neo-deployer", "operator"
TITLES = {
    "sfsf-x509-key": "Generate OAuth X509 Key in SAP SuccessFactors",
    "btp-oauth-client": "Create OAuth Client in SAP BTP",
    "btp-trusted-idp": "Create Trusted Identity Provider in SAP BTP Cockpit",
    "sfsf-outbound-oauth-config": "Create Outbound OAuth Configuration in SAP SuccessFactors",
    "sfsf-integration": "Create a New Integration",
}
# In deployer mode the Neo deployer chooses these; a value in the descriptor is ignored (P004).
DEPLOYER_CHOSEN_KEYS = ("client-id", "client-secret", "token-lifetime")
DEFAULT_URL = "${default-url}"


def value(v: Any, derived: Optional[str] = None) -> dict:
    return {"value": v} if derived is None else {"value": v, "derived": derived}


def from_step(step: str, output: str) -> dict:
    return {"from": {"step": step, "output": output}}


def placeholder(text: str, reason: str, env: Optional[str] = None) -> dict:
    out = {"placeholder": text, "reason": reason}
    if env:
        out["env"] = env
    return out


class Step:
    """One thing to do in one system. ``fields`` are keyed by SAP's UI labels, in the order of
    SAP's procedure (``plan.json`` sorts them; the runbook keeps this order)."""

    def __init__(self, kind: str, connection: Connection, performed_by: str,
                 depends_on: List[str], system: dict, fields: Dict[str, dict],
                 outputs: Dict[str, dict], id: Optional[str] = None) -> None:
        self.id = id or f"{connection.name}/{kind}"
        self.kind, self.connection, self.module = kind, connection.name, connection.module
        self.performed_by, self.depends_on, self.system = performed_by, depends_on, system
        self.fields, self.outputs = fields, outputs

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "title": TITLES[self.kind],
                "connection": self.connection, "module": self.module,
                "performed_by": self.performed_by, "depends_on": list(self.depends_on),
                "system": self.system, "fields": self.fields, "outputs": self.outputs}


class Plan:
    """Every step for every connection, in dependency order, and the warnings found on the way."""

    def __init__(self, mta: dict, mode: str, landscape: dict) -> None:
        self.mta, self.mode, self.landscape = mta, mode, landscape
        self.connections: List[dict] = []
        self.steps: List[Step] = []
        self.warnings: List[Diagnostic] = []

    def as_dict(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "mta": self.mta, "mode": self.mode,
                "landscape": self.landscape, "connections": self.connections,
                "steps": [s.as_dict() for s in self.steps],
                "warnings": [{"code": w.code, "message": w.message} for w in self.warnings]}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _scalar_text_at(data: Any, key: str) -> Optional[str]:
    """``data[key]`` as text when it is a scalar other than a boolean; else None."""
    v = data.get(key) if isinstance(data, dict) else None
    return None if v is None or isinstance(v, (dict, list, bool)) else str(v)


def _step_id(c: Connection, kind: str) -> str:
    return f"{c.name}/{kind}"


class _Builder:
    """Turns parsed connections into steps. In deployer mode the Neo deployer performs every step
    but the integration, and chooses the names, the client ID and the secret."""

    def __init__(self, merged: Any, mode: str, host: Optional[str], account: Optional[str]) -> None:
        self.host, self.account = host, account
        self.deployer = mode == "deployer"
        self.performer = DEPLOYER if self.deployer else OPERATOR
        region = landscape.NEO_HOSTS.get(host) if host else None
        self.plan = Plan(
            mta={"id": _scalar_text_at(merged, "ID"),
                 "version": _scalar_text_at(merged, "version")}, mode=mode,
            landscape={"host": host, "account": account,
                       "region": region[1] if region else None,
                       "cockpit": landscape.cockpit_url(host) if host else None})
        self.btp = {"type": "btp-subaccount", "account": account, "host": host}
        self.sfsf = {"type": "sfsf-company"}

    def warn(self, code: str, loc: Loc, message: str, hint: Optional[str] = None,
             path: tuple = ()) -> None:
        self.plan.warnings.append(make(code, loc, message, path, hint=hint))

    # -- values the tool derives or infers ---------------------------------------------------
    def token_url(self, c: Connection) -> dict:
        if c.token_url:
            return value(c.token_url)
        if self.host and self.account:
            return value(landscape.token_url(self.host, self.account),
                         "inferred: https://oauthasservices-<account>.<host>/oauth2/api/v1/token "
                         "from --host and --account; compare it with the cockpit's Security > "
                         "OAuth > Branding > OAuth URLs > Token Endpoint")
        return placeholder("<Token Endpoint>", "give --host and --account (or token-url) to "
                           "derive it; the cockpit shows it under Security > OAuth > Branding > "
                           "OAuth URLs")

    def app_url(self, c: Connection) -> dict:
        if c.application and self.host and self.account:
            return value(landscape.app_url(c.application, self.host, self.account),
                         "https://<application><account>.<host>, the Java application's default URL "
                         f"(application \"{c.application}\" from the module's name parameter)")
        if not c.application:
            return placeholder("<application URL>", f"module {c.module} has no name parameter")
        return placeholder("<application URL>", "give --host and --account to derive it")

    def rest_api_url(self, app: dict, integration: Integration) -> dict:
        endpoint = integration.endpoint
        if not endpoint:
            return placeholder("<REST API URL>", f"integration {integration.name} has no endpoint")
        if endpoint.startswith(("https://", "http://")):
            return value(endpoint)
        path = endpoint[len(DEFAULT_URL):] if endpoint.startswith(DEFAULT_URL) else (
            endpoint if endpoint.startswith("/") else "/" + endpoint)
        if "value" in app:
            return value(app["value"] + path, f"the application URL + {path}")
        return placeholder(f"<application URL>{path}", app["reason"])

    def subscription(self, c: Connection) -> dict:
        if c.application and self.account:
            return value(f"{self.account}/{c.application}",
                         "inferred: <account>/<application>, the subaccount and the Java "
                         "application name")
        return placeholder("<account>/<application>", "give --account; the module needs a name "
                           "parameter" if not c.application else "give --account")

    def name(self, text: str, how: str) -> dict:
        """A name the operator enters (runbook mode) or the deployer chooses (deployer mode)."""
        if self.deployer:
            return placeholder("<chosen by the Neo deployer>", "the deployer names it; look it up "
                               "after deploy")
        return value(text, how)

    def client_id(self, c: Connection) -> dict:
        env = env_name("CLIENT_ID", c.name)
        if self.deployer:
            return placeholder("<client ID generated by the Neo deployer>", "read it after deploy "
                               "in the cockpit: Security > OAuth > Clients", env)
        if c.client_id:
            return value(c.client_id)
        return placeholder("<generated ID>", "SAP BTP generates the ID when you choose Register "
                           "New Client; copy it", env)

    def client_secret(self, c: Connection) -> dict:
        secret = c.client_secret
        if not self.deployer and secret is not None and (secret.reference or secret.locator):
            return {"secret": secret.as_plan()}
        return {"secret": {"generated_by": self.performer,
                           "env": env_name("CLIENT_SECRET", c.name)}}

    # -- steps, each in the order of SAP's procedure -------------------------------------------
    def connection(self, c: Connection) -> None:
        token, app = self.token_url(c), self.app_url(c)
        client_id, client_secret = self.client_id(c), self.client_secret(c)
        steps = [self.x509_step(c)] if c.saml else []
        steps.append(self.client_step(c, client_id, client_secret))
        if c.saml:
            steps.append(self.idp_step(c))
        steps.append(self.config_step(c, token))
        steps.extend(self.integration_step(c, app, i) for i in c.integrations)
        self.plan.steps.extend(steps)
        entry = {"name": c.name, "type": c.type, "module": c.module,
                 "application": c.application, "token_url": token, "app_url": app,
                 "client_id": client_id, "client_secret": client_secret,
                 "integrations": [i.name for i in c.integrations],
                 "steps": [s.id for s in steps]}
        if c.saml:
            entry["saml"] = {"subject_name_id": c.subject_name_id,
                             "subject_name_id_format": c.subject_name_id_format,
                             "assertion_attributes_mapping": c.assertion_attributes_mapping}
        self.plan.connections.append(entry)

    def x509_step(self, c: Connection) -> Step:
        name = self.name(f"{c.name}-x509", "the connection's name + \"-x509\"")
        certificate = f"{name['value']}_certificate.pem" if "value" in name else \
            "<configuration_name>_certificate.pem"
        return Step("sfsf-x509-key", c, self.performer, [], self.sfsf,
                    fields={"Configuration Name": name,
                            "Common Name": placeholder("<SAP SuccessFactors company ID>",
                                                       "replace the asterisk (*) with the "
                                                       "company ID")},
                    outputs={"configuration_name": dict(name),
                             "certificate": placeholder(certificate, "the file saved by Download "
                                                        "X509 Certificate")})

    def client_step(self, c: Connection, client_id: dict, secret: dict) -> Step:
        client_name = self.name(c.effective_client_name,
                                None if c.client_name else "the connection's name")
        fields = {"ID": client_id,
                  "Name": client_name,
                  "Subscription": self.subscription(c),
                  "Authorization Grant": value("Client Credentials"),
                  "Confidential": value("checked"),
                  "Secret": secret}
        if c.token_lifetime_seconds is not None and not self.deployer:
            fields["Token Lifetime"] = value(
                _lifetime_text(c.token_lifetime_seconds),
                f"token-lifetime {c.token_lifetime}")
        return Step("btp-oauth-client", c, self.performer, [], self.btp, fields=fields,
                    outputs={"client_id": client_id, "client_secret": secret})

    def idp_step(self, c: Connection) -> Step:
        name = self.name(f"{c.name}-idp", "the connection's name + \"-idp\"")
        fields = {"Name": name,
                  "Signing Certificate": from_step(_step_id(c, "sfsf-x509-key"), "certificate"),
                  "Only for IDP-Initiated SSO": value("checked")}
        if c.assertion_attributes_mapping:
            fields["Attributes"] = value(
                dict(c.assertion_attributes_mapping),
                "inferred, not in SAP's procedure (which leaves the other fields unchanged): "
                "assertion-attributes-mapping, each assertion attribute to a principal attribute")
        return Step("btp-trusted-idp", c, self.performer, [_step_id(c, "sfsf-x509-key")],
                    self.btp, fields=fields, outputs={"name": dict(name)})

    def config_step(self, c: Connection, token: dict) -> Step:
        client = _step_id(c, "btp-oauth-client")
        name = value(c.name, "inferred: the connection's name; SAP does not document the name "
                     "the deployer gives it" if self.deployer else "the connection's name")
        fields = {"Configuration Name": name}
        credentials = {"Client ID": from_step(client, "client_id"),
                       "Client Secret": from_step(client, "client_secret")}
        if c.saml:
            fields.update(credentials)
            fields["OAuth Type"] = value("OAuth 2.0 with SAML Flow")
        else:
            fields["OAuth Type"] = value("OAuth 2.0")
            fields["Grant Type"] = value("Client_Credentials")
            fields.update(credentials)
        fields["Token URL"] = token
        fields["Token Method"] = value("POST")
        depends = [client]
        if c.saml:
            fields["Audience"] = placeholder("<Local Provider Name>", "the cockpit shows it under "
                                             "Security > Trust > Local Service Provider > Local "
                                             "Provider Name")
            fields["Recipient"] = dict(token, derived="the same value as Token URL") \
                if "value" in token else dict(token)
            fields["Issuer"] = from_step(_step_id(c, "btp-trusted-idp"), "name")
            fields["X509 Keys"] = from_step(_step_id(c, "sfsf-x509-key"), "configuration_name")
            depends = [_step_id(c, "sfsf-x509-key"), client, _step_id(c, "btp-trusted-idp")]
        return Step("sfsf-outbound-oauth-config", c, self.performer, depends, self.sfsf,
                    fields=fields, outputs={"configuration_name": name})

    def integration_step(self, c: Connection, app: dict, i: Integration) -> Step:
        config = _step_id(c, "sfsf-outbound-oauth-config")
        url = self.rest_api_url(app, i)
        if not i.endpoint or not i.event:
            self.warn("P006", i.loc or c.loc, f"{c.label}, {i.label}: no "
                      f"{'endpoint' if not i.endpoint else 'event'}", path=i.path or c.path)
        fields = {"Event": value(i.event) if i.event else placeholder("<event>", "no event given"),
                  "Destination Type": value("REST"), "Format": value("JSON"),
                  "Name": value(i.name)}
        if i.description:
            fields["Description"] = value(i.description)
        if i.fields:
            fields["Configure Fields"] = value(i.fields)
        if i.filter:
            fields["Filter"] = value(i.filter)
        fields.update({"REST API URL": url, "Authentication Type": value("OAuth"),
                       "OAuth Configurations": from_step(config, "configuration_name")})
        if c.saml and c.subject_name_id:
            fields["SAML Subject NameID Path"] = value(
                c.subject_name_id, "inferred: the field that holds the user attribute named by "
                "subject-name-id")
        return Step("sfsf-integration", c, OPERATOR, [config], self.sfsf, fields=fields,
                    outputs={"integration_name": value(i.name), "rest_api_url": url},
                    id=f"{c.name}/sfsf-integration/{i.name}")


def _lifetime_text(seconds: int) -> str:
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit[:-1] if count == 1 else unit}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


def build(merged: Any, connections: List[Connection], mode: str, host: Optional[str],
          account: Optional[str]) -> Plan:
    """The plan for ``connections`` (already parsed from the merged descriptor)."""
    builder = _Builder(merged, mode, host, account)
    cli = Loc(COMMAND_LINE, 1, 1)
    if connections:
        if host and not landscape.is_known_host(host):
            builder.warn("P002", cli, f"--host {host} is not a known Neo region host",
                         hint="known: " + ", ".join(sorted(landscape.NEO_HOSTS)))
        missing = [o for o, v in (("--host", host), ("--account", account)) if not v]
        if missing:
            builder.warn("P001", cli, f"no {' and no '.join(missing)}: the token URL, Subscription "
                         "and REST API URLs are placeholders",
                         hint="set them, or MTA_SFSF_HOST and MTA_SFSF_ACCOUNT")
    modules_without_name, modules_from_extension = set(), set()
    for c in connections:
        if not c.application and c.module not in modules_without_name:
            modules_without_name.add(c.module)
            builder.warn("P003", c.parameters_loc or c.loc, f"{c.module_label}: no \"name\" "
                         "parameter: the application URL and the Subscription are unknown",
                         hint="set parameters.name, the Java application name",
                         path=("modules", c.module_index, "parameters"))
        if c.set_by_extension and c.module not in modules_from_extension:
            modules_from_extension.add(c.module)
            builder.warn("P005", c.list_loc or c.loc, f"{c.module_label}: "
                         "\"sfsf-outbound-connections\" is set by an extension descriptor; expand "
                         "cannot remove it from there, so the deployer receives it as written",
                         hint="keep the list in mtad.yaml and refer to secrets with "
                         "~{resource/property}", path=c.path[:-1])
        if mode == "deployer":
            ignored = [k for k in DEPLOYER_CHOSEN_KEYS if k in c.keys]
            if ignored:
                keys = ", ".join(f'"{k}"' for k in ignored)
                builder.warn("P004", c.loc, f"{c.label}: {keys} ignored in deployer mode; the "
                             "Neo deployer chooses them",
                             hint="use --mode runbook to register the client yourself",
                             path=c.path)
        builder.connection(c)
    return builder.plan
