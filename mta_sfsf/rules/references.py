"""Reference rules: what the MTA deployer resolves at deploy time, checked before it.

- Every ``requires`` names a resource, a provided dependency or a module (every module provides
  its own name) of the same descriptor (R001: ``Unresolved required dependency "db" for module
  "app"``); ``deployed-after`` names modules and ``processed-after`` names resources (R008).
- ``~{dep/prop}`` in a module's, provided dependency's, resource's or hook's properties and
  parameters may only name a dependency that element *requires* (R002: ``Module "app" does not
  contain a required dependency for "db", but contains references to its properties``); the
  dependency ends at the first ``/`` (``~{db/a/b}`` is the property ``a/b`` of ``db``). Inside a
  ``requires`` entry, ``~{key}`` is a property of that dependency, ``/`` and all: ``~{group/key}``
  there is the property literally named ``group/key`` (multiapps ``ReferencePattern.SHORT`` in
  ``resolvers/v2/RequiredDependencyReferenceResolver``; a ``~{}`` reference never walks into
  nested values and has no other fallback). The property must exist in the merged view (R003),
  unless the provider's properties are only known at deploy time (resources of type
  ``configuration``, ``mta-provided`` or ``org.cloudfoundry.existing-service-key``, and ``list``
  requirements).
- ``${name}`` placeholders resolve against the parameters in scope (a requires entry's, the
  module's or resource's, those of its type in ``module-types``/``resource-types``, the global
  ones) and the deployers' system parameters (Neo: ``default-url``, ``account-name``,
  ``provider-account-name``, ``landscape-url``, ``timestamp``; Cloud Foundry and XSA, from
  multiapps-controller ``SupportedParameters``: ``default-domain``, ``default-host``,
  ``default-uri``, ``default-url``, ``default-idle-url``, ``protocol``, ``org``, ``space``,
  ``user``, ``app-name``, ``generated-password``, ``xs-auth-url``, ..., and in resources
  ``service-name`` and ``service-guid``, which the deployer resolves late, once the service
  exists). ``${host}`` also resolves from ``hosts[0]`` (``SINGULAR_PLURAL_MAPPING``). ``${a/b}``
  tries the flat parameter ``a/b`` first, then reaches into the structured parameter ``a`` or a
  provided dependency (multiapps ``resolvers/PropertiesResolver.resolveReference``). An unknown
  placeholder is a warning (R004) where a module or resource type may still define it. In the
  **global** parameters nothing can: they see only each other and what the deployer adds to
  them, so an unknown placeholder there is an error (R011: ``Unable to resolve "foo"``;
  ``resolvers/v2/DescriptorPlaceholderResolver``). So is one in an outbound connection's
  ``client-secret``, ``client-id`` or ``token-url`` (R013): the runbook and ``verify`` would send
  the user to a value that does not exist; declare the parameter (empty, when an extension
  descriptor sets it).
- A backslash escapes: ``\\${x}`` and ``\\~{x}`` are plain text.
- Parameters whose placeholders form a cycle, and provided properties whose references form one,
  are errors naming the cycle (R005: ``Circular reference detected in "app#a"``).
- A property or parameter left empty must get its value from an extension descriptor: the
  deployer stops with ``Unresolved mandatory properties`` (schema v2) or ``... is not optional and
  has no value`` (v3, unless ``*-metadata.<name>.optional: true``). Validated alone this is a
  warning (R006: the extension may be kept elsewhere, as secrets should be); with extension
  descriptors given, whatever the whole chain leaves empty is an error (R007). An empty v3 value
  whose metadata says ``overwritable: false`` (and not ``optional: true``) is an error even
  validated alone (R012): no extension descriptor may fill it (X007 if one tries), so the
  deployer's ``validators/v3/DeploymentDescriptorValidator.validate(Metadata, ...)`` refuses the
  descriptor itself. (The deployer words properties as "parameter" there too; this tool says
  "property".)
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

from ..diagnostics import Suggester, declare, listing
from ..descriptor.tree import YMap, YSeq
from .common import did_you_mean, indexed_maps, label, mapping, name_of

CODES = declare({
    "R001": ("error", "a requires that names no resource, provided dependency or module"),
    "R002": ("error", "a ~{dep/prop} reference to a dependency that is not required"),
    "R003": ("error", "a reference to a property the dependency does not have"),
    "R004": ("warning", "a ${placeholder} that no parameter or system parameter defines"),
    "R005": ("error", "circular placeholders or references"),
    "R006": ("warning", "an empty property or parameter that an extension descriptor must fill"),
    "R007": ("error", "a property or parameter still empty after the whole extension chain"),
    "R008": ("error", "deployed-after or processed-after names an unknown module or resource"),
    "R011": ("error", "a ${placeholder} in a global parameter that no global or system parameter "
                      "defines"),
    "R012": ("error", "an empty value that is neither optional nor overwritable: no extension "
                      "descriptor may fill it"),
    "R013": ("error", "an outbound connection's client-secret, client-id or token-url whose "
                      "${placeholder} resolves nowhere"),
})

PLACEHOLDER = re.compile(r"(?<!\\)\$\{(.+?)\}")
REFERENCE = re.compile(r"(?<!\\)~\{(.+?)\}")

# System parameters the deployers provide; unknown names are only warnings, so the list leans wide.
NEO_SYSTEM = {"default-url", "account-name", "provider-account-name", "landscape-url",
              "timestamp", "user"}
# multiapps-controller SupportedParameters: what the deployer sets in the global parameters, in
# each module's and in each resource's; ``service-guid`` is resolved late, after the resource
# exists (DYNAMIC_RESOLVABLE_PARAMETERS). There is no ``${idle-url}`` or ``${instance}``.
GENERAL_SYSTEM = {"user", "default-domain", "deploy-target", "protocol", "xs-type", "xs-api-url",
                  "xs-auth-url", "controller-url", "authorization-url", "deploy-url",
                  "generated-user", "generated-password", "default-idle-domain", "org",
                  "org-guid", "space", "space-guid", "namespace", "mta-id", "mta-version",
                  "timestamp", "enable-parallel-deployments"}
MODULE_SYSTEM = {"app-name", "default-app-name", "domain", "domains", "default-host", "host",
                 "hosts", "default-uri", "default-url", "default-idle-uri", "default-idle-url",
                 "default-idle-host", "idle-domain", "idle-domains", "idle-host", "idle-hosts",
                 "default-instances", "port", "route", "routes", "idle-route", "idle-routes",
                 "route-path", "instances", "memory", "disk-quota", "buildpack", "command",
                 "stack"}
RESOURCE_SYSTEM = {"service-name", "default-service-name", "default-container-name",
                   "default-xsappname", "service", "service-plan", "service-guid"}
MODULE_SCOPE_SYSTEM = GENERAL_SYSTEM | NEO_SYSTEM | MODULE_SYSTEM
RESOURCE_SCOPE_SYSTEM = GENERAL_SYSTEM | NEO_SYSTEM | RESOURCE_SYSTEM
# The global parameters see only themselves and what the deployer adds to them.
GLOBAL_SCOPE_SYSTEM = GENERAL_SYSTEM | NEO_SYSTEM
# SupportedParameters.SINGULAR_PLURAL_MAPPING: ${host} resolves from hosts[0] when host is unset.
PLURALS = {"host": "hosts", "domain": "domains", "idle-host": "idle-hosts",
           "idle-domain": "idle-domains", "buildpack": "buildpacks"}
# An outbound connection's keys that the runbook and verify take a value from.
_CREDENTIAL_KEYS = ("client-secret", "client-id", "token-url")
# Providers whose properties only exist at deploy time.
DYNAMIC_TYPES = {"configuration", "mta-provided", "org.cloudfoundry.existing-service-key"}


def check(ctx) -> None:
    if ctx.kind == "mtaext":
        return  # an extension alone has nothing to resolve against
    index = _Index(ctx)
    for m, module in ctx.items("modules"):
        _check_module(ctx, index, m, module)
    for r, resource in ctx.items("resources"):
        _check_resource(ctx, index, r, resource)
    globals_ = ctx.data.get("parameters")
    if isinstance(globals_, YMap):
        owner = _Owner("Descriptor", "", "", {}, GLOBAL_SCOPE_SYSTEM)
        _scan(ctx, index, globals_, ("parameters",), owner, [globals_])
        _placeholder_cycles(ctx, [globals_], "", ("parameters",))
    _reference_cycles(ctx, index)
    _empty_values(ctx)


class _Index:
    """Names in the merged descriptor: who provides what."""

    def __init__(self, ctx) -> None:
        self.v3 = ctx.schema_v3  # v2 has no hooks, deployed-after or processed-after
        self.modules: Dict[str, YMap] = {}
        self.provided: Dict[str, Tuple[YMap, Optional[YMap]]] = {}  # name -> (module, provides)
        self.resources: Dict[str, YMap] = {}
        for _, module in ctx.items("modules"):
            name = name_of(module)
            if name is None:
                continue
            self.modules.setdefault(name, module)
            for _, provided in indexed_maps(module.get("provides")):
                if name_of(provided) is not None:
                    self.provided.setdefault(name_of(provided), (module, provided))
            self.provided.setdefault(name, (module, None))
        for _, resource in ctx.items("resources"):
            if name_of(resource) is not None:
                self.resources.setdefault(name_of(resource), resource)
        self.global_parameters = mapping(ctx.data.get("parameters"))
        self._names: Optional[Suggester] = None
        self._order_names: Dict[str, Suggester] = {}
        # module-types / resource-types declared in the descriptor: parameters by type name
        self.type_parameters: Dict[Tuple[str, str], YMap] = {}
        for section in ("module-types", "resource-types"):
            for _, declared in indexed_maps(ctx.data.get(section)):
                if name_of(declared) is not None and isinstance(declared.get("parameters"), YMap):
                    self.type_parameters[(section, name_of(declared))] = declared["parameters"]

    def scope(self, element: YMap, section: str) -> List[YMap]:
        """Parameters a placeholder in ``element`` sees: its own, its type's, the global ones."""
        scope = [mapping(element.get("parameters"))]
        kind = element.get("type")
        if isinstance(kind, str) and (section, kind) in self.type_parameters:
            scope.append(self.type_parameters[(section, kind)])
        scope.append(self.global_parameters)
        return scope

    def resolves(self, name: str) -> bool:
        return name in self.resources or name in self.provided

    def properties_of(self, name: str) -> Optional[YMap]:
        """The provider's properties, or None when they are not knowable before deploy."""
        if name in self.resources:
            resource = self.resources[name]
            kind = resource.get("type")
            if isinstance(kind, str) and kind in DYNAMIC_TYPES:
                return None
            props = resource.get("properties")
        else:
            module, provided = self.provided[name]
            if provided is None:
                return None
            props = provided.get("properties")
        return mapping(props)

    def names(self) -> Suggester:
        """Every name a requires can resolve to, built once, on the first unresolved one."""
        if self._names is None:
            self._names = Suggester(set(self.resources) | set(self.provided))
        return self._names

    def order_names(self, kind: str) -> Suggester:
        """The module (or resource) names that deployed-after (processed-after) may list."""
        if kind not in self._order_names:
            self._order_names[kind] = Suggester(self.modules if kind == "module"
                                                else self.resources)
        return self._order_names[kind]


