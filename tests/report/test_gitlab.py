"""``--format gitlab``: the Code Quality report GitLab's merge requests show."""
from __future__ import annotations

import json

import pytest

from conftest import JAVA_MODULE_HEAD, SAMPLE, run_cli

BAD = JAVA_MODULE_HEAD.replace("name: app\n", "name: bad name\n", 1) + (
    "      memroy: 1G\n      memroy2: 1G\n")


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    (tmp_path / "neo").mkdir()
    (tmp_path / "neo" / "bad.yaml").write_text(BAD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def gitlab(capsys, *argv, command="validate"):
    code, out, err = run_cli(capsys, command, *argv, "--format", "gitlab")
    return code, json.loads(out), err


def test_each_finding_is_an_issue_with_the_fields_gitlab_reads(capsys, work):
    code, issues, err = gitlab(capsys, "neo/bad.yaml")
    assert (code, err) == (1, "")
    assert [set(issue) for issue in issues] == [
        {"description", "check_name", "fingerprint", "severity", "location"}] * 3
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("S003", "major", {"path": "neo/bad.yaml", "lines": {"begin": 7}}),
        ("N008", "minor", {"path": "neo/bad.yaml", "lines": {"begin": 11}}),
        ("N008", "minor", {"path": "neo/bad.yaml", "lines": {"begin": 12}})]
    assert issues[0]["description"].startswith('S003: module "bad name": Invalid value')
    assert issues[0]["description"].endswith(
        "(at modules[0].name); hint: use only letters, digits, '_', '-' and '.'")


def test_fingerprints_are_unique_and_stable_across_runs(capsys, work):
    first = [i["fingerprint"] for i in gitlab(capsys, "neo/bad.yaml")[1]]
    assert len(set(first)) == 3
    (work / "neo" / "bad.yaml").write_text("# moved down\n" + BAD, encoding="utf-8")
    assert [i["fingerprint"] for i in gitlab(capsys, "neo/bad.yaml")[1]] == first


def test_a_clean_run_is_an_empty_list(capsys):
    code, issues, _ = gitlab(capsys, str(SAMPLE / "mtad.yaml"), "-e", str(SAMPLE / "sample.mtaext"))
    assert (code, issues) == (0, [])


def test_a_command_line_finding_points_at_the_descriptor(capsys, tmp_path, monkeypatch):
    for name in ("mtad.yaml", "sample.mtaext"):
        (tmp_path / name).write_text((SAMPLE / name).read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    code, issues, err = gitlab(capsys, "mtad.yaml", "-e", "sample.mtaext", "-o", "out",
                               command="expand")
    assert code == 0 and err.startswith("mta-sfsf: wrote ")
    (p001,) = [i for i in issues if i["check_name"] == "P001"]
    assert p001["location"] == {"path": "mtad.yaml", "lines": {"begin": 1}}
    assert p001["description"].startswith("P001: in the command line: ")


def test_paths_are_relative_to_gitlabs_project_folder(capsys, work, monkeypatch):
    monkeypatch.setenv("CI_PROJECT_DIR", str(work))
    monkeypatch.chdir(work / "neo")
    issues = gitlab(capsys, "bad.yaml")[1]
    assert {i["location"]["path"] for i in issues} == {"neo/bad.yaml"}
