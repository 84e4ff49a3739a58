"""Descriptors: reading them (file, stdin, or ``META-INF/mtad.yaml`` inside an ``.mtar``), ordering
the extension chain, and merging it into the view the deployer would see.

The merged view keeps, for every value, the position in the file it came from, so a rule that
finds a fault in a value set by an ``.mtaext`` points into that ``.mtaext``.
"""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, List, Optional

from ..diagnostics import Diagnostic, Loc, make
from ..errors import InputError
from . import chain
from .yaml_io import MAX_BYTES, decode, load_text
from .tree import YMap, YSeq, raw_text

if TYPE_CHECKING:  # pathlib (and the urllib.parse it imports) only where a folder is read
    from pathlib import Path as FsPath

MTAR_DESCRIPTOR = "META-INF/mtad.yaml"
UTF8_BOM = b"\xef\xbb\xbf"


class Document:
    """One file as read: its display name, text and tree (None when it did not parse)."""

    __slots__ = ("file", "text", "data", "kind", "archive", "bom")

    def __init__(self, file: str, text: str, data: Any, kind: str,
                 archive: Optional[str] = None, bom: bool = False) -> None:
        self.file = file
        self.text = text
        self.data = data
        self.kind = kind  # "mtad", "mta" or "mtaext"
        self.archive = archive  # the .mtar it came from
        # The text began with a UTF-8 byte-order mark, which ``text`` leaves out: BOM + text are
        # the bytes as read, so an unchanged descriptor can be written back byte for byte.
        self.bom = bom

    @property
    def id(self) -> Optional[str]:
        value = self.data.get("ID") if isinstance(self.data, YMap) else None
        return value if isinstance(value, str) else None

    @property
    def schema_major(self) -> Optional[str]:
        if not isinstance(self.data, YMap) or "_schema-version" not in self.data:
            return None
        return raw_text(self.data, "_schema-version").strip().split(".")[0] or None


class Descriptor:
    """A deployment descriptor, its extension chain, and the merged view the deployer sees."""

    __slots__ = ("main", "extensions", "merged", "diagnostics")

    def __init__(self, main: Document, extensions: Optional[List[Document]] = None,
                 merged: Any = None, diagnostics: Optional[List[Diagnostic]] = None) -> None:
        self.main = main
        self.extensions = extensions or []  # in chain order
        self.merged = merged
        self.diagnostics = diagnostics or []  # reading and merging


# What a folder given as PATH is searched for, in this order: a deployment descriptor, the one an
# MTA archive's folder layout holds, a development descriptor.
FOLDER_DESCRIPTORS = ("mtad.yaml", MTAR_DESCRIPTOR, "mta.yaml")


def descriptor_in(folder: FsPath) -> Optional[FsPath]:
    """The descriptor a folder holds, if any."""
    for name in FOLDER_DESCRIPTORS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def read_bytes(path: str) -> tuple:
    """(display name, bytes, archive) for a file, a folder, ``-`` (stdin) or an ``.mtar``."""
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise InputError("-: standard input is not available")
        return "<stdin>", stdin.read(MAX_BYTES + 1), None
    if os.path.isdir(path):
        from pathlib import Path as FsPath

        found = descriptor_in(FsPath(path))
        if found is None:
            raise InputError(f"{path}: is a folder without {', '.join(FOLDER_DESCRIPTORS)}")
        return read_bytes(str(found))
    if os.path.splitext(path)[1].lower() == ".mtar":
        from pathlib import Path as FsPath

        return f"{path}!/{MTAR_DESCRIPTOR}", read_mtar_descriptor(FsPath(path)), path
    try:
        with open(path, "rb") as handle:
            # What the file holds, at most one byte past the limit: a buffer of the limit's
            # size for each small file would cost more than reading it.
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, MAX_BYTES) + 1)
            if len(data) > size:  # it grew while read, or has no size (a pipe, a device)
                data += handle.read(MAX_BYTES + 1 - len(data))
            return path, data, None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_mtar_descriptor(path: FsPath) -> bytes:
    """``META-INF/mtad.yaml`` of an MTA archive, refusing oversized members before reading."""
    import zipfile  # only archives need it: start-up time counts for a plain file
    import zlib

    try:
        with zipfile.ZipFile(path) as archive:
            entries = [info for info in archive.infolist() if info.filename == MTAR_DESCRIPTOR]
            if not entries:
                raise InputError(f"{path}: not an MTA archive: it has no {MTAR_DESCRIPTOR}")
            if len(entries) > 1:  # tools disagree on which one counts; the deployer's is unknown
                raise InputError(f"{path}: holds {len(entries)} {MTAR_DESCRIPTOR} entries; an MTA "
                                 "archive has one")
            info = entries[0]
            if info.file_size > MAX_BYTES:
                raise InputError(f"{path}: {MTAR_DESCRIPTOR} is {info.file_size:,} bytes; the "
                                 f"limit is {MAX_BYTES:,}")
            with archive.open(info) as member:
                return member.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, ValueError, EOFError,
            NotImplementedError, zlib.error) as exc:
        # One line: a zip library message can span several.
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"{path}: not a readable MTA archive ({reason})") from None


