"""The plan: the ordered steps that wire each outbound connection, who performs each, and what to
enter where, keyed by the labels of SAP's UI. ``plan.json`` is its versioned, deterministic form
(see the README, "The plan").

Values that come from an earlier step name that step and its output; secrets appear only as
references; values the tool derives say how; values nobody can know yet are placeholders.
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from . import landscape
from .sap_pages import page
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
    "P004": ("warning", "a connection for the deployer sets client-id, client-secret or "
                        "token-lifetime: removed, as SAP documents no such key for the deployer"),
    "P005": ("warning", "an extension descriptor sets sfsf-outbound-connections: the deployer "
                        "receives it as written there, tool-only keys included"),
    "P006": ("warning", "an integration without an endpoint or event: its REST API URL or event is "
                        "a placeholder"),
    "P007": ("warning", "--mode deployer sends type: OAuth2ClientCredentials to the deployer, a "
                        "value no SAP page documents"),
    "P008": ("warning", "a requires entry or empty secret property that only the keys removed for "
                        "the deployer used: the deploy still asks for a secret nothing uses"),
    "P009": ("warning", "a token-url that names another subaccount or host than --account and "
                        "--host"),
    "P010": ("error", "a value tagged !sensitive that plan.json and RUNBOOK.md would show in the "
                      "clear"),
})

MODES = ("auto", "deployer", "runbook")

DEPLOYER, OPERATOR = "neo-deployer", "operator"
# SAP documents sfsf-outbound-connections for the deployer with this type only (Modeling SAP
# SuccessFactors Extensions); --mode auto sends the deployer nothing else.
DOCUMENTED_TYPE = "OAuth2SAMLBearerAssertion"
# Each step kind's SAP page, by connection type (client credentials, SAML).
SOURCES = {
    "sfsf-x509-key": ("x509-key", "x509-key"),
    "btp-oauth-client": ("oauth-client", "oauth-client"),
    "btp-trusted-idp": ("trusted-idp", "trusted-idp"),
    "sfsf-outbound-oauth-config": ("cc-config", "saml-config"),
    "sfsf-integration": ("cc-integration", "saml-integration"),
}
# The module parameters, besides sfsf-outbound-connections, with which the deployer creates
# something in SAP SuccessFactors or SAP BTP (MTA Module Types, Resource Types, and Parameters).
SFSF_PARAMETERS = ("sfsf-idp-access", "sfsf-connections", "role-provider", "sfsf-home-page-tiles")
TITLES = {
    "sfsf-x509-key": "Generate OAuth X509 Key in SAP SuccessFactors",
    "btp-oauth-client": "Create OAuth Client in SAP BTP",
    "btp-trusted-idp": "Create Trusted Identity Provider in SAP BTP Cockpit",
    "sfsf-outbound-oauth-config": "Create Outbound OAuth Configuration in SAP SuccessFactors",
    "sfsf-integration": "Create a New Integration",
}
# Removed for the deployer, which SAP documents no such key for (P004).
DEPLOYER_CHOSEN_KEYS = ("client-id", "client-secret", "token-lifetime")
DEFAULT_URL = "${default-url}"


def performer(mode: str, connection_type: str) -> str:
    """Who creates a connection's client and configuration: ``auto`` gives the deployer only the
    type SAP documents for it."""
    if mode == "runbook" or (mode == "auto" and connection_type != DOCUMENTED_TYPE):
        return OPERATOR
    return DEPLOYER


def value(v: Any, derived: Optional[str] = None, sap: Optional[str] = None) -> dict:
    """A value to enter: SAP's (the step's page, or the page titled ``sap``), the descriptor's,
    or ``derived`` by a stated rule (``inferred: ...`` when SAP does not state it)."""
    out = {"value": v}
    if derived is not None:
        out["derived"] = derived
    if sap is not None:
        out["sap"] = sap
    return out


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
        self.source = page(SOURCES[kind][1 if connection.saml else 0])
        self.performed_by, self.depends_on, self.system = performed_by, depends_on, system
        self.fields, self.outputs = fields, outputs

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "title": TITLES[self.kind],
                "source": self.source, "connection": self.connection, "module": self.module,
                "performed_by": self.performed_by, "depends_on": list(self.depends_on),
                "system": self.system, "fields": self.fields, "outputs": self.outputs}


class Plan:
    """Every step for every connection, in dependency order, and the warnings found on the way."""

    def __init__(self, mta: dict, mode: str, landscape: dict) -> None:
        self.mta, self.mode, self.landscape = mta, mode, landscape
        self.connections: List[dict] = []
        self.modules: List[dict] = []
        self.steps: List[Step] = []
        self.warnings: List[Diagnostic] = []

    def as_dict(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "mta": self.mta, "mode": self.mode,
                "landscape": self.landscape, "modules": self.modules,
                "connections": self.connections, "steps": [s.as_dict() for s in self.steps],
                "warnings": [{"code": w.code, "message": w.message} for w in self.warnings]}

    def to_json(self) -> str:
        # Keys in a fixed order, not sorted: fields follow SAP's procedure and Configure Fields
        # the descriptor, as a person reads them.
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"


def sensitive_values(plan: Plan) -> List[Diagnostic]:
    """P010 for each ``!sensitive`` value the plan (and so the runbook, which renders the plan)
    would show: a tagged value is a secret, and no generated file carries a secret. Not silenced
    by configuration or comments, as a secret's secrecy is not a matter of taste."""
    from ..descriptor.yaml_io import SENSITIVE_PLACES

    if not SENSITIVE_PLACES:
        return []
    shown: List[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, str):
            shown.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(plan.as_dict())
    found = []
    for (file, line, column), secret in SENSITIVE_PLACES.items():
        # A short value is compared whole: "on" inside other words is no disclosure.
        if any(text == secret or (len(secret) >= 4 and secret in text) for text in shown):
            found.append(make("P010", Loc(file, line, column),
                              "a value tagged !sensitive would be written in the clear to "
                              "plan.json and RUNBOOK.md, which show this key's value",
                              hint="keep sensitive values out of the keys the plan shows (names, "
                                   "URLs, fields), or drop the tag if the value is not a secret"))
    return found


