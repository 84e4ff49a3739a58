"""The SAP BTP Neo profile, active when the platform is ``neo`` (a descriptor with
``parameters.hcp-deployer-version`` or a Neo-only module type; ``--platform`` overrides). The
facts come from SAP's Neo pages (``neo_types.py`` holds them as data and says where from).

- ``_schema-version`` must be ``2.1`` or ``3.1`` (``2.1.0``, ``3.1.0`` too) (N001; versions that
  no deployer knows are the structure rules' S007). Development descriptors (``mta.yaml``) are
  exempt: the build tool writes the deployment descriptor's version.
- ``hcp-deployer-version`` is required in a deployment descriptor and must be ``1.0.0``,
  ``1.1.0`` or ``1.2.0`` (SAP's examples also write ``'1.0'`` and ``1.2``) (N002); ``1.0.0`` "is
  going to be deprecated" (N004).
- A version, or any text parameter, written as an unquoted number is read by YAML as a number
  (``1.10`` becomes ``1.1``): quote it (N003, a warning). So is a boolean written ``yes``/``on``,
  and a text parameter written as an unquoted ``on``, ``off``, ``yes`` or ``no``
  (``compression: on``): YAML 1.1 readers such as the deployer's SnakeYAML read these words as
  booleans, so write ``'on'``. Versions are compared as text and numbers, never as floats.
- The MTA ``version`` has at most 64 symbols (N017; the page's target platform options: "The value
  must not exceed 64 symbols.").
- Module and resource types must be the Neo ones (N005, with a suggestion).
  ``com.sap.hcp.sfsf-connection`` and ``com.sap.hcp.sfsf-role-provider``, which SAP's own Benefits
  sample uses but the documentation no longer lists, are warnings (N006). Development
  descriptors are exempt (their types, such as ``html5``, are the build tool's).
- Home page tiles were discontinued by SuccessFactors: the module type
  ``com.sap.hcp.sfsf-home-page-tiles`` and the parameters ``sfsf-home-page-tiles`` and
  ``sfsf-tiles`` are warnings (N007).
- Parameters of ``com.sap.java``, ``java.tomcat`` and ``com.sap.hcp.html5``: an undocumented name
  is a warning with a "did you mean" hint (N008), unless the descriptor uses it as a
  ``${placeholder}``; ``name`` (and an HTML5 ``version``) are required (N009); types (N010);
  allowed values, ranges (``minimum-processes``/``maximum-processes`` 1 to 99) and the name length
  1 to 255 (N011). The ``name`` of a ``com.sap.java`` or ``java.tomcat`` module is also a Neo
  application name, the host label of ``https://<name><subaccount>.<host>``: a character other
  than a letter, digit, ``.``, ``_`` or ``-`` can be in no URL host and no MTA name, and is an
  error (N011; it would also reach shell commands in the runbook). Letters and digits only,
  starting with a letter, at most 30 characters is a warning (N016): SAP's table states only the
  length, so that rule is inferred from the URL (a DNS label: at most 63 characters, with a
  subaccount name of up to 30) and the Neo console client's rule for such names, and SAP's own
  Benefits sample breaks it (``benefits.app``). In a name with a ``${...}`` reference, the written
  parts are checked. ``runtime``, ``runtime-version`` and ``java-version``
  outside the table's list are warnings, not errors, because SAP's own examples use ``JRE 7``,
  ``neo-java-web`` and ``runtime-version: 1`` (N012); so is ``JRE 17`` on a Tomcat runtime older
  than 4.16, or ``JRE 11`` on 4.16 or newer. Both or neither of ``minimum-processes`` and
  ``maximum-processes``, and minimum not above maximum (N013). ``rolling-update`` and
  ``rolling-update-timeout`` need ``hcp-deployer-version`` 1.2.0 (N014). ``compression-mime-types``
  and ``compression-min-size`` only with ``compression: 'on'`` (N015). The ``sfsf-*`` parameters and
  ``role-provider`` are known names here; their contents are the sfsf and outbound rules' job. An
  empty value, or one with a ``${...}``/``~{...}`` reference, is left alone: it is filled at
  deploy time.

Literal secrets (N020) are a rule family of their own, checked on every platform.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional, Set, Tuple

from ..diagnostics import declare, suggest
from ..descriptor.tree import YMap, YSeq, raw_text, value_loc
from . import neo_types as T
from .common import did_you_mean, has_placeholder, is_number, one_of
from .sfsf import sfsf_near_miss

CODES = declare({
    "N001": ("error", "a _schema-version the Neo environment does not support (2.1, 3.1)"),
    "N002": ("error", "hcp-deployer-version missing, or not 1.0.0, 1.1.0 or 1.2.0"),
    "N003": ("warning", "a version or text written as a number, a text written as an unquoted "
                        "on/off/yes/no, or a boolean written as text: quote it, or write "
                        "true/false"),
    "N004": ("warning", "hcp-deployer-version 1.0.0, which SAP is deprecating"),
    "N005": ("error", "a module or resource type the Neo environment does not support"),
    "N006": ("warning", "a module type of SAP's samples that the Neo documentation no longer "
                        "lists"),
    "N007": ("warning", "home page tiles, discontinued by SuccessFactors"),
    "N008": ("warning", "a parameter the Neo module type does not document; did you mean ...?"),
    "N009": ("error", "a required parameter of a Neo module type is missing"),
    "N010": ("error", "a Neo module parameter of the wrong type"),
    "N011": ("error", "a Neo module parameter outside its allowed values, characters, range or "
                      "length"),
    "N012": ("warning", "runtime, runtime-version or java-version outside the documented list"),
    "N013": ("error", "minimum-processes without maximum-processes (or the reverse), or minimum "
                      "above maximum"),
    "N014": ("error", "a parameter that needs a newer hcp-deployer-version"),
    "N015": ("warning", "compression-mime-types or compression-min-size without compression: "
                        "'on'"),
    "N016": ("warning", "a Java application name that is not letters and digits, starting with a "
                        "letter, at most 30 characters (inferred from its URL)"),
    "N017": ("error", "an MTA version longer than 64 symbols"),
})

MAX_VERSION = 64
# SnakeYAML's (YAML 1.1) boolean words that YAML 1.2 reads as text; true/false are booleans in both.
_YAML11_BOOLEANS = frozenset({"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off",
                              "Off", "OFF"})

QUOTE_ADVICE = ("To ensure that numeric values, such as product version and IDs, are not "
                "automatically interpreted as numbers, always wrap them in single quotes")

_VERSION = re.compile(r"^\d+(?:\.\d+){0,2}$")
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_REFERENCES = re.compile(r"[$~]\{[^{}]*\}")
_APPLICATION_CHARS = re.compile(r"^[A-Za-z0-9]*$")
_NAME_CHARS = re.compile(r"^[A-Za-z0-9._-]*$")  # what any MTA name and URL host label allows
# mta-sfsf schema builds the application-name pattern of its JSON Schema from these two.
APPLICATION_NAME_CHARS, REFERENCES = _NAME_CHARS, _REFERENCES
_TEXT_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n", "true", "false"})
_TYPE_NAMES = {"string": "a string", "quoted-string": "a quoted string", "boolean": "true or false",
               "integer": "an integer", "list": "a list", "map": "a mapping (resource: <path>)"}


def check(ctx) -> None:
    if ctx.platform != "neo":
        return
    kind = ctx.kind
    if kind != "mta":
        _check_schema_version(ctx)
    if kind != "mtaext":
        _check_mta_version(ctx)
    deployer = _check_deployer_version(ctx, kind)
    placeholders = _placeholders(ctx.descriptor)
    for index, module in ctx.items("modules"):
        _check_module(ctx, index, module, kind, deployer, placeholders)
    if kind != "mta":
        for index, resource in ctx.items("resources"):
            _check_resource_type(ctx, index, resource)


# Types that exist only in the Neo environment (java.tomcat is also an XSA type: no marker).
NEO_ONLY_TYPES = ("com.sap.java", "com.sap.hcp.", "com.sap.fiori", "com.sap.odp.config",
                  "com.sap.integration")


def detect_platform(data) -> str:
    """``neo`` when the descriptor says so (hcp-deployer-version or a Neo-only type)."""
    if not isinstance(data, dict):
        return "generic"
    parameters = data.get("parameters")
    if isinstance(parameters, dict) and "hcp-deployer-version" in parameters:
        return "neo"
    for section in ("modules", "resources"):
        items = data.get(section)
        if isinstance(items, list):
            for item in items:
                kind = item.get("type") if isinstance(item, dict) else None
                if isinstance(kind, str) and kind.startswith(NEO_ONLY_TYPES):
                    return "neo"
    return "generic"


# --- versions -----------------------------------------------------------------------------------

def version_tuple(text: str) -> Optional[Tuple[int, int, int]]:
    """``'1.2'`` -> (1, 2, 0); None unless the text is one to three dot-separated numbers."""
    if not _VERSION.match(text):
        return None
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


def _unquoted_number(container: YMap, key: str) -> bool:
    return is_number(container.get(key))


def _check_schema_version(ctx) -> None:
    data = ctx.data
    if data.get("_schema-version") is None:
        return
    text = raw_text(data, "_schema-version").strip()
    parsed = version_tuple(text)
    if parsed is None or parsed[0] not in (2, 3):
        return  # not a version any deployer knows: the structure rules report it (S007)
    supported = {version_tuple(v) for v in T.SCHEMA_VERSIONS}
    where = ("_schema-version",)
    if parsed not in supported or len(text.split(".")) < 2:
        ctx.report("N001", data, "_schema-version", f"Version \"{text}\" is not supported by the "
                   "Neo environment", where, hint="use '2.1' or '3.1'")
    elif _unquoted_number(data, "_schema-version"):
        ctx.report("N003", data, "_schema-version", f"_schema-version {text} is written as a "
                   "number", where, hint=f"{QUOTE_ADVICE}: '{text}'")


def _check_mta_version(ctx) -> None:
    if not isinstance(ctx.data.get("version"), str):
        return
    text = raw_text(ctx.data, "version").strip()
    if len(text) > MAX_VERSION:
        ctx.report("N017", ctx.data, "version", f"version \"{text[:40]}...\" has {len(text)} "
                   f"symbols; the Neo environment's limit: \"The value must not exceed "
                   f"{MAX_VERSION} symbols.\"", ("version",),
                   hint="write a shorter version, such as '1.0.0'")


def _check_deployer_version(ctx, kind: str) -> Optional[Tuple[int, int, int]]:
    """Check ``parameters.hcp-deployer-version``; return it parsed, or None when unknown."""
    parameters = ctx.data.get("parameters")
    if not isinstance(parameters, YMap) or parameters.get("hcp-deployer-version") is None:
        if kind == "mtad":
            container, key = ((ctx.data, "parameters") if isinstance(parameters, YMap)
                              else (ctx.data, "ID"))
            ctx.report("N002", container, key, "hcp-deployer-version is missing: the Neo "
                       "deployer needs the version of its deploy service", ("parameters",
                       "hcp-deployer-version"), hint="add parameters: hcp-deployer-version: "
                       "'1.2.0'", at_key=True)
        return None
    key = "hcp-deployer-version"
    where = ("parameters", key)
    value = parameters[key]
    scalar = isinstance(value, (str, int, float)) and not isinstance(value, bool)
    text = raw_text(parameters, key).strip() if scalar else type(value).__name__
    parsed = version_tuple(text) if scalar else None
    supported = [version_tuple(v) for v in T.DEPLOYER_VERSIONS]
    if parsed is None or parsed not in supported or len(text.split(".")) < 2:
        ctx.report("N002", parameters, key, f"hcp-deployer-version \"{text}\" is not supported",
                   where, hint="use '1.2.0' (the current supported versions are '1.0.0', "
                   "'1.1.0' and '1.2.0')")
        return None
    if _unquoted_number(parameters, key):
        ctx.report("N003", parameters, key, f"hcp-deployer-version {text} is written as a "
                   "number", where, hint=f"{QUOTE_ADVICE}: '{text}'")
    if parsed in [version_tuple(v) for v in T.DEPRECATED_DEPLOYER_VERSIONS]:
        same = "" if text == "1.0.0" else " (1.0.0)"
        ctx.report("N004", parameters, key, f"Deployer version {text}{same} is going to be "
                   "deprecated", where, hint="use version '1.1.0' and higher")
    return parsed


# --- types --------------------------------------------------------------------------------------

def _check_module_type(ctx, index: int, module: YMap, mtype: str) -> None:
    where = ("modules", index, "type")
    if mtype in T.MODULE_TYPES:
        return
    if mtype in T.DEPRECATED_MODULE_TYPES:
        ctx.report("N007", module, "type", ctx.named(where, f"the type \"{mtype}\" registers "
                   "home page tiles; the support of the Home Page tiles in SAP SuccessFactors has "
                   "been discontinued"), where, hint="remove the module; use the latest home page")
    elif mtype in T.SAMPLE_MODULE_TYPES:
        ctx.report("N006", module, "type", ctx.named(where, f"the type \"{mtype}\" is used by "
                   "SAP's Benefits sample but is not among the module types SAP documents for "
                   "Neo"), where, hint="use com.sap.java or java.tomcat with the sfsf-connections "
                   "and role-provider parameters, which do the same")
    else:
        ctx.report("N005", module, "type", ctx.named(where, f"unsupported module type "
                   f"\"{mtype}\" for the Neo environment"), where,
                   hint=_type_hint(mtype, T.MODULE_TYPES))


def _check_resource_type(ctx, index: int, resource: YMap) -> None:
    rtype = resource.get("type")
    if rtype is None or not isinstance(rtype, str) or rtype in T.RESOURCE_TYPES:
        return
    where = ("resources", index, "type")
    ctx.report("N005", resource, "type", ctx.named(where, f"unsupported resource type "
               f"\"{rtype}\" for the Neo environment"), where,
               hint=_type_hint(rtype, T.RESOURCE_TYPES + ("(no type)",)))


def _type_hint(word: str, choices: tuple) -> str:
    return did_you_mean(word, choices) or "use one the Neo environment supports: " + ", ".join(
        choices)


# --- module parameters --------------------------------------------------------------------------

def _placeholders(descriptor) -> Set[str]:
    """Names used as ``${name}`` anywhere in the chain: such parameters are the author's own."""
    names: Set[str] = set()
    for document in [descriptor.main] + list(descriptor.extensions):
        if "${" in document.text:
            names.update(_PLACEHOLDER.findall(document.text))
    return names


