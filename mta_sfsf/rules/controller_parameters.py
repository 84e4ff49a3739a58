"""Parameters the Cloud Foundry and XSA deployer (cloudfoundry/multiapps-controller) refuses, in
the generic profile only: on Neo these parameters mean nothing. The deployer's words are kept.

- **Read-only parameters** (S013): the deployer sets these itself, and a descriptor that sets one
  (to any value, even empty) is refused with ``"Global" parameters have read-only elements
  "[default-domain]"`` (the module's or resource's name for theirs). Global: ``authorization-url``,
  ``controller-url``, ``default-domain``, ``default-idle-domain``, ``org``, ``org-guid``,
  ``space``, ``space-guid``, ``user``, ``xs-type``; module: ``default-domain``,
  ``default-idle-domain``, ``default-host``, ``protocol``, ``generated-user``,
  ``generated-password``, ``default-uri``, ``default-url``, ``default-idle-host``,
  ``default-idle-uri``, ``default-idle-url``, ``default-app-name``, ``default-instances``,
  ``timestamp``; resource: ``default-container-name``, ``default-xsappname``, ``generated-user``,
  ``generated-password``, ``default-service-name``. Read them as ``${default-domain}``.
  ``process/util/ReadOnlyParametersChecker.check``, with the sets of
  ``core/model/SupportedParameters``. The deployer joins all of them into one message; each is
  reported here where it is written.
- **apply-namespace** (S014): the global ``apply-namespace`` is a map whose flags ``app-names``,
  ``service-names``, ``app-routes`` and ``as-suffix`` are booleans (``Cannot parse "app-names"
  flag - expected a boolean format.``; ``process/util/NamespaceGlobalParameters.getApplyNamespace``);
  a module's ``apply-namespace`` is a boolean (``core/util/NamespaceValidationUtil``, through
  multiapps-common ``MapUtil.parseBooleanFlag``; a map there gets only its flags checked, since
  newer deployers may read flags at module level). A quoted ``'true'`` is text, not a boolean. A
  global ``apply-namespace`` that is not a map fails the deployer with a bare
  ``ClassCastException``; it is reported here in the words of the deployer's map-flag message.
- **Service binding config** (S015): the ``config`` parameter of a module's ``requires`` entry
  for a resource is a map (``Invalid type for key "app#db#config", expected "Map" but got
  "String"``; ``core/cf/v2/ApplicationCloudModelBuilder.getBindingParameters``).
- **List-valued module parameters** (S016): ``hosts``, ``domains``, ``idle-hosts``,
  ``idle-domains`` and ``buildpacks`` are lists (``Invalid type provided for "hosts": Expected a
  list of elements but another type was provided``; multiapps ``util/PropertiesUtil
  .getPluralOrSingular`` and ``resolvers/PlaceholderResolver.getSingularParameter``), and
  ``routes`` and ``idle-routes`` are non-empty lists of maps (``Cannot parse 'routes' property -
  check documentation for correct format.``, the same words for ``idle-routes``;
  ``core/validators/parameters/RoutesValidator.isValid``).

A value with a ``${...}`` reference is left alone: it is resolved first.
"""
from __future__ import annotations

from typing import Any

from ..diagnostics import declare
from ..descriptor.tree import YMap, YSeq
from .common import has_placeholder, indexed_maps, name_of

CODES = declare({
    "S013": ("error", "a read-only parameter that only the deployer sets (default-domain, ...)"),
    "S014": ("error", "an apply-namespace flag that is not a boolean, or a global apply-namespace "
                      "that is not a map"),
    "S015": ("error", "the config of a service binding that is not a map"),
    "S016": ("error", "hosts, domains, buildpacks, routes or another list-valued parameter that "
                      "is not a list"),
})

READ_ONLY_GLOBAL = frozenset({"authorization-url", "controller-url", "default-domain",
                              "default-idle-domain", "org", "org-guid", "space", "space-guid",
                              "user", "xs-type"})
READ_ONLY_MODULE = frozenset({"default-domain", "default-idle-domain", "default-host", "protocol",
                              "generated-user", "generated-password", "default-uri",
                              "default-url", "default-idle-host", "default-idle-uri",
                              "default-idle-url", "default-app-name", "default-instances",
                              "timestamp"})
READ_ONLY_RESOURCE = frozenset({"default-container-name", "default-xsappname", "generated-user",
                                "generated-password", "default-service-name"})
NAMESPACE_FLAGS = ("app-names", "service-names", "app-routes", "as-suffix")
PLURALS = ("hosts", "domains", "idle-hosts", "idle-domains", "buildpacks")
ROUTES = ("routes", "idle-routes")
# What Java calls a YAML value (Class.getSimpleName()), as the deployer's messages print it.
_JAVA_TYPES = {str: "String", bool: "Boolean", int: "Integer", float: "Double",
               YMap: "LinkedHashMap", YSeq: "ArrayList"}