class _Owner:
    """The element whose values are being read: its kind and name as the deployer words them,
    its label for messages, what it requires, and which names are system parameters."""

    __slots__ = ("kind", "name", "label", "required", "system")

    def __init__(self, kind: str, name: str, label: str, required: Dict[str, YMap],
                 system: Set[str]) -> None:
        self.kind, self.name, self.label = kind, name, label
        self.required, self.system = required, system


def _check_module(ctx, index: _Index, m: int, module: YMap) -> None:
    own_name = name_of(module)
    name = own_name or f"modules[{m}]"
    base = ("modules", m)
    owner = _Owner("Module", name, f"module \"{own_name}\"" if own_name else name,
                   _check_requires(ctx, index, module, base, "module", name), MODULE_SCOPE_SYSTEM)
    scope = index.scope(module, "module-types")
    for section in ("properties", "parameters"):
        if isinstance(module.get(section), YMap):
            _scan(ctx, index, module[section], base + (section,), owner, scope)
    _placeholder_cycles(ctx, scope, name, base + ("parameters",))
    for p, provided in indexed_maps(module.get("provides")):
        here = base + ("provides", p)
        inner = [mapping(provided.get("parameters"))] + scope
        for section in ("properties", "parameters"):
            if isinstance(provided.get(section), YMap):
                _scan(ctx, index, provided[section], here + (section,), owner, inner)
    for r, requirement in indexed_maps(module.get("requires")):
        _requirement_values(ctx, index, requirement, base + ("requires", r), owner, scope)
    for h, hook in indexed_maps(module.get("hooks") if index.v3 else None):
        here = base + ("hooks", h)
        hook_owner = _Owner("Module", name, owner.label, dict(owner.required), owner.system)
        hook_owner.required.update(_check_requires(ctx, index, hook, here, "module", name))
        if isinstance(hook.get("parameters"), YMap):
            _scan(ctx, index, hook["parameters"], here + ("parameters",), hook_owner,
                  [hook["parameters"]] + scope)
    if index.v3:
        _order_names(ctx, index, owner, module, "deployed-after", base, "module")


