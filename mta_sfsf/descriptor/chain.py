"""Extension descriptors (``.mtaext``): the chain and the merge that build the deployer's view of a
descriptor, with the MTA deployer's rules and, where it has them, its words. The X codes are
found here, while the view is built; the rule families then check the view.

- Each extension descriptor names its parent in ``extends``; together they form one chain that
  starts at the deployment descriptor's ``ID``. Two extending the same parent are an error (X001),
  and so is one whose parent is neither the deployment descriptor nor another extension descriptor
  given (X002). The order of ``-e`` arguments does not matter.
- ``_schema-version``, ``ID`` and ``extends`` are required (X003); the major schema version must be
  the deployment descriptor's (X004).
- An extension descriptor may not add modules, resources, required or provided dependencies
  (X005) nor change a ``type`` (X006). Every module provides a dependency of its own name
  (multiapps ``parsers/v2/ModuleParser.getProvidedDependencies``, which adds ``{name: <module>}``
  unless the module lists it), so an extension may address that one.
- Names are unique within an extension descriptor as in a deployment descriptor (X012): its
  modules, its resources, and the provided dependencies of all its modules together (multiapps
  ``parsers/v2/ExtensionDescriptorParser.getModules`` shares one set of used provided-dependency
  names among all ``ExtensionModuleParser``s: ``Value "x" for key "name" not unique for object
  "MTA extension provided dependency"``).
- Only ``parameters`` and ``properties`` merge (of the descriptor, modules, resources, requires,
  provides), plus ``active`` and ``optional`` of a v3 resource. Inside them maps merge deeply;
  everything else (scalars, lists) is replaced; a map cannot replace a non-map or the other way
  round (X010).
- Schema v2: a parameter or property that has a non-empty value in the deployment descriptor cannot
  be changed. Schema v3: it can, unless ``parameters-metadata.<name>.overwritable: false`` (or
  ``properties-metadata``) says so (X007).
- Keys the deployer ignores in an extension descriptor, such as a misspelt ``paramters``, are
  warnings (X009): the values they hold would be silently missing at deploy time.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..diagnostics import Diagnostic, Path, Suggester, declare, listing, make, suggest
from .sensitive import secret_values
from .yaml_io import CyclicGCPaused
from .tree import YMap, YSeq, copied, key_loc, raw_text, set_raw, value_loc

CODES = declare({
    "X001": ("error", "two extension descriptors extend the same parent"),
    "X002": ("error", "an extension descriptor that attaches to nothing in the chain"),
    "X003": ("error", "an extension descriptor without _schema-version, ID or extends"),
    "X004": ("error", "an extension descriptor of another major schema version"),
    "X005": ("error", "an extension descriptor adds a module, resource, requires or provides"),
    "X006": ("error", "an extension descriptor changes a type"),
    "X007": ("error", "an extension descriptor overwrites a value that is not overwritable"),
    "X008": ("error", "an extension element without a name, or of the wrong shape"),
    "X009": ("warning", "a key the deployer ignores in an extension descriptor"),
    "X010": ("error", "an extension descriptor replaces a map with a non-map, or the reverse"),
    "X011": ("warning", "an extension descriptor checked on its own: its chain is not checked"),
    "X012": ("error", "a module, resource or provided dependency named twice in one extension "
                      "descriptor"),
})

_HEADER = ("_schema-version", "ID", "extends")
_TOP_KEYS = _HEADER + ("description", "provider", "version", "parameters", "modules", "resources")
_MERGED = ("parameters", "properties")
_METADATA = {"parameters": "parameters-metadata", "properties": "properties-metadata"}
# Element kind -> (keys an extension element may hold, named lists inside it).
_ELEMENTS: Dict[str, tuple] = {
    "module": (("name", "type", "parameters", "properties", "requires", "provides", "hooks"),
               {"requires": "required dependency", "provides": "provided dependency",
                "hooks": "hook"}),
    "resource": (("name", "type", "parameters", "properties", "requires", "active", "optional"),
                 {"requires": "required dependency"}),
    "required dependency": (("name", "parameters", "properties"), {}),
    "provided dependency": (("name", "parameters", "properties"), {}),
    "hook": (("name", "parameters", "requires"), {"requires": "required dependency"}),
}


# --- the chain -------------------------------------------------------------------------------

def _text(data: YMap, key: str) -> Optional[str]:
    """A header value as written (an ID such as ``1.0`` is text, not a float)."""
    if key not in data or isinstance(data.get(key), (YMap, YSeq)):
        return None
    return raw_text(data, key).strip() or None


def order_chain(main, extensions: list, out: List[Diagnostic]) -> list:
    """The extensions in chain order, starting from the deployment descriptor's ID.

    The result does not depend on the order the extensions were given in: among several that
    extend the same parent, the first by file name continues the chain, and each other one is
    reported (X001).
    """
    usable = []
    for ext in sorted(extensions, key=lambda doc: doc.file):
        missing = [key for key in _HEADER if _text(ext.data, key) is None]
        if missing:
            out.append(make("X003", ext.data.loc, f"extension descriptor {ext.file} has no "
                            + ", ".join(missing), hint="an .mtaext needs _schema-version, ID "
                            "and extends"))
            continue
        if main.schema_major and ext.schema_major and main.schema_major != ext.schema_major:
            out.append(make("X004", value_loc(ext.data, "_schema-version"),
                            "Extension descriptors must have the same major schema version as "
                            f"the deployment descriptor ({main.schema_major}), but "
                            f"\"{_text(ext.data, 'ID')}\" has {ext.schema_major}",
                            ("_schema-version",)))
        usable.append(ext)

    main_id = _text(main.data, "ID") if isinstance(main.data, YMap) else None
    children: Dict[str, list] = {}
    for ext in usable:
        children.setdefault(_text(ext.data, "extends"), []).append(ext)

    chain: list = []
    dropped: list = []
    current, seen = main_id, set()
    while current is not None and current in children and current not in seen:
        seen.add(current)
        first, *others = children[current]
        for extra in others:
            out.append(make("X001", value_loc(extra.data, "extends"),
                            f"Multiple extension descriptors extend the parent \"{current}\" "
                            f"({first.file} and {extra.file}). This is not allowed. The "
                            "extension descriptors must form a chain.", ("extends",),
                            hint=f"let {extra.file} extend \"{_text(first.data, 'ID')}\" instead"))
            dropped.append(extra)
        chain.append(first)
        current = _text(first.data, "ID")

    if main_id is None:  # the missing ID is the deployment descriptor's fault, reported there
        return chain
    placed = {id(ext) for ext in chain + dropped}
    below_dropped = {_text(ext.data, "ID") for ext in dropped}
    ids = [main_id] + [_text(ext.data, "ID") for ext in chain]
    for ext in usable:
        if id(ext) in placed:
            continue
        parent = _text(ext.data, "extends")
        if parent in below_dropped:  # hangs below an X001 sibling: that error says it all
            below_dropped.add(_text(ext.data, "ID"))
            continue
        out.append(make("X002", value_loc(ext.data, "extends"),
                        "Cannot build extension descriptor chain, because "
                        f"\"{_text(ext.data, 'ID')}\" ({ext.file}) has an unknown parent "
                        f"\"{parent}\"", ("extends",),
                        hint="the chain is " + " <- ".join(f'"{i}"' for i in ids)))
    return chain


# --- the merge -------------------------------------------------------------------------------

class _Merge:
    """One extension descriptor merged onto the view so far (neither input is modified)."""

    def __init__(self, ext, main, out: List[Diagnostic]) -> None:
        self.ext = ext
        self.ext_id = _text(ext.data, "ID") or ext.file
        self.v2 = (main.schema_major or "3") in ("1", "2")
        self.main = main.data  # overwrite rules compare with the deployment descriptor itself
        self.out = out
        self._secrets: Optional[set] = None

    def secret_values(self) -> set:
        """The values written under sensitive names in the extension and the descriptor."""
        if self._secrets is None:
            self._secrets = secret_values(self.ext.data, self.main)
        return self._secrets

    def report(self, code: str, container: Any, key: Any, message: str, path: Path,
               hint: Optional[str] = None, at_key: bool = False) -> None:
        loc = key_loc(container, key) if at_key else value_loc(container, key)
        self.out.append(make(code, loc, message, path, hint))

    def descriptor(self, base: YMap) -> YMap:
        ext = self.ext.data
        merged = copied(base)
        for key in ext:
            if key not in _TOP_KEYS:
                self._ignored(ext, key, (key,), _TOP_KEYS)
        self._unique_names(ext)
        if "parameters" in ext:
            self._section(merged, ext, "parameters", (), "", self.main)
        for section, kind in (("modules", "module"), ("resources", "resource")):
            if section in ext:
                self._named_list(merged, ext, section, kind, (section,), "", self.main)
        return merged

    def _unique_names(self, ext: YMap) -> None:
        """X012: modules and resources each once; provided dependencies once across all modules."""
        provided: Dict[str, Any] = {}
        for section, what in (("modules", "MTA extension module"),
                              ("resources", "MTA extension resource")):
            seen: Dict[str, Any] = {}
            for index, item in _named_items(ext.get(section)):
                self._claim(seen, item, (section, index), what)
                if section == "modules":
                    for p, dep in _named_items(item.get("provides")):
                        self._claim(provided, dep, (section, index, "provides", p),
                                    "MTA extension provided dependency")

    def _claim(self, seen: Dict[str, Any], item: YMap, path: Path, what: str) -> None:
        name = item["name"]
        first = seen.get(name)
        if first is None:
            seen[name] = value_loc(item, "name")
        else:
            self.report("X012", item, "name", f"Value \"{name}\" for key \"name\" not unique "
                        f"for object \"{what}\"", path + ("name",),
                        hint=f"the same name is at line {first.line}; give each once")

    def _ignored(self, ext: YMap, key: str, path: Path, known: tuple) -> None:
        guess = suggest(key, known) if isinstance(key, str) else None
        self.report("X009", ext, key, f"\"{key}\" is ignored by the deployer in an extension "
                    "descriptor", path, hint=f"did you mean \"{guess}\"?" if guess else None,
                    at_key=True)

    def _element(self, merged: YMap, ext: YMap, kind: str, path: Path, original: Any) -> None:
        keys, lists = _ELEMENTS[kind]
        name = ext.get("name")
        for key in ext:
            if key not in keys:
                self._ignored(ext, key, path + (key,), keys)
        if "type" in ext and "type" in keys:
            old, new = merged.get("type"), ext.get("type")
            if old != new:
                self.report("X006", ext, "type", f"an extension descriptor cannot change the "
                            f"type of {kind} \"{name}\" ({_type_text(old)} to {_type_text(new)})",
                            path + ("type",))
        for section in _MERGED:
            if section in ext:
                self._section(merged, ext, section, path, name, original)
        for key in ("active", "optional"):
            if key in ext and kind == "resource" and not self.v2:
                _set(merged, key, ext)
        for section, item_kind in lists.items():
            if section in ext:
                self._named_list(merged, ext, section, item_kind, path + (section,), name,
                                 original)

    def _named_list(self, merged: YMap, ext: YMap, key: str, kind: str, path: Path,
                    owner: str, original: Any) -> None:
        new = ext.get(key)
        if new is None:
            return
        if not isinstance(new, YSeq):
            self.report("X008", ext, key, f"\"{key}\" must be a list", path)
            return
        old = merged.get(key)
        old_items = old if isinstance(old, YSeq) else []
        originals = original.get(key) if isinstance(original, YMap) else None
        # Only text names can match (an extension's names are checked to be text below); a list
        # or map written as a name is the structure rules' finding, and unhashable here.
        by_name = {item["name"]: i for i, item in enumerate(old_items)
                   if isinstance(item, YMap) and isinstance(item.get("name"), str)}
        result = copied(old) if isinstance(old, YSeq) else None
        known: List[Any] = []  # [sorted names, their Suggester], built on the first unknown one
        for index, item in enumerate(new):
            here = path + (index,)
            if not isinstance(item, YMap) or not isinstance(item.get("name"), str):
                self.report("X008", new, index, f"each element of \"{key}\" in an extension "
                            "descriptor needs a name", here)
                continue
            name = item["name"]
            if name not in by_name:
                if kind == "provided dependency" and name == owner:
                    continue  # the module's own, implicit provided dependency
                if not known:
                    known += [sorted(by_name), Suggester(by_name)]
                self._unknown(item, kind, name, owner, here, *known)
                continue
            position = by_name[name]
            element = copied(old_items[position])
            self._element(element, item, kind, here, _named(originals, name))
            result[position] = element
        if result is not None:
            merged[key] = result

    def _unknown(self, item: YMap, kind: str, name: str, owner: str, path: Path,
                 known: List[str], suggester: Suggester) -> None:
        # A name may be a secret aliased from a password property (``name: *pw``): never quoted.
        secrets = self.secret_values()
        shown = "(sensitive)" if name in secrets else name
        if kind == "hook":  # the deployer skips a hook it does not know
            self.report("X009", item, "name", f"unknown hook \"{shown}\" for module \"{owner}\" "
                        "is ignored by the deployer", path + ("name",))
            return
        if kind in ("module", "resource"):
            message = f"Unknown {kind} \"{shown}\" in extension descriptor \"{self.ext_id}\""
        else:
            message = (f"Unknown {kind} \"{shown}\" for module \"{owner}\" in extension "
                       f"descriptor \"{self.ext_id}\"")
        hint = f"an extension descriptor cannot add a {kind}"
        known = [k for k in known if k not in secrets]
        if known and name not in secrets:
            guess = suggester(name)
            guess = None if guess in secrets else guess
            hint += f"; did you mean \"{guess}\"?" if guess else "; known: " + listing(known)
        self.report("X005", item, "name", message, path + ("name",), hint=hint)

    def _section(self, merged: YMap, ext: YMap, section: str, path: Path, owner: str,
                 original: Any) -> None:
        """``parameters`` or ``properties`` of one element, checked and merged."""
        new = ext.get(section)
        here = path + (section,)
        if new is None:
            return
        if not isinstance(new, YMap):
            self.report("X008", ext, section, f"\"{section}\" must be a map", here)
            return
        originals = original.get(section) if isinstance(original, YMap) else None
        metadata = original.get(_METADATA[section]) if isinstance(original, YMap) else None
        element_type = "parameter" if section == "parameters" else "property"
        allowed = YMap(new.loc)
        for key, value in new.items():
            parent = originals.get(key) if isinstance(originals, YMap) else None
            if not self._may_modify(metadata, key, value, parent):
                prefixed = f"{owner}#{key}" if owner else key
                self.report("X007", new, key, f"Cannot modify {element_type} \"{prefixed}\" in "
                            f"extension descriptor \"{self.ext_id}\"", here + (key,),
                            hint=self._overwrite_hint(section, key))
                continue
            _set(allowed, key, new)
        old = merged.get(section)
        if isinstance(old, YMap):
            merged[section] = self._deep(old, allowed, here)
        else:
            merged[section] = allowed
            merged.key_locs.setdefault(section, key_loc(ext, section))
            merged.value_locs[section] = value_loc(ext, section)

    def _may_modify(self, metadata: Any, key: str, value: Any, parent: Any) -> bool:
        if self.v2:
            return _empty(parent) or parent == value
        entry = metadata.get(key) if isinstance(metadata, YMap) else None
        overwritable = not (isinstance(entry, YMap) and entry.get("overwritable") is False)
        if overwritable or value is None:
            return True
        return parent is not None and (_empty(parent) or parent == value)

    def _overwrite_hint(self, section: str, key: str) -> str:
        if self.v2:
            return ("in schema v2 a value set in the deployment descriptor is final; leave it "
                    "empty there to let an extension descriptor set it")
        return f"{_METADATA[section]}.{key}.overwritable is false in the deployment descriptor"

    def _deep(self, old: YMap, new: YMap, path: Path) -> YMap:
        """The deployer's merge of two parameter maps: maps merge, other values replace."""
        merged = copied(old)
        for key, value in new.items():
            before = old.get(key)
            if isinstance(before, YMap) and isinstance(value, YMap):
                merged[key] = self._deep(before, value, path + (key,))
                merged.value_locs.setdefault(key, old.value_locs.get(key, old.loc))
                continue
            if before is not None and value is not None and (
                    isinstance(before, YMap) != isinstance(value, YMap)):
                self.report("X010", new, key, f"\"{key}\" is {_kind(before)} in the descriptor "
                            f"it extends and {_kind(value)} here; the deployer cannot merge "
                            "them (incompatible types)", path + (key,))
                continue
            _set(merged, key, new)
        return merged


