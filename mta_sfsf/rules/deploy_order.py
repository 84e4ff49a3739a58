"""Deploy order: modules and resources that wait for each other, which the MTA deployer refuses.

Each cycle is reported once, at the entry that closes it, naming every element in it
(``a -> b -> c -> a``); several cycles are several findings. The search is linear (strongly
connected components, then one shortest way round each).

- **Hard dependencies** (schema v2, and v3 when no module has ``deployed-after`` and
  ``parallel-deployments`` is not true): the deployer orders modules by the transitive closure of
  their ``requires`` (a required name leads to the module that provides it, or that has the name;
  resources do not count) and stops when two modules depend on each other and *both* have
  ``dependency-type: hard`` among their **module parameters** (R009: ``Modules, "a" and "b",
  have hard circular dependencies``). Where only one of them is hard, that one goes first; where
  neither is, the deployer picks an order without a word. multiapps
  ``handlers/v2/ModuleComparator.compare`` with ``builders/v2/ModuleDependenciesCollector.collect``,
  called by ``handlers/v2/ModulesSorter.sort``. ``dependency-type`` on a ``requires`` entry is
  not read there.
- **deployed-after** (schema v3, when a module has ``deployed-after`` or the global
  ``parallel-deployments`` is true): two modules that list each other stop the deployer (R009:
  ``Modules, "a" and "b", both depend on each others for deployment``; multiapps
  ``handlers/v3/ModuleComparator.compare``, called by ``handlers/v3/ModulesSorter.sort``). The
  deployer's comparator compares pairs only, so a longer cycle (``a`` after ``b`` after ``c``
  after ``a``) passes it; it is still an error here (R009), because no order satisfies it: the
  deployer then deploys in some order that breaks one ``deployed-after`` (inferred: an older
  version of the same sorter, ``builders/v3/ModuleDependenciesCollector``, closed the lists
  transitively and refused such cycles). A module that lists itself is left alone: the deployer's
  comparator never compares a module with itself.
- **processed-after** (schema v3): resources whose ``processed-after`` lists lead back to
  themselves stop the deployer while it validates the descriptor, long chains included (R010:
  ``Resources "c" and "a" both depend on each other for processing``, or ``Resource "a" is
  required by itself for processing``; multiapps
  ``validators/v3/DeploymentDescriptorValidator.checkForCircularDependency``). Names that are no
  resource are the references rules' R008.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from ..diagnostics import declare
from ..descriptor.tree import YMap, YSeq
from .common import indexed_maps, name_of

CODES = declare({
    "R009": ("error", "modules whose deploy order is circular (dependency-type: hard, or "
                      "deployed-after)"),
    "R010": ("error", "resources whose processed-after lists are circular"),
})

# An edge: target name, and where it is written (container, key, path) for the report.
Edge = Tuple[str, Tuple[object, object, tuple]]


def check(ctx) -> None:
    if ctx.kind == "mtaext":
        return  # an extension descriptor cannot add requires or order lists
    modules = [(m, module, name_of(module)) for m, module in ctx.items("modules")
               if name_of(module) is not None]
    if ctx.schema_v3 and _uses_deployed_after(ctx, modules):
        _deployed_after(ctx, modules)
    else:
        _hard(ctx, modules)
    if ctx.schema_v3:
        _processed_after(ctx)


def _uses_deployed_after(ctx, modules) -> bool:
    """``handlers/v3/ModulesSorter.hasDeployedAfter``."""
    parameters = ctx.data.get("parameters")
    if isinstance(parameters, YMap) and parameters.get("parallel-deployments") is True:
        return True
    return any(module.get("deployed-after") is not None for _, module, _ in modules)


# --- hard dependencies ----------------------------------------------------------------------

def _hard(ctx, modules) -> None:
    owner: Dict[str, str] = {}  # a provided name -> the module that provides it
    for _, module, name in modules:
        owner.setdefault(name, name)
        for _, provided in indexed_maps(module.get("provides")):
            if name_of(provided) is not None:
                owner.setdefault(name_of(provided), name)
    edges: Dict[str, List[Edge]] = {}
    hard: List[str] = []
    for m, module, name in modules:
        parameters = module.get("parameters")
        if isinstance(parameters, YMap) and parameters.get("dependency-type") == "hard":
            hard.append(name)
        out = edges.setdefault(name, [])
        for r, requirement in indexed_maps(module.get("requires")):
            target = owner.get(name_of(requirement) or "")
            if target is not None and target != name:
                out.append((target, (requirement, "name", ("modules", m, "requires", r, "name"))))
    if len(hard) < 2:
        return
    for component in _components(edges):
        inside = [name for name in hard if name in component]
        if len(inside) < 2:
            continue
        first, second = inside[0], inside[1]
        there = _steps(_tree(edges, component, first), second)
        back = _steps(_tree(edges, component, second), first)
        container, key, path = back[-1][1]
        walk = [first] + [target for target, _ in there + back]
        ctx.report("R009", container, key, f"Modules, \"{first}\" and \"{second}\", have hard "
                   f"circular dependencies: {_walk(walk)} (requires; both have "
                   "dependency-type: hard)", path,
                   hint=f"remove dependency-type: hard from \"{first}\" or \"{second}\" (the one "
                   "that keeps it is deployed first), or break the cycle of requires")


# --- deployed-after -------------------------------------------------------------------------

def _deployed_after(ctx, modules) -> None:
    edges = _order_edges(modules, "modules", "deployed-after")
    order = {name: i for i, (_, _, name) in enumerate(modules)}
    targets = {name: {target for target, _ in out} for name, out in edges.items()}
    for component in _components(edges):
        # A pair that lists each other, reported at the later module's entry.
        closing = [(a, b, where) for a in component for b, where in edges[a]
                   if order[a] > order[b] and a in targets[b]]
        for a, b, (container, key, path) in closing:
            ctx.report("R009", container, key, f"Modules, \"{b}\" and \"{a}\", both depend on "
                       f"each others for deployment: {_walk([b, a, b])} (deployed-after)", path,
                       hint=f"remove \"{b}\" from the deployed-after of \"{a}\", or the reverse")
        if closing:
            continue
        start = min(component, key=order.__getitem__)
        walk, (container, key, path) = _round(edges, component, start)
        ctx.report("R009", container, key, "modules " + _names(walk[:-1]) + " wait for each "
                   f"other: {_walk(walk)} (deployed-after); the deployer's check compares "
                   "pairs only and lets this pass, but no deploy order satisfies it", path,
                   hint=f"remove \"{start}\" from the deployed-after of \"{walk[-2]}\", or "
                   "break the cycle elsewhere")


# --- processed-after ------------------------------------------------------------------------

def _processed_after(ctx) -> None:
    resources = [(r, resource, name_of(resource)) for r, resource in ctx.items("resources")
                 if name_of(resource) is not None]
    edges = _order_edges(resources, "resources", "processed-after")
    order = {name: i for i, (_, _, name) in enumerate(resources)}
    for name, out in edges.items():
        for target, (container, key, path) in out:
            if target == name:
                ctx.report("R010", container, key, f"Resource \"{name}\" is required by itself "
                           "for processing", path, hint=f"remove \"{name}\" from its own "
                           "processed-after")
    for component in _components(edges):
        start = min(component, key=order.__getitem__)  # the deployer visits in descriptor order
        walk, (container, key, path) = _round(edges, component, start)
        ctx.report("R010", container, key, f"Resources \"{walk[-2]}\" and \"{start}\" both "
                   f"depend on each other for processing: {_walk(walk)} (processed-after)",
                   path, hint=f"remove \"{start}\" from the processed-after of \"{walk[-2]}\"")


# --- graphs ---------------------------------------------------------------------------------

def _order_edges(elements, section: str, key: str) -> Dict[str, List[Edge]]:
    """name -> the names its ``deployed-after``/``processed-after`` lists, with their places
    (names that are no element of the section are left out: R008)."""
    known = {name for _, _, name in elements}
    edges: Dict[str, List[Edge]] = {}
    for index, element, name in elements:
        out = edges.setdefault(name, [])
        names = element.get(key)
        if isinstance(names, YSeq):
            for i, target in enumerate(names):
                if isinstance(target, str) and target in known:
                    out.append((target, (names, i, (section, index, key, i))))
    return edges


def _components(edges: Dict[str, List[Edge]]) -> List[set]:
    """Strongly connected components of more than one node (Tarjan's algorithm, iterative)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    on_stack: set = set()
    stack: List[str] = []
    found: List[set] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                target = child[0]
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges.get(target, ()))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


