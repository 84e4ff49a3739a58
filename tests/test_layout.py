"""The package layout: imports run one way (read -> rules -> report -> expand -> online -> the
commands), never in a cycle, and ``validate`` loads only what it uses."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

PACKAGE = ROOT / "mta_sfsf"

# Lowest first: a module may import its own layer and the layers below it, never one above.
LAYERS = [
    {"mta_sfsf.errors", "mta_sfsf.secrets", "mta_sfsf.diagnostics", "mta_sfsf.urls",
     "mta_sfsf.config"},
    "mta_sfsf.descriptor", "mta_sfsf.rules", "mta_sfsf.report", "mta_sfsf.expand",
    "mta_sfsf.online",
    {"mta_sfsf.validate", "mta_sfsf.codes", "mta_sfsf.cli", "mta_sfsf.schema",
     "mta_sfsf.__main__"},
]


def _modules() -> dict:
    """Dotted name -> source path of every module in the package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set:
    """Every package module ``name`` imports, at the top or inside a function."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            bases = [alias.name for alias in node.names]
            names = [None]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(here[:len(here) - node.level + 1] + (node.module or "").split(".")) \
                if node.level else node.module
            bases, names = [base.strip(".")], [alias.name for alias in node.names]
        else:
            continue
        for base in bases:
            for imported in names:
                full = f"{base}.{imported}" if imported else base
                target = full if full in MODULES else base
                if target in MODULES and target != "mta_sfsf":  # the root holds __version__ only
                    targets.add(target)
    return targets


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> int:
    for index, layer in enumerate(LAYERS):
        if name in layer if isinstance(layer, set) else (name == layer or
                                                         name.startswith(layer + ".")):
            return index
    raise AssertionError(f"{name} belongs to no layer: add it to LAYERS")


def test_every_module_belongs_to_a_layer_and_says_what_it_is_for():
    for name, path in MODULES.items():
        if name != "mta_sfsf":
            _layer(name)
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert docstring and docstring.strip(), f"{name} has no docstring"


def test_imports_only_run_downwards():
    upward = [(name, target) for name, targets in GRAPH.items() if name != "mta_sfsf"
              for target in targets if _layer(target) > _layer(name)]
    assert upward == []


def test_there_is_no_import_cycle():
    state: dict = {}
    cycles = []

    def visit(name, trail):
        state[name] = "open"
        for target in sorted(GRAPH[name]):
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def _third_party(name: str) -> set:
    path = MODULES[name]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_only_online_imports_requests_and_only_expand_imports_jinja2():
    for name in MODULES:
        used = _third_party(name)
        if "requests" in used:
            assert name.startswith("mta_sfsf.online."), name
        if "jinja2" in used:
            assert name.startswith("mta_sfsf.expand."), name


def _imported_by_validate(*extra: str, paths: tuple = ()) -> set:
    """The modules a ``validate`` process on the sample has loaded when it ends."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    argv = ["validate", *(paths or (str(SAMPLE / "mtad.yaml"), "-e",
                                    str(SAMPLE / "sample.mtaext"))), *extra]
    # An editable install's import hook loads pathlib and urllib.parse at start-up: forget
    # them, to see whether validate loads them again.
    script = ("import sys; sys.modules.pop('pathlib', None); sys.modules.pop('urllib.parse', "
              "None); from mta_sfsf.cli import main; "
              "code = main(%r); sys.stderr.write(' '.join(sorted(sys.modules))); sys.exit(code)"
              % argv)
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return set(result.stderr.splitlines()[-1].split())


@pytest.mark.parametrize("paths", [(), (str(SAMPLE / "sample.mtaext"),)],
                         ids=["descriptor", "changed-extension"])
def test_validate_imports_only_what_it_uses(paths):
    imported = _imported_by_validate(paths=paths)
    assert "mta_sfsf.rules" in imported and "mta_sfsf.report.text" in imported
    loaded_above = {name for name in imported if name.startswith(
        ("mta_sfsf.expand", "mta_sfsf.online", "mta_sfsf.codes"))}
    assert loaded_above == set()
    assert not imported & {"json", "dataclasses", "requests", "jinja2", "inspect", "shutil", "bz2",
                           "lzma", "tomllib", "pathlib", "urllib.parse"}


def test_no_named_tuple_is_built_from_string_annotations():
    """Under ``from __future__ import annotations`` typing compiles each field's annotation
    string when a NamedTuple class is made: a compiler run per field on every start-up."""
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lazy = any(isinstance(node, ast.ImportFrom) and node.module == "__future__"
                   for node in tree.body)
        named_tuples = [node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                        and any(getattr(base, "id", None) == "NamedTuple" for base in node.bases)]
        assert not (lazy and named_tuples), f"{name}: {named_tuples}"


@pytest.mark.parametrize("fmt, module", [("json", "json"), ("github", "mta_sfsf.report.github")])
def test_validate_imports_a_format_only_when_asked_for(fmt, module):
    imported = _imported_by_validate("--format", fmt)
    assert module in imported and "mta_sfsf.report.text" not in imported