def merge(base: YMap, ext, main, out: List[Diagnostic]) -> YMap:
    """The deployer's view of ``base`` extended by ``ext`` (neither is modified)."""
    with CyclicGCPaused():
        return _Merge(ext, main, out).descriptor(base)


# --- helpers ---------------------------------------------------------------------------------

def _empty(value: Any) -> bool:
    """Empty as the deployer sees it: null, an empty string, list or map."""
    return value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)


def _kind(value: Any) -> str:
    if isinstance(value, YMap):
        return "a map"
    if isinstance(value, YSeq):
        return "a list"
    return "a single value"


def _named_items(items: Any):
    """(index, element) of the elements of a list that have a text name."""
    if isinstance(items, YSeq):
        for index, item in enumerate(items):
            if isinstance(item, YMap) and isinstance(item.get("name"), str):
                yield index, item


def _named(items: Any, name: str) -> Any:
    if isinstance(items, YSeq):
        for item in items:
            if isinstance(item, YMap) and item.get("name") == name:
                return item
    return None


def _set(target: YMap, key: str, source: YMap) -> None:
    """``target[key] = source[key]``, keeping the source's positions (an .mtaext's, say)."""
    target[key] = source[key]
    if key not in target.key_locs:
        target.key_locs[key] = key_loc(source, key)
    target.value_locs[key] = value_loc(source, key)
    target.spans.pop(key, None)  # offsets into another file's text are no use here
    set_raw(target, key, source.raws.get(key))


def _type_text(value: Any) -> str:
    """A type as a message shows it: quoted, or "no type" for an untyped element."""
    return "no type" if value is None else f'"{value}"'
