"""Structure rules: the shape of an MTA descriptor, as the MTA deployer parses it.

- ``_schema-version``, ``ID`` and ``version`` are required (an extension descriptor needs
  ``_schema-version``, ``ID`` and ``extends``); a module needs ``name`` and ``type``; a resource,
  a required or provided dependency and a hook need a ``name`` (S001). The deployer reports
  ``Required element "name" for object "MTA module" is missing``.
- Values have the shape the deployer casts them to: ``modules``, ``resources``, ``requires``,
  ``provides``, ``hooks`` are lists of mappings; ``parameters``, ``properties`` and their
  ``*-metadata`` are mappings; ``type``, ``version``, ``path`` are strings; ``active``,
  ``optional``, ``public`` are booleans (S002). A scalar ``requires: db`` is a fault the deployer
  words as ``Invalid type provided for "requires": Expected a list of elements ...``.
- ``ID`` and every name match ``^[A-Za-z0-9_\\-\\.]+$`` (S003) and have at most 128 characters
  (S004).
- Names are unique (S005): module names among modules; resource names, provided-dependency names
  and module names (every module implicitly provides its own name) in one namespace; required
  dependencies within one module or resource; hooks within one module.
- Unknown keys at the top level, in modules, resources, dependencies and hooks are warnings with a
  "did you mean" hint (S006): the deployer silently ignores them, so a typo such as ``requries``
  loses the whole section. Keys of schema v3 (``parameters-metadata``, ``hooks``,
  ``deployed-after``, ``processed-after``, ``active``, ``optional``, ...) are reported under a v2
  descriptor, where the deployer ignores them.
- ``_schema-version`` must have major version 2 or 3, the ones the deployer supports (S007:
  ``Version "1.0.0" is not supported``); a minor version it does not know (``3.9``) is a warning
  (S008).
- ``version`` must be readable as a version (S009): the deployer coerces it (``'1.0'`` and ``v1``
  become 1.0.0) and fails with ``Unable to parse version`` only when there is no number in it,
  as in an unfiltered Maven ``${project.version}``. A version that is not plain semantic
  versioning (``MAJOR.MINOR.PATCH[-pre][+build]``) is a warning (S010), since other tools (the
  SchemaStore schema, cloud-mta) reject it. In a development descriptor (``mta.yaml``) mbt
  replaces ``${timestamp}`` before anything reads the version.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional, Tuple

from ..diagnostics import declare
from ..descriptor.tree import YMap, YSeq, key_loc, raw_text
from .common import MAX_NAME, did_you_mean, is_number, label

CODES = declare({
    "S001": ("error", "a required key is missing or empty"),
    "S002": ("error", "a value of the wrong shape (list, mapping, string, boolean)"),
    "S003": ("error", "an ID or name with characters other than A-Z a-z 0-9 _ - ."),
    "S004": ("error", "an ID or name longer than 128 characters"),
    "S005": ("error", "a name that is not unique in its namespace"),
    "S006": ("warning", "an unknown key (ignored by the deployer); did you mean ...?"),
    "S007": ("error", "an unsupported or unreadable _schema-version"),
    "S008": ("warning", "a _schema-version minor version the deployer does not know"),
    "S009": ("error", "a version the deployer cannot parse"),
    "S010": ("warning", "a version that is not semantic versioning (MAJOR.MINOR.PATCH)"),
    "S012": ("error", "a deployer parameter written beside parameters instead of under them"),
})

_NOT_IN_NAMES = re.compile(r"[^A-Za-z0-9_\-\.]")  # the first character a name may not hold
SUPPORTED_SCHEMAS = {2: (0, 1, 2), 3: (0, 1, 2, 3)}
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                    r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
# semver4j's Semver.coerce: the first run of up to three dot-separated numbers.
_COERCE = re.compile(r"(?:^|[^\d])(\d{1,16})(?:\.(\d{1,16}))?(?:\.(\d{1,16}))?(?:$|[^\d])")

# Shapes: "map", "list" (of mappings, an element kind), "strings" (list of strings), "str",
# "bool", "any". A key -> (shape, element kind for lists, v3 only).
Spec = Dict[str, Tuple[str, Optional[str], bool]]

_META = {"parameters-metadata": ("map", None, True), "properties-metadata": ("map", None, True)}
_PARAMS = {"parameters": ("map", None, False), "properties": ("map", None, False)}

ELEMENTS: Dict[str, Tuple[str, Spec, Tuple[str, ...]]] = {
    # element kind -> (the deployer's object name, keys, required keys)
    "mtad": ("MTA deployment descriptor", {
        "_schema-version": ("any", None, False), "ID": ("str", None, False),
        "version": ("str", None, False), "description": ("str", None, False),
        "provider": ("str", None, False), "copyright": ("str", None, False),
        "modules": ("list", "module", False), "resources": ("list", "resource", False),
        "parameters": ("map", None, False), "parameters-metadata": ("map", None, True),
        "module-types": ("list", "type", True), "resource-types": ("list", "type", True),
        "hooks": ("list", "hook", True)}, ("_schema-version", "ID", "version")),
    "mtaext": ("MTA extension descriptor", {
        "_schema-version": ("any", None, False), "ID": ("str", None, False),
        "extends": ("str", None, False), "description": ("str", None, False),
        "provider": ("str", None, False), "version": ("str", None, False),
        "modules": ("list", "ext-module", False), "resources": ("list", "ext-resource", False),
        "parameters": ("map", None, False), "parameters-metadata": ("map", None, True),
        "module-types": ("list", "type", True), "resource-types": ("list", "type", True),
        "hooks": ("list", "hook", True), "target-platforms": ("any", None, False)},
        ("_schema-version", "ID", "extends")),
    "module": ("MTA module", {
        "name": ("str", None, False), "type": ("str", None, False),
        "description": ("str", None, False), "path": ("str", None, False), **_PARAMS, **_META,
        "requires": ("list", "requires", False), "provides": ("list", "provides", False),
        "deployed-after": ("strings", None, True), "hooks": ("list", "hook", True)},
        ("name", "type")),
    "resource": ("MTA resource", {
        "name": ("str", None, False), "type": ("str", None, False),
        "description": ("str", None, False), "active": ("bool", None, True),
        "optional": ("bool", None, True), **_PARAMS, **_META,
        "requires": ("list", "resource-requires", True),
        "processed-after": ("strings", None, True)}, ("name",)),
    "requires": ("MTA required dependency", {
        "name": ("str", None, False), "list": ("str", None, False),
        "group": ("str", None, False), **_PARAMS, **_META}, ("name",)),
    "resource-requires": ("MTA required dependency", {
        "name": ("str", None, False), **_PARAMS, **_META}, ("name",)),
    "provides": ("MTA provided dependency", {
        "name": ("str", None, False), "public": ("bool", None, False), **_PARAMS, **_META},
        ("name",)),
    "hook": ("MTA hook", {
        "name": ("str", None, False), "type": ("str", None, False),
        "phases": ("strings", None, False), "parameters": ("map", None, False),
        "parameters-metadata": ("map", None, True),
        "requires": ("list", "resource-requires", False)}, ("name", "type")),
    "type": ("MTA module type", {
        "name": ("str", None, False), "extends": ("str", None, False), **_PARAMS, **_META},
        ("name",)),
    "ext-module": ("MTA extension module", {
        "name": ("str", None, False), **_PARAMS, **_META,
        "requires": ("list", "ext-dependency", False),
        "provides": ("list", "ext-dependency", False), "hooks": ("list", "ext-hook", True)},
        ("name",)),
    "ext-resource": ("MTA extension resource", {
        "name": ("str", None, False), "active": ("bool", None, True), **_PARAMS, **_META,
        "requires": ("list", "ext-dependency", True)}, ("name",)),
    "ext-dependency": ("MTA extension dependency", {
        "name": ("str", None, False), **_PARAMS, **_META}, ("name",)),
    "ext-hook": ("MTA extension hook", {
        "name": ("str", None, False), "parameters": ("map", None, False),
        "requires": ("list", "ext-dependency", False)}, ("name",)),
    "include": ("MTA include", {"name": ("str", None, False), "path": ("str", None, False)},
                ("name", "path")),
}

# A development descriptor (mta.yaml) adds what mbt reads and removes before deploying.
_DEV_KEYS: Dict[str, Spec] = {
    "mtad": {"includes": ("list", "include", False), "build-parameters": ("map", None, False),
             "extends": ("str", None, False)},
    "module": {"build-parameters": ("map", None, False), "includes": ("list", "include", False)},
    "resource": {"includes": ("list", "include", False)},
    "requires": {"includes": ("list", "include", False)},
    "resource-requires": {"includes": ("list", "include", False)},
}

_JAVA_TYPES = {str: "String", bool: "Boolean", int: "Integer", float: "Double", YMap: "Map",
               YSeq: "List", type(None): "Null"}
_SHAPE_TYPES = {"map": "Map", "str": "String", "bool": "Boolean"}


def check(ctx) -> None:
    kind = ctx.kind
    data: YMap = ctx.data
    major = _schema_major(ctx, data)
    root = "mtaext" if kind == "mtaext" else "mtad"
    names = _Namespaces(ctx)
    _check_element(ctx, data, root, (), "", kind == "mta", major, names)
    if kind != "mtaext":
        _check_versions(ctx, data, kind)


def _schema_major(ctx, data: YMap) -> Optional[int]:
    """The major schema version, reporting S007/S008; None when unknown."""
    if data.get("_schema-version") is None:
        return None
    text = raw_text(data, "_schema-version").strip()
    parts = _coerce(text)
    if parts is None:
        ctx.report("S007", data, "_schema-version", f"Unable to parse version \"{text}\"",
                   ("_schema-version",), hint="write _schema-version: '3.1' (quoted)")
        return None
    major, minor = parts[0], parts[1]
    if major not in SUPPORTED_SCHEMAS:
        ctx.report("S007", data, "_schema-version", f"Version \"{text}\" is not supported",
                   ("_schema-version",), hint="use a schema version 2.x or 3.x, such as '3.1'")
        return None
    if minor not in SUPPORTED_SCHEMAS[major]:
        known = ", ".join(f"{major}.{m}" for m in SUPPORTED_SCHEMAS[major])
        ctx.report("S008", data, "_schema-version", f"schema version \"{text}\" is newer than "
                   f"the deployer knows ({known}); it is read as {major}.x", ("_schema-version",),
                   hint=f"use one of {known}")
    return major


def _coerce(text: str) -> Optional[Tuple[int, int, int]]:
    match = _COERCE.search(text)
    if not match:
        return None
    return tuple(int(part) if part else 0 for part in match.groups())  # type: ignore[return-value]


def _check_versions(ctx, data: YMap, kind: str) -> None:
    if not isinstance(data.get("version"), str):
        return  # missing (S001) or not a string (S002)
    text = raw_text(data, "version").strip()
    if kind == "mta":  # mbt fills ${timestamp} (and the build tool others) before deploying
        text = text.replace("${timestamp}", "20260101000000")
    if _coerce(text) is None:
        ctx.report("S009", data, "version", f"Unable to parse version \"{text}\"", ("version",),
                   hint="write a semantic version such as '1.0.0'; an unfiltered build "
                        "placeholder stays text")
    elif not SEMVER.match(text):
        major, minor, patch = _coerce(text)
        ctx.report("S010", data, "version", f"version \"{text}\" is not semantic versioning; the "
                   f"deployer reads it as {major}.{minor}.{patch}", ("version",),
                   hint=f"write '{major}.{minor}.{patch}'")


class _Namespaces:
    """The deployer's uniqueness sets: module names; dependency names (resources, provides and
    each module's own name)."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.modules: Dict[str, Any] = {}
        self.dependencies: Dict[str, Tuple[str, Any]] = {}

    def claim(self, table: Dict, name: str, element: YMap, path: tuple, what: str,
              described: str, owner: str = "") -> None:
        """Claim ``name`` for ``element`` (``described`` in later hints) or report S005;
        ``owner`` labels the element that holds it."""
        first = table.get(name)
        if first is None:
            table[name] = (described, element)  # its place is looked up if ever reported
            return
        first_label, first_element = first
        first_loc = key_loc(first_element, "name")
        self.ctx.report("S005", element, "name", _prefixed(owner, f"Value \"{name}\" for key "
                        f"\"name\" not unique for object \"{what}\""), path + ("name",),
                        hint=f"rename one: {first_label} at line {first_loc.line} has the same "
                        "name"
                        + ("; resource names, provided dependency names and module names share "
                           "one namespace" if table is self.dependencies else ""))