def _scalar_text_at(data: Any, key: str) -> Optional[str]:
    """``data[key]`` as text when it is a scalar other than a boolean; else None."""
    v = data.get(key) if isinstance(data, dict) else None
    return None if v is None or isinstance(v, (dict, list, bool)) else str(v)


def _step_id(c: Connection, kind: str) -> str:
    return f"{c.name}/{kind}"


class _Builder:
    """Turns parsed connections into steps. For a connection the deployer gets, it performs every
    step but the integration; what it names and sets there SAP does not state (inferred)."""

    def __init__(self, merged: Any, mode: str, host: Optional[str], account: Optional[str]) -> None:
        self.host, self.account, self.mode = host, account, mode
        self.deployer = False  # set per connection
        self.performer = OPERATOR
        region = landscape.NEO_HOSTS.get(host) if host else None
        self.plan = Plan(
            mta={"id": _scalar_text_at(merged, "ID"),
                 "version": _scalar_text_at(merged, "version")}, mode=mode,
            landscape={"host": host, "account": account,
                       "region": region[1] if region else None,
                       "cockpit": landscape.cockpit_url(host) if host else None,
                       "regions_page": page("regions")})
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
                         "inferred: https://<application><account>.<host>, the form of the "
                         "application URLs in SAP's Java ALM API examples (application "
                         f"\"{c.application}\" from the module's name parameter); compare it with "
                         "the URL the cockpit shows for the Java application")
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
            return value(app["value"] + path, f"the application URL (inferred) + {path}")
        return placeholder(f"<application URL>{path}", app["reason"])

    def subscription(self, c: Connection) -> dict:
        if c.application and self.account:
            return value(f"{self.account}/{c.application}",
                         "inferred: <account>/<application>, the subaccount and the Java "
                         "application name")
        return placeholder("<account>/<application>", "give --account; the module needs a name "
                           "parameter" if not c.application else "give --account")

    def name(self, text: str, how: Optional[str], where: str) -> dict:
        """A name the operator enters, or (deployer) one SAP does not say how the deployer picks."""
        if self.deployer:
            return placeholder("<named by the Neo deployer>", "inferred: SAP does not document "
                               f"the name the deployer gives it; after the deploy, look in {where}")
        return value(text, how)

    def client_id(self, c: Connection) -> dict:
        env = env_name("CLIENT_ID", c.name)
        if self.deployer:
            return placeholder("<client ID the Neo deployer registered>", "inferred: SAP does not "
                               "document the ID of a client the deployer registers; after the "
                               "deploy, the cockpit lists it under Security > OAuth > Clients",
                               env)
        if c.client_id:
            return value(c.client_id)
        return placeholder("<generated ID>", "SAP BTP generates the ID when you choose Register "
                           "New Client; copy it", env)

    def client_secret(self, c: Connection) -> dict:
        secret = c.client_secret
        if not self.deployer and secret is not None and (secret.reference or secret.locator):
            return {"secret": secret.as_plan()}
        if self.deployer:
            return {"secret": {"generated_by": DEPLOYER, "env": env_name("CLIENT_SECRET", c.name),
                               "derived": "inferred: SAP does not document who sets the secret "
                               "of a client the deployer registers, nor any way to read it"}}
        return {"secret": {"generated_by": OPERATOR, "env": env_name("CLIENT_SECRET", c.name)}}

    # -- steps, each in the order of SAP's procedure -------------------------------------------
    def connection(self, c: Connection) -> None:
        self.performer = performer(self.mode, c.type)
        self.deployer = self.performer == DEPLOYER
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
                 "application": c.application, "performed_by": self.performer, "token_url": token, "app_url": app,
                 "client_id": client_id, "client_secret": client_secret,
                 "integrations": [i.name for i in c.integrations],
                 "steps": [s.id for s in steps]}
        if c.saml:
            entry["saml"] = {"subject_name_id": c.subject_name_id,
                             "subject_name_id_format": c.subject_name_id_format,
                             "assertion_attributes_mapping": c.assertion_attributes_mapping}
        self.plan.connections.append(entry)

    def x509_step(self, c: Connection) -> Step:
        name = self.name(f"{c.name}-x509", "the connection's name + \"-x509\"",
                         "Integration Center > Security Center > OAuth X509 Keys")
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
                                None if c.client_name else "the connection's name",
                                "the cockpit, Security > OAuth > Clients")
        confidential = value("checked", sap="OAuth 2.0 Client Credentials Grant") \
            if not self.deployer else value(
                "checked", "inferred: SAP does not document how the deployer registers the "
                "client; SAP's OAuth 2.0 Client Credentials Grant registers a client of type "
                "Confidential; the cockpit shows it under Security > OAuth > Clients")
        fields = {"ID": client_id,
                  "Name": client_name,
                  "Subscription": self.subscription(c),
                  "Authorization Grant": value("Client Credentials"),
                  "Secret": secret,
                  "Confidential": confidential}
        if c.token_lifetime_seconds is not None and not self.deployer:
            fields["Token Lifetime"] = value(
                _lifetime_text(c.token_lifetime_seconds),
                f"inferred: token-lifetime {c.token_lifetime}; SAP's Register an OAuth Client "
                "states the range, 0 to 180 days, not the units the field takes: enter this "
                "duration in the units the cockpit offers")
        return Step("btp-oauth-client", c, self.performer, [], self.btp, fields=fields,
                    outputs={"client_id": client_id, "client_secret": secret})

    def idp_step(self, c: Connection) -> Step:
        name = self.name(f"{c.name}-idp", "the connection's name + \"-idp\"",
                         "the cockpit, Security > Trust > Application Identity Provider")
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
            fields["Recipient"] = dict(token, derived="the same value as the Token URL field, "
                                       "as SAP's step says") if "value" in token else dict(token)
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
        by_deployer = performer(mode, c.type) == DEPLOYER
        if (by_deployer or c.set_by_extension) and c.type != DOCUMENTED_TYPE:
            via = " from the extension descriptor" if c.set_by_extension and not by_deployer \
                else ""
            builder.warn("P007", c.loc, f"{c.label}: \"type: {c.type}\" goes to the Neo "
                         f"deployer{via}, but no SAP page documents that value (SAP shows "
                         "sfsf-outbound-connections only with type: OAuth2SAMLBearerAssertion, in "
                         "Modeling SAP SuccessFactors Extensions)",
                         hint="keep the list in mtad.yaml, where expand can keep this "
                         "connection from the deployer" if via else "after the deploy, check in "
                         "the cockpit what the deployer created (the runbook's Check steps say "
                         "where), or use --mode auto to create this connection's client "
                         "yourself", path=c.path)
        if by_deployer:
            ignored = [k for k in DEPLOYER_CHOSEN_KEYS if k in c.keys]
            if ignored:
                keys = ", ".join(f'"{k}"' for k in ignored)
                builder.warn("P004", c.loc, f"{c.label}: {keys} removed for the Neo deployer: SAP "
                             "documents no such key for it, and does not state what it sets "
                             "instead",
                             hint="remove them, or use --mode runbook to register the client "
                             "yourself", path=c.path)
        if c.token_url and (host or account):
            names = landscape.token_url_mismatch(c.token_url, host, account)
            if names:
                builder.warn("P009", c.loc, f"{c.label}: token-url {c.token_url} names {names}",
                             hint="correct token-url, --host or --account; verify sends the "
                             "client secret only to the plan's subaccount's token endpoint",
                             path=c.path + ("token-url",))
        builder.connection(c)
    builder.plan.modules = _modules(merged, mode, connections)
    return builder.plan