def _check_resource(ctx, index: _Index, r: int, resource: YMap) -> None:
    own_name = name_of(resource)
    name = own_name or f"resources[{r}]"
    base = ("resources", r)
    owner = _Owner("Resource", name, f"resource \"{own_name}\"" if own_name else name,
                   _check_requires(ctx, index, resource, base, "resource", name),
                   RESOURCE_SCOPE_SYSTEM)
    scope = index.scope(resource, "resource-types")
    for section in ("properties", "parameters"):
        if isinstance(resource.get(section), YMap):
            _scan(ctx, index, resource[section], base + (section,), owner, scope)
    _placeholder_cycles(ctx, scope, name, base + ("parameters",))
    for q, requirement in indexed_maps(resource.get("requires")):
        _requirement_values(ctx, index, requirement, base + ("requires", q), owner, scope)
    if index.v3:
        _order_names(ctx, index, owner, resource, "processed-after", base, "resource")


def _check_requires(ctx, index: _Index, owner: YMap, base: tuple, kind: str,
                    owner_name: str) -> Dict[str, YMap]:
    """R001 for each unresolved requires; returns the resolvable ones by name."""
    required: Dict[str, YMap] = {}
    for r, requirement in indexed_maps(owner.get("requires")):
        name = name_of(requirement)
        if name is None:
            continue
        if not index.resolves(name):
            ctx.report("R001", requirement, "name", f"Unresolved required dependency \"{name}\" "
                       f"for {kind} \"{owner_name}\"", base + ("requires", r, "name"),
                       hint=did_you_mean(name, index.names())
                       or f"add a resource or a provided dependency called \"{name}\"")
            continue
        required.setdefault(name, requirement)
    return required


