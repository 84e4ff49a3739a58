"""Extension descriptors (``.mtaext``): the chain and the merge, with the deployer's rules.

- Each extension names its parent in ``extends``; together they form one chain starting at the
  deployment descriptor's ``ID``. Two extensions of the same parent are an error (X001), and so is
  an extension that attaches to nothing (X002): the deployer only logs that, and the values the
  user meant to supply are silently missing.
- ``_schema-version``, ``ID`` and ``extends`` are required (X003); the major schema version must be
  the deployment descriptor's (X004).
- An extension may not add modules, resources, requires or provides (X005) nor change a ``type``
  (X006).
- Maps merge deeply; scalars and lists are replaced. In schema v2 a non-empty parameter or
  property cannot be changed; in v3 ``parameters-metadata.<name>.overwritable: false`` (or
  ``properties-metadata``) forbids it (X007).
"""
from __future__ import annotations

from typing import Any, List

from ..diagnostics import Diagnostic, make
from ..yaml_io import YMap, YSeq, key_loc, value_loc

CODES = {
    "X001": ("error", "two extension descriptors extend the same parent"),
    "X002": ("error", "an extension descriptor that attaches to nothing in the chain"),
    "X003": ("error", "an extension descriptor without _schema-version, ID or extends"),
    "X004": ("error", "an extension descriptor of another major schema version"),
    "X005": ("error", "an extension descriptor adds a module, resource, requires or provides"),
    "X006": ("error", "an extension descriptor changes a type"),
    "X007": ("error", "an extension descriptor overwrites a value that is not overwritable"),
    "X008": ("error", "an extension element without a name, or of the wrong shape"),
}

# Lists whose elements merge by name; each maps to the name of the element kind in messages.
_NAMED_LISTS = {"modules": "module", "resources": "resource", "requires": "required dependency",
                "provides": "provided dependency"}
_GUARDED = {"parameters": "parameters-metadata", "properties": "properties-metadata"}


def check(ctx) -> None:
    """All extension faults are found while ordering and merging (see ``merge``)."""
    return None


def order_chain(main, extensions: list, out: List[Diagnostic]) -> list:
    """The extensions in chain order, starting from the deployment descriptor's ID."""
    usable = []
    for ext in extensions:
        missing = [key for key in ("_schema-version", "ID", "extends") if key not in ext.data]
        if missing:
            out.append(make("X003", ext.data.loc, f"extension descriptor {ext.file} has no "
                            + ", ".join(missing), hint="an .mtaext needs _schema-version, ID "
                            "and extends"))
            continue
        if main.schema_major and ext.schema_major and main.schema_major != ext.schema_major:
            out.append(make("X004", value_loc(ext.data, "_schema-version"),
                            f"extension descriptor schema version {ext.schema_major}.x does not "
                            f"match the deployment descriptor's {main.schema_major}.x",
                            ("_schema-version",)))
        usable.append(ext)
    chain = []
    current = main.id
    remaining = list(usable)
    while current is not None:
        children = [ext for ext in remaining if ext.data.get("extends") == current]
        if not children:
            break
        for extra in children[1:]:
            first = children[0]
            out.append(make("X001", value_loc(extra.data, "extends"),
                            f"extension descriptors {first.file} and {extra.file} both extend "
                            f"\"{current}\"; they must form one chain", ("extends",),
                            hint=f"let {extra.file} extend \"{first.id}\" instead"))
            remaining.remove(extra)
        chain.append(children[0])
        remaining.remove(children[0])
        current = children[0].id
    ids = [main.id] + [ext.id for ext in chain]
    for ext in remaining:
        out.append(make("X002", value_loc(ext.data, "extends"),
                        f"extension descriptor {ext.file} extends \"{ext.data.get('extends')}\", "
                        f"which is not in the chain; it would be ignored", ("extends",),
                        hint="the chain is " + " <- ".join(f'"{i}"' for i in ids)))
    return chain


def merge(base: YMap, ext, main, out: List[Diagnostic]) -> YMap:
    """The deployer's view of ``base`` extended by ``ext`` (neither is modified)."""
    v2 = (main.schema_major or "3") in ("1", "2")
    merged = _merge_map(base, ext.data, (), v2, out, skip=("ID", "extends", "_schema-version"))
    return merged


