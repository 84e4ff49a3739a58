"""What the rule families share: reading elements and their names, and the wording of findings.

Wording, the same in every family:

- A message starts with the element it is about, ``module "app": ...`` (then ``, outbound
  connection "x"``, ``, integration "y"`` going inwards; nothing for the descriptor itself),
  unless the deployer's wording names it already (``Unresolved required dependency "db" for
  module "app"``). The deployer's or SAP's wording follows unchanged, capital letter included,
  so that users recognise it; the tool's own wording starts in lower case.
- Names, keys and values a user wrote are in double quotes; what to type is in single quotes.
- A hint says what to do: ``did you mean "x"?``, or an imperative (``add ...``, ``write ...``).
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Iterator, Optional, Tuple, Union

from ..diagnostics import Loc, Suggester, suggest
from ..descriptor.tree import YMap, YSeq

# The deployer's pattern and length for IDs and names.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_\-\.]+$")
MAX_NAME = 128

_NO_LOC = Loc("", 0, 0)


def is_number(value: Any) -> bool:
    """An int or float as YAML read it (a boolean is no number)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def has_placeholder(value: Any) -> bool:
    """A value resolved only at deploy time (contains ``~{`` or ``${``)."""
    return isinstance(value, str) and ("${" in value or "~{" in value)


def name_of(node: YMap) -> Optional[str]:
    """An element's ``name`` as written (a number name as its text); None when it has none."""
    name = node.get("name")
    if type(name) is str:
        return name
    if not is_number(name):
        return None  # no name, or a shape the structure rules report
    return str(node.raws.get("name", name))


def indexed_maps(value: Any) -> Iterator[Tuple[int, YMap]]:
    """The mappings of a list with their indexes; other shapes (reported elsewhere) skipped."""
    if isinstance(value, YSeq):
        for index, item in enumerate(value):
            if isinstance(item, YMap):
                yield index, item


def mapping(value: Any) -> YMap:
    """``value`` if it is a mapping, else an empty one (at its place, when it has one)."""
    return value if isinstance(value, YMap) else YMap(getattr(value, "loc", _NO_LOC))


def label(kind: str, node: YMap, fallback: str) -> str:
    """``module "app"``; ``fallback`` (such as ``modules[3]``) for an element without a name."""
    name = name_of(node)
    return f'{kind} "{name}"' if name is not None else fallback


SECTION_KINDS = {"modules": "module", "resources": "resource"}


def element_of(data: YMap, path: tuple) -> str:
    """The label of the module or resource a key path lies in; "" outside them."""
    if len(path) >= 2 and path[0] in SECTION_KINDS and isinstance(path[1], int):
        items = data.get(path[0])
        if isinstance(items, YSeq) and path[1] < len(items) and isinstance(items[path[1]], YMap):
            return label(SECTION_KINDS[path[0]], items[path[1]], f"{path[0]}[{path[1]}]")
    return ""


def did_you_mean(word: str, choices: Union[Iterable[str], Suggester]) -> Optional[str]:
    """``did you mean "x"?`` for the closest known name, or None; a ``Suggester`` serves the
    many look-ups against one large set of names."""
    match = choices(word) if isinstance(choices, Suggester) else suggest(word, choices)
    return f'did you mean "{match}"?' if match else None


def one_of(choices: Iterable[str]) -> str:
    """``"a", "b" or "c"``."""
    quoted = [f'"{choice}"' for choice in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