def _requirement_values(ctx, index: _Index, requirement: YMap, here: tuple, owner: _Owner,
                        scope: List[YMap]) -> None:
    name = name_of(requirement)
    inner = [mapping(requirement.get("parameters"))] + scope
    short_target = name if name in owner.required and requirement.get("list") is None else None
    for section in ("properties", "parameters"):
        values = requirement.get(section)
        if isinstance(values, YMap):
            _scan(ctx, index, values, here + (section,), owner, inner, short_target, True)


def _strings(node: Any, path: tuple) -> Iterator[Tuple[Any, Any, str, tuple]]:
    """Every string in a value tree: (container, key, text, path)."""
    stack = [(node, path)]
    while stack:
        current, where = stack.pop()
        items = current.items() if isinstance(current, YMap) else enumerate(current)
        for key, value in items:
            if isinstance(value, str):
                if "{" in value:
                    yield current, key, value, where + (key,)
            elif isinstance(value, (YMap, YSeq)):
                stack.append((value, where + (key,)))


def _scan(ctx, index: _Index, values: YMap, path: tuple, owner: _Owner, scope: List[YMap],
          short_target: Optional[str] = None, short_allowed: bool = False) -> None:
    """One pass over the strings of a value tree: ``~{...}`` references and ``${...}``."""
    for container, key, text, here in _strings(values, path):
        if "~{" in text and owner.kind != "Descriptor":  # global parameters resolve no ~{}
            _references(ctx, index, container, key, text, here, owner, short_target,
                        short_allowed)
        if "${" in text:
            _placeholders(ctx, index, container, key, text, here, scope, owner)


