"""Every line break the YAML parser counts (LF, CRLF, CR, and YAML 1.1's NEL, LS, PS, as libyaml
reads them) is counted the same way by positions, edits and expand: a descriptor written with
any of them reads, reports and expands as its LF twin does."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from mta_sfsf.descriptor.edit import remove_keys, removed
from mta_sfsf.descriptor.yaml_io import load_text
from mta_sfsf.expand.connections import plain

BREAKS = {"CRLF": "\r\n", "CR": "\r", "NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}
LAYOUTS = [
    ("a: 1\nb:  # note\n  - x\n  - y\nc: 3\n", [("b",)], "a: 1\nc: 3\n"),
    ("l:\n  - k: 1  # gone\n    name: n\n    t: 2\n", [("l", 0, "k")], "l:\n  - name: n\n    t: 2\n"),
    ("p:\n  s:\n    - n: 1\n  # about r\n  r: 2\n", [("p", "s")], "p:\n  # about r\n  r: 2\n"),
    ("l:\n  - k: 1\n    # about name\n    j: 2\n\n    name: n\n", [("l", 0, "k"), ("l", 0, "j")],
     "l:\n    # about name\n\n  - name: n\n"),
    ("m: {a: 1,\n  b: 2, # c\n  c: 3}\n", [("m", "b")], "m: {a: 1, # c\n  c: 3}\n"),
]


@pytest.mark.parametrize("name", BREAKS)
@pytest.mark.parametrize("text, paths, expected", LAYOUTS)
def test_edits_keep_each_break_style(name, text, paths, expected):
    brk = BREAKS[name]
    text, expected = text.replace("\n", brk), expected.replace("\n", brk)
    tree, problems = load_text(text, "t.yaml")
    assert problems == []
    result = remove_keys(text, tree, paths)
    assert result == expected
    again, problems = load_text(result, "t.yaml")
    assert problems == [] and plain(again) == removed(plain(tree), paths)


@pytest.mark.parametrize("name", BREAKS)
@pytest.mark.parametrize("text", [
    "a: 1\nb:\n  c: [1,\n  2, }\n",  # a syntax error on line 4
    "a: 1\nb: 2\nc:\n  d: {e: , f: 1}\n",  # an empty flow value on line 4
    "a: 1\nb: 2\nc: 3\nd: [https://x.example/a, 2]\n",  # YAML 1.2 text: the pure parser's turn
    "a: 1\nb: 2\nc: 3\nd: [https://x.example/a, 2\n",  # ... and its error
    "a: 1\nb: 2\nc: 3\nd: 4\nd: 5\n",  # a duplicate key
])
def test_positions_agree_with_the_lf_twin(name, text):
    twin_tree, twin = load_text(text, "t.yaml")
    tree, found = load_text(text.replace("\n", BREAKS[name]), "t.yaml")
    assert [(d.code, d.line, d.column) for d in found] == \
        [(d.code, d.line, d.column) for d in twin]
    if twin_tree is not None:
        assert plain(tree) == plain(twin_tree)
        locs = [(k, v.line, v.column) for k, v in twin_tree.value_locs.items()]
        assert [(k, v.line, v.column) for k, v in tree.value_locs.items()] == locs


@pytest.mark.parametrize("name", BREAKS)
def test_expand_and_validate_take_any_break_style(name, tmp_path, capsys):
    source = (ROOT / "sample-mta" / "mtad.yaml").read_text(encoding="utf-8")
    folder = tmp_path / name
    folder.mkdir()
    (folder / "mtad.yaml").write_text(source.replace("\n", BREAKS[name]), encoding="utf-8",
                                      newline="")
    lf = tmp_path / "lf"
    lf.mkdir()
    (lf / "mtad.yaml").write_text(source, encoding="utf-8")
    outputs = {}
    for where in (lf, folder):
        code, _, err = run_cli(capsys, "validate", str(where / "mtad.yaml"))
        outputs[where.name] = (code, err.replace(str(where), "X"))
        code, _, err = run_cli(capsys, "expand", str(where / "mtad.yaml"), "-o",
                               str(where / "out"), "--host", "eu2.hana.ondemand.com",
                               "--account", "acme")
        assert code == 0, err
    assert outputs[name] == outputs["lf"]
    written = (folder / "out" / "mtad.yaml").read_bytes().decode("utf-8")
    expected = (lf / "out" / "mtad.yaml").read_bytes().decode("utf-8")
    assert Path(folder / "out" / "mtad.yaml").read_bytes().count(b"\n") == (
        expected.count("\n") if name == "CRLF" else 0)
    assert written == expected.replace("\n", BREAKS[name])
