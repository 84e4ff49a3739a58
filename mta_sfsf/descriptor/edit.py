"""Minimal-diff writing: remove keys from a descriptor's text by splicing character ranges, using
the positions the reader kept (``YMap.spans``, ``loc``, ``end``). Comments, key order, quoting,
line endings and layout of everything else survive byte for byte; no YAML dump is involved.

Removing a key in block style drops its lines (a comment on them goes too); comment lines between
keys belong to no key and stay. The first key of a list item (``- key: ...``) is removed by moving
the next kept key up to the dash; the comment lines before that key move above the dash's line. In
flow style the key and its separating comma go. A mapping that loses every key becomes ``{}``.
"""
from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

from .yaml_io import line_end, line_start
from .tree import YMap, YSeq

PathPart = Any
Edit = Tuple[int, int, str]


class EditError(Exception):
    """The text cannot be changed safely (a key reached through an alias or merge key, ...)."""


def remove_keys(text: str, tree: YMap, paths: Sequence[Tuple[PathPart, ...]]) -> str:
    """``text`` without the keys at ``paths`` (each path ends with the key to remove, or with the
    index of a block list item to remove)."""
    by_map: Dict[int, Tuple[YMap, List[str]]] = {}
    edits: List[Edit] = []
    for path in paths:
        container = _follow(tree, path[:-1])
        if isinstance(container, YSeq) and isinstance(path[-1], int):
            edits.append(_item_lines(text, container, path[-1]))
            continue
        if not isinstance(container, YMap) or path[-1] not in container:
            raise EditError(f"no key at {path!r}")
        by_map.setdefault(id(container), (container, []))[1].append(path[-1])
    for container, keys in by_map.values():
        edits.extend(_map_edits(text, container, set(keys)))
    return splice(text, edits)


def _item_lines(text: str, seq: YSeq, index: int) -> Edit:
    """The whole lines of a block list item, from its dash to its value's end."""
    if not 0 <= index < len(seq.spans) or _is_flow(text, seq):
        raise EditError(f"cannot remove item {index} of this list")
    start = seq.item_locs[index].index
    first = line_start(text, start)
    if text[first:start].strip() != "-":
        raise EditError(f"list item {index} does not start its own line")
    return (first, line_end(text, _value_end(text, seq, index)), "")


def removed(data: Any, paths: Sequence[Tuple[PathPart, ...]]) -> Any:
    """The plain tree ``data`` (dicts and lists) without the keys at ``paths``: the intended
    result, to compare with a re-parse of the spliced text. ``data`` is left as it was: only the
    containers on the paths are copied (a deep copy of a large descriptor costs more than all
    the rest of the check)."""
    copies: set = set()

    def own(node: Any) -> Any:
        if id(node) not in copies:
            node = dict(node) if isinstance(node, dict) else list(node)
            copies.add(id(node))
        return node

    result = own(data) if isinstance(data, (dict, list)) else data
    items = []
    for path in paths:
        container = result
        for part in path[:-1]:
            child = _follow(container, (part,))
            if not isinstance(child, (dict, list)):
                container = None
                break
            container[part] = container = own(child)
        if isinstance(container, dict):
            container.pop(path[-1], None)
        elif isinstance(container, list):
            items.append((container, path[-1]))
    for container, index in sorted(items, key=lambda item: -item[1]):  # later items first
        del container[index]
    return result


def splice(text: str, edits: List[Edit]) -> str:
    """Apply non-overlapping (start, end, replacement) edits."""
    out, last = [], len(text)
    for start, end, replacement in sorted(edits, reverse=True):
        if end > last:
            raise EditError("overlapping edits")
        out.append(text[end:last])
        out.append(replacement)
        last = start
    out.append(text[:last])
    return "".join(reversed(out))


def _follow(data: Any, path: Sequence[PathPart]) -> Any:
    for part in path:
        if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