def _is_deferred(value: Any) -> bool:
    """Empty (filled by an extension or at deploy time) or holding a reference."""
    return value is None or value == "" or has_placeholder(value)


def _check_module(ctx, index: int, module: YMap, kind: str,
                  deployer: Optional[Tuple[int, int, int]], placeholders: Set[str]) -> None:
    mtype = module.get("type")
    if not isinstance(mtype, str):
        return
    if kind != "mta":
        _check_module_type(ctx, index, module, mtype)
    parameters = module.get("parameters")
    path = ("modules", index, "parameters")
    name = module.get("name")
    if isinstance(parameters, YMap):
        for key in T.DEPRECATED_PARAMETERS:
            if key in parameters:
                ctx.report("N007", parameters, key, ctx.named(path, f"the parameter \"{key}\" "
                           "registers home page tiles; the support of the Home Page tiles in "
                           "SAP SuccessFactors "
                           "has been discontinued"), path + (key,),
                           hint="remove it; use the latest home page", at_key=True)
    table = T.MODULE_PARAMETERS.get(mtype)
    if table is None:
        return
    if not isinstance(parameters, YMap):
        if parameters is None:
            _report_missing(ctx, module, table, YMap(module.loc), path, name, mtype)
        return
    _report_missing(ctx, module, table, parameters, path, name, mtype)
    for key, value in parameters.items():
        spec = table.get(key)
        here = path + (key,)
        if spec is None:
            if key not in placeholders and key not in T.DEPRECATED_PARAMETERS \
                    and not (mtype in T.SFSF_CHECKED_TYPES and sfsf_near_miss(key)):
                ctx.report("N008", parameters, key, ctx.named(here, f"unknown parameter "
                           f"\"{key}\" for module type \"{mtype}\""), here,
                           hint=did_you_mean(key, table) or "check the name in the "
                           f"{mtype} parameter table of SAP's Neo documentation", at_key=True)
            continue
        if key in T.SFSF_OWNED and mtype in T.SFSF_CHECKED_TYPES or _is_deferred(value):
            continue
        text = _check_value_type(ctx, parameters, key, value, spec, here)
        if text is not None:
            _check_value(ctx, parameters, key, value, text, spec, here, deployer, mtype)
    if mtype in T.SFSF_CHECKED_TYPES:
        check_application_name(ctx, parameters, path)
    _check_processes(ctx, parameters, path)
    _check_compression(ctx, parameters, path)
    if mtype == "java.tomcat":
        _check_tomcat_java(ctx, parameters, path)


