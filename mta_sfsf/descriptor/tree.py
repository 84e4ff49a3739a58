"""The tree a descriptor is read into: YMap and YSeq, plain dicts and lists that also keep the
place (file, line, column, offset) of every key, value and list item, as integers in flat
arrays, and the functions that read places back as ``Loc`` values.

The reader (``yaml_io``) collects a container's places in plain lists while it parses and hands
them over once the container ends (``seal_map``, ``seal_seq``): an array grows slowly one place at
a time. Everything else reads and writes places through ``key_loc``/``value_loc``/``value_span``
and the ``key_locs``, ``value_locs``, ``spans`` and ``item_locs`` views; ``copied`` and ``set_raw``
for the rest.
"""
from __future__ import annotations

from array import array
from collections.abc import Mapping, MutableMapping, MutableSequence
from types import MappingProxyType
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from ..diagnostics import Loc

# Positions are C ints in one flat array per container, read back as Loc tuples on demand (a
# Loc per key and per value and a span per key, in three dicts per map, took 152 MiB at 10,000
# modules; this store, 43). Unsigned: an array converts those faster. The reader refuses inputs
# over MAX_BYTES, so every line, column and offset fits.
_TYPE = "I"
_ABSENT = 0xFFFFFFFF  # in the first int of a position: not set
# A YMap's row per key: key Loc (file, line, column, index), value Loc (the same), span (start,
# end); a Loc's file is a number, 0 for the container's own file (see _file_number).
_KEY, _VALUE, _SPAN, ROW = 0, 4, 8, 10
_EMPTY_ROW = (_ABSENT, 0, 0, 0, _ABSENT, 0, 0, 0, _ABSENT, 0)
_NO_RAWS: Mapping[str, str] = MappingProxyType({})
_NO_INTS = array(_TYPE)  # shared by containers without positions: never written to
_NO_ROWS: Mapping[Any, int] = MappingProxyType({})
_new_tuple = tuple.__new__  # a NamedTuple built without its Python-level __new__: the hot path


class YMap(dict):
    """A mapping that knows where it, its keys and its values are.

    ``key_locs`` and ``value_locs`` map a key to its Loc; ``spans[key]`` is (start of key, end
    of value) as character offsets, for byte-exact splicing. All three are read-write views of
    one store; each lists its keys in the order they first got a position. ``raws`` holds the
    original text of non-string scalars (write it with ``set_raw``).
    """

    __slots__ = ("loc", "end", "raws", "_rows", "_ints", "_files")

    def __init__(self, loc: Loc) -> None:
        self.loc = loc
        self.end = 0
        self.raws: Mapping[str, str] = _NO_RAWS
        # key -> its row in _ints; read-only when shared by maps of the same keys (copy to write)
        self._rows: Mapping[Any, int] = _NO_ROWS
        self._ints = _NO_INTS  # until a position is written (the reader writes them at once)
        self._files: Optional[List[str]] = None  # [loc.file, other files...] once one is needed

    @property
    def key_locs(self) -> "MutableMapping[Any, Loc]":
        return _MapField(self, _KEY)

    @property
    def value_locs(self) -> "MutableMapping[Any, Loc]":
        return _MapField(self, _VALUE)

    @property
    def spans(self) -> "MutableMapping[Any, Tuple[int, int]]":
        return _MapField(self, _SPAN)


class YSeq(list):
    """A sequence that knows where it and each item are (``item_locs[i]``, and ``spans[i]``:
    its start and end offsets), in list-like views of flat int arrays."""

    __slots__ = ("loc", "end", "_locs", "_spans", "_files")

    def __init__(self, loc: Loc) -> None:
        self.loc = loc
        self.end = 0
        self._locs = _NO_INTS  # (file, line, column, index) per item
        self._spans = _NO_INTS  # (start, end) per item
        self._files: Optional[List[str]] = None

    @property
    def item_locs(self) -> "MutableSequence[Loc]":
        return _SeqField(self, _writable(self, "_locs")._locs, 4)

    @property
    def spans(self) -> "MutableSequence[Tuple[int, int]]":
        return _SeqField(self, _writable(self, "_spans")._spans, 2)


def _writable(node: Any, name: str) -> Any:
    """``node``, with an array of its own in ``name`` (not the shared empty one)."""
    if getattr(node, name) is _NO_INTS:
        setattr(node, name, array(_TYPE))
    return node