def _modules(merged: Any, mode: str, connections: List[Connection]) -> List[dict]:
    """Per Java module, the sfsf-* parameters with which the deployer creates something, and the
    outbound connections it gets: what the runbook's "What the deployer creates" lists."""
    from ..rules.parameter_checks import SFSF_MODULE_TYPES

    out: List[dict] = []
    modules = merged.get("modules") if isinstance(merged, dict) else None
    for module in modules if isinstance(modules, list) else []:
        if not isinstance(module, dict) or module.get("type") not in SFSF_MODULE_TYPES:
            continue
        name = _scalar_text_at(module, "name")
        parameters = module.get("parameters") if isinstance(module.get("parameters"), dict) else {}
        found: Dict[str, Any] = {}
        if isinstance(parameters.get("sfsf-idp-access"), bool):
            found["sfsf-idp-access"] = parameters["sfsf-idp-access"]
        if isinstance(parameters.get("sfsf-connections"), list):
            found["sfsf-connections"] = [
                {"type": _scalar_text_at(item, "type") or "default"}
                for item in parameters["sfsf-connections"] if isinstance(item, dict)]
        if _scalar_text_at(parameters, "role-provider"):
            found["role-provider"] = _scalar_text_at(parameters, "role-provider")
        tiles = parameters.get("sfsf-home-page-tiles")
        if isinstance(tiles, dict) and _scalar_text_at(tiles, "resource"):
            found["sfsf-home-page-tiles"] = {"resource": _scalar_text_at(tiles, "resource")}
        deployed = [c.name for c in connections
                    if c.module == name and performer(mode, c.type) == DEPLOYER]
        if found or deployed:
            out.append({"name": name, "type": str(module.get("type")),
                        "application": _scalar_text_at(parameters, "name"),
                        "parameters": found, "deployer_connections": deployed})
    return out


