"""The text format for people: colour and when, --quiet, the source line of a syntax error, and
one document per stream (expand --diff)."""
from __future__ import annotations

import io
import json

import pytest

from conftest import JAVA_MODULE_HEAD, SAMPLE, run_cli
from mta_sfsf.diagnostics import Diagnostic
from mta_sfsf.report import reporter
from mta_sfsf.report.text import use_color

ERROR = Diagnostic("mtad.yaml", 7, 11, "S003", "error", "bad name", "modules[0].name", "rename")
WARNING = Diagnostic("x.mtaext", 3, 1, "X009", "warning", "ignored key")


class Terminal(io.StringIO):
    def isatty(self):
        return True


def text(diagnostics, out=None, **context):
    out = out or io.StringIO()
    reporter("text")(diagnostics, 2, out, io.StringIO(), **context)
    return out.getvalue()


def test_colour_marks_severity_red_or_yellow_and_place_and_code_bold():
    assert text([ERROR, WARNING], color="always").splitlines() == [
        "\x1b[1mmtad.yaml:7:11:\x1b[0m \x1b[31merror\x1b[0m \x1b[1mS003\x1b[0m: bad name",
        "    at modules[0].name",
        "    hint: rename",
        "\x1b[1mx.mtaext:3:1:\x1b[0m \x1b[33mwarning\x1b[0m \x1b[1mX009\x1b[0m: ignored key",
        "1 error(s), 1 warning(s) in 2 files"]
    assert "\x1b" not in text([ERROR], color="never", out=Terminal())


@pytest.mark.parametrize("choice, environ, tty, expected", [
    ("auto", {}, True, True),
    ("auto", {}, False, False),
    ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"NO_COLOR": ""}, True, True),  # empty means unset, as no-color.org says
    ("auto", {"FORCE_COLOR": "1"}, False, True),
    ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),  # NO_COLOR wins
    ("auto", {"TERM": "dumb"}, True, False),
    ("always", {"NO_COLOR": "1"}, False, True),  # the option beats the environment
    ("never", {"FORCE_COLOR": "1"}, True, False),
])
def test_when_to_colour(choice, environ, tty, expected):
    stream = Terminal() if tty else io.StringIO()
    assert use_color(choice, stream, environ) is expected


