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
README = (ROOT / "README.md").read_text(encoding="utf-8")
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
    assert f'{command[0]} = "mta_sfsf.cli:console"' in scripts
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
    assert (result.stdout, result.stderr) == ("0 error(s), 0 warning(s) in 2 files\n", "")


def test_entry_checks_a_changed_extension_with_the_descriptor_beside_it(hook, tmp_path):
    shutil.copy(SAMPLE / "mtad.yaml", tmp_path / "mtad.yaml")
    (tmp_path / "sample.mtaext").write_text(
        (SAMPLE / "sample.mtaext").read_text(encoding="utf-8").replace(
            "  - name: benefits-db\n", "  - name: benefits-dbb\n"), encoding="utf-8")
    result = run_hook(hook, ["sample.mtaext"], tmp_path)
    assert result.returncode == 1
    assert 'sample.mtaext:11:11: error X005: Unknown resource "benefits-dbb"' in result.stdout


def test_entry_fails_a_bad_descriptor(hook, tmp_path):
    (tmp_path / "mtad.yaml").write_text("_schema-version: '3.1'\nID: a\nID: b\n", encoding="utf-8")
    result = run_hook(hook, ["mtad.yaml"], tmp_path)
    assert result.returncode == 1
    assert "mtad.yaml:3:1: error Y002: duplicate key 'ID'" in result.stdout


def _git(*argv, cwd):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                           "-c", "commit.gpgsign=false", *argv], cwd=cwd, check=True,
                          capture_output=True, text=True, timeout=60)


def _hook_repository(target: Path) -> str:
    """This checkout as it is now (uncommitted and new files too) committed in a fresh git
    repository: try-repo reads only committed and tracked files, and CI's clone is clean."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, timeout=60)
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.decode().split("\0")):
            if (ROOT / name).is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, target / name)
    else:  # not a git checkout (an unpacked sdist)
        shutil.copytree(ROOT, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
            ".git", ".venv", "venv", "*.egg-info", "__pycache__", ".pytest_cache", "build",
            "dist"))
    _git("init", "-q", cwd=target)
    _git("add", "-A", cwd=target)
    _git("commit", "-q", "-m", "hook", cwd=target)
    return _git("rev-parse", "HEAD", cwd=target).stdout.strip()


def test_the_readme_recipe_with_the_real_pre_commit(tmp_path):
    """pre-commit try-repo, then the README's .pre-commit-config.yaml, on a repository holding
    the layouts of real MTA repositories: SAP's Benefits folder (mtad.yaml, dev.mtaext,
    prod.mtaext), a root mta.yaml beside neo/mtad.yaml + neo/prod.mtaext of the same ID, and
    another MTA's mta.yaml committed alone."""
    pytest.importorskip("pre_commit")
    hooks, repo = tmp_path / "hooks", tmp_path / "repo"
    hooks.mkdir()
    rev = _hook_repository(hooks)
    mtad = (SAMPLE / "mtad.yaml").read_text(encoding="utf-8")
    ext = (SAMPLE / "sample.mtaext").read_text(encoding="utf-8")
    files = {
        "benefits/mtad.yaml": mtad,
        "benefits/dev.mtaext": ext.replace("benefits.config", "benefits.dev"),
        "benefits/prod.mtaext": ext.replace("benefits.config", "benefits.prod"),
        "mta.yaml": "_schema-version: '3.1'\nID: com.example.shop\nversion: 1.0.0\n"
                    "modules:\n  - name: ui\n    type: html5\n",
        "neo/mtad.yaml": mtad.replace("com.example.benefits", "com.example.shop"),
        "neo/prod.mtaext": ext.replace("com.example.benefits", "com.example.shop"),
        "other/mta.yaml": "_schema-version: '3.1'\nID: com.example.other\nversion: 1.0.0\n"
                          "modules:\n  - name: web\n    type: html5\n",
        "README.md": "not a descriptor\n",
    }
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    recipe = re.search(r"### pre-commit\n.*?```yaml\n(.*?)```", README, re.S).group(1)
    assert "args" not in recipe and "<this repository>" in recipe
    (repo / ".pre-commit-config.yaml").write_text(
        recipe.replace("<this repository>", str(hooks)).replace("<a full commit SHA>", rev),
        encoding="utf-8")
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "layouts", cwd=repo)
    # (pip in the hook's environment: no version check, no byte-compiling: seconds per build)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_COMPILE": "1"}
    env.pop("GITHUB_ACTIONS", None)  # text findings, wherever the tests run

    def pre_commit(*argv):
        result = subprocess.run([sys.executable, "-m", "pre_commit", *argv], cwd=repo, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode in (0, 1), result.stdout + result.stderr  # 3: pre-commit broke
        return result.returncode, result.stdout

    code, out = pre_commit("try-repo", str(hooks), "mta-sfsf-validate", "--all-files",
                           "--verbose")
    assert (code, re.findall(r"^mta-sfsf validate\.+(\w+)$", out, re.M)) == (0, ["Passed"]), out
    assert "0 error(s), 0 warning(s) in 7 files" in out  # every descriptor, README.md left out

    # Commits as pre-commit sees them, through the README's recipe: only the changed files.
    for changed in (["other/mta.yaml"], ["neo/prod.mtaext"], ["benefits/prod.mtaext"],
                    ["benefits/dev.mtaext", "benefits/prod.mtaext"]):
        code, out = pre_commit("run", "--files", *changed)
        assert code == 0 and "Passed" in out, (changed, out)
    (repo / "benefits/prod.mtaext").write_text(
        files["benefits/prod.mtaext"].replace("- name: benefits-db", "- name: benefits-dbb"),
        encoding="utf-8")
    code, out = pre_commit("run", "--files", "benefits/prod.mtaext")
    assert code == 1 and "mta-sfsf validate" in out and "Failed" in out, out
    assert re.findall(r"^\S+: error (\w+):", out, re.M) == ["X005"], out
    assert "benefits/prod.mtaext:11:11: error X005" in out
    # the configuration at the top of the repository applies to the hook
    (repo / ".mta-sfsf.toml").write_text('ignore = ["X005"]\n', encoding="utf-8")
    code, out = pre_commit("run", "--files", "benefits/prod.mtaext")
    assert code == 0 and "Passed" in out, out