def _report_missing(ctx, module: YMap, table: Dict[str, dict], parameters: YMap, path: tuple,
                    name: Any, mtype: str) -> None:
    for key, spec in table.items():
        if spec["required"] and key not in parameters:
            container, at = (module, "parameters") if "parameters" in module else (module, "type")
            ctx.report("N009", container, at, ctx.named(path, f"missing required parameter "
                       f"\"{key}\" of module type \"{mtype}\""), path + (key,),
                       hint=f"add parameters: {key}: ...", at_key=True)


def _plain(ctx, container: YMap, key: str) -> bool:
    """Whether the value was written without quotes (or a tag): its text starts a plain scalar."""
    loc = value_loc(container, key)
    document = ctx.descriptor.main
    if loc.file != document.file:
        document = next((ext for ext in ctx.descriptor.extensions if ext.file == loc.file), None)
    text = document.text if document is not None else ""
    return loc.index < len(text) and text[loc.index] not in "'\"!&*"


def _report_named(ctx, code: str, container: Any, key: Any, message: str, path: tuple,
                  **options: Any) -> None:
    """Report with the message led by the element (``module "app": ...``)."""
    ctx.report(code, container, key, ctx.named(path, message), path, **options)


def _check_value_type(ctx, parameters: YMap, key: str, value: Any, spec: dict,
                      here: tuple) -> Optional[str]:
    """Report a wrong type; return the value as text for the value checks, or None."""
    kind = spec["type"]
    if kind in ("string", "quoted-string"):
        if isinstance(value, str) and value in _YAML11_BOOLEANS and _plain(ctx, parameters, key):
            _report_named(ctx, "N003", parameters, key, f"parameter \"{key}\" is written {value} "
                          "without quotes: YAML 1.1 readers, the deployer's among them, read it as "
                          "a boolean, not as text", here, hint=f"write '{value}' in quotes")
        if isinstance(value, str):
            return value
        if is_number(value):
            text = raw_text(parameters, key)
            read = "" if str(value) == text else f" (YAML reads it as {value!r})"
            _report_named(ctx, "N003", parameters, key, f"parameter \"{key}\" is written as the "
                          f"number {text}{read}", here, hint=f"{QUOTE_ADVICE}: write '{text}'")
            return text
    elif kind == "boolean":
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, str) and value.lower() in _TEXT_BOOLEANS:
            _report_named(ctx, "N003", parameters, key, f"parameter \"{key}\" is the text "
                          f"\"{value}\", not a boolean; YAML readers disagree on such words",
                          here, hint="write true or false without quotes")
            return None
    elif kind == "integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    elif kind == "list" and isinstance(value, YSeq):
        return None
    elif kind == "map" and isinstance(value, YMap):
        return None
    _report_named(ctx, "N010", parameters, key, f"invalid type for parameter \"{key}\": expected "
                  f"{_TYPE_NAMES[kind]}", here, hint=f"write {_TYPE_NAMES[kind]}")
    return None