def _references(ctx, index: _Index, container: Any, key: Any, text: str, here: tuple,
                owner: _Owner, short_target: Optional[str], short_allowed: bool) -> None:
    for match in REFERENCE.finditer(text):
        body = match.group(1)
        if short_allowed:  # inside a requires entry: ~{key} is that dependency's, "/" and all
            if short_target is not None:
                _property_exists(ctx, index, container, key, here, owner, short_target, body,
                                 match.group(0))
            continue
        dep, slash, prop = body.partition("/")
        if not slash:
            continue
        if dep not in owner.required:
            ctx.report("R002", container, key, f"{owner.kind} \"{owner.name}\" does not contain "
                       f"a required dependency for \"{dep}\", but contains references to its "
                       "properties", here,
                       hint=f"add '- name: {dep}' to the requires of \"{owner.name}\""
                       if index.resolves(dep) else _unknown_hint(dep, index))
            continue
        if owner.required[dep].get("list") is None:
            _property_exists(ctx, index, container, key, here, owner, dep, prop,
                             match.group(0))


def _unknown_hint(dep: str, index: _Index) -> str:
    return (did_you_mean(dep, index.names())
            or f"add a resource or a provided dependency called \"{dep}\", and require it")


def _property_exists(ctx, index: _Index, container: Any, key: Any, here: tuple,
                     owner: _Owner, dep: str, prop: str, written: str) -> None:
    properties = index.properties_of(dep)
    if properties is None or prop in properties:
        return
    known = listing(sorted(str(k) for k in properties), quote=True)
    ctx.report("R003", container, key, f"{owner.label}: unable to resolve \"{written}\": "
               f"\"{dep}\" has no property \"{prop}\"", here,
               hint=did_you_mean(prop, [k for k in properties if isinstance(k, str)])
               or (f"use one of its properties: {known}" if known
                   else f"add the property \"{prop}\" to \"{dep}\""))


def _placeholders(ctx, index: _Index, container: Any, key: Any, text: str, here: tuple,
                  scope: List[YMap], owner: _Owner) -> None:
    system = owner.system
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        head = name.split("/", 1)[0]
        if any(name in params or head in params or PLURALS.get(name) in params
               for params in scope):
            continue
        if name in system or head in system or ("/" in name and index.resolves(head)):
            continue
        known: Set[str] = set(system)
        for params in scope:
            known.update(k for k in params if isinstance(k, str))
        guess = did_you_mean(name, known)
        guess = guess.replace('"', '"${', 1).replace('"?', '}"?') + " " if guess else ""
        if owner.kind == "Descriptor":
            ctx.report("R011", container, key, f"Unable to resolve \"{name}\": the global "
                       f"parameters see only each other and the deployer's own ({match.group(0)}"
                       " is neither)", here, hint=guess + "define it under the global "
                       "parameters, or write '\\${...}' for a literal")
            continue
        if (len(here) == 6 and here[3] == "sfsf-outbound-connections"
                and here[5] in _CREDENTIAL_KEYS):
            ctx.report("R013", container, key, f"{owner.label}: \"{here[5]}\" is "
                       f"{match.group(0)}, which resolves nowhere: no parameter in scope and no "
                       "system parameter has this name, so the runbook would name a value that "
                       "does not exist", here, hint=guess + f"declare \"{name}\" under the "
                       "module's parameters (empty, when an .mtaext sets it)")
            continue
        prefix = f"{owner.label}: u" if owner.label else "U"
        ctx.report("R004", container, key, f"{prefix}nknown placeholder \"{match.group(0)}\": no "
                   "parameter in scope and no system parameter has this name", here,
                   hint=guess + "write '\\${...}' for a literal; a module type may still define it")


