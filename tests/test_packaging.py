"""Packaging: the metadata a user and an installer read, and what the sdist and the wheel carry
(built for real with setuptools' build backend, in a copy of the project)."""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile

import pytest

from conftest import ROOT

import mta_sfsf

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_3_11_or_newer_everywhere():
    assert PROJECT["requires-python"] == ">=3.11"
    assert "Python 3.11 or newer" in README
    assert not re.search(r"Python 3\.(9|10)\b", README)
    versions = [c.rsplit(" ", 1)[-1] for c in PROJECT["classifiers"]
                if re.match(r"Programming Language :: Python :: 3\.\d+$", c)]
    assert versions[0] == "3.11"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"for version in {versions[0]} {versions[-1]}" in ci  # the oldest and the newest


def test_the_version_is_written_once():
    assert PROJECT["dynamic"] == ["version"] and "version" not in PROJECT
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "mta_sfsf.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", mta_sfsf.__version__)


def test_the_licence_file_is_the_declared_apache_2_0():
    assert PROJECT["license"] == {"text": "Apache-2.0"}
    assert "License :: OSI Approved :: Apache Software License" in PROJECT["classifiers"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "END OF TERMS AND CONDITIONS" in text
    # the standard text as apache.org publishes it (LICENSE-2.0.txt), byte for byte
    digest = hashlib.sha256((ROOT / "LICENSE").read_bytes()).hexdigest()
    assert digest == "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"


def test_typed_package():
    assert (ROOT / "mta_sfsf" / "py.typed").is_file()
    assert "Typing :: Typed" in PROJECT["classifiers"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sdist and the wheel, built from a copy so that the tree stays clean."""
    pytest.importorskip("setuptools.build_meta")
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("mta_sfsf", "templates", "tests"):
        shutil.copytree(ROOT / folder, source / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    out = tmp_path_factory.mktemp("dist")
    script = ("import sys\nfrom setuptools import build_meta as b\n"
              "out = sys.argv[1]  # the backend rewrites sys.argv\n"
              "names = [b.build_sdist(out), b.build_wheel(out)]\n"
              "print('built:', *names)\n")
    done = subprocess.run([sys.executable, "-c", script, str(out)], cwd=source,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    sdist, wheel = done.stdout.rsplit("built: ", 1)[1].split()
    return out / sdist, out / wheel


def test_the_sdist_carries_no_tests_and_everything_to_build(built):
    sdist, _ = built
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert not [n for n in names if n.startswith("tests/")]
    assert {"LICENSE", "README.md", "pyproject.toml", "mta_sfsf/py.typed",
            "templates/RUNBOOK.md.j2", "mta_sfsf/schema.py"} <= names


def test_the_wheel_carries_the_templates_the_marker_and_the_licence(built):
    _, wheel = built
    version = mta_sfsf.__version__
    assert wheel.name == f"mta_sfsf-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"mta_sfsf-{version}.dist-info/METADATA").decode()
    assert {"mta_sfsf/py.typed", "mta_sfsf/templates/RUNBOOK.md.j2"} <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE")
               for n in names)
    assert not [n for n in names if n.startswith("tests/")]
    assert "Requires-Python: >=3.11" in metadata
    assert f"Version: {version}" in metadata
    assert "Classifier: Programming Language :: Python :: 3.13" in metadata