def test_the_cli_colours_on_request_and_quiet_drops_the_summary(capsys, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    mtad = str(SAMPLE / "mtad.yaml")
    code, out, err = run_cli(capsys, "validate", mtad, "--color", "always", "-q")
    assert (code, err) == (0, "")
    assert out.startswith(f"\x1b[1m{mtad}:64:7:\x1b[0m \x1b[33mwarning\x1b[0m \x1b[1mR006\x1b[0m: ")
    assert "warning(s)" not in out
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[33m" in run_cli(capsys, "validate", mtad)[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run_cli(capsys, "validate", mtad)[1]
    code, out, _ = run_cli(capsys, "validate", mtad, "-e", str(SAMPLE / "sample.mtaext"), "--quiet")
    assert (code, out) == (0, "")


def test_a_syntax_error_shows_its_line_with_a_caret(capsys, tmp_path):
    (tmp_path / "mtad.yaml").write_text("ID: a\nmodules: [x, y\nversion: 1\n")
    code, out, _ = run_cli(capsys, "validate", str(tmp_path / "mtad.yaml"), "--color", "never")
    assert code == 1
    assert out.split("\n")[1:3] == ["    version: 1", "           ^"]


def test_the_caret_counts_escaped_characters_and_long_lines_are_cut():
    finding = Diagnostic("mtad.yaml", 1, 4, "Y001", "error", "bad")
    assert text([finding], sources={"mtad.yaml": "a\tb: c: d\n"}, quiet=True).splitlines()[1:] == [
        "    a\\tb: c: d", "        ^"]
    long_line = "x" * 200 + ": y: z"
    finding = Diagnostic("mtad.yaml", 1, 204, "Y001", "error", "bad")
    shown = text([finding], sources={"mtad.yaml": long_line}, quiet=True).splitlines()[1:]
    assert shown[0] == "    ..." + long_line[-120:]
    assert shown[1].index("^") == shown[0].index(": z")


@pytest.mark.parametrize("name, line", [
    ("mtad.yaml", "  password: \"FAKE-open-quote"),
    ("mtad.yaml", "  clientSecret: [FAKE-open"),
    ("mtad.yaml", "  api-key: FAKE: x"),
    ("prod.mtaext", "  plain: value: x"),  # extension descriptors are where credentials live
])
def test_a_line_that_may_hold_a_secret_is_never_shown(name, line):
    finding = Diagnostic(name, 1, 5, "Y001", "error", "bad")
    assert text([finding], sources={name: line + "\n"}, quiet=True) == f"{name}:1:5: error Y001: bad\n"


def test_expand_diff_owns_standard_output_and_the_report_goes_to_standard_error(capsys, tmp_path):
    (tmp_path / "mtad.yaml").write_text((SAMPLE / "mtad.yaml").read_text(encoding="utf-8"))
    code, out, err = run_cli(capsys, "expand", str(tmp_path / "mtad.yaml"), "-o",
                             str(tmp_path / "out"), "--diff", "--format", "json")
    assert code == 0
    assert out.startswith(f"--- {tmp_path / 'mtad.yaml'}\n+++ ") and "{" not in out.split("\n")[0]
    report = json.loads(err)  # the whole of stderr: one JSON document
    assert {d["code"] for d in report["diagnostics"]} >= {"P001", "R006"}
    code, out, err = run_cli(capsys, "expand", str(tmp_path / "mtad.yaml"), "-o",
                             str(tmp_path / "out"), "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["warnings"] >= 2
    assert err.startswith("mta-sfsf: wrote ")


def test_expand_quiet_prints_findings_only(capsys, tmp_path):
    (tmp_path / "bad.yaml").write_text(JAVA_MODULE_HEAD + "      memroy: 1G\n")
    code, out, err = run_cli(capsys, "expand", str(tmp_path / "bad.yaml"), "-o",
                             str(tmp_path / "out"), "-q", "--color", "never")
    assert (code, err) == (0, "")  # no "wrote ..." line either
    assert out == (
        f'{tmp_path / "bad.yaml"}:11:7: warning N008: module "app": unknown parameter "memroy" '
        'for module type "com.sap.java"\n'
        "    at modules[0].parameters.memroy\n"
        "    hint: check the name in the com.sap.java parameter table of SAP's Neo documentation\n")
    assert (tmp_path / "out" / "plan.json").exists()


def test_the_readme_syntax_error_example_is_what_validate_prints(capsys, tmp_path, monkeypatch):
    import re
    import textwrap

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = textwrap.dedent(re.search(r"  ```text\n(  \$ cat mtad.yaml\n.*?)  ```", readme,
                                      re.S).group(1))
    source, printed = re.match(r"\$ cat mtad.yaml\n(.*?)\$ (mta-sfsf .*?)\n(.*)", block,
                               re.S).group(1, 3)
    command = re.search(r"\$ (mta-sfsf .*?)\n", block).group(1).split()
    (tmp_path / "mtad.yaml").write_text(source, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, *command[1:], "--color", "never")
    assert (code, out) == (1, printed)


def test_a_line_under_a_secret_like_key_is_never_shown(capsys, tmp_path):
    source = "ID: a\nparameters:\n  {key}:\n    # the value\n    S3CRET-PLANTED: x: y\nmodules: []\n"
    (tmp_path / "mtad.yaml").write_text(source.format(key="client-secret"))
    code, out, _ = run_cli(capsys, "validate", str(tmp_path / "mtad.yaml"), "-q")
    assert (code, out) == (1, f"{tmp_path / 'mtad.yaml'}:5:22: error Y001: mapping values are "
                              "not allowed here\n")
    (tmp_path / "mtad.yaml").write_text(source.format(key="description"))
    code, out, _ = run_cli(capsys, "validate", str(tmp_path / "mtad.yaml"), "-q")
    assert code == 1 and out.endswith("\n        S3CRET-PLANTED: x: y\n" + " " * 25 + "^\n")
