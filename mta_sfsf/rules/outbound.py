"""``sfsf-outbound-connections``, this tool's own schema, as the README's reference defines it: a
parameter of Java modules (``com.sap.java`` and ``java.tomcat``), checked on every platform.
``expand`` reads it and removes the keys only this tool reads before the descriptor goes to the
deployer.

- a list of maps; unknown keys, at every level, are errors with a "did you mean" hint (F002);
- ``name`` and ``type`` are required (F004); the name follows the MTA name pattern, at most 128
  characters (F010), and is unique across all modules (F011); ``type`` is
  ``OAuth2ClientCredentials`` or ``OAuth2SAMLBearerAssertion`` (F003);
- a SAML connection needs ``subject-name-id`` (F004: the user it propagates); SAP shows
  ``subject-name-id-format`` and ``assertion-attributes-mapping`` only in the example of
  "Modeling SAP SuccessFactors Extensions" and states no attribute as mandatory, so a missing one
  is a warning (F021); on a client-credentials connection they mean nothing and are ignored
  (F012, a warning: the connection still works, but the author probably meant the other type);
- two connections whose OAuth clients get the same name (``client-name``, else the connection's
  ``name``; compared case-sensitively) are an error naming both (F020). SAP's "OAuth 2.0 Client
  Credentials Grant": "Having multiple clients with the same case-sensitive name will lead to
  having the same user ID at runtime. This could lead to incorrect user role assignments and
  authorizations.";
- ``client-secret`` is a reference (``~{resource/property}`` or ``${parameter}``) or is set in an
  extension descriptor; a literal secret in the deployment descriptor is an error (F013) whose
  message never shows the value. So is a literal that the reference points to (one level: a
  module or global parameter, a resource's or provided dependency's property), unless its name
  is secret-like, which the literal-secret rule reports already (N020);
- ``client-id`` uses URL-unreserved characters only (letters, digits, ``-._~``: no ``:``, which
  would split an HTTP Basic credential), at most 128 (F007);
- ``token-lifetime`` is seconds or ``<n>s|m|h|d``, more than 0 and at most 180 days (F014);
  ``token-url`` and each integration's ``endpoint`` must be acceptable URLs (F015), whose query
  string (or fragment) names no secret-like parameter (``?token=...``, ``?api_key=...``): URLs
  are logged by proxies, servers and browsers, and these are copied into plan.json and the
  runbook. The message names the parameter, never its value;
- each integration needs ``name`` (unique in its connection, F016), ``event`` and ``endpoint``; the
  name follows the connection names' rule (F010): it becomes part of plan step ids, runbook
  commands and the Integration Center; ``event``, ``description`` and ``filter`` are one line of
  printable text (F007; ``description`` and ``filter`` may be empty), because the runbook prints
  them inside its own lines; ``fields`` maps output field names to a source field,
  ``{constant: value}`` (a map whose only key is ``constant``) or a nested map (F017); a field
  name that is not an identifier in Java and JavaScript makes the payload awkward to bind in the
  receiving app (F018, a warning).

Text values must be non-empty and one line of printable text: no control characters (C0, DEL,
C1), line or paragraph separators, zero-width or bidirectional formatting characters (F007).
On a generic platform, a Java module with ``sfsf-outbound-connections`` also gets the Neo
application-name check of its ``name`` parameter (N011): its URL is derived from that name.
Whether ``~{...}`` and ``${...}`` references resolve is the references rules' job, not this
module's.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional, Tuple

from ..diagnostics import Loc, Path, declare
from ..urls import url_problem
from ..descriptor.tree import YMap, YSeq, value_loc
from .common import MAX_NAME, NAME_PATTERN, has_placeholder, indexed_maps, label
from .literal_secrets import is_sensitive_name
from .neo import check_application_name
from .parameter_checks import SHARED_CODES, ParameterChecks, java_modules

CODES = declare({
    **SHARED_CODES,
    "F010": ("error", "an outbound connection or integration name that is not a valid MTA name"),
    "F011": ("error", "two outbound connections with the same name in one MTA"),
    "F012": ("warning", "SAML attributes on a client-credentials outbound connection (ignored)"),
    "F013": ("error", "a literal client-secret in the deployment descriptor"),
    "F014": ("error", "a token-lifetime that is malformed, not positive or over 180 days"),
    "F015": ("error", "an unacceptable token-url or integration endpoint"),
    "F016": ("error", "two integrations with the same name in one outbound connection"),
    "F017": ("error", "a malformed integration field (name or source)"),
    "F018": ("warning", "an integration field name that is not a portable identifier"),
    "F020": ("error", "two outbound connections whose OAuth clients get the same name"),
    "F021": ("warning", "a SAML outbound connection without subject-name-id-format or "
                        "assertion-attributes-mapping, which SAP shows in its example"),
})

SAME_CLIENT_NAME = ("Having multiple clients with the same case-sensitive name will lead to having "
                    "the same user ID at runtime. This could lead to incorrect user role "
                    "assignments and authorizations.")

CLIENT_CREDENTIALS = "OAuth2ClientCredentials"
SAML_BEARER = "OAuth2SAMLBearerAssertion"
CONNECTION_TYPES = (CLIENT_CREDENTIALS, SAML_BEARER)

# The keys the Neo deployer documents for an outbound connection, and the ones only this tool
# reads (``expand`` strips them before the descriptor goes to the deployer).
DEPLOYER_KEYS = frozenset({"name", "type", "subject-name-id", "subject-name-id-format",
                           "assertion-attributes-mapping"})
TOOL_KEYS = frozenset({"client-name", "client-id", "client-secret", "token-lifetime", "token-url",
                       "integrations"})
CONNECTION_KEYS = DEPLOYER_KEYS | TOOL_KEYS
CONNECTION_REQUIRED = ("name", "type")
SAML_KEYS = ("subject-name-id", "subject-name-id-format", "assertion-attributes-mapping")
SAML_REQUIRED = ("subject-name-id",)
SAML_EXAMPLE_ONLY = ("subject-name-id-format", "assertion-attributes-mapping")
INTEGRATION_KEYS = frozenset({"name", "event", "description", "endpoint", "fields", "filter"})
INTEGRATION_REQUIRED = ("name", "event", "endpoint")

# Client IDs travel in HTTP Basic headers and form bodies: URL-unreserved characters need no
# escaping anywhere and exclude the ':' that would split a Basic credential.
CLIENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.~\-]+$")
MAX_TOKEN_LIFETIME = 180 * 86400  # SAP BTP cockpit: 0 to 180 days; 0 (unlimited) no longer allowed
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_LIFETIME = re.compile(r"^\s*([0-9]{1,12})\s*([smhd]?)\s*$")  # 12 digits: far beyond 180 days
_REFERENCE = re.compile(r"^(?:~\{[^{}]+\}|\$\{[^{}]+\})$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUERY_SEPARATORS = re.compile(r"[?&;#]")
_PORTABLE_FIELD = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
DEFAULT_URL = "${default-url}"

# ---------------------------------------------------------------- helpers shared with ``expand``

def is_reference(value: Any) -> bool:
    """A whole value that is one ``~{...}`` or ``${...}`` reference."""
    return isinstance(value, str) and bool(_REFERENCE.match(value))


def token_lifetime_seconds(value: Any) -> int:
    """``30d`` -> 2592000; ``3600`` -> 3600. Raises ValueError with a user-facing reason."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError("must be a number of seconds or a number with s, m, h or d (e.g. 30d)")
    match = _LIFETIME.match(str(value))
    if not match:
        raise ValueError("must be a number of seconds or a number with s, m, h or d (e.g. 30d)")
    seconds = int(match.group(1)) * _UNITS[match.group(2) or "s"]
    if seconds <= 0:
        raise ValueError("must be more than 0 (an unlimited lifetime is no longer allowed)")
    if seconds > MAX_TOKEN_LIFETIME:
        raise ValueError("must be at most 180 days (15552000 seconds)")
    return seconds


