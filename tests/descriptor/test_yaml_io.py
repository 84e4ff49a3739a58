"""The YAML reader: positions, refusals of hostile input, and the C / pure-Python parsers agreeing."""
from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import CORPUS
from mta_sfsf.descriptor import yaml_io
from mta_sfsf.descriptor.yaml_io import Sensitive, decode, load_text
from mta_sfsf.descriptor.tree import YMap, YSeq, raw_text

ROOT = Path(__file__).resolve().parents[2]

BOTH = pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])


def codes(diagnostics):
    return [(d.code, d.line, d.column) for d in diagnostics]


@BOTH
def test_syntax_error_has_line_and_column(pure):
    tree, diagnostics = load_text("a: 1\nb: [1, 2\nc: 3\n", "f.yaml", pure=pure)
    assert tree is None
    assert codes(diagnostics) == [("Y001", 3, 2)]
    assert "flow sequence" in diagnostics[0].message


@BOTH
def test_duplicate_key_names_both_places(pure):
    tree, diagnostics = load_text("a: 1\nb:\n  x: 1\n  x: 2\n", "f.yaml", pure=pure)
    assert codes(diagnostics) == [("Y002", 4, 3)]
    assert "first at line 3, column 3" in diagnostics[0].message
    assert tree["b"]["x"] == 2  # the deployer (SnakeYAML) keeps the last


@BOTH
def test_anchors_aliases_and_merge_keys(pure):
    text = ("base: &base {memory: 512M, disk: 1G}\n"
            "extra: &extra {disk: 2G, cpu: 1}\n"
            "one:\n  <<: *base\n  memory: 1G\n"
            "two:\n  <<: [*base, *extra]\n"
            "list: &l [a, b]\nsame: *l\n")
    tree, diagnostics = load_text(text, "f.yaml", pure=pure)
    assert diagnostics == []
    assert dict(tree["one"]) == {"memory": "1G", "disk": "1G"}  # written keys win
    assert dict(tree["two"]) == {"memory": "512M", "disk": "1G", "cpu": 1}  # earlier source wins
    assert tree["same"] == ["a", "b"]
    assert tree["one"].value_locs["memory"].line == 5
    assert tree["one"].value_locs["disk"].line == 1  # where the merged value was written


@BOTH
def test_merge_key_of_a_scalar_is_reported(pure):
    _, diagnostics = load_text("a: &a 1\nb:\n  <<: *a\n", "f.yaml", pure=pure)
    assert [d.code for d in diagnostics] == ["Y006"]


@BOTH
def test_scalars_resolve_with_the_core_schema_and_keep_their_text(pure):
    tree, _ = load_text("v: 3.10\nyes_: yes\nt: true\nn: ~\ni: 0x1F\ns: '3.10'\n", "f", pure=pure)
    assert tree["v"] == 3.1 and raw_text(tree, "v") == "3.10"
    assert tree["yes_"] == "yes" and tree["t"] is True and tree["n"] is None
    assert tree["i"] == 31 and tree["s"] == "3.10"


BILLION_LAUGHS = "\n".join(
    [f"l0: &l0 [{', '.join(['lol'] * 10)}]"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]) + "\n"

HOSTILE = {
    "billion-laughs": (BILLION_LAUGHS, "Y003", "alias bomb"),
    "deep-flow": ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "Y003", "nested more than"),
    "deep-flow-map": ("a: " + "{a: " * 50_000 + "x" + "}" * 50_000 + "\n", "Y003",
                      "nested more than"),
    "deep-block-seq": ("- " * 50_000 + "x\n", "Y003", "nested more than"),
    "deep-block-map": ("".join("  " * i + "a:\n" for i in range(1_000)) + "  " * 1_000 + "x\n",
                       "Y003", "nested more than"),
    "python-object": ("a: !!python/object/apply:os.system ['echo owned']\n", "Y004",
                      "!!python/object/apply:os.system"),
}


