"""The README is the user's reference: it must name every diagnostic code and every option."""
from __future__ import annotations

import re

from conftest import ROOT

from mta_sfsf.cli import build_parser
from mta_sfsf.codes import all_codes

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_code_is_documented_with_its_severity():
    table = dict(re.findall(r"^\| `([A-Z]\d{3})` \| (error|warning) \|", README, re.M))
    registry = {code: severity for code, (severity, _) in all_codes().items()}
    assert table == registry


def test_every_option_of_every_command_is_documented():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    missing = []
    for name, sub in commands.items():
        assert f"mta-sfsf {name}" in README, name
        for action in sub._actions:
            longs = [o for o in action.option_strings if o.startswith("--") and o != "--help"]
            if longs and not any(o in README for o in longs):
                missing.append(f"{name} {longs[0]}")
    assert not missing


def test_ci_runs_the_readme_test_command():
    command = "pip install '.[test]' && pytest"
    assert command in README
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_library_example_runs_as_printed(monkeypatch, capsys):
    block = re.search(r"## As a Python library.*?```python\n(.*?)```", README, re.S).group(1)
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert namespace["diagnostics"] == [] and namespace["exit_code"] == 0
    assert '"warnings": 1' in out  # the JSON report of the sample without its extension


def test_the_public_api_is_the_documented_handful():
    import mta_sfsf

    assert sorted(mta_sfsf.__all__) == ["Diagnostic", "__version__", "check", "main"]
    for name in mta_sfsf.__all__:
        assert f"`{name}`" in README
