"""Generated layouts of a module with ``sfsf-outbound-connections`` (block and flow, comments,
indentation 1 to 4, CRLF, quoted keys, shuffled keys, anchors and aliases around it, ``...``, no
final newline), edited in both modes. For each: the output parses, its tree is the input tree
without the removed keys, and every line that does not belong to a removed key keeps its bytes.

The generator knows which lines belong to which key, so the expected lines do not depend on the
editor: a line is KEEP (must come out unchanged, in order), DROP (must go) or ANY (may change or
go: a flow line that loses a key, the line of a kept key that moves up to a list item's dash).
"""
from __future__ import annotations

import random
from typing import List, Optional, Tuple

from mta_sfsf.descriptor.edit import remove_keys, removed
from mta_sfsf.expand.command import removal_paths
from mta_sfsf.expand.connections import plain
from mta_sfsf.descriptor.yaml_io import load_text

SEED, CASES = 20261126, 300
KEEP, DROP, ANY = "keep", "drop", "any"
Path = Tuple
# One generated line: its text (no line end), the key paths written on it, and the path of the
# key that starts it right after a list item's dash ("- key: ...").
Line = Tuple[str, frozenset, Optional[Path]]


class Writer:
    """Emits block YAML with random but valid layout choices, recording for each line the key
    paths written on it (a comment or a list item belongs to the key whose value holds it)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.unit = rng.randint(1, 4)
        self.lines: List[Line] = []

    def add(self, text: str, own, first: Optional[Path] = None) -> None:
        self.lines.append((text, frozenset(own), first))

    def key(self, name: str) -> str:
        return self.rng.choice([name] * 4 + [f'"{name}"', f"'{name}'"])

    def comment(self, indent: int, owner: Optional[Path]) -> None:
        own = [owner] if owner else []
        if self.rng.random() < 0.15:
            self.add(" " * indent + "# " + self.rng.choice(["note", "x: 1", "- y"]), own)
        if self.rng.random() < 0.08:
            self.add("", own)

    def trailing(self) -> str:
        return "  # t" if self.rng.random() < 0.15 else ""

    def mapping(self, items: list, indent: int, owner: Optional[Path], path: Path,
                dash: Optional[str] = None) -> None:
        """``items``: (key, value), a value being a scalar's text, a list, or a dict (a nested
        map's items, or a flow line). ``dash``: the "- " before the first key of a list item."""
        for position, (name, value) in enumerate(items):
            if position or dash is None:
                self.comment(indent, owner)
            prefix = dash if position == 0 and dash is not None else " " * indent
            here = path + (name,)
            self.value(prefix + self.key(name) + ":", value, indent, here,
                       here if position == 0 and dash is not None else None)

    def value(self, head: str, value, indent: int, path: Path, first: Optional[Path]) -> None:
        rng = self.rng
        if isinstance(value, str):
            if value and rng.random() < 0.1:  # the value on the next line
                self.add(head, [path], first)
                self.add(" " * (indent + self.unit) + value, [path])
            else:
                self.add(head + " " + value + self.trailing(), [path], first)
            return
        if isinstance(value, dict) and "flow" in value:
            self.add(head + " " + value["flow"] + self.trailing(), {path} | value["own"], first)
            return
        anchor = f" &a{len(self.lines)}" if rng.random() < 0.1 else ""
        self.add(head + anchor + self.trailing(), [path], first)
        if isinstance(value, list):
            seq_indent = indent + rng.choice([0, self.unit])
            for index, item in enumerate(value):
                if index:
                    self.comment(seq_indent, path)
                self.item(item, seq_indent, path, path + (index,))
        else:
            self.mapping(value["items"], indent + self.unit, path, path)

    def item(self, item, indent: int, owner: Path, path: Path) -> None:
        if isinstance(item, str):
            self.add(" " * indent + "- " + item, [owner])
        elif "flow" in item:
            self.add(" " * indent + "- " + item["flow"], item["own"])
        elif self.rng.random() < 0.2:  # the dash alone on its line
            self.add(" " * indent + "-" + self.trailing(), [owner])
            self.mapping(item["items"], indent + self.unit, owner, path)
        else:
            self.mapping(item["items"], indent + 2, owner, path, dash=" " * indent + "- ")


def flow(items: list, path: Path) -> dict:
    """A one-line flow mapping of scalar items: each of its keys is written on that line."""
    text = "{" + ", ".join(f"{k}: '{v}'" if "{" in v else f"{k}: {v}" for k, v in items) + "}"
    return {"flow": text, "own": frozenset(path + (k,) for k, _ in items)}