def _check_element(ctx, node: YMap, kind: str, path: tuple, owner: str, dev: bool,
                   major: Optional[int], names: _Namespaces) -> None:
    """One element and, recursively, the elements in it; ``owner`` is its label for messages
    ("" for the descriptor itself)."""
    what, spec, required = ELEMENTS[kind]
    if dev and kind == "mtad":
        what = "MTA development descriptor"
    if dev and kind in _DEV_KEYS:
        spec = {**spec, **_DEV_KEYS[kind]}
    for key in required:
        if node.get(key) is None:
            where = "is empty" if key in node else "is missing"
            ctx.report("S001", node, key if key in node else None, _prefixed(owner,
                       f"Required element \"{key}\" for object \"{what}\" {where}"),
                       path + (key,), at_key=key in node)
    # The deployer parses modules before resources: the first of two equal names is a module's.
    for key in (sorted(node, key=lambda k: k != "modules") if "modules" in node else node):
        value = node[key]
        entry = spec.get(key)
        if entry is None:
            _unknown_key(ctx, node, key, path, spec, kind, owner or f"the {what[4:]}")
            continue
        shape, element, v3_only = entry
        if v3_only and major == 2:
            ctx.report("S006", node, key, _prefixed(owner, f"\"{key}\" is a schema v3 key; a "
                       "_schema-version 2 descriptor ignores it"), path + (key,),
                       hint="write _schema-version: '3.1'", at_key=True)
        if value is None:
            continue
        if not _shape_ok(ctx, node, key, value, shape, path, owner):
            continue
        if key == "ID" or (key == "name" and kind != "include"):
            _identifier(ctx, node, key, path, owner)
        if shape == "list":
            seen: Dict[str, Any] = {}
            for index, item in enumerate(value):
                here = path + (key, index)
                if not isinstance(item, YMap):
                    ctx.report("S002", value, index, _prefixed(owner, f"Invalid type for key "
                               f"\"{key}\", each element must be a map, but got "
                               f"\"{_java_type(item)}\""), here,
                               hint="write '- name: ...'")
                    continue
                inner = label(ELEMENT_LABELS.get(element, "element"), item, "")
                _check_element(ctx, item, element, here, ", ".join(filter(None, (owner, inner))),
                               dev, major, names)
                _unique(ctx, owner, kind, key, item, here, seen, names)
    if kind in ("module",) and isinstance(node.get("name"), (str, int, float)):
        _implicit_provide(ctx, node, path, names)