@BOTH
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_refused_fast_without_building_anything(name, pure):
    text, code, words = HOSTILE[name]
    started = time.perf_counter()
    tree, diagnostics = load_text(text, "f.yaml", pure=pure)
    elapsed = time.perf_counter() - started
    assert code in [d.code for d in diagnostics]
    assert words in " ".join(d.message for d in diagnostics)
    assert elapsed < 0.4, elapsed
    if code == "Y003":
        assert tree is None
    # Memory in a second run: tracing allocations slows Python code down several times.
    tracemalloc.start()
    load_text(text, "f.yaml", pure=pure)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, peak  # the texts are up to 1 MB


def test_unsafe_tag_constructs_nothing(tmp_path):
    marker = tmp_path / "owned"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    _, diagnostics = load_text(text, "f.yaml")
    assert [d.code for d in diagnostics] == ["Y004"] and not marker.exists()


@BOTH
def test_other_tags(pure):
    text = "a: !!set {x: null}\nb: !secret secret\nc: !!str 12\nd: !!binary aGk=\n"
    tree, diagnostics = load_text(text, "f", pure=pure)
    assert codes(diagnostics) == [("Y004", 1, 4), ("Y007", 2, 4)]
    assert tree["b"] == "secret" and tree["c"] == "12"


@BOTH
def test_the_sensitive_tag_is_the_formats_own_and_reads_as_a_string(pure):
    text = "a: !sensitive s3cr3t-value\nb: !sensitive 123\nc: !sensitive {x: 1}\n"
    tree, diagnostics = load_text(text, "f", pure=pure)
    assert codes(diagnostics) == [("Y004", 3, 4)]  # the deployer casts the tag to a scalar
    assert type(tree["a"]) is Sensitive and tree["a"] == "s3cr3t-value"
    assert type(tree["b"]) is Sensitive and tree["b"] == "123"  # no int: SecureConstruct's text


@BOTH
def test_several_documents_are_refused_at_the_second(pure):
    tree, diagnostics = load_text("a: 1\n---\nb: 2\n", "f", pure=pure)
    assert tree is None and codes(diagnostics) == [("Y005", 2, 1)]


@BOTH
def test_explicit_single_document_is_fine(pure):
    tree, diagnostics = load_text("%YAML 1.2\n---\na: 1\n...\n", "f", pure=pure)
    assert diagnostics == [] and tree == {"a": 1}


@BOTH
def test_empty_and_comment_only_text_is_no_document(pure):
    assert load_text("", "f", pure=pure) == (None, [])
    assert load_text("# nothing\n\n", "f", pure=pure) == (None, [])


@BOTH
def test_top_level_list_is_returned_for_the_caller_to_refuse(pure):
    tree, diagnostics = load_text("- a\n- b\n", "f", pure=pure)
    assert isinstance(tree, YSeq) and diagnostics == []


@BOTH
@pytest.mark.parametrize("char, column", [("\x00", 7), ("\x07", 7), ("\x1b", 7)])
def test_control_characters_are_refused_at_their_place(pure, char, column):
    tree, diagnostics = load_text(f"a: 1\nb: abc{char}d\n", "f", pure=pure)
    assert tree is None and codes(diagnostics) == [("Y001", 2, column)]
    assert f"U+{ord(char):04X}" in diagnostics[0].message


def test_bom_is_dropped_and_positions_start_after_it():
    text, problems = decode(b"\xef\xbb\xbfa: 1\n", "f")
    assert problems == [] and text == "a: 1\n"
    tree, _ = load_text(text, "f")
    assert tree.value_locs["a"].column == 4


def test_non_utf8_is_refused_at_the_first_bad_byte():
    text, problems = decode("a: 1\nb: caf".encode() + b"\xe9\n", "f")
    assert text is None and codes(problems) == [("Y003", 2, 7)]
    assert "0xe9" in problems[0].message and problems[0].hint == "save the file as UTF-8"