def _copy(node: YMap) -> YMap:
    copy = YMap(node.loc)
    copy.update(node)
    copy.key_locs.update(node.key_locs)
    copy.value_locs.update(node.value_locs)
    copy.raws.update(node.raws)
    copy.end = node.end
    return copy


def _merge_map(base: YMap, ext: YMap, path: tuple, v2: bool, out: List[Diagnostic],
               skip: tuple = (), metadata: Any = None) -> YMap:
    """Deep merge; ``metadata`` is the ``*-metadata`` map guarding ``base`` (parameters, ...)."""
    merged = _copy(base)
    for key, value in ext.items():
        if key in skip:
            continue
        here = path + (key,)
        old = base.get(key)
        if key in _NAMED_LISTS and (isinstance(value, YSeq) or isinstance(old, YSeq)):
            merged[key] = _merge_named(old, value, ext, key, here, v2, out)
        elif key == "type" and path and key in base and old != value:
            out.append(make("X006", value_loc(ext, key), f"an extension descriptor cannot "
                            f"change the type (\"{old}\" to \"{value}\")", here))
            continue
        elif isinstance(old, YMap) and isinstance(value, YMap):
            merged[key] = _merge_map(old, value, here, v2, out,
                                     metadata=base.get(_GUARDED[key]) if key in _GUARDED else None)
        else:
            if path and path[-1] in _GUARDED and key in base and not _overwritable(
                    metadata, key, v2, old):
                out.append(make("X007", value_loc(ext, key), f"\"{key}\" is already set in "
                                "the deployment descriptor and cannot be overwritten", here,
                                hint=_overwrite_hint(v2, path[-1], key)))
                continue
            merged[key] = value
        if key not in base:
            merged.key_locs[key] = key_loc(ext, key)
        merged.value_locs[key] = value_loc(ext, key)
        merged.raws.pop(key, None)
        if key in ext.raws:
            merged.raws[key] = ext.raws[key]
    return merged


def _overwritable(metadata: Any, key: str, v2: bool, old: Any) -> bool:
    if v2:
        return old is None or old == ""
    entry = metadata.get(key) if isinstance(metadata, YMap) else None
    return not (isinstance(entry, YMap) and entry.get("overwritable") is False)


def _overwrite_hint(v2: bool, section: str, key: str) -> str:
    if v2:
        return ("schema v2 never overwrites a non-empty value; leave it empty in the deployment "
                "descriptor")
    return f"{_GUARDED[section]}.{key}.overwritable is false in the deployment descriptor"


def _merge_named(old: Any, new: Any, ext_parent: YMap, key: str, path: tuple, v2: bool,
                 out: List[Diagnostic]) -> Any:
    kind = _NAMED_LISTS[key]
    if not isinstance(old, YSeq) or not isinstance(new, YSeq):
        if not isinstance(new, YSeq):
            out.append(make("X008", value_loc(ext_parent, key), f"\"{key}\" must be a list", path))
        return old
    by_name = {item.get("name"): i for i, item in enumerate(old) if isinstance(item, YMap)}
    merged = YSeq(old.loc)
    merged.extend(old)
    merged.item_locs.extend(old.item_locs)
    for index, item in enumerate(new):
        here = path + (index,)
        if not isinstance(item, YMap) or not isinstance(item.get("name"), str):
            out.append(make("X008", value_loc(new, index), f"each element of \"{key}\" in an "
                            "extension descriptor needs a name", here))
            continue
        name = item["name"]
        if name not in by_name:
            known = sorted(n for n in by_name if isinstance(n, str))
            out.append(make("X005", key_loc(item, "name"), f"unknown {kind} \"{name}\": an "
                            f"extension descriptor cannot add a {kind}", here + ("name",),
                            hint=("known: " + ", ".join(known)) if known else None))
            continue
        position = by_name[name]
        merged[position] = _merge_map(old[position], item, here, v2, out, skip=("name",))
        merged.item_locs[position] = old.item_locs[position]
    return merged