def _shape_ok(ctx, node: YMap, key: str, value: Any, shape: str, path: tuple,
              owner: str) -> bool:
    if shape == "any":
        return True
    if shape in ("list", "strings"):
        if not isinstance(value, YSeq):
            ctx.report("S002", node, key, _prefixed(owner, f"Invalid type provided for "
                       f"\"{key}\": Expected a list of elements but another type was provided"),
                       path + (key,),
                       hint=f"write it as a list: '{key}:' then '  - name: ...'"
                       if shape == "list" else f"write it as a list: {key}: [a, b]")
            return False
        if shape == "strings":
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    ctx.report("S002", value, index, _prefixed(owner, f"Invalid type for key "
                               f"\"{key}\", expected \"String\" but got \"{_java_type(item)}\""),
                               path + (key, index), hint="quote it")
        return True
    # the deployer reads ID and names with toString(), other strings with a cast
    number_name = key in ("ID", "name") and is_number(value)
    ok = {"map": isinstance(value, YMap), "bool": isinstance(value, bool),
          "str": isinstance(value, str) or number_name}[shape]
    if not ok:
        hint = None
        if shape == "str" and isinstance(value, (int, float)):
            hint = f"quote it: write {key}: '{raw_text(node, key)}'"
        ctx.report("S002", node, key, _prefixed(owner, f"Invalid type for key \"{key}\", "
                   f"expected \"{_SHAPE_TYPES[shape]}\" but got \"{_java_type(value)}\""),
                   path + (key,),
                   hint=hint)
    return ok


