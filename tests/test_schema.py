"""``mta-sfsf schema``: the exported JSON Schema is valid draft-07, holds exactly what the rules'
tables hold, and agrees with ``validate`` on the sample, the case files and the corpus, checked
with the real ``jsonschema`` validator (a test-only dependency)."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import CORPUS, ROOT, SAMPLE, run_cli
from mta_sfsf.descriptor.tree import YMap, YSeq
from mta_sfsf.diagnostics import format_path
from mta_sfsf.rules import neo_types as T
from mta_sfsf.rules import outbound, sfsf
from mta_sfsf.rules.neo import detect_platform
from mta_sfsf.rules.structure import ELEMENTS
from mta_sfsf.schema import descriptor_schema
from mta_sfsf.validate import check

CASES = ROOT / "tests" / "cases"
SCHEMAS = {kind: descriptor_schema(kind) for kind in ("mtad", "mtaext")}
VALIDATORS = {kind: jsonschema.Draft7Validator(schema) for kind, schema in SCHEMAS.items()}

# Warnings the schema reports as problems on purpose: unknown keys and parameters, so that a typo
# shows as you type. Any other schema problem must be at an error of validate.
UNKNOWN_KEYS = {"N008", "S006", "X009"}
# Codes the schema expresses completely: each such finding of validate is a schema error too.
EXPRESSED = {"N001", "N002", "N005", "N009", "N010", "N017", "F002", "F003", "F004", "F005",
             "F019", "S001"}


def _plain(node):
    if isinstance(node, YMap):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, YSeq):
        return [_plain(value) for value in node]
    return node


def _schema_problems(path: Path, kind: str, extensions=()):
    """(findings of validate, [(key path, unexpected key or None, message)] of the schema)."""
    descriptor, findings = check(str(path), [str(e) for e in extensions])
    problems = []
    for error in VALIDATORS[kind].iter_errors(_plain(descriptor.main.data)):
        where = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            for key in set(error.instance) - set(error.schema.get("properties", {})):
                problems.append((where + (key,), key, error.message))
        else:
            problems.append((where, None, error.message))
    return descriptor, findings, problems


def _agree(path: Path, kind: str = "mtad", extensions=()) -> None:
    """Every schema problem is at (or around) an error of validate or an unknown-key warning,
    except an undocumented parameter the descriptor uses as a ${placeholder}; every finding of an
    EXPRESSED code is a schema problem."""
    descriptor, findings, problems = _schema_problems(path, kind, extensions)
    found = [d for d in findings if d.file == str(path)]
    text = descriptor.main.text
    for where, key, message in problems:
        shown = format_path(where)
        near = [d for d in found if (d.severity == "error" or d.code in UNKNOWN_KEYS)
                and (d.path.startswith(shown) or shown.startswith(d.path))]
        placeholder = key is not None and "${" + key + "}" in text
        assert near or placeholder, f"{path.name}: the schema alone refuses {shown}: {message}"
    for finding in found:
        if finding.code in EXPRESSED:
            assert any(finding.path.startswith(format_path(where)) for where, _, _ in problems), \
                f"{path.name}: the schema misses {finding.code} at {finding.path}"


def _neo_files(folder: Path, pattern: str):
    for path in sorted(folder.glob(pattern)):
        if path.name.endswith(".mta.yaml"):
            continue
        descriptor, _ = check(str(path), [])
        if detect_platform(descriptor.main.data) == "neo" and _plain(descriptor.main.data):
            yield path


# ------------------------------------------------------------------ the command

def test_schema_prints_draft_07_json_on_stdout(capsys):
    code, out, err = run_cli(capsys, "schema")
    assert code == 0 and err == ""
    schema = json.loads(out)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema == SCHEMAS["mtad"]


def test_schema_kind_mtaext_and_output_file(capsys, tmp_path):
    target = tmp_path / "mtaext.schema.json"
    code, out, err = run_cli(capsys, "schema", "--kind", "mtaext", "-o", str(target))
    assert (code, out) == (0, "")
    assert f"wrote {target}" in err
    schema = json.loads(target.read_text(encoding="utf-8"))
    assert schema == SCHEMAS["mtaext"]
    assert schema["required"] == ["_schema-version", "ID", "extends"]


def test_schema_output_folder_is_created(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = run_cli(capsys, "schema", "-o", ".vscode/mtad.schema.json")  # the README's
    assert code == 0 and json.loads((tmp_path / ".vscode" / "mtad.schema.json").read_text())


def test_schema_output_that_cannot_be_written_is_exit_2(capsys, tmp_path):
    (tmp_path / "file").write_text("")
    code, out, err = run_cli(capsys, "schema", "-o", str(tmp_path / "file" / "s.json"))
    assert code == 2 and out == ""
    assert "cannot write" in err


def test_schema_unknown_kind_is_a_usage_error(capsys):
    code, _, err = run_cli(capsys, "schema", "--kind", "mta")
    assert code == 2 and "invalid choice" in err


# ------------------------------------------------------------------ the tables, both ways

def _typed_parameters(schema: dict, mtype: str) -> dict:
    for branch in schema["definitions"]["module"]["allOf"]:
        if branch["if"]["properties"]["type"]["const"] == mtype:
            return branch["then"]["properties"]["parameters"]
    raise AssertionError(mtype)


@pytest.mark.parametrize("mtype", list(T.MODULE_PARAMETERS))
def test_every_parameter_the_rules_know_is_in_the_schema_and_no_other(mtype):
    schema = SCHEMAS["mtad"]
    table = T.MODULE_PARAMETERS[mtype]
    parameters = _typed_parameters(schema, mtype)
    assert set(parameters["properties"]) == set(table) | set(T.DEPRECATED_PARAMETERS)
    assert parameters["additionalProperties"] is False
    assert parameters["required"] == [k for k, spec in table.items() if spec["required"]]
    for key, spec in table.items():
        target = parameters["properties"][key]["$ref"].rsplit("/", 1)[-1]
        definition = schema["definitions"][target]
        if key in T.SFSF_OWNED and mtype in T.SFSF_CHECKED_TYPES:
            continue  # the sfsf definitions, below
        branches = definition["anyOf"]
        if "values" in spec:
            assert [b for b in branches if b.get("enum") == list(spec["values"])], key
        if "range" in spec:
            assert [b for b in branches if (b.get("minimum"), b.get("maximum")) == spec["range"]]
        if "length" in spec:
            lengths = json.dumps(branches)
            assert f'"minLength": {spec["length"][0]}, "maxLength": {spec["length"][1]}' in lengths
        if "default" in spec:
            assert str(definition["default"]).lower() == spec["default"].lower()


def test_types_and_elements_are_the_rules_tables():
    schema = SCHEMAS["mtad"]
    module = schema["definitions"]["module"]
    assert module["properties"]["type"]["enum"] == [
        *T.MODULE_TYPES, *T.SAMPLE_MODULE_TYPES, *T.DEPRECATED_MODULE_TYPES]
    assert schema["definitions"]["resource"]["properties"]["type"]["enum"] == [
        *T.RESOURCE_TYPES, None]
    assert set(schema["properties"]) == set(ELEMENTS["mtad"][1])
    assert set(SCHEMAS["mtaext"]["properties"]) == set(ELEMENTS["mtaext"][1])
    for element, (_, spec, required) in ELEMENTS.items():
        if element in ("mtad", "mtaext", "include"):
            continue
        definition = schema["definitions"][element]
        assert set(definition["properties"]) == set(spec), element
        assert definition["required"] == list(required), element
    deployer = schema["definitions"]["global-parameters"]["properties"]["hcp-deployer-version"]
    assert set(T.DEPLOYER_VERSIONS) <= set(deployer["enum"])


def test_sfsf_and_outbound_definitions_are_the_rules_tables():
    definitions = SCHEMAS["mtad"]["definitions"]
    connection = definitions["sfsf-connection"]
    assert set(connection["properties"]) == sfsf.SFSF_CONNECTION_KEYS
    assert connection["properties"]["type"]["enum"] == list(sfsf.SFSF_CONNECTION_TYPES)
    assert connection["properties"]["sfsf-module"]["enum"] == list(sfsf.SFSF_MODULES)
    assert definitions["role-provider"]["anyOf"][0]["enum"] == list(sfsf.ROLE_PROVIDERS)
    outbound_connection = definitions["outbound-connection"]
    integration = definitions["integration"]
    assert set(outbound_connection["properties"]) == outbound.CONNECTION_KEYS
    assert outbound_connection["required"] == list(outbound.CONNECTION_REQUIRED)
    assert outbound_connection["properties"]["type"]["enum"] == list(outbound.CONNECTION_TYPES)
    assert outbound_connection["then"]["required"] == list(outbound.SAML_REQUIRED)
    lifetime = outbound_connection["properties"]["token-lifetime"]["oneOf"][0]
    assert lifetime["maximum"] == outbound.MAX_TOKEN_LIFETIME
    assert set(integration["properties"]) == outbound.INTEGRATION_KEYS
    assert integration["required"] == list(outbound.INTEGRATION_REQUIRED)


# ------------------------------------------------------------------ the schema agrees with validate

def test_the_sample_validates_against_the_schema():
    assert _schema_problems(SAMPLE / "mtad.yaml", "mtad")[2] == []
    assert _schema_problems(SAMPLE / "sample.mtaext", "mtaext")[2] == []


def test_a_misspelt_parameter_in_the_sample_is_caught(tmp_path):
    text = (SAMPLE / "mtad.yaml").read_text(encoding="utf-8")
    assert "      maximum-processes: 2\n" in text
    path = tmp_path / "mtad.yaml"
    path.write_text(text.replace("      maximum-processes: 2\n", "      maximum-process: 2\n"),
                    encoding="utf-8")
    _, findings, problems = _schema_problems(path, "mtad")
    assert ("modules", 0, "parameters", "maximum-process") in [p[0] for p in problems]
    assert {d.code for d in findings} >= {"N008", "N013"}  # validate: unknown, and min alone
    _agree(path)


def test_a_wrong_value_in_the_sample_is_caught(tmp_path):
    text = (SAMPLE / "mtad.yaml").read_text(encoding="utf-8")
    path = tmp_path / "mtad.yaml"
    path.write_text(text.replace("sfsf-idp-access: true", "sfsf-idp-access: maybe")
                    .replace("type: OAuth2ClientCredentials", "type: OAuth2ClientCredential"),
                    encoding="utf-8")
    problems = [p[0] for p in _schema_problems(path, "mtad")[2]]
    assert ("modules", 0, "parameters", "sfsf-idp-access") in problems
    assert ("modules", 0, "parameters", "sfsf-outbound-connections", 0, "type") in problems
    _agree(path)


@pytest.mark.parametrize("path", list(_neo_files(CASES / "positive", "*.yaml"))
                         + list(_neo_files(CASES / "negative", "*.yaml")),
                         ids=lambda p: p.name)
def test_the_schema_agrees_with_validate_on_the_neo_case_files(path):
    _agree(path)


def _corpus_neo_descriptors():
    if not CORPUS.is_dir():
        return []
    rows = csv.reader((CORPUS / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")
    return [CORPUS / row[0] for row in rows
            if row and row[0].startswith("mtad/") and row[2].endswith("mtad.yaml")]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_every_neo_descriptor_of_the_corpus_that_validate_accepts_fits_the_schema(tmp_path):
    accepted = 0
    for source in _corpus_neo_descriptors():
        path = tmp_path / source.stem / "mtad.yaml"
        path.parent.mkdir()
        shutil.copy(source, path)
        descriptor, findings, problems = _schema_problems(path, "mtad")
        if detect_platform(descriptor.main.data) != "neo":
            continue
        _agree(path)
        if not [d for d in findings if d.severity == "error"]:
            assert problems == [], source.name
            accepted += 1
    assert accepted >= 4  # SAP's Benefits sample (three versions) and another


def test_extension_descriptors_fit_the_extension_schema():
    for path in [SAMPLE / "sample.mtaext", *sorted((CASES / "positive").glob("*.mtaext"))]:
        assert _schema_problems(path, "mtaext")[2] == [], path.name


def test_a_misspelt_key_in_an_extension_is_caught_like_x009():
    schema = VALIDATORS["mtaext"]
    extension = {"_schema-version": "3.1", "ID": "a.config", "extends": "a",
                 "modules": [{"name": "app", "parameters": {"role-provider": "sfsf"}}]}
    assert schema.is_valid(extension)
    extension["modules"][0]["paramters"] = extension["modules"][0].pop("parameters")
    assert [e.message for e in schema.iter_errors(extension)] == [
        "Additional properties are not allowed ('paramters' was unexpected)"]