def check(ctx) -> None:
    if ctx.platform == "neo":
        return
    resources = {name_of(r) for _, r in ctx.items("resources")}
    top = ctx.data.get("parameters")
    if isinstance(top, YMap):
        _read_only(ctx, top, READ_ONLY_GLOBAL, "Global", ("parameters",))
        _global_namespace(ctx, top)
    for m, module in ctx.items("modules"):
        parameters = module.get("parameters")
        name = name_of(module) or f"modules[{m}]"
        base = ("modules", m, "parameters")
        if isinstance(parameters, YMap):
            _read_only(ctx, parameters, READ_ONLY_MODULE, name, base)
            _module_namespace(ctx, parameters, base)
            _lists(ctx, parameters, base)
        for r, requirement in indexed_maps(module.get("requires")):
            _binding_config(ctx, requirement, name, ("modules", m, "requires", r), resources)
    for r, resource in ctx.items("resources"):
        parameters = resource.get("parameters")
        if isinstance(parameters, YMap):
            _read_only(ctx, parameters, READ_ONLY_RESOURCE, name_of(resource) or
                       f"resources[{r}]", ("resources", r, "parameters"))


def _read_only(ctx, parameters: YMap, read_only: frozenset, container: str, base: tuple) -> None:
    for key in parameters:
        if key in read_only:
            ctx.report("S013", parameters, key, f"\"{container}\" parameters have read-only "
                       f"elements \"[{key}]\"", base + (key,), at_key=True,
                       hint=f"remove it: the deployer sets \"{key}\" itself (read it as "
                       f"${{{key}}})")


def _global_namespace(ctx, parameters: YMap) -> None:
    value = parameters.get("apply-namespace")
    base = ("parameters", "apply-namespace")
    if value is None or has_placeholder(value):
        return
    if not isinstance(value, YMap):
        ctx.report("S014", parameters, "apply-namespace", "Cannot parse \"apply-namespace\" flag - "
                   "expected a map format.", base,
                   hint="write apply-namespace: {app-names: true, service-names: true, "
                   "app-routes: true, as-suffix: false}")
        return
    for flag in NAMESPACE_FLAGS:
        _flag(ctx, value, flag, base, "boolean")


def _module_namespace(ctx, parameters: YMap, base: tuple) -> None:
    value = parameters.get("apply-namespace")
    if isinstance(value, YMap):  # newer deployers may read flags here too: only their type
        for flag in NAMESPACE_FLAGS:
            _flag(ctx, value, flag, base + ("apply-namespace",), "boolean")
    else:
        _flag(ctx, parameters, "apply-namespace", base, "boolean")


def _flag(ctx, parameters: YMap, flag: str, base: tuple, kind: str) -> None:
    value = parameters.get(flag)
    if value is None or isinstance(value, bool) or has_placeholder(value):
        return
    ctx.report("S014", parameters, flag, ctx.named(base, f"Cannot parse \"{flag}\" flag - "
               f"expected a {kind} format."), base + (flag,),
               hint="write true or false without quotes")


def _binding_config(ctx, requirement: YMap, module: str, base: tuple, resources: set) -> None:
    name = name_of(requirement)
    parameters = requirement.get("parameters")
    if name is None or name not in resources or not isinstance(parameters, YMap):
        return
    config = parameters.get("config")
    if config is None or isinstance(config, YMap) or has_placeholder(config):
        return
    ctx.report("S015", parameters, "config", f"Invalid type for key \"{module}#{name}#config\", "
               f"expected \"Map\" but got \"{_java_type(config)}\"",
               base + ("parameters", "config"),
               hint="write the binding parameters as a map, or use config-path for a JSON file")


def _lists(ctx, parameters: YMap, base: tuple) -> None:
    for key in PLURALS:
        value = parameters.get(key)
        if value is not None and not isinstance(value, YSeq) and not has_placeholder(value):
            ctx.report("S016", parameters, key, ctx.named(base, f"Invalid type provided for "
                       f"\"{key}\": Expected a list of elements but another type was provided"),
                       base + (key,), hint=f"write a list ({key}: [...]), or the singular "
                       f"\"{key[:-1]}\" for one value")
    for key in ROUTES:
        value = parameters.get(key)
        if value is None or has_placeholder(value):
            continue
        if not (isinstance(value, YSeq) and value and all(isinstance(i, YMap) for i in value)):
            ctx.report("S016", parameters, key, ctx.named(base, f"Cannot parse '{key}' property "
                       "- check documentation for correct format."), base + (key,),
                       hint=f"write {key}: [{{route: host.domain/path}}]")


def _java_type(value: Any) -> str:
    for kind, java in _JAVA_TYPES.items():
        if type(value) is kind:
            return java
    return "String" if isinstance(value, str) else type(value).__name__