def _placeholder_cycles(ctx, scope: List[YMap], owner: str, path: tuple) -> None:
    """Parameters whose ``${...}`` lead back to themselves (the nearest scope wins)."""
    own = scope[0]
    if not any(True for value in own.values() for _ in _texts(value)):
        return  # a cycle through these parameters needs one of them to hold a placeholder
    merged: Dict[str, Tuple[YMap, Any]] = {}
    for params in reversed(scope):
        for key, value in params.items():
            merged[key] = (params, value)
    edges: Dict[str, List[str]] = {}
    for key, (params, value) in merged.items():
        found = [m.group(1).split("/", 1)[0] for text in _texts(value)
                 for m in PLACEHOLDER.finditer(text)]
        if found:
            edges[key] = [name for name in found if name in merged]
    for cycle in _cycles(edges):
        mine = [i for i, name in enumerate(cycle) if merged[name][0] is own]
        if not mine:
            continue  # a cycle among the global parameters alone is reported once, at the top
        cycle = cycle[mine[0]:] + cycle[:mine[0]]
        start = cycle[0]
        params = own
        where = path if params is own else ("parameters",)
        label = f"{owner}#{start}" if owner and params is own else start
        ctx.report("R005", params, start, f"Circular reference detected in \"{label}\": "
                   + " -> ".join(f"${{{name}}}" for name in cycle + [start]), where + (start,))


def _texts(value: Any, marker: str = "${") -> Iterator[str]:
    """The strings in a value (a string or a tree) that hold ``marker``."""
    if isinstance(value, str):
        if marker in value:
            yield value
    elif isinstance(value, (YMap, YSeq)):
        for _, _, text, _ in _strings(value, ()):
            if marker in text:
                yield text


def _cycles(edges: Dict[str, List[str]]) -> List[List[str]]:
    """Elementary cycles found by depth-first search, each once, starting at its least node."""
    found: Dict[Tuple[str, ...], List[str]] = {}
    state: Dict[str, int] = {}  # 1 on the stack, 2 done
    for root in sorted(edges):
        if state.get(root):
            continue
        stack: List[Tuple[str, Iterator[str]]] = [(root, iter(edges.get(root, ())))]
        trail = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                trail.pop()
                state[node] = 2
                continue
            if state.get(child) == 1:
                cycle = trail[trail.index(child):]
                pivot = cycle.index(min(cycle))
                cycle = cycle[pivot:] + cycle[:pivot]
                found.setdefault(tuple(cycle), cycle)
            elif not state.get(child):
                state[child] = 1
                trail.append(child)
                stack.append((child, iter(edges.get(child, ()))))
    return [found[key] for key in sorted(found)]


def _reference_cycles(ctx, index: _Index) -> None:
    """Provided properties and resource properties whose ``~{dep/prop}`` lead back to themselves."""
    nodes: Dict[str, Tuple[YMap, str, tuple]] = {}
    edges: Dict[str, List[str]] = {}
    owners: List[Tuple[str, Optional[YMap], tuple]] = []
    for m, module in ctx.items("modules"):
        for p, provided in indexed_maps(module.get("provides")):
            owners.append((name_of(provided) or "", provided, ("modules", m, "provides", p)))
    for r, resource in ctx.items("resources"):
        owners.append((name_of(resource) or "", resource, ("resources", r)))
    for dep, owner, path in owners:
        props = owner.get("properties") if owner is not None else None
        if not dep or not isinstance(props, YMap):
            continue
        for key, value in props.items():
            if isinstance(value, str) and "~{" not in value:
                continue  # most values: no reference, so no edge
            targets = [m.group(1) for text in _texts(value, "~{")
                       for m in REFERENCE.finditer(text) if "/" in m.group(1)]
            if targets:
                node = f"{dep}/{key}"
                nodes[node] = (props, key, path + ("properties", key))
                edges[node] = targets
    for cycle in _cycles(edges):
        props, key, path = nodes[cycle[0]]
        chain = " -> ".join(f"~{{{name}}}" for name in cycle + [cycle[0]])
        ctx.report("R005", props, key, ctx.named(path, f"Circular reference detected in "
                   f"\"{cycle[0]}\": {chain}"), path)


