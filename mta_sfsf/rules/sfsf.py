"""SuccessFactors parameters of Java modules (``com.sap.java`` and ``java.tomcat``), on every
platform: they exist only on Neo, so a descriptor that uses them is a Neo descriptor.

SAP's documented parameters (``mta-module-types-...`` and "Modeling SAP SuccessFactors
Extensions"):

- ``sfsf-idp-access`` is a boolean (F001).
- ``sfsf-connections`` is a list of maps with ``type`` (``default`` or ``technical-user``),
  ``sfsf-module`` (only ``BizX``), ``additional-properties`` (name-value pairs) and
  ``technical-user-id``, which ``technical-user`` requires and ``default`` forbids (F005).
  ``technical-user`` creates a destination with the deprecated ``systemUser`` property (F006).
- ``role-provider`` is ``sfsf`` or ``hcp`` (F003).
- ``sfsf-home-page-tiles`` (and ``sfsf-tiles``) is a map with one key, ``resource``: the path of
  the tiles JSON file inside the archive (F004, F007).

``sfsf-outbound-connections``, as the README's reference defines it:

- a list of maps; unknown keys, at every level, are errors with a "did you mean" hint (F002);
- ``name`` and ``type`` are required (F004); the name follows the MTA name pattern, at most 128
  characters (F010), and is unique across all modules (F011); ``type`` is
  ``OAuth2ClientCredentials`` or ``OAuth2SAMLBearerAssertion`` (F003);
- a SAML connection needs ``subject-name-id``, ``subject-name-id-format`` and
  ``assertion-attributes-mapping`` (F004); on a client-credentials connection they mean nothing
  and are ignored (F012, a warning: the connection still works, but the author probably meant
  the other type);
- ``client-secret`` is a reference (``~{resource/property}`` or ``${parameter}``) or is set in an
  extension descriptor; a literal secret in the deployment descriptor is an error (F013) whose
  message never shows the value. So is a literal that the reference points to (one level: a
  module or global parameter, a resource's or provided dependency's property), unless its name
  is secret-like, which the Neo rules report already (N020);
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
from typing import Any, Dict, Iterable, Optional, Tuple
from urllib.parse import unquote_plus

from ..diagnostics import Loc, Path
from ..urls import url_problem
from ..yaml_io import YMap, YSeq, value_loc
from .common import (MAX_NAME, NAME_PATTERN, did_you_mean, has_placeholder, indexed_maps, label,
                     one_of)
from .neo import check_application_name, is_sensitive_name

CODES = {
    "F001": ("error", "an sfsf-* parameter, or one of its keys, has the wrong type"),
    "F002": ("error", "an unknown key in an sfsf-* parameter"),
    "F003": ("error", "a value that is not one of the allowed ones (connection type, "
                      "role-provider)"),
    "F004": ("error", "a required key of an sfsf-* parameter is missing"),
    "F005": ("error", "technical-user-id missing on a technical-user connection, or set on a "
                      "default one"),
    "F006": ("warning", "a technical-user SuccessFactors connection (deprecated systemUser)"),
    "F007": ("error", "an empty or malformed text value (control characters, too long, bad "
                      "characters)"),
    "F010": ("error", "an outbound connection or integration name that is not a valid MTA name"),
    "F011": ("error", "two outbound connections with the same name in one MTA"),
    "F012": ("warning", "SAML attributes on a client-credentials outbound connection (ignored)"),
    "F013": ("error", "a literal client-secret in the deployment descriptor"),
    "F014": ("error", "a token-lifetime that is malformed, not positive or over 180 days"),
    "F015": ("error", "an unacceptable token-url or integration endpoint"),
    "F016": ("error", "two integrations with the same name in one outbound connection"),
    "F017": ("error", "a malformed integration field (name or source)"),
    "F018": ("warning", "an integration field name that is not a portable identifier"),
}

SFSF_MODULE_TYPES = ("com.sap.java", "java.tomcat")

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
INTEGRATION_KEYS = frozenset({"name", "event", "description", "endpoint", "fields", "filter"})
INTEGRATION_REQUIRED = ("name", "event", "endpoint")

SFSF_CONNECTION_TYPES = ("default", "technical-user")
SFSF_CONNECTION_KEYS = frozenset({"type", "sfsf-module", "additional-properties",
                                  "technical-user-id"})
SFSF_MODULES = ("BizX",)
ROLE_PROVIDERS = ("sfsf", "hcp")
TILES_PARAMETERS = ("sfsf-home-page-tiles", "sfsf-tiles")

# Client IDs travel in HTTP Basic headers and form bodies: URL-unreserved characters need no
# escaping anywhere and exclude the ':' that would split a Basic credential.
CLIENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.~\-]+$")
MAX_TOKEN_LIFETIME = 180 * 86400  # SAP BTP cockpit: 0 to 180 days; 0 (unlimited) no longer allowed
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_LIFETIME = re.compile(r"^\s*([0-9]+)\s*([smhd]?)\s*$")
_REFERENCE = re.compile(r"^(?:~\{[^{}]+\}|\$\{[^{}]+\})$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# What breaks "one line of printable text": C0 and C1 controls, DEL, zero-width and direction
# marks, line and paragraph separators, bidi embeddings, overrides and isolates, the BOM. The JSON
# Schema's one-line pattern is built from the same class (tests/test_sfsf.py compares them).
NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                          r"\u2060-\u2069\ufeff]")
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
    for index, module in ctx.items("modules"):
        if module.get("type") not in SFSF_MODULE_TYPES:
            continue
        parameters = module.get("parameters")
        if not isinstance(parameters, YMap):
            continue
        _Module(ctx, parameters, ("modules", index, "parameters"), shared).check()


class _Shared:
    """What the modules' checks share: connection names seen so far, and (built once, on first
    need, so a 1,000-module MTA stays linear) where each dependency's properties are."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.names: Dict[str, Loc] = {}
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