def _check_value(ctx, parameters: YMap, key: str, value: Any, text: str, spec: dict, here: tuple,
                 deployer: Optional[Tuple[int, int, int]], mtype: str) -> None:
    if "values" in spec and text not in spec["values"]:
        match = next((v for v in spec["values"] if v.lower() == text.lower()), None)
        match = match or suggest(text, spec["values"])
        _report_named(ctx, "N011", parameters, key, f"\"{text}\" is not a valid {key}; the "
                      "available values are " + ", ".join(spec["values"]), here,
                      hint=f"did you mean \"{match}\"?" if match else "use "
                      + one_of(spec["values"]))
    if "range" in spec and isinstance(value, int):
        low, high = spec["range"]
        if not low <= value <= high:
            _report_named(ctx, "N011", parameters, key, f"parameter \"{key}\" is {value}; the "
                          f"allowed range is from {low} to {high}", here)
    if "length" in spec:
        low, high = spec["length"]
        if not low <= len(text) <= high:
            _report_named(ctx, "N011", parameters, key, f"The {key} value length has to be "
                          f"between {low} and {high} symbols (it has {len(text)})", here)
    if "documented" in spec:
        documented = spec["documented"]
        shown = text.split(".")[0] if key == "runtime-version" else text
        if shown not in documented:
            _report_named(ctx, "N012", parameters, key, f"module type \"{mtype}\" documents only "
                          f"{key} " + one_of(documented) + f", not \"{text}\"", here,
                          hint="check that the Neo runtime still offers it (SAP's own examples "
                          "use other values)")
    since = spec.get("since-deployer")
    if since and deployer is not None and deployer < version_tuple(since):
        _report_named(ctx, "N014", parameters, key, f"parameter \"{key}\" needs at least "
                      f"hcp-deployer-version {since}", here,
                      hint=f"set parameters: hcp-deployer-version: '{since}'")