def _order_names(ctx, index: _Index, owner: _Owner, element: YMap, key: str, base: tuple,
                 kind: str) -> None:
    known = index.modules if kind == "module" else index.resources
    names = element.get(key)
    if not isinstance(names, YSeq):
        return
    for i, name in enumerate(names):
        if isinstance(name, str) and name not in known:
            ctx.report("R008", names, i, f"{owner.label}: {key} names \"{name}\", which is not "
                       f"a {kind} of this descriptor", base + (key, i),
                       hint=did_you_mean(name, index.order_names(kind))
                       or f"remove \"{name}\" from {key}")


def _empty_values(ctx) -> None:
    """Empty properties and parameters: the deployer refuses them after merging."""
    v3 = ctx.schema_v3
    chained = bool(ctx.descriptor.extensions)
    code = "R007" if chained else "R006"
    for container, path in _value_maps(ctx):
        for section in ("parameters", "properties"):
            values = container.get(section)
            if not isinstance(values, YMap):
                continue
            if None not in values.values():
                continue
            metadata = container.get(f"{section}-metadata")
            prefix = _deployer_prefix(ctx, container, path)
            kind = section[:-1].replace("ie", "y")  # parameter, property
            for key, value in values.items():
                if value is not None or (v3 and _optional(metadata, key)):
                    continue
                name = "#".join(prefix + (key,))
                deployer = (f"The {kind} \"{name}\" is not optional and has no value." if v3
                            else f"Unresolved mandatory {section}: [{name}]")
                owner = _value_owner(ctx, container, path)
                what = f"{owner}: {kind} \"{key}\"" if owner else f"{kind} \"{key}\""
                if v3 and _not_overwritable(metadata, key):
                    ctx.report("R012", values, key, f"{what} is empty and {section}-metadata "
                               "says overwritable: false, so no extension descriptor may fill "
                               f"it; the deployer stops with: {deployer}", path + (section, key),
                               at_key=True, hint="give it a value here, or mark it 'optional: "
                               f"true' in {section}-metadata")
                    continue
                message = (f"{what} is still empty after the extension chain; the deployer "
                           f"stops with: {deployer}" if chained else
                           f"{what} is empty: an extension descriptor must supply it, or the "
                           f"deployer stops with: {deployer}")
                ctx.report(code, values, key, message, path + (section, key), at_key=True,
                           hint="give it a value in an .mtaext" + (
                               f", or mark it 'optional: true' in {section}-metadata" if v3
                               else ""))


def _optional(metadata: Any, key: str) -> bool:
    entry = metadata.get(key) if isinstance(metadata, YMap) else None
    return isinstance(entry, YMap) and entry.get("optional") is True


def _not_overwritable(metadata: Any, key: str) -> bool:
    entry = metadata.get(key) if isinstance(metadata, YMap) else None
    return isinstance(entry, YMap) and entry.get("overwritable") is False


_DEPENDENCY_KINDS = {"requires": "required dependency", "provides": "provided dependency"}


def _value_owner(ctx, element: YMap, path: tuple) -> str:
    """The label of the element at ``path``: ``module "app", required dependency "db"``."""
    owner = ctx.element(path)
    if len(path) == 4:
        owner += ", " + label(_DEPENDENCY_KINDS[path[2]], element, f"{path[2]}[{path[3]}]")
    return owner


def _deployer_prefix(ctx, element: YMap, path: tuple) -> Tuple[str, ...]:
    """How the deployer names the element at ``path``: ``("app", "db")`` for ``app#db#key``."""
    if not path:
        return ()
    section, index = path[0], path[1]
    own = (name_of(ctx.data[section][index]) or f"{section}[{index}]",)
    return own + (name_of(element) or f"{path[2]}[{path[3]}]",) if len(path) == 4 else own


def _value_maps(ctx) -> Iterator[Tuple[YMap, tuple]]:
    """(element, path) for everything with parameters or properties."""
    yield ctx.data, ()
    for section in ("modules", "resources"):
        for i, element in ctx.items(section):
            base = (section, i)
            yield element, base
            for sub in ("requires", "provides"):
                for j, dep in indexed_maps(element.get(sub)):
                    yield dep, base + (sub, j)
