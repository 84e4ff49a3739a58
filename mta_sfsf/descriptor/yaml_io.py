"""Every ruamel.yaml setting in one place: reading a descriptor into plain Python values that
remember where each key and value stood (the tree of ``tree.py``).

Why events and not ``YAML().load``: the round-trip loader is the slow part of any validator, and
composing recurses (the C composer crashes on very deep nesting). Building the tree from the parser's
event stream is iterative, lets us bound depth and alias expansion *while* parsing, keeps every
position, and sees duplicate keys, which the loaders hide.

Scalars resolve with the YAML 1.2 core schema (ruamel's default): ``yes`` is a string, ``true`` a
bool, ``3.1`` a float. The original text of every non-string scalar is kept (``YMap.raws``), so a
version such as ``3.10`` is never compared as a float.
"""
from __future__ import annotations

import gc
import re
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

from ..diagnostics import Diagnostic, Loc, make
from .tree import ROW, YMap, YSeq, seal_map, seal_seq, set_raw

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 200
# Values reached through aliases (``*name``). Real descriptors alias a few small maps; a
# "billion laughs" document reaches billions. Rules walk the tree, so this bounds their work too.
MAX_ALIAS_VALUES = 100_000
# The pure-Python parser reads about 6 s per MB where libyaml takes 0.7 (measured, ruamel.yaml
# 0.19): it reads a document libyaml refused only up to this size, about three seconds' work.
PURE_FALLBACK_BYTES = 512 * 1024

_TAG = "tag:yaml.org,2002:"
_new_tuple = tuple.__new__  # a NamedTuple built without its Python-level __new__: the hot path
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class Sensitive(str):
    """A scalar tagged ``!sensitive``, the one tag of the MTA v3 format (multiapps-common
    ``YamlTaggedObjectsConstructor``, whose ``SecureConstruct`` keeps the scalar's text as a
    string, ``!sensitive 123`` included): a secret, never to be shown."""

    __slots__ = ()


SENSITIVE_TAG = "!sensitive"
# Every !sensitive value read in this process, for hiding them in findings: its text, and the
# places it stood at -> its text.
SENSITIVE_VALUES: set = set()
SENSITIVE_PLACES: Dict[Tuple[str, int, int], str] = {}


def _sensitive(value: str) -> "Sensitive":
    from ..secrets import remember  # only a descriptor with the tag pays for this import

    remember(value)
    SENSITIVE_VALUES.add(value)
    return Sensitive(value)