def check_application_name(ctx, parameters: YMap, path: tuple) -> None:
    """The Java module's ``name``, which becomes the host label of the application's URL."""
    value = parameters.get("name")
    if not isinstance(value, str) or not value:
        return  # missing, empty (filled later) or not a string: N009, N010
    written = _REFERENCES.sub("", value)  # with a reference, only the written parts are known
    shown = value if len(value) <= 40 else value[:40] + "..."
    if not _NAME_CHARS.match(written):
        _report_named(ctx, "N011", parameters, "name", f"\"{shown}\" is not a Neo application "
                      "name: it may contain only letters, digits, '.', '_' and '-'; it becomes "
                      "the host label of https://<name><subaccount>.<host>", path + ("name",),
                      hint="rename it, e.g. 'benefits' or 'myapp2'")
        return
    if not _APPLICATION_CHARS.match(written):
        problem = "is not letters and digits only"
    elif written == value and not value[0].isalpha():
        problem = "does not start with a letter"
    elif written == value and T.MAX_APPLICATION_NAME < len(value) <= 255:  # longer: the table's
        problem = f"is longer than {T.MAX_APPLICATION_NAME} characters ({len(value)})"
    else:
        return
    _report_named(ctx, "N016", parameters, "name", f"\"{shown}\" {problem}: Neo application "
                  "names are letters and digits, starting with a letter, at most "
                  f"{T.MAX_APPLICATION_NAME} characters (inferred: the name becomes the host "
                  "label of https://<name><subaccount>.<host>)", path + ("name",),
                  hint="rename it, e.g. 'benefits' or 'myapp2'")