def endpoint_problem(endpoint: str) -> Optional[str]:
    """Why an integration endpoint is unacceptable, or None. Never echoes the value (a URL may
    carry credentials)."""
    return _endpoint_shape_problem(endpoint) or secret_query_problem(endpoint)


def secret_query_problem(url: str) -> Optional[str]:
    """Why a URL must not be used because its query string or fragment names a secret-like
    parameter (``?token=...``), or None. Names the parameter, never its value."""
    start = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=-1)
    if start < 0:
        return None
    from urllib.parse import unquote_plus  # only a URL with a query pays for this import

    for piece in _QUERY_SEPARATORS.split(url[start + 1:]):
        name, equals, _ = piece.partition("=")
        name = unquote_plus(name).strip()
        if equals and name and is_sensitive_name(name):
            return (f"its query string carries the secret-like parameter \"{name}\"; URLs are "
                    "logged by proxies, servers and browsers, and this one would be copied into "
                    "plan.json and the runbook")
    return None


def _endpoint_shape_problem(endpoint: str) -> Optional[str]:
    if endpoint.startswith(DEFAULT_URL):
        rest = endpoint[len(DEFAULT_URL):]
        if rest and not rest.startswith(("/", "?")):
            return f"after {DEFAULT_URL} must come a path starting with /"
        return _path_problem(rest)
    if endpoint.startswith("/"):
        if endpoint.startswith("//"):
            return ("must not start with // (a URL on another host); write an absolute "
                    "https:// URL instead")
        return _path_problem(endpoint)
    if "://" in endpoint:
        return url_problem(endpoint) or _path_problem(endpoint)
    return (f"must be a path on the app starting with / , an absolute https:// URL, or start "
            f"with {DEFAULT_URL}")