def decode(data: bytes, file: str) -> Tuple[Optional[str], List[Diagnostic]]:
    """UTF-8 (an optional BOM is dropped) or a clear refusal with the place of the first bad byte."""
    if len(data) > MAX_BYTES:
        # Only MAX_BYTES + 1 bytes are ever read: the true size is unknown, and unneeded.
        return None, [make("Y003", Loc(file, 1, 1), f"input is larger than the {MAX_BYTES:,}-byte "
                           "limit")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [make("Y003", Loc(file, 1, 1), "the file is UTF-16 (or UTF-32), not UTF-8",
                           hint="save the file as UTF-8")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [make("Y003", Loc(file, line, column, exc.start),
                           f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                           hint="save the file as UTF-8")]


def _events(text: str, pure: bool = False) -> Iterator[Any]:
    """The parser's events for ``text``: libyaml's through ruamel.yaml.clib's parser, straight
    (a ``YAML()`` object per file costs more than parsing a small one), or the pure-Python
    parser's, which makes the same event classes (also where the C extension is missing)."""
    if not pure:
        try:
            from _ruamel_yaml import CParser
        except ImportError:
            pass
        else:
            return iter(CParser(text).get_event, None)  # None once the stream has ended
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).parse(text)


def _scalar(value: str, tag: Optional[str], plain: bool) -> Tuple[Any, Optional[str]]:
    """Resolve a scalar; returns (value, problem) where problem names an unsafe tag."""
    if tag == SENSITIVE_TAG:
        return _sensitive(value), None
    if tag is not None and tag != "!":
        if tag.startswith(_TAG):
            kind = tag[len(_TAG):]
            if kind in ("str", "binary", "timestamp"):
                return value, None
            if kind in ("int", "float", "bool", "null"):
                return _resolve_plain(value), None
            return value, f"the tag !!{kind} is not allowed in a descriptor"
        return value, None  # a local tag such as !sensitive: the value stays a string
    if not plain:
        return value, None
    return _resolve_plain(value), None


# A plain scalar that starts with none of these is a string: the fast path for most values.
_NOT_ONLY_TEXT = frozenset("0123456789+-.~nNtTfF")


def _resolve_plain(value: str) -> Any:
    if value and value[0] not in _NOT_ONLY_TEXT:
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        text = value.replace("_", "")
        try:
            return int(text, 0) if text.lstrip("+-").startswith(("0o", "0x")) else int(text)
        except ValueError:
            return value
    if _FLOAT.match(value) and value not in (".", "-.", "+."):
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    return value


def _loc(file: str, mark) -> Loc:
    return _new_tuple(Loc, (file, mark.line + 1, mark.column + 1, mark.index))


def _as_loc(place: tuple) -> Loc:
    """A place of ``_build`` (a plain tuple of a Loc's fields) as a Loc."""
    return _new_tuple(Loc, place)


# The line breaks libyaml counts (YAML 1.1: LF, CR, CRLF, NEL, LS, PS); positions, edits and
# the pure-Python fallback (which is YAML 1.2 and knows only LF and CR) must count the same.
LINE_BREAKS = "\n\r\x85\u2028\u2029"
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_ONLY_YAML11_BREAKS = {0x85: "\n", 0x2028: "\n", 0x2029: "\n"}


def line_start(text: str, index: int) -> int:
    """Where the line holding ``index`` starts."""
    return max(text.rfind(brk, 0, index) for brk in LINE_BREAKS) + 1


def line_end(text: str, index: int) -> int:
    """Just after the break that ends the line holding ``index`` (``index`` itself when the
    character before it is a break: a block scalar may already end just after its break)."""
    if index > 0 and text[index - 1] in LINE_BREAKS and not (
            text[index - 1] == "\r" and text.startswith("\n", index)):
        return index
    found = _BREAK.search(text, index)
    return len(text) if found is None else found.end()


def _offset_loc(text: str, file: str, index: int, known: Optional[Loc] = None) -> Loc:
    """The line and column of a character offset (CRLF counts as one line break, and so does
    every other break in LINE_BREAKS), counted from ``known`` when given (a nearby earlier
    position: no rescan of the text before it)."""
    index = max(0, min(index, len(text)))
    start, line = (known.index, known.line) if known is not None else (0, 1)
    breaks = len(_BREAK.findall(text, start, index))
    if not breaks and known is not None:
        return Loc(file, line, known.column + index - start, index)
    return Loc(file, line + breaks, index - line_start(text, index) + 1, index)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


class CyclicGCPaused:
    """``with CyclicGCPaused():`` builds or walks trees without the cyclic garbage collector.

    A tree of plain containers has no reference cycles, yet each collection rescans every
    container built so far: 15-20 % of the time on a large descriptor. Reference counting still
    frees everything; the collector runs again on leaving (it is left off if it was off)."""

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc_info: Any) -> None:
        if self.enabled:
            gc.enable()


def load_text(text: str, file: str, pure: bool = False) -> Tuple[Any, List[Diagnostic]]:
    """Parse one YAML document into YMap/YSeq/scalars. Never raises for bad input."""
    with CyclicGCPaused():
        return _load_text(text, file, pure)


def _load_text(text: str, file: str, pure: bool) -> Tuple[Any, List[Diagnostic]]:
    if not pure:
        diagnostics: List[Diagnostic] = []
        try:
            return _build(_events(text), file, diagnostics, text), diagnostics
        except _Refused as refused:
            return None, diagnostics + [refused.diagnostic]
        except Exception as exc:
            # libyaml follows YAML 1.1 and rejects some YAML 1.2 text (``[https://x]``) that the
            # deployers accept; the pure-Python parser decides, and words the error if any,
            # unless the document is too large for it to do so within seconds.
            if len(text) > PURE_FALLBACK_BYTES:
                return None, diagnostics + [_too_large_for_pure(exc, text, file)]
    return _load_pure(text, file)


def _too_large_for_pure(exc: Exception, text: str, file: str) -> Diagnostic:
    refused = _syntax_error(exc, text, file)
    return make("Y003", Loc(refused.file, refused.line, refused.column),
                f"libyaml (YAML 1.1) cannot read this: {refused.message}; the YAML 1.2 parser "
                f"that could is too slow for a document over {PURE_FALLBACK_BYTES // 1024} KiB",
                hint="quote the value (\"https://x\" instead of https://x in a flow list) so "
                     "that YAML 1.1 reads it too, or split the descriptor")