_REFERENCE = re.compile(r"~\{(?:([^{}/]+)/)?([^{}/]+)\}")


def leftover_warnings(main: Any, deployable: Any, connections: List[Connection],
                      mode: str) -> List[Diagnostic]:
    """P008: a connection the deployer gets loses its client-secret reference; when nothing left
    in the deployable form uses the empty property or parameter it named (or that requires
    entry), the deploy still asks for a value nothing uses."""
    out: List[Diagnostic] = []
    for c in connections:
        secret = c.client_secret
        if performer(mode, c.type) != DEPLOYER or secret is None or not secret.locator or \
                not secret.reference:
            continue
        found = _unused_property(main, deployable, c, secret.locator) \
            if secret.locator[0] == "resources" else _unused_parameter(main, deployable, c,
                                                                        secret.locator)
        if found:
            loc, path, unused = found
            out.append(make("P008", loc, f"{c.label}: only its client-secret, removed for the "
                            f"Neo deployer, used {' and '.join(unused)}: the deploy still asks "
                            "for a secret nothing uses", path,
                            hint=f"remove client-secret from the connection, then "
                            f"{' and '.join(unused)} (and the value from your extension "
                            "descriptors)"))
    return out


def _unused_property(main: Any, deployable: Any, c: Connection, locator: list):
    """(loc, path, what) for an empty resource property that nothing deployable refers to."""
    resource_name, prop = locator[1]["name"], locator[3]
    module = _find(main, "modules", c.module)
    left = _find(deployable, "modules", c.module)
    resource = _find(main, "resources", resource_name)
    if module is None or left is None or resource is None:
        return None
    used = {(m.group(1), m.group(2)) for m in _REFERENCE.finditer(json.dumps(left))}
    properties = resource.get("properties") if isinstance(resource.get("properties"),
                                                           dict) else {}
    if (resource_name, prop) in used or (None, prop) in used or \
            properties.get(prop) not in (None, ""):
        return None
    unused = [f'the empty property "{prop}" of resource "{resource_name}"']
    requires = [r for r in module.get("requires") or [] if isinstance(r, dict)
                and r.get("name") == resource_name]
    others = {p for d, p in used if d == resource_name} | {
        p for d, p in used if d is None and p in properties}
    if requires and not others:
        unused.append(f'the requires entry "{resource_name}" of {c.module_label}')
    index = next(i for i, r in enumerate(main["resources"]) if r is resource)
    return (_written_at(properties, prop, c.loc), ("resources", index, "properties", prop),
            unused)


def _unused_parameter(main: Any, deployable: Any, c: Connection, locator: list):
    """(loc, path, what) for an empty module or global parameter that nothing deployable names
    with ``${...}``."""
    name = locator[-1]
    if locator[0] == "modules":
        owner, scope = _find(main, "modules", c.module), _find(deployable, "modules", c.module)
        path: tuple = ("modules", c.module_index, "parameters", name)
        what = f'the empty parameter "{name}" of {c.module_label}'
    else:
        owner, scope, path = main, deployable, ("parameters", name)
        what = f'the empty global parameter "{name}"'
    parameters = owner.get("parameters") if isinstance(owner, dict) else None
    if not isinstance(parameters, dict) or parameters.get(name) not in (None, "") or \
            scope is None or "${" + name + "}" in json.dumps(scope):
        return None
    return _written_at(parameters, name, c.loc), path, [what]


def _written_at(container: Any, key: str, default: Loc) -> Loc:
    from ..descriptor.tree import value_loc

    return value_loc(container, key) if hasattr(container, "value_locs") else default


def _find(data: Any, section: str, name: str) -> Optional[dict]:
    items = data.get(section) if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("name") == name:
            return item
    return None