def _file_number(node: Any, file: str) -> int:
    if file == node.loc.file:
        return 0
    if node._files is None:
        node._files = [node.loc.file]
    if file not in node._files:
        node._files.append(file)
    return node._files.index(file)


def _loc_ints(node: Any, loc: Loc) -> Tuple[int, int, int, int]:
    return (_file_number(node, loc.file), loc.line, loc.column, loc.index)


def _loc_at(node: Any, ints: array, at: int) -> Loc:
    file = node.loc.file if not ints[at] else node._files[ints[at]]
    return _new_tuple(Loc, (file, ints[at + 1], ints[at + 2], ints[at + 3]))


def _map_loc(node: YMap, key: Any, at: int) -> Optional[Loc]:
    """The Loc of a key (at=_KEY) or of its value (_VALUE), None when not set."""
    row = node._rows.get(key)
    if row is None or node._ints[row * ROW + at] == _ABSENT:
        return None
    return _loc_at(node, node._ints, row * ROW + at)


def _map_set(node: YMap, key: Any, at: int, ints: Sequence[int]) -> None:
    _writable(node, "_ints")
    row = node._rows.get(key)
    if row is None:
        if type(node._rows) is not dict:
            node._rows = dict(node._rows)
        row = node._rows[key] = len(node._rows)  # type: ignore[index]
        node._ints.extend(_EMPTY_ROW)
    start = row * ROW + at
    node._ints[start:start + len(ints)] = array(_TYPE, ints)


def _read(node: Any, ints: array, start: int, span: bool) -> Any:
    """A Loc, or a span (start, end), from ``ints`` at ``start``."""
    if span:
        return (ints[start], ints[start + 1])
    return _loc_at(node, ints, start)


def _pack(node: Any, value: Any, span: bool) -> Tuple[int, ...]:
    if span:
        start, end = value
        return (start, end)
    return _loc_ints(node, value)


class _MapField(MutableMapping):
    """A YMap's ``key_locs``, ``value_locs`` or ``spans``: a dict view of its rows."""

    __slots__ = ("_node", "_at")

    def __init__(self, node: YMap, at: int) -> None:
        self._node, self._at = node, at

    def _start(self, key: Any) -> int:
        """Where the key's position starts in the ints, -1 when it has none."""
        row = self._node._rows.get(key)
        if row is None or self._node._ints[row * ROW + self._at] == _ABSENT:
            return -1
        return row * ROW + self._at

    def __getitem__(self, key: Any) -> Any:
        start = self._start(key)
        if start < 0:
            raise KeyError(key)
        return _read(self._node, self._node._ints, start, self._at == _SPAN)

    def get(self, key: Any, default: Any = None) -> Any:
        start = self._start(key)
        if start < 0:
            return default
        return _read(self._node, self._node._ints, start, self._at == _SPAN)

    def __contains__(self, key: Any) -> bool:
        return self._start(key) >= 0

    def __setitem__(self, key: Any, value: Any) -> None:
        _map_set(self._node, key, self._at, _pack(self._node, value, self._at == _SPAN))

    def __delitem__(self, key: Any) -> None:
        start = self._start(key)
        if start < 0:
            raise KeyError(key)
        self._node._ints[start] = _ABSENT

    def __iter__(self) -> Iterator[Any]:
        ints, at = self._node._ints, self._at
        return iter([key for key, row in self._node._rows.items()
                     if ints[row * ROW + at] != _ABSENT])

    def __len__(self) -> int:
        ints, at = self._node._ints, self._at
        return sum(ints[row * ROW + at] != _ABSENT for row in self._node._rows.values())

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class _SeqField(MutableSequence):
    """A YSeq's ``item_locs`` or ``spans``: a list view of one of its arrays."""

    __slots__ = ("_node", "_array", "_width")

    def __init__(self, node: YSeq, ints: array, width: int) -> None:
        self._node, self._array, self._width = node, ints, width

    def __len__(self) -> int:
        return len(self._array) // self._width

    def _start(self, index: int) -> int:
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("list index out of range")
        return index * self._width

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return _read(self._node, self._array, self._start(index), self._width == 2)

    def __setitem__(self, index: int, value: Any) -> None:
        start = self._start(index)
        self._array[start:start + self._width] = array(_TYPE, self._ints_of(value))

    def __delitem__(self, index: int) -> None:
        start = self._start(index)
        del self._array[start:start + self._width]

    def insert(self, index: int, value: Any) -> None:
        start = max(0, min(index + len(self) if index < 0 else index, len(self))) * self._width
        self._array[start:start] = array(_TYPE, self._ints_of(value))

    def append(self, value: Any) -> None:
        self._array.extend(self._ints_of(value))

    def _ints_of(self, value: Any) -> Tuple[int, ...]:
        return _pack(self._node, value, self._width == 2)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, (_SeqField, list)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(list(self))


