"""Minimal-diff removal of keys: every layout keeps all other bytes, and the result re-parses to
the intended tree."""
from __future__ import annotations

import pytest

from mta_sfsf.descriptor.edit import EditError, remove_keys, removed
from mta_sfsf.expand.command import removal_paths
from mta_sfsf.expand.connections import plain
from mta_sfsf.descriptor.yaml_io import load_text


def _remove(text: str, *paths) -> str:
    tree, problems = load_text(text, "t.yaml")
    assert not problems
    result = remove_keys(text, tree, list(paths))
    again, problems = load_text(result, "t.yaml")
    assert not problems
    assert plain(again) == removed(plain(tree), list(paths))
    return result


@pytest.mark.parametrize("text, paths, expected", [
    # a middle key, with its nested block and a comment on its line
    ("a: 1\nb:  # note\n  - x\n  - y\nc: 3\n", [("b",)], "a: 1\nc: 3\n"),
    # the last key of a map (no newline at the end of the file)
    ("a: 1\nb: 2", [("b",)], "a: 1\n"),
    # the first key of a list item moves the next key up to the dash
    ("l:\n  - k: 1  # gone\n    name: n\n    t: 2\n", [("l", 0, "k")], "l:\n  - name: n\n    t: 2\n"),
    # consecutive keys, one of them first on the item's line
    ("l:\n  - k: 1\n    j: 2\n    name: n\n", [("l", 0, "k"), ("l", 0, "j")], "l:\n  - name: n\n"),
    # an entry that loses every key becomes {}
    ("l:\n  - k: 1\n    j: 2\n  - name: n\n", [("l", 0, "k"), ("l", 0, "j")],
     "l:\n  - {}\n  - name: n\n"),
    # flow style: middle, first, last key; all keys
    ("m: {a: 1, b: 2, c: 3}\n", [("m", "b")], "m: {a: 1, c: 3}\n"),
    ("m: {a: 1, b: 2, c: 3}\n", [("m", "a")], "m: {b: 2, c: 3}\n"),
    ("m: {a: 1, b: [x, {y: z}]}\n", [("m", "b")], "m: {a: 1}\n"),
    ("m: [{a: 1, b: 2}]\n", [("m", 0, "a"), ("m", 0, "b")], "m: [{}]\n"),
    # a comment after a removed nested block, at the parent's indentation, stays
    ("p:\n  s:\n    - n: 1\n  # about r\n  r: 2\n", [("p", "s")], "p:\n  # about r\n  r: 2\n"),
    # a block scalar and the blank line after it: the blank line stays
    ("a:\n  t: |\n    text\n\n  b: 1\n", [("a", "t")], "a:\n\n  b: 1\n"),
    # a comment between two removed keys is nobody's: it stays
    ("a: 1\nb: 2\n# about c\nc: 3\nd: 4\n", [("b",), ("c",)], "a: 1\n# about c\nd: 4\n"),
    # a removed first key of an item: the comment before the next kept key moves above the dash
    ("l:\n  - k: 1\n    # about name\n    j: 2\n\n    name: n\n", [("l", 0, "k"), ("l", 0, "j")],
     "l:\n    # about name\n\n  - name: n\n"),
    # text before the edit with characters outside ASCII
    ("n: \"Zürich ✓\"\nx: 1\ny: 2\n", [("x",)], "n: \"Zürich ✓\"\ny: 2\n"),
])
def test_layouts(text, paths, expected):
    assert _remove(text, *paths) == expected


def test_crlf_is_kept():
    text = "a: 1\r\nl:\r\n  - k: 1\r\n    name: n\r\n    x: [1]  # c\r\nz: 2\r\n"
    assert _remove(text, ("l", 0, "k"), ("l", 0, "x")) == "a: 1\r\nl:\r\n  - name: n\r\nz: 2\r\n"


def test_a_key_from_a_merge_key_is_refused():
    text = "base: &b {k: 1}\nm:\n  <<: *b\n  name: n\n"
    tree, _ = load_text(text, "t.yaml")
    with pytest.raises(EditError):
        remove_keys(text, tree, [("m", "k")])


def test_nothing_to_remove_changes_nothing():
    text = "# c\na: 1   # keep\n"
    tree, _ = load_text(text, "t.yaml")
    assert remove_keys(text, tree, []) == text


RUNBOOK_ONLY = """modules:
  - name: m
    type: com.sap.java
    parameters:
      sfsf-outbound-connections:
        - {name: A, type: OAuth2ClientCredentials}
    requires:
      - name: r
"""


def test_runbook_mode_drops_parameters_that_would_be_empty():
    tree, _ = load_text(RUNBOOK_ONLY, "t.yaml")
    paths = removal_paths(tree, "runbook")
    assert paths == [("modules", 0, "parameters")]
    assert _remove(RUNBOOK_ONLY, *paths) == \
        "modules:\n  - name: m\n    type: com.sap.java\n    requires:\n      - name: r\n"


def test_deployer_mode_removes_only_tool_keys():
    text = ("modules:\n  - name: m\n    type: com.sap.java\n    parameters:\n"
            "      sfsf-outbound-connections:\n"
            "        - name: A\n          type: OAuth2SAMLBearerAssertion\n"
            "          token-url: https://x.example.com/t\n          subject-name-id: mail\n"
            "          integrations: []\n")
    tree, _ = load_text(text, "t.yaml")
    paths = removal_paths(tree, "deployer")
    assert [p[-1] for p in paths] == ["integrations", "token-url"]
    assert _remove(text, *paths).endswith("type: OAuth2SAMLBearerAssertion\n"
                                          "          subject-name-id: mail\n")


def test_the_intended_tree_leaves_the_original_as_it_was():
    data = {"modules": [{"name": "a", "parameters": {"x": 1, "y": [1, 2]}}, {"name": "b"}],
            "other": {"z": 1}}
    before = repr(data)
    result = removed(data, [("modules", 0, "parameters", "x"), ("modules", 0, "name"),
                            ("nowhere", "key"), ("modules", 5, "name")])
    assert result == {"modules": [{"parameters": {"y": [1, 2]}}, {"name": "b"}],
                      "other": {"z": 1}}
    assert repr(data) == before