def _java_type(value: Any) -> str:
    return _JAVA_TYPES.get(type(value), type(value).__name__)


def _identifier(ctx, node: YMap, key: str, path: tuple, owner: str) -> None:
    text = raw_text(node, key)
    if len(text) > MAX_NAME:
        ctx.report("S004", node, key, _prefixed(owner, f"Invalid value for key \"{key}\", "
                   f"maximum length is {MAX_NAME}"), path + (key,),
                   hint=f"shorten it: it has {len(text)} characters")
    bad = _NOT_IN_NAMES.search(text)
    if bad or not text:
        at = text[bad.start():] if bad else text
        ctx.report("S003", node, key, _prefixed(owner, f"Invalid value for key \"{key}\", "
                   f"matching failed at \"{at}\""), path + (key,),
                   hint="use only letters, digits, '_', '-' and '.'")


def _prefixed(owner: str, message: str) -> str:
    return f"{owner}: {message}" if owner else message


def _unknown_key(ctx, node: YMap, key: str, path: tuple, spec: Spec, kind: str,
                 owner: str) -> None:
    if key in _DEV_ONLY:
        ctx.report("S006", node, key, _prefixed(owner, f"\"{key}\" belongs in a development "
                   "descriptor (mta.yaml); the deployer ignores it"), path + (key,),
                   hint="remove it, or move the file to mta.yaml", at_key=True)
        return
    if key in _PARAMETER_LIKE.get(kind, ()):
        # memory: 1G beside parameters is lost without a word; the app gets the default.
        ctx.report("S012", node, key, f"{owner}: \"{key}\" is a parameter, written as a {kind} "
                   "key; the deployer ignores it here", path + (key,),
                   hint=f"move \"{key}\" under parameters", at_key=True)
        return
    hint = did_you_mean(key, spec)
    ctx.report("S006", node, key, f"{owner}: unknown key \"{key}\"; the deployer ignores it",
               path + (key,), hint=hint or "remove it, or check its spelling", at_key=True)


