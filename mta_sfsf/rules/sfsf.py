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

A parameter of a Java module that is not one of these but looks like one (``sfsf-`` in any
case or with ``_``, or one letter away: ``sfsf-outbound-connection``, ``sfsf-connection``,
``sfsf-idp-acess``) is an error (F019), on every platform: the Neo deployer ignores a parameter it
does not know, so the connection or access it should configure is silently never created (the Neo
profile would only warn, N008, and ``expand`` would find nothing to do).

An unknown key in these maps is an error with a "did you mean" hint (F002). Text values must be
non-empty and one line of printable text: no control characters (C0, DEL, C1), line or paragraph
separators, zero-width or bidirectional formatting characters (F007).

``sfsf-outbound-connections``, this tool's own schema, is the outbound rules' (``outbound.py``).
Whether ``~{...}`` and ``${...}`` references resolve is the references rules' job, not this
module's.
"""
from __future__ import annotations

from ..diagnostics import declare
from ..descriptor.tree import YMap, YSeq
from . import neo_types as T
from .common import has_placeholder
from .misspelt_parameters import one_slip
from .parameter_checks import SHARED_CODES, ParameterChecks, java_modules

CODES = declare({
    **SHARED_CODES,
    "F005": ("error", "technical-user-id missing on a technical-user connection, or set on a "
                      "default one"),
    "F006": ("warning", "a technical-user SuccessFactors connection (deprecated systemUser)"),
    "F019": ("error", "a Java module parameter that looks like an sfsf-* parameter but is none: "
                      "the deployer ignores it"),
})

SFSF_CONNECTION_TYPES = ("default", "technical-user")
SFSF_CONNECTION_KEYS = frozenset({"type", "sfsf-module", "additional-properties",
                                  "technical-user-id"})
SFSF_MODULES = ("BizX",)
ROLE_PROVIDERS = ("sfsf", "hcp")
TILES_PARAMETERS = ("sfsf-home-page-tiles", "sfsf-tiles")


SFSF_PARAMETERS = tuple(name for name in T.MODULE_PARAMETERS["com.sap.java"]
                        if name.startswith("sfsf-"))


def sfsf_near_miss(name: str) -> bool:
    """A name that is no Java module parameter but looks like an ``sfsf-*`` one."""
    if not isinstance(name, str) or name in T.MODULE_PARAMETERS["java.tomcat"] \
            or name in T.MODULE_PARAMETERS["com.sap.java"]:
        return False
    folded = name.lower().replace("_", "-")
    return folded.startswith("sfsf") or any(one_slip(folded, known) for known in SFSF_PARAMETERS)


def check(ctx) -> None:
    for parameters, base in java_modules(ctx):
        for key in parameters:
            if sfsf_near_miss(key):
                folded = key.lower().replace("_", "-")
                meant = next((f"did you mean \"{known}\"?" for known in SFSF_PARAMETERS
                              if known == folded or one_slip(folded, known)), None)
                ctx.report("F019", parameters, key, ctx.named(base, f"unknown parameter "
                           f"\"{key}\": the deployer ignores it, so nothing it should configure "
                           "is created"), base + (key,), at_key=True,
                           hint=meant or "use one of: " + ", ".join(SFSF_PARAMETERS))
        _Module(ctx, parameters, base).check()


class _Module(ParameterChecks):
    """SAP's sfsf-* parameters of one Java module."""

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