# MAX_DEPTH flow collections opened on one line with nothing closed in between. The pure-Python
# scanner looks up to 1,024 characters ahead on a line and rechecks every open level for each
# token, so ``[[[[...`` costs it seconds; parsing only the text up to the end of such a run
# refuses it at the very same place in milliseconds.
_DEEP_FLOW = re.compile(r"(?:[\[{][^\[\]{}\n]{0,16}){%d}" % MAX_DEPTH)


def _load_pure(text: str, file: str) -> Tuple[Any, List[Diagnostic]]:
    deep = _DEEP_FLOW.search(text)
    if deep is not None:
        tree, diagnostics = _parse_pure(text[:deep.end()], file)
        if any(d.code == "Y003" for d in diagnostics):
            return None, diagnostics
        # Brackets in quoted text or comments, not nesting: parse the whole text.
    return _parse_pure(text, file)


def _parse_pure(text: str, file: str) -> Tuple[Any, List[Diagnostic]]:
    diagnostics: List[Diagnostic] = []
    try:
        # NEL, LS and PS break lines for libyaml (YAML 1.1) and the deployers, not for the
        # YAML 1.2 pure parser: one character each for another, so every offset stays.
        readable = text.translate(_ONLY_YAML11_BREAKS) if not text.isascii() else text
        root = _build(_events(readable, pure=True), file, diagnostics, text)
    except _Refused as refused:
        return None, diagnostics + [refused.diagnostic]
    except RecursionError:
        return None, [make("Y003", Loc(file, 1, 1), "the document is nested too deeply")]
    except Exception as exc:  # ruamel's MarkedYAMLError, ReaderError and friends
        return None, diagnostics + [_syntax_error(exc, text, file)]
    return root, diagnostics


def _syntax_error(exc: Exception, text: str, file: str) -> Diagnostic:
    if isinstance(getattr(exc, "position", None), int) and hasattr(exc, "character"):
        # The reader refuses a character before any token exists: NUL, other control characters.
        index = exc.position
        char = text[index] if index < len(text) else "\0"
        return make("Y001", _offset_loc(text, file, index),
                    f"control character U+{ord(char):04X} is not allowed in YAML",
                    hint="remove it; NUL bytes usually mean a binary or UTF-16 file")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    loc = _loc(file, mark) if mark is not None else Loc(file, 1, 1)
    problem = getattr(exc, "problem", None)
    if not problem:
        lines = str(exc).strip().splitlines()
        problem = lines[0] if lines else type(exc).__name__
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context else str(problem)
    return make("Y001", loc, message)


def _empty_value_index(text: str, key_end: int, flow: bool) -> Optional[int]:
    """Where libyaml places an empty mapping value: just after the ``:`` that follows the key in
    a block mapping, at the next token in a flow mapping. The pure-Python parser does it the
    other way round; positions must not depend on which parser ran.
    """
    index = key_end
    while index < len(text) and text[index] in " \t":
        index += 1
    if index >= len(text) or text[index] != ":":
        return None
    index += 1
    while flow and index < len(text) and text[index] in " \t#" + LINE_BREAKS:
        if text[index] == "#":
            newline = _BREAK.search(text, index)
            index = len(text) if newline is None else newline.start()
        else:
            index += 1
    return index


