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
from mta_sfsf.cli import SUBCOMMANDS, build_parser, command_parser, parse_arguments


def _help(name: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        parse_arguments([name, "--help"])
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
            args = parse_arguments(argv)
        except SystemExit:
            pytest.fail(f"mta-sfsf {shlex.join(argv)}: {capsys.readouterr().err}")
        assert args.command == name


def test_the_validate_example_on_the_sample_runs_as_printed():
    argv = next(a for a in _examples(_help("validate")) if "sample-mta/mtad.yaml" in a)
    done = subprocess.run([sys.executable, "-m", "mta_sfsf", *argv], cwd=ROOT,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_run_builds_only_its_own_options():
    dests = [a.dest for a in command_parser("validate")._actions]
    assert "strict" in dests and "outdir" not in dests


def _outcome(parse, argv, capsys):
    """What a parse gives: its options, or its exit code and printed text."""
    try:
        return vars(parse(argv))
    except SystemExit as exit_:
        return exit_.code, capsys.readouterr()


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_a_command_parsed_alone_reads_as_in_the_whole_parser(name, capsys):
    """Help and options are the same as from the parser of every command; an unknown option is
    refused with the command's own usage (the whole parser shows only its own)."""
    example = next(_examples(_help(name)))
    capsys.readouterr()
    for argv in ([name, "--help"], example):
        alone = _outcome(parse_arguments, argv, capsys)
        assert alone == _outcome(build_parser().parse_args, argv, capsys), argv
    code, printed = _outcome(parse_arguments, [name, "--bogus"], capsys)
    assert code == 2 and printed.err.startswith(f"usage: mta-sfsf {name} [-h]")
    assert printed.err.endswith(f"mta-sfsf {name}: error: unrecognized arguments: --bogus\n") \
        or "required" in printed.err