class _Module:
    """The sfsf-* parameters of one Java module."""

    def __init__(self, ctx, parameters: YMap, base: Path, shared: _Shared) -> None:
        self.ctx = ctx
        self.parameters = parameters
        self.base = base
        self.shared = shared
        self.names = shared.names
        # Validating an extension descriptor on its own: that is where secrets belong.
        self.main_file = None if ctx.kind == "mtaext" else ctx.descriptor.main.file

    def report(self, code: str, container: Any, key: Any, message: str, path: Path,
               hint: Optional[str] = None, at_key: bool = False) -> None:
        """Report with the message led by the element: ``module "app", outbound connection
        "x", integration "y": ...``."""
        self.ctx.report(code, container, key, f"{self.where(path)}: {message}", path, hint=hint,
                        at_key=at_key)

    def where(self, path: Path) -> str:
        """The label of the module, connection and integration ``path`` lies in."""
        if path[:len(self.base)] != self.base:
            return self.ctx.element(path) or "the descriptor"
        text, rest = self.ctx.element(self.base), path[len(self.base):]
        if len(rest) < 2 or not isinstance(rest[1], int):
            return text
        seq = self.parameters.get(rest[0])
        item = seq[rest[1]] if isinstance(seq, YSeq) and rest[1] < len(seq) else None
        where = f"{rest[0]}[{rest[1]}]"
        if rest[0] != "sfsf-outbound-connections" or not isinstance(item, YMap):
            return f"{text}, {where}"
        text += ", " + label("outbound connection", item, where)
        integrations = item.get("integrations")
        if len(rest) >= 4 and rest[2] == "integrations" and isinstance(rest[3], int) \
                and isinstance(integrations, YSeq) and rest[3] < len(integrations) \
                and isinstance(integrations[rest[3]], YMap):
            text += ", " + label("integration", integrations[rest[3]],
                                 f"integrations[{rest[3]}]")
        return text

    def check(self) -> None:
        p = self.parameters
        if "sfsf-idp-access" in p and not isinstance(p["sfsf-idp-access"], bool) \
                and not has_placeholder(p["sfsf-idp-access"]):
            self.report("F001", p, "sfsf-idp-access", "\"sfsf-idp-access\" must be true or false",
                        self.base + ("sfsf-idp-access",),
                        hint="write true or false without quotes")
        if "role-provider" in p:
            self.enum(p, "role-provider", ROLE_PROVIDERS, self.base + ("role-provider",))
        for name in TILES_PARAMETERS:
            if name in p:
                self.tiles(name)
        if "sfsf-connections" in p:
            self.sfsf_connections()
        if "sfsf-outbound-connections" in p:
            if self.ctx.platform != "neo":  # on Neo, the Neo rules check it already
                check_application_name(self.ctx, p, self.base)
            self.outbound_connections()

    # ------------------------------------------------------------ generic checks

    def unknown_keys(self, node: YMap, allowed: Iterable[str], path: Path, what: str) -> None:
        allowed = frozenset(allowed)
        for key in node:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or "use one of: " + ", ".join(sorted(allowed))
                self.report("F002", node, key, f"unknown key \"{key}\"", path + (key,),
                            hint=hint, at_key=True)

    def missing(self, node: YMap, required: Iterable[str], parent: Any, index: Any, path: Path,
                what: str) -> None:
        for key in required:
            if key not in node:
                self.report("F004", parent, index, f"\"{key}\" is missing ({what})", path,
                            hint=f"add {key}: ...")

    def wrong_type(self, container: Any, key: Any, path: Path, message: str,
                   hint: Optional[str] = None) -> None:
        self.report("F001", container, key, message, path, hint=hint)

    def enum(self, node: YMap, key: str, allowed: Tuple[str, ...], path: Path) -> Optional[str]:
        value = node[key]
        if not isinstance(value, str):
            self.wrong_type(node, key, path, f"\"{key}\" must be one of: " + ", ".join(allowed))
            return None
        if value in allowed:
            return value
        hint = did_you_mean(value, allowed) or "use " + one_of(allowed)
        self.report("F003", node, key, f"\"{key}\" is \"{value}\"; allowed: " + one_of(allowed),
                    path, hint=hint)
        return None

    def text(self, node: YMap, key: str, path: Path, max_length: Optional[int] = MAX_NAME,
             pattern: Optional["re.Pattern[str]"] = None, pattern_text: str = "",
             multiline: bool = False, may_be_empty: bool = False) -> Optional[str]:
        """A string key: type, non-empty, one line of printable text, length, characters."""
        value = node[key]
        if not isinstance(value, str):
            self.wrong_type(node, key, path, f"\"{key}\" must be a string")
            return None
        problem = None
        if not value.strip() and may_be_empty:
            return value
        if not value.strip():
            problem = "must not be empty"
        elif (_CONTROL_BUT_LINES if multiline else NOT_ONE_LINE).search(value):
            problem = ("must not contain control characters" if multiline else "must be one line "
                       "of printable text (no line breaks, control, zero-width or bidirectional "
                       "formatting characters)")
        elif has_placeholder(value):
            return value  # resolved at deploy time; the references rules check it
        elif max_length is not None and len(value) > max_length:
            problem = f"is {len(value)} characters long; at most {max_length} are allowed"
        elif pattern is not None and not pattern.match(value):
            problem = f"may contain only {pattern_text}"
        if problem:
            one_line = problem.startswith("must be one line")
            self.report("F007", node, key, f"\"{key}\" {problem}", path,
                        hint="write it on one line (a folded block, '>-', joins lines into one)"
                        if one_line else None)
            return None
        return value

    # ------------------------------------------------------------ documented SAP parameters

    def tiles(self, name: str) -> None:
        path = self.base + (name,)
        node = self.parameters[name]
        if not isinstance(node, YMap):
            self.wrong_type(self.parameters, name, path, f"\"{name}\" must be a map with one key, "
                            "resource", hint="resource: resources/tiles.json")
            return
        self.unknown_keys(node, ("resource",), path, name)
        if "resource" not in node:
            self.report("F004", self.parameters, name, f"\"{name}\" has no \"resource\" (the path "
                        "of the tiles JSON file in the archive)", path)
            return
        resource = self.text(node, "resource", path + ("resource",), max_length=None)
        if resource and not has_placeholder(resource) and (
                resource.startswith("/") or ".." in resource.replace("\\", "/").split("/")):
            self.report("F007", node, "resource", "\"resource\" must be a relative path inside "
                        "the archive", path + ("resource",))

    def sfsf_connections(self) -> None:
        path = self.base + ("sfsf-connections",)
        seq = self.parameters["sfsf-connections"]
        if not isinstance(seq, YSeq):
            self.wrong_type(self.parameters, "sfsf-connections", path,
                            "\"sfsf-connections\" must be a list of connections",
                            hint="- type: default")
            return
        for index, entry in enumerate(seq):
            here = path + (index,)
            if not isinstance(entry, YMap):
                self.wrong_type(seq, index, here, "each sfsf-connections entry must be a map")
                continue
            self.unknown_keys(entry, SFSF_CONNECTION_KEYS, here, "an sfsf-connections entry")
            kind = None
            if "type" not in entry:
                self.missing(entry, ("type",), seq, index, here, "an sfsf-connections entry")
            else:
                kind = self.enum(entry, "type", SFSF_CONNECTION_TYPES, here + ("type",))
            if kind == "technical-user":
                self.report("F006", entry, "type", "a technical-user connection creates a "
                            "destination with the deprecated systemUser property, which SAP will "
                            "remove", here + ("type",),
                            hint="work on behalf of named users (type: default) where you can")
                if "technical-user-id" not in entry:
                    self.report("F005", seq, index, "a technical-user connection needs "
                                "\"technical-user-id\"", here)
            elif kind == "default" and "technical-user-id" in entry:
                self.report("F005", entry, "technical-user-id", "a default connection cannot "
                            "define \"technical-user-id\"", here + ("technical-user-id",),
                            hint="remove it, or use type: technical-user", at_key=True)
            if "technical-user-id" in entry and kind != "default":
                self.text(entry, "technical-user-id", here + ("technical-user-id",))
            if "sfsf-module" in entry:
                self.enum(entry, "sfsf-module", SFSF_MODULES, here + ("sfsf-module",))
            if "additional-properties" in entry:
                self.name_value_pairs(entry, "additional-properties",
                                      here + ("additional-properties",), scalars=True)

    def name_value_pairs(self, node: YMap, key: str, path: Path, scalars: bool) -> None:
        """A map of names to scalars (``scalars``) or to strings."""
        pairs = node[key]
        kind = "scalar" if scalars else "string"
        if not isinstance(pairs, YMap):
            self.wrong_type(node, key, path, f"\"{key}\" must be a map of names to {kind} values")
            return
        for name, value in pairs.items():
            ok = (isinstance(value, (str, int, float, bool)) if scalars
                  else isinstance(value, str) and value.strip() != "")
            if not ok:
                self.wrong_type(pairs, name, path + (name,), f"\"{name}\" in \"{key}\" must be "
                                f"a {'scalar' if scalars else 'non-empty string'}")

    # ------------------------------------------------------------ sfsf-outbound-connections

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
            self.missing(node, SAML_KEYS, seq, index, path, f"{what} of type {SAML_BEARER}")
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
                # A secret-like name is already the Neo rules' N020, on every platform.
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