def copied(node: Any) -> Any:
    """A copy of a YMap or YSeq: the same values, positions of its own."""
    copy = type(node)(node.loc)
    if isinstance(node, YMap):
        copy.update(node)
        copy._rows = dict(node._rows) if type(node._rows) is dict else node._rows
        copy._ints = node._ints[:] if node._ints else _NO_INTS
        copy.raws = dict(node.raws) if node.raws else _NO_RAWS
    else:
        copy.extend(node)
        copy._locs = node._locs[:] if node._locs else _NO_INTS
        copy._spans = node._spans[:] if node._spans else _NO_INTS
    copy._files = None if node._files is None else list(node._files)
    copy.end = node.end
    return copy


def set_raw(node: YMap, key: Any, raw: Optional[str]) -> None:
    """Remember the text a non-string scalar was written as (None: forget it)."""
    if raw is not None:
        if node.raws is _NO_RAWS:
            node.raws = {}
        node.raws[key] = raw  # type: ignore[index]
    elif key in node.raws:
        del node.raws[key]  # type: ignore[attr-defined]


def value_loc(container: Any, key: Any) -> Loc:
    """Where ``container[key]`` stands (the container itself when unknown)."""
    if isinstance(container, YMap):
        return _map_loc(container, key, _VALUE) or container.loc
    if (isinstance(container, YSeq) and isinstance(key, int)
            and 0 <= key < len(container._locs) // 4):
        return _loc_at(container, container._locs, key * 4)
    return container.loc


def key_loc(container: Any, key: Any) -> Loc:
    """Where the key ``key`` of a mapping stands."""
    if isinstance(container, YMap):
        return _map_loc(container, key, _KEY) or container.loc
    return value_loc(container, key)


def value_span(container: Any, key: Any) -> Optional[Tuple[int, int]]:
    """Where the value of ``container[key]`` starts and ends (character offsets), None when
    unknown (a value merged in from another file, say)."""
    if isinstance(container, YMap):
        row = container._rows.get(key)
        ints = container._ints
        if row is None or _ABSENT in (ints[row * ROW + _VALUE], ints[row * ROW + _SPAN]):
            return None
        return (ints[row * ROW + _VALUE + 3], ints[row * ROW + _SPAN + 1])
    if isinstance(container, YSeq) and 0 <= key < min(len(container._locs) // 4,
                                                      len(container._spans) // 2):
        return (container._locs[key * 4 + 3], container._spans[key * 2 + 1])
    return None


def raw_text(container: YMap, key: str) -> str:
    """A scalar as written (``3.10`` stays ``3.10``)."""
    if key in container.raws:
        return container.raws[key]
    value = container.get(key)
    return "" if value is None else str(value)


def seal_map(node: YMap, ints: List[int], rows: Dict[Any, int],
             shared: Dict[Tuple[Any, ...], Mapping[Any, int]]) -> None:
    """Give a map the places the reader collected: ``ints`` (ROW per key, the file numbered 0)
    and ``rows`` (key -> its row). Maps of the same keys in the same order share one read-only
    ``rows`` through ``shared`` (most maps of a descriptor share their keys with many others)."""
    if ints:
        node._ints = array(_TYPE, ints)
        keys = tuple(rows)
        table = shared.get(keys)
        if table is None:
            table = shared[keys] = MappingProxyType(rows)
        node._rows = table


def seal_seq(node: YSeq, locs: List[int], spans: List[int]) -> None:
    """Give a list the places the reader collected: four ints per item (file 0, line, column,
    offset) and two per item's span."""
    if locs:
        node._locs, node._spans = array(_TYPE, locs), array(_TYPE, spans)
