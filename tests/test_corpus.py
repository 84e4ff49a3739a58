"""Acceptance: every real-world descriptor of the shared corpus, validated alone through the
command line, under its real file name (from ``MANIFEST.tsv``: ``mta.yml``, ``prod.mtaext``, ...).

No file may crash the validator, and the files with errors are exactly the ones below, each with
the reason; every rule family is compared.
"""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from conftest import CORPUS
from mta_sfsf.validate import ValidateOptions, run

if not CORPUS.is_dir():
    pytest.skip(f"no corpus at {CORPUS}", allow_module_level=True)

# corpus file -> the name it has in its repository
REAL_NAMES = {row[0]: row[2].rsplit("/", 1)[-1]
              for row in csv.reader((CORPUS / "MANIFEST.tsv").open(encoding="utf-8"),
                                    delimiter="\t")
              if row and not row[0].startswith("schemas/")}
FILES = sorted(CORPUS / name for name in REAL_NAMES)

# file -> the errors it must have: (code, line, column). Every other file has none.
EXPECTED_ERRORS = {
    # requires "java-uaa"; the resource is called "dev703-java-uaa"
    "mtad/003.yaml": [("R001", 10, 15)],
    # the approuter references ~{srv-binding/...} but requires the module, not srv-binding
    "mtad/005.yaml": [("R002", 31, 12), ("R002", 34, 12)],
    # the typo "memroy" in three modules: the deployer ignores it, memory stays the default
    "mtad/012.yaml": [("S011", 11, 7), ("S011", 24, 7), ("S011", 39, 7)],
    # "requires:" followed by a scalar, not a list
    "mtad/015.yaml": [("S002", 10, 7)],
    # requires "ui5" and "dev602-db", which nothing provides; "config_path" for "config-path"
    "mtad/018.yaml": [("R001", 17, 15), ("R001", 33, 15), ("S011", 49, 7)],
    # a schema v1 test file of the deployer: no _schema-version, requires as plain strings
    "mtad/035.yaml": [("S001", 1, 1), ("S002", 7, 16), ("S002", 7, 21), ("S002", 18, 16)],
    # a parser test file of the deployer: the hook requires "plugin-provider", which is nowhere
    "mtad/036.yaml": [("R001", 22, 19)],
    # the deployer's "missing schema" test file
    "mtad/038.yaml": [("S001", 1, 1)],
    # the deployer's v1 test file: schema 1.0.0 and two modules named "foo"
    "mtad/040.yaml": [("S007", 1, 18), ("S005", 9, 11)],
    # version: ${project.version}, a Maven placeholder that was never filtered
    "mtad/047.yaml": [("S009", 3, 10)],
    # mbt test data: requires the module "java-hello-world-db", which is not in the descriptor
    "mtad/049.yaml": [("R001", 31, 15)],
    # mbt test data: requires "assembly-uaa"; the resource is "mta-assembly-uaa"
    "mtad/050.yaml": [("R001", 10, 15), ("R001", 20, 15)],
    # module-level "memory: 1024M": a parameter beside parameters, which the deployer ignores
    "mtad/041.yaml": [("S012", 9, 5)],
    # _schema-version "1.0": the deployer supports 2.x and 3.x only
    "mtad/058.yaml": [("S007", 2, 18)],
    # cloud-mta's negative test: "parameters: abc" (type1 is a warning, see below)
    "mta/014.yaml": [("S002", 28, 16)],
    # mta.yml files without _schema-version; 020 has no version either
    "mta/016.yaml": [("S001", 1, 1)],
    "mta/017.yaml": [("S001", 1, 1)],
    "mta/019.yaml": [("S001", 1, 1)],
    "mta/020.yaml": [("S001", 2, 1), ("S001", 2, 1)],
    # mbt test data: three modules provide "node-js_api"
    "mta/022.yaml": [("S005", 34, 15), ("S005", 50, 15)],
    # broken YAML: TABs, broken indentation, several documents
    "mta/024.yaml": [("Y001", 9, 2)],
    # requires "admin_node_api", which no module provides
    "mta/029.yaml": [("R001", 132, 15)],
}

# Warnings that must be found (a subset of all warnings): typos and misplaced keys.
EXPECTED_WARNINGS = {
    # SAP's Benefits sample: application names that break the inferred Neo naming rule:
    # "benefitsSOLUTION_ID" (a token the sample's build replaces) and "benefits.app"
    "mtad/045.yaml": [("N016", 13, 14)],
    "mtad/046.yaml": [("N016", 13, 14)],
    "mtad/057.yaml": [("N016", 13, 14)],
    "mtad/001.yaml": [("S010", 2, 10)],  # version '1.0' is not semantic versioning
    "mta/002.yaml": [("S010", 3, 10)],  # version "v1"
    "mta/005.yaml": [("S006", 10, 5)],  # a CI pipeline configuration inside a module
    "mta/014.yaml": [("S006", 30, 4)],  # type1
    # cloud-mta test data: a literal password tagged !sensitive in the descriptor; the Cloud
    # Foundry deployer accepts it, so outside Neo it is a warning
    "mta/036.yaml": [("N020", 29, 15)],
}


def _name(path) -> str:
    return path.relative_to(CORPUS).as_posix()


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Every corpus file validated alone: relative name -> diagnostics (as JSON dicts)."""
    folder = tmp_path_factory.mktemp("corpus")
    out = {}
    for path in FILES:
        name = _name(path)
        target = folder / name.replace("/", "-").rsplit(".", 1)[0] / REAL_NAMES[name]
        target.parent.mkdir()
        shutil.copyfile(path, target)
        stdout, stderr = io.StringIO(), io.StringIO()
        code = run(ValidateOptions([str(target)], format="json"), stdout, stderr)
        report = json.loads(stdout.getvalue())
        errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
        assert code == (1 if errors else 0), stderr.getvalue()
        out[name] = report["diagnostics"]
    return out


def test_corpus_is_there():
    assert len(FILES) >= 130


@pytest.mark.parametrize("name", [_name(p) for p in FILES])
def test_errors_are_exactly_the_known_faults(results, name):
    found = sorted((d["code"], d["line"], d["column"]) for d in results[name]
                   if d["severity"] == "error")
    assert found == sorted(EXPECTED_ERRORS.get(name, [])), "\n".join(
        f"{d['line']}:{d['column']} {d['code']} {d['message']}" for d in results[name])


@pytest.mark.parametrize("name", sorted(EXPECTED_WARNINGS))
def test_known_slips_are_warned_about(results, name):
    found = {(d["code"], d["line"], d["column"]) for d in results[name]
             if d["severity"] == "warning"}
    assert set(EXPECTED_WARNINGS[name]) <= found


def test_schemastore_example_has_no_errors_at_all(results):
    name = "schemastore-tests/positive/mta/mta-test.json"
    assert [d for d in results[name] if d["severity"] == "error"] == []
