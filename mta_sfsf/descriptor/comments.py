"""``# mta-sfsf:`` comments in a descriptor or extension descriptor, the directives that silence
findings:

- ``# mta-sfsf: disable=CODE[,CODE...]`` after a value silences those codes on its line; on a
  line of its own, on the next line that is neither blank nor only a comment;
- ``# mta-sfsf: disable-file=CODE[,CODE...]`` anywhere silences them in the whole file.

Text may follow the codes (``# mta-sfsf: disable=N020 -- not a secret``). The YAML reader keeps no
comments, so they are found in the text, and only when it holds ``mta-sfsf:`` at all; a ``#``
inside a quoted or block scalar is not a comment: the tree knows where every scalar stands (a
file that does not parse has no tree; there every ``#`` after a space or at a line's start counts).
"""
from __future__ import annotations

import re
from typing import Any, List, Tuple

from ..diagnostics import Loc
from .tree import YMap, YSeq, value_span

MARK = "mta-sfsf:"
KINDS = ("disable", "disable-file")
# Compiled (and cached by ``re``) on the first file that holds MARK: most runs never need it.
_DIRECTIVE = (r"#[ \t]*mta-sfsf:[ \t]*(?P<kind>[A-Za-z_-]*)[ \t]*"
              r"(?:=[ \t]*(?P<codes>[A-Za-z0-9]+(?:[ \t]*,[ \t]*[A-Za-z0-9]+)*)?)?")


class Directive:
    """One ``# mta-sfsf:`` comment (a plain class: a NamedTuple costs start-up time)."""

    __slots__ = ("kind", "codes", "loc", "line")

    def __init__(self, kind: str, codes: Tuple[str, ...], loc: Loc, line: int) -> None:
        self.kind = kind  # "disable", "disable-file", or what was written instead
        self.codes = codes  # as written, upper-cased
        self.loc = loc  # where the comment starts
        self.line = line  # the line it silences; 0 for the whole file


def directives(text: str, tree: Any, file: str) -> List[Directive]:
    """Every ``# mta-sfsf:`` comment of a file, in order."""
    if MARK not in text:
        return []
    import bisect

    scalars = sorted(_scalar_spans(tree))
    starts = [start for start, _ in scalars]
    found = []
    for match in re.finditer(_DIRECTIVE, text):
        index = match.start()
        if index and text[index - 1] not in " \t\r\n":  # ``a#b`` is text, not a comment
            continue
        before = bisect.bisect_right(starts, index) - 1  # scalars do not nest: one can hold it
        if before >= 0 and index < scalars[before][1]:
            continue
        line_start = text.rfind("\n", 0, index) + 1
        line = text.count("\n", 0, index) + 1
        loc = Loc(file, line, index - line_start + 1, index)
        kind = match.group("kind")
        codes = tuple(code.strip().upper() for code in (match.group("codes") or "").split(",")
                      if code.strip())
        if kind == "disable-file":
            target = 0
        elif text[line_start:index].strip():
            target = line
        else:
            target = _next_content_line(text, index, line)
        found.append(Directive(kind, codes, loc, target))
    return found


def _next_content_line(text: str, index: int, line: int) -> int:
    """The number of the first line after ``index`` that is neither blank nor only a comment."""
    lines = text[index:].split("\n")
    for offset, content in enumerate(lines[1:], start=1):
        stripped = content.strip()
        if stripped and not stripped.startswith("#"):
            return line + offset
    return line + len(lines)  # past the end: silences nothing


def _scalar_spans(tree: Any) -> List[Tuple[int, int]]:
    """(start, end) offsets of every scalar value in the tree: where a ``#`` is text."""
    spans: List[Tuple[int, int]] = []
    seen = set()
    todo = [tree]
    while todo:
        node = todo.pop()
        if id(node) in seen:  # an alias: its text was visited where it was anchored
            continue
        seen.add(id(node))
        if isinstance(node, (YMap, YSeq)):
            for key, value in node.items() if isinstance(node, YMap) else enumerate(node):
                if isinstance(value, (YMap, YSeq)):
                    todo.append(value)
                else:
                    span = value_span(node, key)
                    if span is not None:
                        spans.append(span)
    return spans