def _build(events, file: str, diagnostics: List[Diagnostic], text: str) -> Any:
    """Turn parser events into YMap/YSeq trees, iteratively (``text`` places empty values)."""
    # Both parsers make these classes' events; imported here to keep importing this module cheap.
    from ruamel.yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent,
                                    MappingStartEvent, ScalarEvent, SequenceEndEvent,
                                    SequenceStartEvent)

    # A frame is [container, pending key (maps), key place, key start, expanded count, anchor,
    # merge sources, has a merge key, key end, the container's position ints (a map's rows, a
    # list's locations), a map's key -> row or a list's spans]: a list until the container
    # ends, as an array grows slowly one position at a time. A place is a Loc's fields in a
    # plain tuple, which indexes faster; it becomes a Loc only for a finding.
    stack: List[list] = []
    anchors: Dict[str, Tuple[Any, int]] = {}
    # A map's keys -> their rows, one read-only dict for all the maps of those keys in that
    # order (most maps of a descriptor share their keys with many others).
    shared_rows: Dict[Tuple[Any, ...], Mapping[Any, int]] = {}
    root: Any = None
    documents = 0
    aliased = 0

    def add(value: Any, place: tuple, start: int, end: int, size: int,
            raw: Optional[str]) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        frame[4] += size
        container = frame[0]
        if isinstance(container, YSeq):  # every position here is in the container's file: 0
            container.append(value)
            frame[9] += (0, place[1], place[2], place[3])
            frame[10] += (start, end)
            return
        if frame[1] is _NO_KEY:
            if isinstance(value, (YMap, YSeq)):
                raise _Refused(make("Y001", _as_loc(place), "a mapping key must be a scalar"))
            frame[1] = "" if value is None else (raw if raw is not None else str(value))
            frame[2] = place
            frame[3] = start
            frame[8] = end
            return
        key, kplace = frame[1], frame[2]
        frame[1] = _NO_KEY
        if key == "<<" and frame[7]:
            frame[6].append((value, _as_loc(place)))
            return
        rows, ints = frame[10], frame[9]
        row = rows.get(key)
        if row is None:
            rows[key] = len(rows)
            ints += (0, kplace[1], kplace[2], kplace[3], 0, place[1], place[2], place[3],
                     frame[3], end)
        else:
            first = row * ROW  # the key's place: file, line, column, offset
            diagnostics.append(make(
                "Y002", _as_loc(kplace), f"duplicate key '{key}' (first at line "
                f"{ints[first + 1]}, column {ints[first + 2]}); the MTA deployer keeps the last "
                "one, other tools the first"))
            ints[row * ROW:(row + 1) * ROW] = (0, kplace[1], kplace[2], kplace[3], 0, place[1],
                                                  place[2], place[3], frame[3], end)
            set_raw(container, key, None)
        container[key] = value
        if raw is not None:
            set_raw(container, key, raw)

    for event in events:
        kind = event.__class__
        if kind is ScalarEvent:
            mark = event.start_mark
            start, end = mark.index, event.end_mark.index
            place = (file, mark.line + 1, mark.column + 1, start)
            plain = bool(event.implicit and event.implicit[0]) and not event.style
            tag = event.tag  # a property
            if (plain and not event.value and not tag
                    and not event.anchor and stack and stack[-1][1] is not _NO_KEY):
                flow = text[stack[-1][0].loc.index] == "{"
                index = _empty_value_index(text, stack[-1][8], flow)
                if index is not None:
                    place = _offset_loc(text, file, index, _as_loc(stack[-1][2]))
                    start = end = index
            if tag is None:  # most scalars: no tag to check
                value = _resolve_plain(event.value) if plain else event.value
            else:
                value, problem = _scalar(event.value, tag, plain)
                if type(value) is Sensitive:
                    SENSITIVE_PLACES[place[:3]] = value
                if problem:
                    diagnostics.append(make("Y004", _as_loc(place), problem))
                elif tag and not tag.startswith(_TAG) and tag not in ("!", SENSITIVE_TAG):
                    diagnostics.append(make("Y007", _as_loc(place), f"unknown tag {tag}; "
                                            "the value is read as a plain string"))
            merge_key = plain and event.value == "<<" and stack and stack[-1][1] is _NO_KEY
            if merge_key:
                stack[-1][7] = True
            raw = event.value if not isinstance(value, str) else None
            add(value, place, start, end, 1, raw)
            if event.anchor:
                anchors[event.anchor] = (value, 1)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            loc = _loc(file, event.start_mark)
            if len(stack) >= MAX_DEPTH:
                raise _Refused(make("Y003", loc, f"nested more than {MAX_DEPTH} levels deep"))
            tag = event.tag
            if tag and tag.startswith(_TAG) and tag[len(_TAG):] not in ("map", "seq"):
                diagnostics.append(make("Y004", loc, f"the tag {_short_tag(tag)} is not allowed "
                                        "in a descriptor"))
            elif tag == SENSITIVE_TAG:  # SecureConstruct casts to a scalar: ClassCastException
                diagnostics.append(make("Y004", loc, "the tag !sensitive marks a single value; "
                                        "on a map or list the deployer fails",
                                        hint="tag each secret value instead"))
            elif tag and not tag.startswith(_TAG) and tag != "!":
                diagnostics.append(make("Y007", loc, f"unknown tag {tag}; the content is read "
                                        "as plain YAML"))
            container = YMap(loc) if kind is MappingStartEvent else YSeq(loc)
            stack.append([container, _NO_KEY, None, 0, 0, event.anchor, [], False, 0, [],
                          {} if kind is MappingStartEvent else []])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = stack.pop()
            container = frame[0]
            container.end = event.end_mark.index
            if kind is MappingEndEvent:
                seal_map(container, frame[9], frame[10], shared_rows)
            else:
                seal_seq(container, frame[9], frame[10])
            for source, loc in frame[6]:
                _apply_merge(container, source, loc, diagnostics)
            size = frame[4] + 1
            if frame[5]:
                anchors[frame[5]] = (container, size)
            add(container, container.loc, container.loc.index, container.end, 1, None)
            if stack:  # the parent's size counts this whole subtree, for anchors that alias it
                stack[-1][4] += size - 1
        elif kind is AliasEvent:
            loc = _loc(file, event.start_mark)  # a place: a Loc is a tuple too
            if event.anchor not in anchors:
                raise _Refused(make("Y001", loc, f"found undefined alias '{event.anchor}'"))
            value, size = anchors[event.anchor]
            aliased += size
            if aliased > MAX_ALIAS_VALUES:
                raise _Refused(make("Y003", loc, f"aliases expand to more than "
                                    f"{MAX_ALIAS_VALUES:,} values (an alias bomb?)",
                                    hint="use fewer or smaller anchors"))
            add(value, loc, event.start_mark.index, event.end_mark.index, size, None)
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Refused(make("Y005", _loc(file, event.start_mark),
                                    "a descriptor is one YAML document; this file holds several"))
    return root


