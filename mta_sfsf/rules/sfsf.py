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

An unknown key in these maps is an error with a "did you mean" hint (F002). Text values must be
non-empty and one line of printable text: no control characters (C0, DEL, C1), line or paragraph
separators, zero-width or bidirectional formatting characters (F007).

``sfsf-outbound-connections``, this tool's own schema, is the outbound rules' (``outbound.py``).
Whether ``~{...}`` and ``${...}`` references resolve is the references rules' job, not this
module's.
"""
from __future__ import annotations

from ..diagnostics import declare
from ..descriptor.yaml_io import YMap, YSeq
from .common import has_placeholder
from .parameter_checks import SHARED_CODES, ParameterChecks, java_modules

CODES = declare({
    **SHARED_CODES,
    "F005": ("error", "technical-user-id missing on a technical-user connection, or set on a "
                      "default one"),
    "F006": ("warning", "a technical-user SuccessFactors connection (deprecated systemUser)"),
})

SFSF_CONNECTION_TYPES = ("default", "technical-user")
SFSF_CONNECTION_KEYS = frozenset({"type", "sfsf-module", "additional-properties",
                                  "technical-user-id"})
SFSF_MODULES = ("BizX",)
ROLE_PROVIDERS = ("sfsf", "hcp")
TILES_PARAMETERS = ("sfsf-home-page-tiles", "sfsf-tiles")


def check(ctx) -> None:
    for parameters, base in java_modules(ctx):
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