def connection(rng: random.Random, index: int, path: Path):
    saml = rng.random() < 0.3
    keys = [("name", f"Conn{index}"),
            ("type", "OAuth2SAMLBearerAssertion" if saml else
             "OAuth2ClientCredentials")]
    optional = [("client-name", rng.choice(["c1", '"quoted name"', "", "&cn anchored"])),
                ("client-id", "my-id"), ("client-secret", rng.choice(["~{creds/secret}", "*sec"])),
                ("token-lifetime", "30d"), ("token-url", "https://x.example.com/oauth/token")]
    if saml:
        optional += [("subject-name-id", "mail"), ("subject-name-id-format", "EMAIL_ADDRESS"),
                     ("assertion-attributes-mapping", {"items": [("email", "email")]})]
    keys += [k for k in optional if rng.random() < 0.5]
    if rng.random() < 0.7:
        integrations = [{"items": [("name", f"I{n}"), ("event", "Change in Job Title"),
                                   ("endpoint", "/api/e"),
                                   ("fields", {"items": [("userId", "userId")]})]}
                        for n in range(rng.randint(0, 2))]
        keys.append(("integrations", integrations if integrations else "[]"))
    rng.shuffle(keys)
    if all(isinstance(v, str) and v for _, v in keys) and rng.random() < 0.3:
        return flow(keys, path)
    return {"items": keys}


def document(rng: random.Random) -> Tuple[str, List[Line]]:
    w = Writer(rng)
    nl = rng.choice(["\n", "\r\n"])
    if rng.random() < 0.3:
        w.lines.append(("# a descriptor", frozenset(), None))
    if rng.random() < 0.2:
        w.lines.append(("---", frozenset(), None))
    top = [("_schema-version", "'3.1'"), ("ID", "com.example.fuzz"), ("version", "1.0.0"),
           ("x-secret", "&sec ~{creds/secret}"),
           ("x-defaults", {"items": [("memory", "&mem 512M")]})]
    base: Path = ("modules", 0, "parameters", "sfsf-outbound-connections")
    connections = [connection(rng, n, base + (n,)) for n in range(rng.randint(1, 3))]
    parameters = [("sfsf-outbound-connections", connections)]
    if all("flow" in c for c in connections) and rng.random() < 0.5:  # the whole list in flow
        parameters = [("sfsf-outbound-connections", {
            "flow": "[" + ", ".join(c["flow"] for c in connections) + "]",
            "own": frozenset().union(*(c["own"] for c in connections))})]
    if rng.random() < 0.7:
        parameters.append(("name", "app"))
    if rng.random() < 0.5:
        parameters.append(("memory", "*mem"))
    rng.shuffle(parameters)
    module = [("name", "m"), ("type", "com.sap.java"), ("parameters", {"items": parameters})]
    if rng.random() < 0.5:
        module.append(("requires", [{"items": [("name", "creds")]}]))
    rng.shuffle(module)
    other = {"items": [("name", "other"), ("type", "com.sap.java"),
                       ("parameters", {"items": [("memory", "*mem")]})]}
    modules = [{"items": module}] + ([other] if rng.random() < 0.5 else [])
    w.mapping(top + [("modules", modules)], 0, frozenset(), ())
    if rng.random() < 0.5:
        w.lines.append(("resources:", frozenset(), None))
        w.lines.append((" " * w.unit + "- name: creds", frozenset(), None))
    if rng.random() < 0.2:
        w.lines.append(("...", frozenset(), None))
    text = nl.join(line for line, _, _ in w.lines) + (nl if rng.random() < 0.8 else "")
    return text, w.lines


def expected_tags(lines: List[Line], paths: List[Path]) -> List[str]:
    def gone(owner: Path) -> bool:
        return any(owner[:len(p)] == p for p in paths)

    tags: List[str] = []
    move_up = False  # a removed first key of a list item: the next kept key takes its dash
    for text, own, first in lines:
        removed_here = [o for o in own if gone(o)]
        if not removed_here:
            is_key = text.strip() and not text.lstrip().startswith("#")
            tags.append(ANY if move_up and is_key else KEEP)
            move_up = move_up and not is_key
            continue
        tags.append(DROP if len(removed_here) == len(own) else ANY)
        if first is not None and gone(first) and not gone(first[:-1]):
            move_up = True
    return tags


def matches(output: List[str], expected: List[Tuple[str, str]]) -> bool:
    """Whether ``output`` is ``expected`` with DROP lines gone and each ANY line at most one
    arbitrary line (a small dynamic programme over both line lists)."""
    reachable = {0}
    for line, tag in expected:
        step = set()
        for at in reachable:
            if tag == KEEP:
                if at < len(output) and output[at] == line:
                    step.add(at + 1)
            elif tag == DROP:
                step.add(at)
            else:
                step.update({at, at + 1} if at < len(output) else {at})
        reachable = step
    return len(output) in reachable


def _lines(text: str) -> List[str]:
    return text.splitlines(keepends=True)


def test_generated_layouts_keep_every_other_line():
    rng = random.Random(SEED)
    for case in range(CASES):
        text, lines = document(rng)
        tree, problems = load_text(text, "t.yaml")
        assert tree is not None and not problems, (case, text)
        for mode in ("deployer", "runbook"):
            paths = removal_paths(tree, mode)
            result = remove_keys(text, tree, paths)
            again, problems = load_text(result, "t.yaml")
            where = f"case {case}, {mode} mode:\n{text}\n--- became ---\n{result}"
            assert again is not None and not problems, where
            assert plain(again) == removed(plain(tree), paths), where
            source = _lines(text)
            tags = expected_tags(lines, paths)
            assert len(source) == len(tags), where
            assert matches(_lines(result), list(zip(source, tags))), where