def _is_flow(text: str, node: Any) -> bool:
    index = node.loc.index
    return index < len(text) and text[index] in "{["


def _value_end(text: str, container: Any, key: Any) -> int:
    """Where the value of ``container[key]`` ends, comments and blank lines after it excluded."""
    if isinstance(container, YMap):
        start, end = container.spans[key]
        value_start = container.value_locs[key].index
        value = container[key]
    else:
        start, end = container.spans[key]
        value_start = container.item_locs[key].index
        value = container[key]
    del start
    own = isinstance(value, (YMap, YSeq)) and value.loc.index == value_start and len(value)
    if not own or _is_flow(text, value):
        # A scalar, an alias, an empty or a flow collection: the reader's end is exact, except
        # that a block scalar (|, >) ends after the blank lines that follow it.
        content = text[value_start:end].rstrip()
        return value_start + len(content) if content else end
    keys = list(value.spans) if isinstance(value, YMap) else list(range(len(value.spans)))
    return max(_value_end(text, value, k) for k in keys)


def _map_edits(text: str, node: YMap, remove: set) -> List[Edit]:
    for key in remove:
        if key not in node.spans or node.key_locs[key].index != node.spans[key][0]:
            raise EditError(f"the key {key!r} is not written in this mapping (a merge key?)")
    keys = sorted(node.spans, key=lambda k: node.spans[k][0])
    if all(k in remove for k in keys):
        first = node.spans[keys[0]][0]
        end = node.end if _is_flow(text, node) else _value_end(text, node, keys[-1])
        start = node.loc.index if _is_flow(text, node) else first
        return [(start, end, "{}")]
    if _is_flow(text, node):
        return _flow_edits(text, node, keys, remove)
    edits: List[Edit] = []
    lead = 0  # removed keys at the start of a list item ("- key: ..."): the dash stays
    first_start = node.spans[keys[0]][0]
    dash_line = line_start(text, first_start)
    if text[dash_line:first_start].strip():
        while keys[lead] in remove:
            lead += 1
    for key in keys[lead:]:
        if key in remove:
            edits.append(_block_key_lines(text, node, key))
    if lead:
        edits.append(_move_up_to_dash(text, node, keys[:lead], keys[lead], dash_line))
    return edits


def _block_key_lines(text: str, node: YMap, key: str) -> Edit:
    """The whole lines of a block key and its value (a comment on them goes too)."""
    return (line_start(text, node.spans[key][0]),
            line_end(text, _value_end(text, node, key)), "")


def _move_up_to_dash(text: str, node: YMap, removed_keys: List[str], kept: str,
                     dash_line: int) -> Edit:
    """Removing the first keys of ``- key: ...``: the next kept key moves up to the dash. The
    comment and blank lines between them are kept, just above the dash's line."""
    first_start = node.spans[removed_keys[0]][0]
    between_start = line_end(text, _value_end(text, node, removed_keys[0]))
    between_end = line_start(text, node.spans[kept][0])
    inner = [_block_key_lines(text, node, key) for key in removed_keys[1:]]
    kept_lines = splice(text[:between_end], inner)[between_start:]
    dash = text[dash_line:first_start]
    return (dash_line, node.spans[kept][0], kept_lines + dash)


def _flow_edits(text: str, node: YMap, keys: List[str], remove: set) -> List[Edit]:
    """In a flow mapping, a removed key goes with the comma that separates it."""
    edits: List[Edit] = []
    index = 0
    while index < len(keys):
        if keys[index] not in remove:
            index += 1
            continue
        run_end = index
        while run_end + 1 < len(keys) and keys[run_end + 1] in remove:
            run_end += 1
        if index > 0:
            edits.append((_value_end(text, node, keys[index - 1]),
                          _value_end(text, node, keys[run_end]), ""))
        else:
            edits.append((node.spans[keys[index]][0], node.spans[keys[run_end + 1]][0], ""))
        index = run_end + 1
    return edits
