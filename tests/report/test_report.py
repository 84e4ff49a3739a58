"""Reporters: the bytes each ``--format`` writes, and where."""
from __future__ import annotations

import io
import json

from mta_sfsf.diagnostics import Diagnostic
from mta_sfsf.report import default_format, reporter

ERROR = Diagnostic("dir/mtad.yaml", 14, 9, "F013", "error", "literal secret, 100% wrong",
                   "modules[0].parameters.sfsf-outbound-connections[1].client-secret",
                   "use ~{resource/property}")
WARNING = Diagnostic("a,b:c.mtaext", 3, 1, "X009", "warning", "first line\nsecond line\r", "", None)


def render(name, diagnostics, files=2):
    out, err = io.StringIO(), io.StringIO()
    reporter(name)(diagnostics, files, out, err)
    return out.getvalue(), err.getvalue()


def test_text_goes_to_stderr_with_place_path_and_hint():
    out, err = render("text", [ERROR, WARNING])
    assert out == ""
    assert err == (
        "dir/mtad.yaml:14:9: error F013: literal secret, 100% wrong\n"
        "    at modules[0].parameters.sfsf-outbound-connections[1].client-secret\n"
        "    hint: use ~{resource/property}\n"
        "a,b:c.mtaext:3:1: warning X009: first line\\nsecond line\\r\n"  # one line each
        "1 error(s), 1 warning(s) in 2 files\n")


def test_json_has_exactly_the_documented_shape():
    out, err = render("json", [ERROR, WARNING], files=3)
    assert err == ""
    document = json.loads(out)
    assert list(document) == ["diagnostics", "summary"]
    assert [list(d) for d in document["diagnostics"]] == [
        ["code", "severity", "message", "file", "line", "column", "path", "hint"]] * 2
    assert document["diagnostics"][0] == {
        "code": "F013", "severity": "error", "message": "literal secret, 100% wrong",
        "file": "dir/mtad.yaml", "line": 14, "column": 9,
        "path": "modules[0].parameters.sfsf-outbound-connections[1].client-secret",
        "hint": "use ~{resource/property}"}
    assert document["diagnostics"][1]["hint"] is None
    assert document["summary"] == {"errors": 1, "warnings": 1, "files": 3}
    assert out.endswith("}\n") and out.isascii()


def test_json_with_no_findings():
    out, _ = render("json", [], files=1)
    assert json.loads(out) == {"diagnostics": [], "summary": {"errors": 0, "warnings": 0,
                                                              "files": 1}}


def test_json_stays_ascii_for_any_console():
    out, _ = render("json", [Diagnostic("ü.yaml", 1, 1, "Y001", "error", "café")])
    assert out.isascii() and json.loads(out)["diagnostics"][0]["message"] == "café"


def test_github_annotations_escape_data_and_properties():
    out, err = render("github", [ERROR, WARNING])
    assert out.splitlines() == [
        "::error file=dir/mtad.yaml,line=14,col=9,title=F013::literal secret, 100%25 wrong "
        "(at modules[0].parameters.sfsf-outbound-connections[1].client-secret)%0Ahint: use "
        "~{resource/property}",
        "::warning file=a%2Cb%3Ac.mtaext,line=3,col=1,title=X009::first line\\nsecond line\\r",
    ]
    assert err == "1 error(s), 1 warning(s) in 2 file(s)\n"


def test_github_is_the_default_inside_actions(monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert default_format() == "github"
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert default_format() == "text"


def test_github_annotation_about_the_command_line_has_no_file():
    from mta_sfsf.diagnostics import COMMAND_LINE

    finding = Diagnostic(COMMAND_LINE, 1, 1, "P001", "warning", "no --host and no --account")
    out, _ = render("github", [finding])
    assert out == "::warning title=P001::no --host and no --account\n"
