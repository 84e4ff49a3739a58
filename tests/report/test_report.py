"""Reporters: the bytes each ``--format`` writes, and where."""
from __future__ import annotations

import io
import json
import re

import pytest

from conftest import ROOT, run_cli
from mta_sfsf.diagnostics import Diagnostic
from mta_sfsf.report import FORMATS, default_format, reporter

ERROR = Diagnostic("dir/mtad.yaml", 14, 9, "F013", "error", "literal secret, 100% wrong",
                   "modules[0].parameters.sfsf-outbound-connections[1].client-secret",
                   "use ~{resource/property}")
WARNING = Diagnostic("a,b:c.mtaext", 3, 1, "X009", "warning", "first line\nsecond line\r", "", None)


def render(name, diagnostics, files=2):
    out, err = io.StringIO(), io.StringIO()
    reporter(name)(diagnostics, files, out, err)
    return out.getvalue(), err.getvalue()


def test_text_goes_to_stdout_with_place_path_and_hint():
    out, err = render("text", [ERROR, WARNING])
    assert err == ""
    assert out == (
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
    assert document["summary"] == {"errors": 1, "warnings": 1, "files": 3, "suppressed": 0}
    assert out.endswith("}\n") and out.isascii()


def test_json_with_no_findings():
    out, _ = render("json", [], files=1)
    assert json.loads(out) == {"diagnostics": [], "summary": {"errors": 0, "warnings": 0,
                                                              "files": 1, "suppressed": 0}}


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


# "x\ud800" is a legal YAML key and a lone surrogate: no encoding can write it as it is.
SURROGATE = Diagnostic("f\udcff.yaml", 2, 3, "S003", "error", 'module "x\ud800": bad name',
                       "modules[0].x\ud800", "rename \ud800")


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_writes_a_lone_surrogate_as_an_escape(name):
    out, err = render(name, [SURROGATE], files=1)
    (out + err).encode("utf-8")  # strict: it would raise on a lone surrogate
    assert "\\ud800" in out and "\ud800" not in out + err


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_survives_an_ascii_console_on_a_lone_surrogate_key(name, tmp_path):
    import subprocess
    import sys

    (tmp_path / "mtad.yaml").write_text(
        "_schema-version: '3.1'\nID: caf\u00e9\nversion: 1.0.0\nmodules:\n  - name: \"x\\ud800\"\n"
        "    type: com.sap.java\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "ascii"}
    result = subprocess.run([sys.executable, "-m", "mta_sfsf", "validate", "mtad.yaml",
                             "--format", name], cwd=tmp_path, env=env, capture_output=True,
                            timeout=60)
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr and b"internal error" not in result.stderr
    assert b"S003" in result.stdout and b"ud800" in result.stdout


def test_readme_lists_every_format_where_the_options_are_shown():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    formats = "|".join(FORMATS)
    for command in ("validate", "expand"):
        usage = re.search(rf"^mta-sfsf {command} .*?```", readme, re.S | re.M).group(0)
        assert f"[--format {formats}]" in usage, command
    section = re.search(r"^### Report formats\n(.*?)^##", readme, re.S | re.M).group(1)
    assert re.findall(r"^- `(\w+)`", section, re.M) == list(FORMATS)
    for name in FORMATS:
        assert f"--format {name}" in section, name


def test_verify_keeps_its_own_three_formats(capsys):
    code, _, err = run_cli(capsys, "verify", "plan.json", "--format", "sarif")
    assert code == 2 and "invalid choice: 'sarif'" in err


def test_quiet_drops_the_github_summary_and_colour_never_reaches_a_machine_format():
    assert render("github", [ERROR], files=1)[1] and render_quiet("github") == (
        render("github", [ERROR], files=1)[0], "")
    assert not render_quiet("text")[0].endswith("in 1 file\n")
    for name in FORMATS:
        colored = io.StringIO()
        reporter(name)([ERROR, WARNING], 2, colored, io.StringIO(), color="always")
        assert ("\x1b" in colored.getvalue()) is (name == "text"), name


def render_quiet(name):
    out, err = io.StringIO(), io.StringIO()
    reporter(name)([ERROR], 1, out, err, quiet=True)
    return out.getvalue(), err.getvalue()