def _literal_in(container: YMap, key: str, main_file: Optional[str]) -> bool:
    """A non-empty value that is not a reference, written in the deployment descriptor."""
    value = container.get(key)
    if main_file is None or value is None or value == "" or is_reference(value):
        return False
    return value_loc(container, key).file == main_file


def _property(item: YMap, prop: str, path: Path) -> Optional[Tuple[YMap, str, Path]]:
    properties = item.get("properties")
    if isinstance(properties, YMap) and prop in properties:
        return properties, prop, path + ("properties", prop)
    return None


def _path_problem(text: str) -> Optional[str]:
    if any(c.isspace() for c in text) or _CONTROL.search(text):
        return "must not contain spaces or control characters (percent-encode them)"
    return None


# ---------------------------------------------------------------- the rule

def check(ctx) -> None:
    shared = _Shared(ctx)
    for parameters, base in java_modules(ctx):
        if "sfsf-outbound-connections" in parameters:
            _Connections(ctx, parameters, base, shared).check()


class _Shared:
    """What the modules' checks share: connection names seen so far, and (built once, on first
    need, so a 1,000-module MTA stays linear) where each dependency's properties are."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.names: Dict[str, Loc] = {}
        # OAuth client name -> (where it is written, the connection's label, the key it is in)
        self.client_names: Dict[str, Tuple[Loc, str, str]] = {}
        self._providers: Optional[Dict[str, Tuple[YMap, Path]]] = None

    def providers(self) -> Dict[str, Tuple[YMap, Path]]:
        """Resources and provided dependencies by name (they share one namespace)."""
        if self._providers is None:
            found: Dict[str, Tuple[YMap, Path]] = {}
            for index, module in self.ctx.items("modules"):
                for position, item in indexed_maps(module.get("provides")):
                    if isinstance(item.get("name"), str):
                        found.setdefault(item["name"], (item, ("modules", index, "provides",
                                                               position)))
            for index, resource in self.ctx.items("resources"):
                if isinstance(resource.get("name"), str):
                    found[resource["name"]] = (resource, ("resources", index))
            self._providers = found
        return self._providers


class _Connections(ParameterChecks):
    """The outbound connections of one Java module."""

    def __init__(self, ctx, parameters: YMap, base: Path, shared: _Shared) -> None:
        super().__init__(ctx, parameters, base)
        self.shared = shared
        self.names = shared.names
        # Validating an extension descriptor on its own: that is where secrets belong.
        self.main_file = None if ctx.kind == "mtaext" else ctx.descriptor.main.file

    def entry(self, parameter: str, index: int, inner: Path) -> str:
        """``outbound connection "x"``, then ``, integration "y"`` when ``inner`` leads into one
        (the index where an element has no name)."""
        seq = self.parameters.get(parameter)
        item = seq[index] if isinstance(seq, YSeq) and index < len(seq) else None
        where = f"{parameter}[{index}]"
        if parameter != "sfsf-outbound-connections" or not isinstance(item, YMap):
            return where
        text = label("outbound connection", item, where)
        integrations = item.get("integrations")
        if len(inner) >= 2 and inner[0] == "integrations" and isinstance(inner[1], int) \
                and isinstance(integrations, YSeq) and inner[1] < len(integrations) \
                and isinstance(integrations[inner[1]], YMap):
            text += ", " + label("integration", integrations[inner[1]],
                                 f"integrations[{inner[1]}]")
        return text

    def check(self) -> None:
        if self.ctx.platform != "neo":  # on Neo, the Neo rules check it already
            check_application_name(self.ctx, self.parameters, self.base)
        self.outbound_connections()

    def outbound_connections(self) -> None:
        path = self.base + ("sfsf-outbound-connections",)
        seq = self.parameters["sfsf-outbound-connections"]
        if not isinstance(seq, YSeq):
            self.wrong_type(self.parameters, "sfsf-outbound-connections", path,
                            "\"sfsf-outbound-connections\" must be a list of connections",
                            hint="- {name: MyEvents, type: OAuth2ClientCredentials}")
            return
        for index, connection in enumerate(seq):
            here = path + (index,)
            if not isinstance(connection, YMap):
                self.wrong_type(seq, index, here, "each outbound connection must be a map")
                continue
            self.connection(seq, index, connection, here)

    def connection(self, seq: YSeq, index: int, node: YMap, path: Path) -> None:
        what = "an outbound connection"
        self.unknown_keys(node, CONNECTION_KEYS, path, what)
        self.missing(node, CONNECTION_REQUIRED, seq, index, path, what)
        if "name" in node:
            self.connection_name(node, path + ("name",))
        kind = self.enum(node, "type", CONNECTION_TYPES, path + ("type",)) if "type" in node \
            else None
        if kind == SAML_BEARER:
            self.missing(node, SAML_REQUIRED, seq, index, path, f"{what} of type {SAML_BEARER}")
            for key in SAML_EXAMPLE_ONLY:
                if key not in node:
                    self.report("F021", seq, index, f"\"{key}\" is missing; SAP's example of "
                                f"an {SAML_BEARER} connection sets it, though no SAP page says it "
                                "is required", path, hint=f"add {key}: ... as in \"Modeling SAP "
                                "SuccessFactors Extensions\", or keep it out if the connection "
                                "works without")
        elif kind == CLIENT_CREDENTIALS:
            for key in SAML_KEYS:
                if key in node:
                    self.report("F012", node, key, f"\"{key}\" applies only to {SAML_BEARER} "
                                f"connections; an {CLIENT_CREDENTIALS} connection ignores it",
                                path + (key,), hint=f"remove it, or use type: {SAML_BEARER}",
                                at_key=True)
        for key in ("subject-name-id", "subject-name-id-format"):
            if key in node:
                self.text(node, key, path + (key,), max_length=None)
        if "assertion-attributes-mapping" in node:
            self.name_value_pairs(node, "assertion-attributes-mapping",
                                  path + ("assertion-attributes-mapping",), scalars=False)
        if "client-name" in node:
            self.text(node, "client-name", path + ("client-name",))
        self.client_name(node, path)
        if "client-id" in node:
            self.text(node, "client-id", path + ("client-id",), pattern=CLIENT_ID_PATTERN,
                      pattern_text="letters, digits and - . _ ~")
        if "client-secret" in node:
            self.client_secret(node, path + ("client-secret",))
        if "token-lifetime" in node:
            value = node["token-lifetime"]
            if not has_placeholder(value):
                try:
                    token_lifetime_seconds(value)
                except ValueError as exc:
                    self.report("F014", node, "token-lifetime", f"\"token-lifetime\" {exc}",
                                path + ("token-lifetime",))
        if "token-url" in node:
            url = self.text(node, "token-url", path + ("token-url",), max_length=None)
            problem = url and ((url_problem(url) if not has_placeholder(url) else None)
                               or secret_query_problem(url))
            if problem:
                self.report("F015", node, "token-url",
                            f"\"token-url\" is not acceptable: {problem}", path + ("token-url",),
                            hint="write it like https://oauthasservices-<account>.<host>"
                            "/oauth2/api/v1/token")
        if "integrations" in node:
            self.integrations(node, path + ("integrations",))

    def mta_name(self, node: YMap, path: Path, what: str) -> Optional[str]:
        """A connection's or integration's ``name``: a string that is a valid MTA name (it ends
        up in plan step ids, runbook commands and SuccessFactors), or None."""
        name = node["name"]
        if not isinstance(name, str):
            self.wrong_type(node, "name", path, f"the {what}'s \"name\" must be a string")
            return None
        if not NAME_PATTERN.match(name) or len(name) > MAX_NAME:
            problem = (f"is {len(name)} characters long; at most {MAX_NAME} are allowed"
                       if NAME_PATTERN.match(name) else
                       "may contain only letters, digits, -, _ and .")
            shown = name if len(name) <= 40 else name[:40] + "..."
            self.report("F010", node, "name", f"the name \"{shown}\" {problem}",
                        path, hint="rename it: MTA names match ^[A-Za-z0-9_\\-\\.]+$")
            return None
        return name

    def connection_name(self, node: YMap, path: Path) -> None:
        name = self.mta_name(node, path, "connection")
        if name is None:
            return
        loc = value_loc(node, "name")
        first = self.names.get(name)
        if first is None:
            self.names[name] = loc
            return
        self.report("F011", node, "name", f"the name \"{name}\" is already used by another "
                    f"outbound connection at {first.file}:{first.line}:{first.column}; "
                    "connection names are unique across the MTA", path,
                    hint="rename one: each name becomes an OAuth configuration name in "
                    "SuccessFactors")

    def client_name(self, node: YMap, path: Path) -> None:
        """F020: the OAuth client's name, ``client-name`` or else ``name``, once per MTA."""
        key = "client-name" if isinstance(node.get("client-name"), str) else "name"
        name = node.get(key)
        if not isinstance(name, str) or not name or has_placeholder(name):
            return
        loc = value_loc(node, key)
        here = self.where(path + (key,)).rsplit(", ", 1)[-1]
        first = self.shared.client_names.get(name)
        if first is None:
            self.shared.client_names[name] = (loc, here, key)
            return
        place, other, first_key = first
        if key == first_key == "name":
            return  # two connections of one name and no client-name: F011 says it
        self.report("F020", node, key, f"the OAuth client name \"{name}\" is also the one of "
                    f"{other} at {place.file}:{place.line}:{place.column}. SAP: "
                    f"\"{SAME_CLIENT_NAME}\"", path + (key,),
                    hint="give each connection its own client-name")

    def client_secret(self, node: YMap, path: Path) -> None:
        value = node["client-secret"]
        if value is None or value == "":
            return  # empty: to be filled by an extension descriptor or the environment
        if isinstance(value, (YMap, YSeq)):
            self.wrong_type(node, "client-secret", path, "\"client-secret\" must be a string")
            return
        if is_reference(value):
            target = self.referenced(value)
            if target is not None:
                container, key, target_path = target
                # A secret-like name is already the literal-secret rule's N020.
                if not is_sensitive_name(key) and _literal_in(container, key, self.main_file):
                    connection = self.where(path).rsplit(", ", 1)[-1]
                    self.report("F013", container, key, f"\"{key}\" holds a literal secret in "
                                f"the deployment descriptor (the client-secret {value} of "
                                f"{connection} refers to it)", target_path,
                                hint="leave it empty here and set it in an .mtaext")
            return
        if _literal_in(node, "client-secret", self.main_file):
            # The value itself never appears in the message: this is the whole point.
            self.report("F013", node, "client-secret", "a literal \"client-secret\" in the "
                        "deployment descriptor: secrets belong in an extension descriptor",
                        path, hint="write a reference such as ~{sfsf-credentials/client-secret} "
                        "and set the value in an .mtaext")

    def referenced(self, reference: str) -> Optional[Tuple[YMap, str, Path]]:
        """Where a ``${parameter}`` or ``~{dependency/property}`` reference's value is written
        (one level deep; full resolution is the references rules' job)."""
        inner = reference[2:-1]
        if reference.startswith("$"):
            if inner in self.parameters:
                return self.parameters, inner, self.base + (inner,)
            top = self.ctx.data.get("parameters")
            if isinstance(top, YMap) and inner in top:
                return top, inner, ("parameters", inner)
            return None
        dependency, _, prop = inner.partition("/")
        provider = self.shared.providers().get(dependency) if prop else None
        return _property(provider[0], prop, provider[1]) if provider else None

    def integrations(self, connection: YMap, path: Path) -> None:
        seq = connection["integrations"]
        if not isinstance(seq, YSeq):
            self.wrong_type(connection, "integrations", path,
                            "\"integrations\" must be a list of integrations")
            return
        seen: Dict[str, Loc] = {}
        what = "an integration"
        for index, node in enumerate(seq):
            here = path + (index,)
            if not isinstance(node, YMap):
                self.wrong_type(seq, index, here, "each integration must be a map")
                continue
            self.unknown_keys(node, INTEGRATION_KEYS, here, what)
            self.missing(node, INTEGRATION_REQUIRED, seq, index, here, what)
            name = self.mta_name(node, here + ("name",), "integration") if "name" in node \
                else None
            if name is not None:
                first = seen.get(name)
                if first is None:
                    seen[name] = value_loc(node, "name")
                else:
                    self.report("F016", node, "name", f"the name \"{name}\" is already used "
                                "by another integration of this connection at "
                                f"{first.file}:{first.line}:{first.column}", here + ("name",),
                                hint="rename one of the two")
            if "event" in node:
                self.text(node, "event", here + ("event",), max_length=None)
            for key in ("description", "filter"):
                if key in node:
                    self.text(node, key, here + (key,), max_length=None, may_be_empty=True)
            if "endpoint" in node:
                endpoint = self.text(node, "endpoint", here + ("endpoint",), max_length=None)
                problem = endpoint_problem(endpoint) if endpoint is not None else None
                if problem:
                    self.report("F015", node, "endpoint",
                                f"\"endpoint\" is not acceptable: {problem}", here + ("endpoint",),
                                hint="write it like /api/events, "
                                "https://app.example.com/api/events or ${default-url}/api/events")
            if "fields" in node:
                self.fields(node, here + ("fields",))

    def fields(self, integration: YMap, path: Path) -> None:
        top = integration["fields"]
        if not isinstance(top, YMap):
            self.wrong_type(integration, "fields", path, "\"fields\" must be a map of output "
                            "field names to source fields", hint="userId: userId")
            return
        stack = [(top, path)]
        while stack:  # iterative: the nesting depth is the user's
            node, here = stack.pop()
            for name, value in node.items():
                at = here + (name,)
                self.field_name(node, name, at)
                if isinstance(value, str):
                    if not value.strip():
                        self.report("F017", node, name, f"field \"{name}\" has an empty source "
                                    "field", at, hint="write {constant: ''} for an empty constant")
                    elif _CONTROL.search(value):
                        self.report("F017", node, name, f"the source field of \"{name}\" contains "
                                    "control characters", at)
                elif isinstance(value, YMap) and len(value) == 1 and "constant" in value:
                    constant = value["constant"]
                    if constant is None or isinstance(constant, (YMap, YSeq)):
                        self.report("F017", value, "constant", f"the constant of field \"{name}\" "
                                    "must be a string, number or boolean", at + ("constant",))
                elif isinstance(value, YMap):
                    stack.append((value, at))
                else:
                    hint = (f"write {{constant: {node.raws.get(name, value)}}} for a constant"
                            if isinstance(value, (int, float, bool)) else None)
                    self.report("F017", node, name, f"field \"{name}\" must be a source field "
                                "name, {constant: value} or a map of fields", at, hint=hint)

    def field_name(self, node: YMap, name: str, path: Path) -> None:
        if not name.strip() or name != name.strip() or _CONTROL.search(name) \
                or len(name) > MAX_NAME:
            self.report("F017", node, name, "a field name must be non-empty, at most "
                        f"{MAX_NAME} characters, without surrounding spaces or control "
                        "characters", path, at_key=True)
        elif not _PORTABLE_FIELD.match(name):
            self.report("F018", node, name, f"field name \"{name}\" is not an identifier in "
                        "Java or JavaScript; the receiving app cannot bind it directly", path,
                        hint="rename it with letters, digits, _ and $, not starting with a "
                        "digit", at_key=True)