def test_utf16_is_named():
    text, problems = decode("a: 1\n".encode("utf-16"), "f")
    assert text is None and "UTF-16" in problems[0].message


def test_oversized_input_is_refused_before_parsing():
    started = time.perf_counter()
    text, problems = decode(b"a" * (yaml_io.MAX_BYTES + 1), "f")
    assert text is None and problems[0].code == "Y003"
    assert problems[0].message == f"input is larger than the {yaml_io.MAX_BYTES:,}-byte limit"
    assert time.perf_counter() - started < 0.5


CRLF = "a: 1\r\nb:\r\n  c: x\r\n  d: [1,\r\n    2]\r\ne: \"ü\"\r\n"


@BOTH
def test_crlf_positions(pure):
    tree, diagnostics = load_text(CRLF, "f", pure=pure)
    assert diagnostics == []
    assert (tree["b"].value_locs["d"].line, tree["b"].value_locs["d"].column) == (4, 6)
    assert (tree.value_locs["e"].line, tree.value_locs["e"].column) == (6, 4)
    start, end = tree["b"].spans["d"]
    assert CRLF[start:end] == "d: [1,\r\n    2]"


SAMPLES = [CRLF, (ROOT / "sample-mta" / "mtad.yaml").read_text(encoding="utf-8"),
           "äöü: x\nb: '\U0001F600'\nc: [1, ü, {x: y}]\nd: |\n  text\n  more\ne: &a {k: v}\nf: *a\n"]


def _positions(node, out):
    if isinstance(node, YMap):
        out.append(("map", node.loc, node.end, sorted(node.key_locs.items()),
                    sorted(node.value_locs.items()), sorted(node.spans.items())))
        for value in node.values():
            _positions(value, out)
    elif isinstance(node, YSeq):
        out.append(("seq", node.loc, node.end, node.item_locs, node.spans))
        for value in node:
            _positions(value, out)
    return out


@pytest.mark.parametrize("text", SAMPLES, ids=["crlf", "sample", "unicode"])
def test_libyaml_and_pure_parser_agree_on_every_position(text):
    fast, fast_problems = load_text(text, "f")
    slow, slow_problems = load_text(text, "f", pure=True)
    assert fast == slow and fast_problems == slow_problems
    assert _positions(fast, []) == _positions(slow, [])


def test_yaml_12_text_that_libyaml_rejects_falls_back_to_the_pure_parser():
    # libyaml (YAML 1.1) refuses ``[https://x]``; the deployers' parsers accept it.
    tree, diagnostics = load_text("urls: [https://example.com/a]\n", "f")
    assert diagnostics == [] and tree["urls"] == ["https://example.com/a"]


