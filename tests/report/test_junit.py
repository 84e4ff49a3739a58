"""``--format junit``: JUnit XML as Jenkins' junit step and GitLab's test reports read it."""
from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest

from conftest import JAVA_MODULE_HEAD, SAMPLE, run_cli
from mta_sfsf.diagnostics import Diagnostic
from mta_sfsf.report import reporter

BAD = JAVA_MODULE_HEAD.replace("name: app\n", "name: bad name\n", 1) + "      memroy: 1G\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    for name in ("mtad.yaml", "sample.mtaext"):
        (tmp_path / name).write_text((SAMPLE / name).read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def junit(capsys, *argv):
    code, out, err = run_cli(capsys, "validate", *argv, "--format", "junit")
    assert out.startswith('<?xml version="1.0" encoding="US-ASCII"?>\n') and out.isascii()
    return code, ElementTree.fromstring(out), err


def cases(suite):
    return [(case.get("name"), [child.tag for child in case]) for case in suite]


def test_one_suite_per_file_errors_fail_warnings_pass_with_their_output(capsys, work):
    code, root, err = junit(capsys, "bad.yaml", "mtad.yaml", "-e", "sample.mtaext")
    assert (code, err) == (1, "")
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "0")
    suites = {suite.get("name"): suite for suite in root}
    assert list(suites) == ["sample.mtaext", "bad.yaml", "mtad.yaml"]  # in the order read
    bad = suites["bad.yaml"]
    assert (bad.get("tests"), bad.get("failures"), bad.get("skipped")) == ("2", "1", "0")
    assert cases(bad) == [("S003 at 7:11 modules[0].name", ["failure"]),
                          ("N008 at 11:7 modules[0].parameters.memroy", ["system-out"])]
    failure = bad[0].find("failure")
    assert failure.get("message").startswith('S003: module "bad name": Invalid value')
    assert failure.get("type") == "error"
    assert failure.text.startswith('bad.yaml:7:11: error S003: module "bad name"')
    assert "    at modules[0].name\n    hint: use only letters" in failure.text
    assert bad[1].find("system-out").text.startswith("bad.yaml:11:7: warning N008: ")
    assert (bad[0].get("classname"), bad[0].get("file"), bad[0].get("line")) == (
        "bad", "bad.yaml", "7")
    # clean files still show a passing test, so a clean run is not "no tests"
    for name in ("mtad.yaml", "sample.mtaext"):
        assert cases(suites[name]) == [("no findings", [])]
        assert (suites[name].get("tests"), suites[name].get("failures")) == ("1", "0")


def test_strict_makes_warnings_failing_testcases(capsys, work):
    code, root, _ = junit(capsys, "bad.yaml", "--strict")
    assert code == 1 and root.get("failures") == "2"
    assert cases(root[0]) == [("S003 at 7:11 modules[0].name", ["failure"]),
                              ("N008 at 11:7 modules[0].parameters.memroy", ["failure"])]
    assert root[0][1].find("failure").get("type") == "warning"


def test_a_clean_run_passes_one_test_per_file(capsys, work):
    code, root, _ = junit(capsys, "mtad.yaml", "-e", "sample.mtaext")
    assert code == 0 and (root.get("tests"), root.get("failures")) == ("2", "0")


def test_characters_xml_forbids_never_reach_the_document():
    hostile = Diagnostic("a\x01<b>&\"'.yaml", 1, 1, "S003", "error",
                         "k\x00e\x1by \ud800 \ufffe ]]> <![CDATA[ x", "m\x7f[0]", "h\x0c")
    out = io.StringIO()
    reporter("junit")([hostile], 1, out, out)
    root = ElementTree.fromstring(out.getvalue())  # would raise on malformed XML
    case = root[0][0]
    assert root[0].get("name") == "a\\x01<b>&\"'.yaml"
    assert case.find("failure").text == (
        "a\\x01<b>&\"'.yaml:1:1: error S003: k\\x00e\\x1by \\ud800 \\ufffe ]]> <![CDATA[ x\n"
        "    at m\\x7f[0]\n    hint: h\\x0c\n")
