"""``mta-sfsf validate`` from the command line: options, output formats, exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mta_sfsf.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-mta"
MTAD, EXT = str(SAMPLE / "mtad.yaml"), str(SAMPLE / "sample.mtaext")


def ext_file(tmp_path, name, ident, extends, body=""):
    path = tmp_path / name
    path.write_text(f"_schema-version: '3.1'\nID: {ident}\nextends: {extends}\n{body}",
                    encoding="utf-8")
    return str(path)


@pytest.fixture
def chain(tmp_path):
    """The sample's extension split in two, as a chain."""
    first = ext_file(tmp_path, "first.mtaext", "com.example.benefits.first", "com.example.benefits",
                     "resources:\n  - name: sfsf-credentials\n    properties:\n"
                     "      client-secret: FAKE-secret\n")
    second = ext_file(tmp_path, "second.mtaext", "com.example.benefits.second",
                      "com.example.benefits.first",
                      "resources:\n  - name: benefits-db\n    paramters: {user-id: x}\n")
    return first, second


def test_clean_sample_exits_0(capsys):
    assert main(["validate", MTAD, "-e", EXT, "--format", "text"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "0 error(s), 0 warning(s) in 2 files\n" and captured.err == ""


@pytest.mark.parametrize("style", ["comma", "repeated", "reversed"])
def test_extension_lists_in_every_form(capsys, chain, style):
    first, second = chain
    argv = {"comma": ["-e", f"{first},{second}"], "repeated": ["-e", first, "-e", second],
            "reversed": ["-e", f"{second}, {first}"]}[style]
    code = main(["validate", MTAD, *argv, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0  # the one finding is a warning
    assert [(d["code"], Path(d["file"]).name, d["line"], d["column"])
            for d in report["diagnostics"]] == [("X009", "second.mtaext", 6, 5)]
    assert report["summary"] == {"errors": 0, "warnings": 1, "files": 3, "suppressed": 0}


def test_strict_makes_warnings_fail(capsys, chain):
    assert main(["validate", MTAD, "-e", ",".join(chain), "--strict"]) == 1
    assert "warning X009" in capsys.readouterr().out


def test_errors_exit_1_with_file_line_column_and_path(tmp_path, capsys):
    bad = ext_file(tmp_path, "bad.mtaext", "com.example.benefits.bad", "com.example.benefits",
                   "modules:\n  - name: benefits-ap\n")
    assert main(["validate", MTAD, "-e", bad, "--format", "text"]) == 1
    out = capsys.readouterr().out
    assert f'{bad}:5:11: error X005: Unknown module "benefits-ap" in extension descriptor ' \
           '"com.example.benefits.bad"\n    at modules[0].name\n' in out


def test_github_format(tmp_path, capsys):
    bad = ext_file(tmp_path, "bad.mtaext", "x", "nowhere")
    assert main(["validate", MTAD, "-e", bad, "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    # Sorted by file: where bad.mtaext stands among the lines depends on the folders' names.
    assert any(line.startswith(f"::error file={bad},line=3,col=10,title=X002::Cannot build "
                               "extension") for line in lines)
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_unreadable_input_exits_2_and_still_reports_the_rest(tmp_path, capsys):
    code = main(["validate", str(tmp_path / "nope.yaml"), MTAD, "-e", EXT, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == f"mta-sfsf: error: {tmp_path / 'nope.yaml'}: no such file\n"
    assert json.loads(captured.out)["summary"] == {"errors": 0, "warnings": 0, "files": 2, "suppressed": 0}


def test_unreadable_extension_exits_2(tmp_path, capsys):
    assert main(["validate", MTAD, "-e", str(tmp_path / "gone.mtaext")]) == 2
    assert "gone.mtaext: no such file" in capsys.readouterr().err


def test_internal_error_is_one_line_exit_3(monkeypatch, capsys):
    from mta_sfsf.rules import structure

    def broken(ctx):
        raise ValueError("FAKE-secret-value must not be printed")

    monkeypatch.setattr(structure, "check", broken)
    assert main(["validate", MTAD]) == 3
    err = capsys.readouterr().err
    assert err.startswith("mta-sfsf: internal error (ValueError at ")
    assert err.count("\n") == 1 and "Traceback" not in err and "FAKE" not in err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["validate"])
    assert exit_info.value.code == 2


def test_python_m_in_a_subprocess_imports_neither_requests_nor_jinja2(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mta_sfsf", "validate", MTAD, "-e", EXT],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "mta_sfsf" in imported and "ruamel" in imported
    assert not imported & {"requests", "jinja2", "urllib3", "markupsafe"}
    assert result.stdout == "0 error(s), 0 warning(s) in 2 files\n"


def _command(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """``mta-sfsf ARGS`` as the installed command runs it (the console entry point)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-c", "from mta_sfsf.cli import console; console()",
                           *args], cwd=ROOT, env=env, timeout=60, **kwargs)


def test_the_command_ends_without_the_shutdown_but_with_all_its_output(capsys):
    """The command skips Python's shutdown: every byte of a long report still arrives, and
    the exit code is main's."""
    cases = sorted(str(p) for p in (ROOT / "tests" / "cases" / "negative").glob("*.yaml"))
    assert main(["validate", *cases, "--format", "json"]) == 1
    expected = capsys.readouterr()
    done = _command("validate", *cases, "--format", "json", capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (1, expected.out, expected.err)
    assert len(done.stdout) > 64 * 1024  # more than a pipe's buffer
    assert _command("validate", MTAD, "-e", EXT, capture_output=True).returncode == 0
    assert _command("validate", "--no-such-option", capture_output=True).returncode == 2


def test_a_reader_that_stops_early_ends_the_command_quietly():
    cases = sorted(str(p) for p in (ROOT / "tests" / "cases" / "negative").glob("*.yaml"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", "from mta_sfsf.cli import console; "
                                "console()", "validate", *cases * 5], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.read(10)
    process.stdout.close()  # as `| head -c 10` does
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert err == "", err