Tree = Dict[str, Optional[Tuple[str, Edge]]]


def _tree(edges: Dict[str, List[Edge]], component: set, start: str) -> Tree:
    """Shortest ways from ``start`` inside ``component`` (breadth first): node -> (the node
    before it, the edge that leads there)."""
    came: Tree = {start: None}
    queue = [start]
    for node in queue:
        for edge in edges.get(node, ()):
            target = edge[0]
            if target in component and target not in came:
                came[target] = (node, edge)
                queue.append(target)
    return came


def _steps(came: Tree, goal: str) -> List[Edge]:
    """The edges from the tree's start to ``goal``."""
    steps: List[Edge] = []
    node = goal
    while came.get(node) is not None:
        previous, edge = came[node]  # type: ignore[misc]
        steps.append(edge)
        node = previous
    return steps[::-1]


def _round(edges: Dict[str, List[Edge]], component: set, start: str):
    """A shortest cycle through ``start``: (names, start ... start) and the place of the entry
    that closes it."""
    came = _tree(edges, component, start)
    depth: Dict[str, int] = {start: 0}
    for node in came:  # insertion order is breadth-first order
        if came[node] is not None:
            depth[node] = depth[came[node][0]] + 1  # type: ignore[index]
    node, closing = min(((node, edge) for node in component for edge in edges[node]
                         if edge[0] == start and node != start), key=lambda item: depth[item[0]])
    walk = [start] + [target for target, _ in _steps(came, node)] + [start]
    return walk, closing[1]


def _walk(names: List[str]) -> str:
    return " -> ".join(f"\"{name}\"" for name in names)


def _names(names: List[str]) -> str:
    quoted = [f"\"{name}\"" for name in names]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]