_DEV_ONLY = {"build-parameters", "includes"}
# An element kind -> how messages call one ("module "app"").
ELEMENT_LABELS = {"module": "module", "resource": "resource", "requires": "required dependency",
                  "resource-requires": "required dependency", "provides": "provided dependency",
                  "hook": "hook", "type": "type", "ext-module": "module",
                  "ext-resource": "resource", "ext-dependency": "dependency", "ext-hook": "hook",
                  "include": "include"}
# Deployer parameters that people write as keys of the element itself.
_PARAMETER_LIKE = {
    "module": {"memory", "disk-quota", "instances", "buildpack", "buildpacks", "command", "host",
               "hosts", "domain", "domains", "routes", "health-check-type", "stack", "no-route",
               "no-start", "app-name"},
    "resource": {"service", "service-plan", "service-name", "config", "config-path",
                 "service-tags"},
}


def _unique(ctx, owner: str, kind: str, key: str, item: YMap, path: tuple, seen: Dict,
            names: _Namespaces) -> None:
    """S005 for ``item``, an element of the list ``key`` of the element labelled ``owner``."""
    name = item.get("name")
    if not isinstance(name, (str, int, float)) or isinstance(name, bool):
        return
    name = raw_text(item, "name")
    if key == "modules" and kind == "mtad":
        names.claim(names.modules, name, item, path, "MTA module", f"module \"{name}\"")
    elif key == "resources" and kind == "mtad":
        names.claim(names.dependencies, name, item, path, "MTA resource", f"resource \"{name}\"")
    elif key == "provides" and kind == "module":
        names.claim(names.dependencies, name, item, path, "MTA provided dependency",
                    f"provided dependency \"{name}\"", owner)
    elif key in ("requires", "hooks", "modules", "resources", "provides", "module-types",
                 "resource-types"):
        what = ELEMENTS[_element_of(kind, key)][0]
        if name in seen:
            first = key_loc(seen[name], "name")
            ctx.report("S005", item, "name", _prefixed(owner, f"Value \"{name}\" for key \"name\" "
                       f"not unique for object \"{what}\""), path + ("name",),
                       hint=f"rename one: the same name is at line {first.line}")
        else:
            seen[name] = item


def _element_of(kind: str, key: str) -> str:
    spec = ELEMENTS[kind][1]
    entry = spec.get(key) or _DEV_KEYS.get(kind, {}).get(key)
    return entry[1] if entry and entry[1] else kind


def _implicit_provide(ctx, module: YMap, path: tuple, names: _Namespaces) -> None:
    """Every module provides its own name, unless it lists it in ``provides`` itself."""
    name = raw_text(module, "name")
    provides = module.get("provides")
    if isinstance(provides, YSeq) and any(isinstance(p, YMap) and p.get("name") is not None
                                          and raw_text(p, "name") == name for p in provides):
        return
    first = names.dependencies.get(name)
    if first is None:
        names.dependencies[name] = (f"module \"{name}\"", module)
        return
    if first[0].startswith("module "):
        return  # two modules of one name: reported once, as a module
    names.claim(names.dependencies, name, module, path, "MTA provided dependency", "")
