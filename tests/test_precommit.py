"""The pre-commit hook: its definition is valid, selects the right files, and its entry runs."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-mta"
# What pre-commit's own schema requires and allows for a hook (pre-commit/pre-commit,
# clientlib.py MANIFEST_HOOK_DICT).
REQUIRED = {"id", "name", "entry", "language"}
ALLOWED = REQUIRED | {"alias", "files", "exclude", "types", "types_or", "exclude_types",
                      "additional_dependencies", "args", "always_run", "fail_fast",
                      "pass_filenames", "description", "language_version", "log_file",
                      "require_serial", "stages", "verbose", "minimum_pre_commit_version"}


@pytest.fixture(scope="module")
def hook():
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    return hooks[0]


def test_hook_definition_is_valid(hook):
    assert REQUIRED <= set(hook) <= ALLOWED
    assert hook["id"] == "mta-sfsf-validate" and hook["language"] == "python"
    assert hook["pass_filenames"] is True and hook["require_serial"] is True
    assert all(isinstance(hook[key], str) for key in ("id", "name", "entry", "files"))


@pytest.mark.parametrize("path, selected", [
    ("mtad.yaml", True), ("deploy/mtad.yaml", True), ("META-INF/mtad.yaml", True),
    ("mta.yaml", True), ("app/mta.yml", True), ("config/prod.mtaext", True),
    ("mymtad.yaml", False), ("mtad.yaml.bak", False), ("values.yaml", False),
    ("docs/mtaext.md", False),
])
def test_files_pattern(hook, path, selected):
    assert bool(re.search(hook["files"], path)) is selected  # pre-commit uses re.search


def entry_command(hook):
    """The entry as pre-commit would run it; without an installed console script (a plain
    checkout), the module it names in pyproject.toml."""
    command = shlex.split(hook["entry"])
    installed = Path(sys.executable).with_name(command[0])
    if installed.exists() or shutil.which(command[0]):
        return [str(installed) if installed.exists() else command[0], *command[1:]]
    scripts = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'{command[0]} = "mta_sfsf.cli:main"' in scripts
    return [sys.executable, "-m", "mta_sfsf", *command[1:]]


def run_hook(hook, files, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(entry_command(hook) + list(hook.get("args", [])) + files, cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=60)


def test_entry_passes_a_good_descriptor_with_its_extension(hook, tmp_path):
    for name in ("mtad.yaml", "sample.mtaext"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    result = run_hook(hook, ["sample.mtaext", "mtad.yaml"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "0 error(s), 0 warning(s) in 2 files\n"


def test_entry_checks_a_changed_extension_with_the_descriptor_beside_it(hook, tmp_path):
    shutil.copy(SAMPLE / "mtad.yaml", tmp_path / "mtad.yaml")
    (tmp_path / "sample.mtaext").write_text(
        (SAMPLE / "sample.mtaext").read_text(encoding="utf-8").replace(
            "  - name: benefits-db\n", "  - name: benefits-dbb\n"), encoding="utf-8")
    result = run_hook(hook, ["sample.mtaext"], tmp_path)
    assert result.returncode == 1
    assert 'sample.mtaext:11:11: error X005: Unknown resource "benefits-dbb"' in result.stderr


def test_entry_fails_a_bad_descriptor(hook, tmp_path):
    (tmp_path / "mtad.yaml").write_text("_schema-version: '3.1'\nID: a\nID: b\n", encoding="utf-8")
    result = run_hook(hook, ["mtad.yaml"], tmp_path)
    assert result.returncode == 1
    assert "mtad.yaml:3:1: error Y002: duplicate key 'ID'" in result.stderr
