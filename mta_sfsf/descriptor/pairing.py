"""Which deployment descriptor each extension descriptor given as a path belongs to, and the
alternative chains they form. A pre-commit hook passes every changed file as a path, so a run can
hold several MTAs, and a folder's ``dev.mtaext`` and ``prod.mtaext`` together.

- An ``.mtaext`` given as a path joins the descriptor it extends (the ID its ``extends`` leads to,
  through the other extension descriptors given) that lies in its own folder, or else in the
  nearest folder above (up to the repository's top, the folder holding ``.git``); a descriptor
  found there that was not given is read from disk. Failing that, it joins the first descriptor
  given with that ID; failing that, the descriptor in its own folder, whatever its ID (its chain
  then reports X002); else it is checked on its own.
- Extension descriptors given as paths that extend the same parent are alternatives (dev, prod):
  every chain from the descriptor to a leaf is one deployment, validated on its own.
- Extension descriptors given with ``-e`` are the chain the user states: they belong to every
  chain of the descriptor they lead to, and two of them extending one parent stay an error (X001).
"""
from __future__ import annotations

import os
from typing import Dict, List, Optional, Tuple

from ..errors import InputError
from .load import FOLDER_DESCRIPTORS, Document, read_document
from .tree import YMap, YSeq, raw_text

EXTENSION_SUFFIX = ".mtaext"
# Extension descriptors that share IDs can form a lattice whose leaf paths multiply: past this
# many chains of one descriptor, the extension descriptors left over are checked on their own.
MAX_CHAINS = 256


def is_extension(path: str) -> bool:
    return path.lower().endswith(EXTENSION_SUFFIX)


def header(document: Document, key: str) -> Optional[str]:
    """``ID`` or ``extends`` as written (an ID such as ``1.0`` is text, not a float)."""
    data = document.data
    if not isinstance(data, YMap) or key not in data or isinstance(data.get(key), (YMap, YSeq)):
        return None
    return raw_text(data, key).strip() or None


class Group:
    """A deployment descriptor (given, or found for an extension descriptor) and the extension
    descriptors that go with it: ``stated`` (``-e``) and ``loose`` (given as paths)."""

    __slots__ = ("path", "read", "folder", "found", "stated", "loose")

    def __init__(self, path: str, read: tuple, found: bool = False) -> None:
        self.path = path
        self.read = read  # (Document, diagnostics) as read_document returned them
        self.folder = _folder(path)
        self.found = found  # read from disk for an extension descriptor, not given
        self.stated: List[Document] = []
        self.loose: List[Document] = []

    @property
    def document(self) -> Document:
        return self.read[0]


# os.path, not pathlib, throughout: validate starts without pathlib.

def _descriptor_in(folder: str) -> Optional[str]:
    """The descriptor a folder holds, if any (as ``load.descriptor_in``)."""
    for name in FOLDER_DESCRIPTORS:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def _folder(path: str) -> Optional[str]:
    if path == "-":
        return None
    return os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")


def _file_key(path: str) -> Optional[str]:
    """The descriptor file a given path reads, to recognise it when found again."""
    if path == "-":
        return None
    if os.path.isdir(path):
        found = _descriptor_in(path)
        return os.path.abspath(found) if found is not None else None
    return os.path.abspath(path)


def _root(ext: Document, by_id: Dict[str, Document]) -> Optional[str]:
    """The ID an extension's chain leads to: the first parent that is not an extension given."""
    parent, seen = header(ext, "extends"), set()
    while parent is not None and parent in by_id and parent not in seen:
        seen.add(parent)
        parent = header(by_id[parent], "extends")
    return parent


