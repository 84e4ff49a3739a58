"""``--help`` of every subcommand: a description, examples that parse with the real parser, and
the exit codes; the validate example on the sample runs as printed."""
from __future__ import annotations

import contextlib
import io
import shlex
import subprocess
import sys

import pytest

from conftest import ROOT
from mta_sfsf.cli import SUBCOMMANDS, build_parser


def _help(name: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        build_parser(name).parse_args([name, "--help"])
    assert exit_.value.code == 0
    return out.getvalue()


def _examples(text: str):
    """The command lines under "examples:"; shell redirections and pipes are cut off."""
    block = text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0]
    for line in block.splitlines():
        line = line.strip()
        if line.startswith("$ "):
            continue  # another program's command (export ...)
        words = shlex.split(line)
        if "|" in words:
            words = words[words.index("|") + 1:]
        for cut in (">", "2>"):
            if cut in words:
                words = words[:words.index(cut)]
        assert words[0] == "mta-sfsf", line
        yield words[1:]


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_help_has_description_examples_and_exit_codes(name):
    text = _help(name)
    command = SUBCOMMANDS[name]
    assert command.description.split()[0] in text
    assert "\nexamples:\n" in text and "\nexit codes:\n" in text
    codes = [line.split()[0] for line in text.split("\nexit codes:\n", 1)[1].splitlines()
             if line.strip()]
    assert codes[:1] == ["0"] and {"2", "3"} <= set(codes)
    assert len(list(_examples(text))) >= 2


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_every_example_in_help_parses_with_real_options(name, capsys):
    for argv in _examples(_help(name)):
        assert argv[0] == name
        try:
            args = build_parser(name).parse_args(argv)
        except SystemExit:
            pytest.fail(f"mta-sfsf {shlex.join(argv)}: {capsys.readouterr().err}")
        assert args.command == name


def test_the_validate_example_on_the_sample_runs_as_printed():
    argv = next(a for a in _examples(_help("validate")) if "sample-mta/mtad.yaml" in a)
    done = subprocess.run([sys.executable, "-m", "mta_sfsf", *argv], cwd=ROOT,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_run_builds_only_its_own_options():
    parser = build_parser("validate")
    commands = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    assert [a.dest for a in commands["expand"]._actions] == ["help"]
    assert "strict" in [a.dest for a in commands["validate"]._actions]