def load_values(text: str) -> Any:
    """The values ``load_text`` reads from ``text`` (dicts, lists and scalars, without positions,
    findings or bounds), or None when it does not parse: a check of a rewritten text at about
    half the cost."""
    with CyclicGCPaused():
        for pure in (False, True):  # the pure-Python parser decides, as for load_text
            try:
                return _values(_events(text, pure))
            except _Refused:
                return None
            except Exception:
                continue
    return None


def _values(events) -> Any:
    """``_build`` without positions: the same scalars, keys, merges and aliases."""
    from ruamel.yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent,
                                    MappingStartEvent, ScalarEvent, SequenceEndEvent,
                                    SequenceStartEvent)

    stack: List[list] = []  # [container, pending key, anchor, merge sources, has a merge key]
    anchors: Dict[str, Any] = {}
    root: Any = None
    documents = 0

    def add(value: Any, raw: Optional[str]) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
        elif frame[1] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise _Refused(make("Y001", Loc("", 1, 1), "a mapping key must be a scalar"))
            frame[1] = "" if value is None else (raw if raw is not None else str(value))
        else:
            key, frame[1] = frame[1], _NO_KEY
            if key == "<<" and frame[4]:
                frame[3].append(value)
            else:
                container[key] = value

    for event in events:
        kind = event.__class__
        if kind is ScalarEvent:
            plain = bool(event.implicit and event.implicit[0]) and not event.style
            if event.tag is None:
                value = _resolve_plain(event.value) if plain else event.value
            else:
                value = _scalar(event.value, event.tag, plain)[0]
            if plain and event.value == "<<" and stack and stack[-1][1] is _NO_KEY:
                stack[-1][4] = True
            add(value, event.value if not isinstance(value, str) else None)
            if event.anchor:
                anchors[event.anchor] = value
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            stack.append([{} if kind is MappingStartEvent else [], _NO_KEY, event.anchor, [],
                          False])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            container, _, anchor, sources, _ = stack.pop()
            for source in sources:
                for item in source if isinstance(source, list) else [source]:
                    if isinstance(item, dict):
                        for key, value in item.items():
                            container.setdefault(key, value)
            if anchor:
                anchors[anchor] = container
            add(container, None)
        elif kind is AliasEvent:
            if event.anchor not in anchors:
                raise _Refused(make("Y001", Loc("", 1, 1), "undefined alias"))
            add(anchors[event.anchor], None)
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Refused(make("Y005", Loc("", 1, 1), "several documents"))
    return root


def _apply_merge(container: YMap, source: Any, loc: Loc, diagnostics: List[Diagnostic]) -> None:
    """``<<: *base`` or ``<<: [*a, *b]``: keys written in the mapping win; earlier sources win."""
    sources = source if isinstance(source, YSeq) else [source]
    for item in sources:
        if not isinstance(item, YMap):
            diagnostics.append(make("Y006", loc, "the value of a merge key (<<) must be a "
                                    "mapping or a list of mappings"))
            continue
        for key, value in item.items():
            if key not in container:
                container[key] = value
                container.key_locs[key] = item.key_locs.get(key, loc)
                container.value_locs[key] = item.value_locs.get(key, loc)
                set_raw(container, key, item.raws.get(key))


_NO_KEY = object()