def kind_of(name: str, data: Any) -> str:
    lowered = name.lower()
    if lowered.endswith(".mtaext") or (isinstance(data, YMap) and "extends" in data):
        return "mtaext"
    base = lowered.rsplit("/", 1)[-1]
    if base.endswith(("mta.yaml", "mta.yml")) and not base.endswith("mtad.yaml"):
        return "mta"
    return "mtad"


def read_document(path: str) -> tuple:
    """(Document, diagnostics). Raises InputError only when the input cannot be read at all."""
    name, data, archive = read_bytes(path)
    text, problems = decode(data, name)
    if text is None:
        return Document(name, "", None, kind_of(name, None), archive), problems
    bom = data.startswith(UTF8_BOM)
    tree, problems = load_text(text, name)
    what = "extension descriptor" if name.lower().endswith(".mtaext") else "descriptor"
    if tree is None and not problems:
        problems = [make("Y005", Loc(name, 1, 1), f"the {what} is empty")]
    elif tree is not None and not isinstance(tree, YMap):
        shape = "a list" if isinstance(tree, YSeq) else "a single value"
        where = tree.loc if isinstance(tree, YSeq) else Loc(name, 1, 1)
        problems.append(make("Y005", where, f"the {what} is {shape}; it must be a mapping "
                             "(_schema-version, ID, ...)"))
        tree = None
    return Document(name, text, tree, kind_of(name, tree), archive, bom), problems


def extension_files(paths: List[str]) -> List[str]:
    """The extension descriptor files ``-e`` names: a folder stands for the ``.mtaext`` files it
    holds, as with ``neo deploy-mta --extensions`` ("the extension descriptor files, or the
    folders containing them"), never for its ``mtad.yaml``."""
    files: List[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = sorted(os.path.join(path, name) for name in os.listdir(path)
                           if name.lower().endswith(".mtaext")
                           and os.path.isfile(os.path.join(path, name)))
            if not found:
                raise InputError(f"{path}: a folder without .mtaext files; -e takes extension "
                                 "descriptors or the folders that hold them")
            files.extend(found)
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def read_extensions(paths: List[str]) -> tuple:
    """(usable Documents, diagnostics) of extension descriptors; InputError if one is unreadable."""
    documents, diagnostics = [], []
    for path in extension_files(paths):
        doc, problems = read_document(path)
        diagnostics.extend(problems)
        if doc.data is not None:
            documents.append(doc)
    return documents, diagnostics


def load(path: str, extension_paths: List[str] = (), main: Optional[tuple] = None,
         extensions: Optional[tuple] = None) -> Descriptor:
    """Read a descriptor and its extension descriptors, order the chain and merge it.

    ``main`` and ``extensions`` take what ``read_document`` and ``read_extensions`` returned,
    for callers that had to read the files first (to pair extensions with descriptors).
    """
    document, problems = main if main is not None else read_document(path)
    descriptor = Descriptor(document, diagnostics=list(problems))
    extension_docs, problems = extensions if extensions is not None else read_extensions(
        list(extension_paths))
    descriptor.diagnostics.extend(problems)
    if document.data is None:
        return descriptor
    descriptor.extensions = chain.order_chain(document, extension_docs,
                                                  descriptor.diagnostics)
    merged = document.data
    for ext in descriptor.extensions:
        merged = chain.merge(merged, ext, document, descriptor.diagnostics)
    descriptor.merged = merged
    return descriptor