def test_works_without_the_c_extension():
    """The package must run where ruamel.yaml.clib is not installed."""
    script = (
        "import sys; sys.modules['_ruamel_yaml'] = None\n"
        "from mta_sfsf.descriptor.yaml_io import load_text\n"
        "tree, d = load_text('a: [1, 2]\\nb: {c: d}\\n', 'f')\n"
        "assert tree == {'a': [1, 2], 'b': {'c': 'd'}} and d == [], (tree, d)\n"
        "tree, d = load_text('a: [1\\n', 'f')\n"
        "assert tree is None and d[0].code == 'Y001', d\n"
        "assert 'ruamel.yaml.parser' in sys.modules  # the pure-Python parser read them\n"
        "print('ok')\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


_TRICKY = [
    "base: &b {x: 1, y: 2}\none:\n  <<: *b\n  y: 3\ntwo:\n  <<: [*b, {z: 4}]\n",
    "a: 1\na: 2\n'<<': {q: 1}\n",  # a duplicate key, a quoted "<<" that is no merge key
    "v: 3.10\nn: ~\ne:\nf: {k: }\nt: true\no: 0o17\nx: 0x1F\ninf: .inf\nd: 2024-01-01\n",
    "s: !sensitive 123\nl: !local text\nb: !!binary aGk=\ni: !!int '7'\n",
    "seq:\n- &a one\n- *a\n- [*a, {k: *a}]\n3: three\nnull: key\n",
    "links: [https://example.com]\n",  # YAML 1.2 only: the pure-Python parser reads it
]


def _descriptors():
    yield from _TRICKY
    for folder in (ROOT / "tests" / "cases", ROOT / "sample-mta", CORPUS):
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in (".yaml", ".yml", ".mtaext"):
                yield path.read_text(encoding="utf-8", errors="replace")


def test_the_values_reader_reads_what_the_reader_reads():
    compared = 0
    for text in _descriptors():
        tree, problems = load_text(text, "t.yaml")
        if any(d.code in ("Y001", "Y003", "Y005") for d in problems):
            continue  # refused: the values reader is only asked about texts that load
        assert yaml_io.load_values(text) == _plain(tree), text[:200]
        compared += 1
    assert compared > 100


def test_the_values_reader_refuses_what_does_not_parse():
    assert yaml_io.load_values("a: [1\n") is None
    assert yaml_io.load_values("a: 1\n---\nb: 2\n") is None
    assert yaml_io.load_values("a: *nowhere\n") is None


def test_the_pure_parser_fallback_is_bounded_by_size():
    import time

    from mta_sfsf.descriptor.yaml_io import PURE_FALLBACK_BYTES, load_text

    modules = "".join(f"  - name: m{i}\n    type: java.tomcat\n    parameters:\n"
                      f"      memory: 512M\n" for i in range(PURE_FALLBACK_BYTES // 60))
    text = ("_schema-version: '3.1'\nID: app\nversion: 1.0.0\nmodules:\n" + modules
            + "  - name: z\n    parameters: {u: [https://x.example]}\n")
    assert len(text) > PURE_FALLBACK_BYTES
    started = time.monotonic()
    tree, found = load_text(text, "big.yaml")
    assert time.monotonic() - started < 5
    assert tree is None and [d.code for d in found] == ["Y003"]
    assert found[0].line == text.count("\n") and "quote" in (found[0].hint or "")
    small, found = load_text("a: [https://x.example]\n", "small.yaml")  # still read
    assert found == [] and small["a"] == ["https://x.example"]


def test_positions_take_a_bounded_share_of_memory():
    """Every key, value and item keeps its place, in a compact store: a tree takes under 25
    bytes beyond its plain values per byte of YAML (a Loc per key and value in dicts took 38)."""
    text = "modules:\n" + "".join(
        f"  - name: app-{i}\n    type: com.sap.java\n    parameters:\n      name: app{i}\n"
        f"      memory: 512M\n      instances: 2\n    requires:\n      - name: db-{i}\n"
        "        properties: {url: '~{url}'}\n" for i in range(300))
    tracemalloc.start()
    try:
        tree = load_text(text, "f.yaml")[0]
        with_positions = tracemalloc.get_traced_memory()[0]
        values = _plain(tree)
        assert tree["modules"][299].value_locs["name"].line == 300 * 9 - 7  # positions kept
        del tree
        plain_only = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert values["modules"][299]["name"] == "app-299"
    assert (with_positions - plain_only) / len(text) < 25


def test_maps_of_the_same_keys_keep_their_own_positions_when_one_changes():
    tree, _ = load_text("a: {x: 1, y: 2}\nb: {x: 3, y: 4}\n", "f.yaml")
    a, b = tree["a"], tree["b"]
    a["z"] = 5
    a.value_locs["z"] = a.value_locs["x"]._replace(file="e.mtaext", line=9)
    del a.spans["x"]
    assert (a.value_locs["z"].file, a.value_locs["z"].line) == ("e.mtaext", 9)
    assert list(a.value_locs) == ["x", "y", "z"] and list(a.spans) == ["y"]
    assert list(b.value_locs) == ["x", "y"] and list(b.spans) == ["x", "y"]
    assert [(loc.line, loc.column) for loc in b.value_locs.values()] == [(2, 8), (2, 14)]
