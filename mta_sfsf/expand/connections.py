"""The ``sfsf-outbound-connections`` model: typed connections read from the validated, merged
descriptor, with defaults filled and secrets kept as references (never their values).

Parsing is defensive: the validator reports malformed shapes; here anything unexpected is skipped
or left unset, never a crash.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from ..diagnostics import Loc
from ..rules.common import label
from ..rules.outbound import SAML_BEARER, token_lifetime_seconds
from ..rules.parameter_checks import SFSF_MODULE_TYPES
from ..secrets import env_name, walk
from ..descriptor.tree import YMap, YSeq, value_loc

PARAMETER = "sfsf-outbound-connections"

_DEPENDENCY_REF = re.compile(r"^~\{(?:([^{}/]+)/)?([^{}/]+)\}$")
_PARAMETER_REF = re.compile(r"^\$\{([^{}]+)\}$")


class _Record:
    """Built from keyword arguments, one per annotated field; a field not given keeps the class's
    default. (A dataclass would do the same, but importing dataclasses loads inspect: about a
    tenth of ``expand``'s start-up.)"""

    def __init__(self, **values: Any) -> None:
        unknown = set(values) - set(self.__annotations__)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        self.__dict__.update(values)


class SecretRef(_Record):
    """Where a secret lives; never the secret itself."""

    env: str
    reference: Optional[str] = None  # as written in the descriptor, e.g. ~{creds/client-secret}
    locator: Optional[list] = None  # for secrets.walk over a descriptor (extension first)
    present: bool = False  # some descriptor of the chain holds a value

    def as_plan(self) -> dict:
        out: Dict[str, Any] = {"env": self.env}
        if self.reference is not None:
            out["reference"] = self.reference
        if self.locator is not None:
            out["locator"] = self.locator
        return out


class Integration(_Record):
    name: str
    event: Optional[str]
    endpoint: Optional[str]
    description: Optional[str] = None
    fields: Any = None
    filter: Optional[str] = None
    loc: Optional[Loc] = None  # the list item, for diagnostics
    path: Tuple[Any, ...] = ()  # its key path in the descriptor

    @property
    def label(self) -> str:
        return f'integration "{self.name}"'


class Connection(_Record):
    name: str
    type: str
    module: str
    module_type: str
    module_index: int
    index: int
    loc: Loc
    application: Optional[str] = None  # the Java application name (module parameter ``name``)
    client_name: Optional[str] = None
    client_id: Optional[str] = None
    client_secret: Optional[SecretRef] = None
    token_lifetime: Optional[str] = None  # as written
    token_lifetime_seconds: Optional[int] = None
    token_url: Optional[str] = None
    subject_name_id: Optional[str] = None
    subject_name_id_format: Optional[str] = None
    assertion_attributes_mapping: Dict[str, str]  # set in __init__: a fresh dict each
    integrations: List[Integration]  # and a fresh list
    keys: Tuple[str, ...] = ()  # the keys the user wrote
    set_by_extension: bool = False  # the list comes from an extension descriptor
    path: Tuple[Any, ...] = ()  # the list item's key path in the descriptor
    list_loc: Optional[Loc] = None  # where the sfsf-outbound-connections list is written
    parameters_loc: Optional[Loc] = None  # the module's parameters, where ``name`` belongs
    module_label: str = ""  # ``module "app"`` (``modules[3]`` without a name), for messages

    def __init__(self, **values: Any) -> None:
        self.assertion_attributes_mapping = {}
        self.integrations = []
        super().__init__(**values)

    @property
    def saml(self) -> bool:
        return self.type == SAML_BEARER

    @property
    def effective_client_name(self) -> str:
        """The OAuth client's name: ``client-name``, else the connection's name."""
        return self.client_name or self.name

    @property
    def label(self) -> str:
        """``module "app", outbound connection "c"``, as every finding names it."""
        return f'{self.module_label}, outbound connection "{self.name}"'


def _scalar_text(value: Any) -> Optional[str]:
    """A string, or a number's text; None for a boolean, null, mapping or list."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def plain(value: Any) -> Any:
    """A YMap/YSeq tree as plain dicts and lists (for JSON and comparisons)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def lifetime_seconds(value: Any) -> Optional[int]:
    """``30d`` -> 2592000, as the validator reads it; None when it is not a valid lifetime (a
    ``${...}`` placeholder, or a value the validator has already reported)."""
    try:
        return token_lifetime_seconds(value)
    except ValueError:
        return None


def modules_with_connections(data: Any):
    """(index, module, connections list) for every Java module that declares the parameter (on
    other module types the validator reports it as unknown and checks nothing in it)."""
    modules = data.get("modules") if isinstance(data, dict) else None
    if not isinstance(modules, list):
        return
    for index, module in enumerate(modules):
        if not isinstance(module, dict) or module.get("type") not in SFSF_MODULE_TYPES:
            continue
        parameters = module.get("parameters")
        if isinstance(parameters, dict) and PARAMETER in parameters:
            yield index, module, parameters[PARAMETER]


def parse(merged: Any, main_file: str) -> List[Connection]:
    """Every well-formed connection of the merged descriptor, in document order."""
    connections: List[Connection] = []
    for module_index, module, entries in modules_with_connections(merged):
        module_name = _scalar_text(module.get("name")) or f"modules[{module_index}]"
        module_label = label("module", module, f"modules[{module_index}]") if isinstance(
            module, YMap) else f"modules[{module_index}]"
        parameters = module["parameters"]
        from_extension = value_loc(parameters, PARAMETER).file != main_file
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            name, kind = _scalar_text(entry.get("name")), _scalar_text(entry.get("type"))
            if not name or not kind:
                continue
            loc = value_loc(entries, index) if isinstance(entries, YSeq) else Loc(main_file, 1, 1)
            path = ("modules", module_index, "parameters", PARAMETER, index)
            connection = Connection(
                name=name, type=kind, module=module_name,
                module_type=_scalar_text(module.get("type")) or "", module_index=module_index,
                index=index, loc=loc, application=_scalar_text(parameters.get("name")),
                client_name=_scalar_text(entry.get("client-name")),
                client_id=_scalar_text(entry.get("client-id")),
                token_lifetime=_scalar_text(entry.get("token-lifetime")),
                token_lifetime_seconds=lifetime_seconds(entry.get("token-lifetime")),
                token_url=_scalar_text(entry.get("token-url")),
                subject_name_id=_scalar_text(entry.get("subject-name-id")),
                subject_name_id_format=_scalar_text(entry.get("subject-name-id-format")),
                keys=tuple(str(k) for k in entry.keys()),
                set_by_extension=from_extension, path=path,
                list_loc=value_loc(parameters, PARAMETER),
                parameters_loc=_loc(module, "parameters"),
                module_label=module_label,
            )
            mapping = entry.get("assertion-attributes-mapping")
            if isinstance(mapping, dict):
                connection.assertion_attributes_mapping = {
                    str(k): str(v) for k, v in mapping.items() if _scalar_text(v) is not None}
            if "client-secret" in entry:
                connection.client_secret = _secret(merged, module, module_name, name,
                                                   entry.get("client-secret"))
            connection.integrations = _integrations(entry.get("integrations"), path + (
                "integrations",))
            connections.append(connection)
    return connections


def _loc(container: Any, key: Any) -> Optional[Loc]:
    """Where ``container[key]`` is written, when the tree knows (YMap/YSeq)."""
    return value_loc(container, key) if isinstance(container, (YMap, YSeq)) else None


def _integrations(value: Any, path: Tuple[Any, ...]) -> List[Integration]:
    out: List[Integration] = []
    if not isinstance(value, list):
        return out
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not _scalar_text(item.get("name")):
            continue
        out.append(Integration(
            name=_scalar_text(item.get("name")) or "", event=_scalar_text(item.get("event")),
            endpoint=_scalar_text(item.get("endpoint")),
            description=_scalar_text(item.get("description")),
            fields=plain(item.get("fields")) if isinstance(item.get("fields"), dict) else None,
            filter=_scalar_text(item.get("filter")), loc=_loc(value, index),
            path=path + (index,)))
    return out


def _secret(merged: Any, module: dict, module_name: str, connection: str, value: Any) -> SecretRef:
    """A reference to the client secret: where a descriptor holds it and which variable may."""
    ref = SecretRef(env=env_name("CLIENT_SECRET", connection))
    text = value if isinstance(value, str) else None
    match = _DEPENDENCY_REF.match(text) if text else None
    if match:
        ref.reference = text
        ref.locator = _dependency_locator(merged, module, match.group(1), match.group(2))
    elif text and _PARAMETER_REF.match(text):
        ref.reference = text
        ref.locator = _parameter_locator(merged, module, module_name,
                                         _PARAMETER_REF.match(text).group(1))
    elif _scalar_text(value):
        # A literal: allowed only in an extension descriptor (the validator says so).
        ref.locator = ["modules", {"name": module_name}, "parameters", PARAMETER,
                       {"name": connection}, "client-secret"]
    if ref.locator is not None:
        found = walk(merged, ref.locator)
        ref.present = _scalar_text(found) is not None and _scalar_text(found) != ""
    return ref


def _dependency_locator(merged: Any, module: dict, dependency: Optional[str],
                        prop: str) -> Optional[list]:
    names = [dependency] if dependency else [
        _scalar_text(r.get("name")) for r in _list(module.get("requires"))
        if isinstance(r, dict) and _scalar_text(r.get("name"))]
    for name in names:
        for resource in _list(merged.get("resources")):
            if isinstance(resource, dict) and resource.get("name") == name:
                properties = resource.get("properties")
                if dependency or (isinstance(properties, dict) and prop in properties):
                    return ["resources", {"name": name}, "properties", prop]
        for other in _list(merged.get("modules")):
            if not isinstance(other, dict):
                continue
            for provided in _list(other.get("provides")):
                if isinstance(provided, dict) and provided.get("name") == name:
                    return ["modules", {"name": _scalar_text(other.get("name"))}, "provides",
                            {"name": name}, "properties", prop]
    return None


def _parameter_locator(merged: Any, module: dict, module_name: str, name: str) -> list:
    parameters = module.get("parameters")
    if isinstance(parameters, dict) and name in parameters:
        return ["modules", {"name": module_name}, "parameters", name]
    return ["parameters", name]
