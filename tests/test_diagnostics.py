"""Bounded "did you mean" hints and "known: ..." lists: thousands of unresolved names cost a
bounded number of comparisons and print a bounded amount of text."""
from __future__ import annotations

import difflib

import pytest

from mta_sfsf.diagnostics import (LIST_LIMIT, SUGGEST_ANSWERS, SUGGEST_SCAN, Suggester, listing,
                                  suggest)
from mta_sfsf.validate import check as validate

HEAD = "_schema-version: '3.1'\nID: com.example.t\nversion: 1.0.0\n"
MANY = 3000


@pytest.fixture
def comparisons(monkeypatch):
    """How many known names difflib compared a word with."""
    count = [0]
    original = difflib.SequenceMatcher.set_seq1

    def counting(self, a):
        count[0] += 1
        return original(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    return count


def _validate(tmp_path, source: str, extension: str = None):
    (tmp_path / "mtad.yaml").write_text(source, encoding="utf-8")
    extensions = []
    if extension is not None:
        (tmp_path / "x.mtaext").write_text(extension, encoding="utf-8")
        extensions.append(str(tmp_path / "x.mtaext"))
    return validate(str(tmp_path / "mtad.yaml"), extensions, "generic")[1]


def _modules(extra=lambda i: []) -> str:
    lines = [HEAD + "modules:"]
    for i in range(MANY):
        lines += [f"  - name: app-{i}", "    type: t", *extra(i)]
    return "\n".join(lines) + "\n"


def test_a_small_set_gets_difflibs_answer():
    names = ["database", "db-main", "destination", "app-router", "app-srv", "uaa", "xsuaa"]
    for word in ["databse", "dbmain", "app-srvv", "uaaa", "nothing-like-it", "", "xsua"]:
        expected = difflib.get_close_matches(word, sorted(names), n=1, cutoff=0.6)
        assert suggest(word, names) == (expected[0] if expected else None)


def test_a_large_set_is_compared_with_a_bounded_number_of_names(comparisons):
    names = [f"app-{i}" for i in range(MANY)]
    suggester = Suggester(names)
    assert suggester("ap-1234") == "app-1234"  # a slip at the start: found by how it ends
    assert suggester("app-2345x") == "app-2345"  # at the end: found by how it begins
    assert comparisons[0] <= 2 * SUGGEST_SCAN


def test_one_set_answers_a_bounded_number_of_look_ups(comparisons):
    suggester = Suggester(f"app-{i}" for i in range(MANY))
    answers = [suggester(f"ap-{i}") for i in range(MANY)]
    assert answers[:SUGGEST_ANSWERS] == [f"app-{i}" for i in range(SUGGEST_ANSWERS)]
    assert answers[SUGGEST_ANSWERS:] == [None] * (MANY - SUGGEST_ANSWERS)
    assert comparisons[0] <= SUGGEST_ANSWERS * SUGGEST_SCAN


def test_a_list_of_known_names_is_capped():
    assert listing(["a", "b"]) == "a, b"
    assert listing(["a", "b"], quote=True) == '"a", "b"'
    shown = ", ".join(f"app-{i}" for i in range(LIST_LIMIT))
    assert listing(f"app-{i}" for i in range(MANY)) == f"{shown} (and {MANY - LIST_LIMIT:,} more)"


def test_thousands_of_unresolved_requires(tmp_path, comparisons):
    found = _validate(tmp_path, _modules(lambda i: ["    requires:", f"      - name: ap-{i}"]))
    unresolved = [d for d in found if d.code == "R001"]
    assert len(unresolved) == MANY
    meant = [d for d in unresolved if d.hint.startswith("did you mean")]
    assert meant[0].hint == 'did you mean "app-0"?'
    assert len(meant) == SUGGEST_ANSWERS
    assert unresolved[-1].hint == f'add a resource or a provided dependency called "ap-{MANY - 1}"'
    assert comparisons[0] <= SUGGEST_ANSWERS * SUGGEST_SCAN  # was MANY * MANY


def test_thousands_of_references_to_unrequired_unknown_names(tmp_path, comparisons):
    found = _validate(tmp_path, _modules(lambda i: ["    properties:",
                                                    f"      u: ~{{ap-{i}/url}}"]))
    assert len([d for d in found if d.code == "R002"]) == MANY
    assert comparisons[0] <= SUGGEST_ANSWERS * SUGGEST_SCAN


def test_thousands_of_unknown_deployed_after_names(tmp_path, comparisons):
    found = _validate(tmp_path, HEAD.replace("3.1", "3.3") + _modules(
        lambda i: ["    deployed-after:", f"      - ap-{i}"])[len(HEAD):])
    unknown = [d for d in found if d.code == "R008"]
    assert len(unknown) == MANY
    assert unknown[0].hint == 'did you mean "app-0"?'
    assert comparisons[0] <= SUGGEST_ANSWERS * SUGGEST_SCAN


def test_thousands_of_unknown_extension_modules_print_a_bounded_hint(tmp_path, comparisons):
    extension = "\n".join(["_schema-version: '3.1'", "ID: com.example.t.x",
                           "extends: com.example.t", "modules:"]
                          + [f"  - name: qqq{i}zz" for i in range(MANY)]) + "\n"
    found = [d for d in _validate(tmp_path, _modules(), extension) if d.code == "X005"]
    assert len(found) == MANY
    assert max(len(d.hint) for d in found) < 200  # was 3,000 names, 28 KB, in every hint
    assert found[0].hint.endswith(f"known: app-0, app-1, app-10, app-100, app-1000, app-1001, "
                                  f"app-1002, app-1003, app-1004, app-1005 "
                                  f"(and {MANY - LIST_LIMIT:,} more)")
    assert comparisons[0] <= SUGGEST_ANSWERS * SUGGEST_SCAN


def test_a_missing_property_of_a_large_provider_lists_a_few(tmp_path):
    source = HEAD + ("modules:\n  - name: a\n    type: t\n    requires: [{name: r}]\n"
                     "    properties: {u: '~{r/zzz}'}\nresources:\n  - name: r\n"
                     "    properties:\n" + "".join(f"      p{i}: x\n" for i in range(MANY)))
    (missing,) = [d for d in _validate(tmp_path, source) if d.code == "R003"]
    assert missing.hint == ('use one of its properties: "p0", "p1", "p10", "p100", "p1000", '
                            f'"p1001", "p1002", "p1003", "p1004", "p1005" (and {MANY - 10:,} more)')