def _check_processes(ctx, parameters: YMap, path: tuple) -> None:
    low, high = "minimum-processes", "maximum-processes"
    given = [key for key in (low, high) if parameters.get(key) is not None]
    if len(given) == 1:
        _report_named(ctx, "N013", parameters, given[0], f"You either have to use both the {low} "
                      f"and {high} parameters, or neither", path + (given[0],), at_key=True)
        return
    lowest, highest = parameters.get(low), parameters.get(high)
    if isinstance(lowest, int) and isinstance(highest, int) and not isinstance(lowest, bool) \
            and not isinstance(highest, bool) and lowest > highest:
        _report_named(ctx, "N013", parameters, low, f"The {low} ({lowest}) should be equal to "
                      f"or lower than the {high} value ({highest})", path + (low,))


def _check_compression(ctx, parameters: YMap, path: tuple) -> None:
    compression = parameters.get("compression")
    if compression == "on" or _is_deferred(compression) and "compression" in parameters:
        return
    for key in ("compression-mime-types", "compression-min-size"):
        if key in parameters:
            _report_named(ctx, "N015", parameters, key, f"Explicitly specify {key} only when you "
                          f"use the compression value on (it is "
                          f"{compression or 'off, the default'})", path + (key,),
                          hint="remove it, or set compression: 'on'", at_key=True)


def _check_tomcat_java(ctx, parameters: YMap, path: tuple) -> None:
    java = parameters.get("java-version")
    if java not in ("JRE 17", "JRE 11") or _is_deferred(parameters.get("runtime-version")) \
            and "runtime-version" in parameters:
        return
    runtime = raw_text(parameters, "runtime-version").strip() or "3"
    parsed = version_tuple(runtime)
    if parsed is None:
        return
    exact = "." in runtime  # '4' means the newest 4.x
    too_old = java == "JRE 17" and (parsed[0] < 4 or exact and parsed < (4, 16, 0))
    too_new = java == "JRE 11" and exact and parsed >= (4, 16, 0)
    if too_old or too_new:
        need = "4.16 or higher" if too_old else "4.15 or lower"
        _report_named(ctx, "N012", parameters, "java-version", f"java.tomcat documents {java} in "
                      f"runtime-version {need}, not in \"{runtime}\"", path + ("java-version",),
                      hint=f"set runtime-version: '{'4' if too_old else '4.15'}', or another "
                      "java-version")