class _Finder:
    """Finds the group of each extension descriptor, reading descriptors from disk as needed."""

    def __init__(self, groups: List[Group]) -> None:
        self.groups = groups
        self.known: Dict[str, Group] = {}  # descriptor file -> its group, used or not
        for group in groups:
            key = _file_key(group.path)
            if key is not None:
                self.known.setdefault(key, group)

    def _in_folder(self, folder: str, ident: Optional[str], relative: bool) -> Optional[Group]:
        """The group of ``folder`` with ID ``ident`` (any ID when None): a given one first."""
        for group in self.groups:
            if group.folder == folder and (ident is None or header(group.document, "ID") == ident):
                return group
        found = _descriptor_in(folder)
        if found is None:
            return None
        key = os.path.abspath(found)
        if key not in self.known:
            try:
                read = read_document(found)
            except InputError:  # not ours to report: nobody asked for this file
                return None
            self.known[key] = Group(_display(found, relative), read, found=True)
        group = self.known[key]
        if ident is not None and header(group.document, "ID") != ident:
            return None
        if group not in self.groups:
            self.groups.append(group)
        return group

    def group_of(self, ext: Document, root: Optional[str]) -> Optional[Group]:
        if ext.file == "<stdin>":
            return None
        own = os.path.abspath(os.path.dirname(ext.file) or ".")
        relative = not os.path.isabs(ext.file)
        if root is not None:
            for folder in _upwards(own):
                group = self._in_folder(folder, root, relative)
                if group is not None:
                    return group
            for group in self.groups:
                if header(group.document, "ID") == root:
                    return group
        return self._in_folder(own, None, relative)


def _upwards(folder: str):
    """``folder`` and the folders above it, up to the one holding ``.git`` (or the root)."""
    current = folder
    while True:
        yield current
        parent = os.path.dirname(current)
        if os.path.exists(os.path.join(current, ".git")) or parent == current:
            return
        current = parent


def _display(path: str, relative: bool) -> str:
    """A found descriptor's name, relative when the extension descriptor's name was."""
    return os.path.relpath(path) if relative else os.path.abspath(path)


def assign(groups: List[Group], stated: List[Document], loose: List[Document]) -> List[Document]:
    """Put every extension descriptor into its group (``groups`` grows by the descriptors found
    on disk); returns those that belong to none, to be checked on their own."""
    by_id = {}
    for ext in stated + loose:
        ident = header(ext, "ID")
        if ident is not None:
            by_id.setdefault(ident, ext)
    finder = _Finder(groups)
    alone: List[Document] = []
    seeking = loose + (stated if not groups else [])  # -e alone: find its descriptor too
    for ext in seeking:
        group = finder.group_of(ext, _root(ext, by_id))
        if group is None:
            alone.append(ext)
        elif ext in loose:
            group.loose.append(ext)
        else:
            group.stated.append(ext)
    main_ids: Dict[str, Group] = {}
    for group in groups:
        main_ids.setdefault(header(group.document, "ID"), group)
    for ext in stated:
        if ext in seeking:
            continue
        # a stated chain that leads nowhere is reported by the first descriptor (X002)
        main_ids.get(_root(ext, by_id), groups[0]).stated.append(ext)
    return alone


def alternatives(group: Group) -> Tuple[List[List[Document]], List[Document]]:
    """The loose extension descriptors of every chain from the descriptor to a leaf (one empty
    chain when there are none), and those left over past MAX_CHAINS. Extensions that attach to
    nothing form one more chain, where they are reported (X002)."""
    children: Dict[Optional[str], List[Document]] = {}
    for ext in sorted(group.loose, key=lambda doc: doc.file):
        children.setdefault(header(ext, "extends"), []).append(ext)
    roots = [header(group.document, "ID")] + [header(ext, "ID") for ext in group.stated]
    reached, todo = {}, [ext for root in roots if root is not None for ext in children.get(root, [])]
    while todo:
        ext = todo.pop()
        if id(ext) not in reached:
            reached[id(ext)] = ext
            todo.extend(children.get(header(ext, "ID"), []))
    chains: List[List[Document]] = []

    def walk(trail: List[Document]) -> None:
        if len(chains) >= MAX_CHAINS:
            return
        below = [ext for ext in children.get(header(trail[-1], "ID"), []) if ext not in trail]
        if not below:
            chains.append(trail)
        for ext in below:
            walk(trail + [ext])

    for ext in dict.fromkeys(ext for root in roots if root is not None
                             for ext in children.get(root, [])):
        walk([ext])
    placed = {id(ext) for chain in chains for ext in chain}
    unattached = [ext for ext in group.loose if id(ext) not in reached]
    if unattached or not chains:
        chains.append(unattached)
    return chains, [ext for ext in group.loose if id(ext) in reached and id(ext) not in placed]
