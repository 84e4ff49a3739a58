"""``mta-sfsf validate``: read each descriptor with its extension chain, run every rule family,
report every finding at once, sorted by file and position.

Extension descriptors come from ``-e`` or among the paths (any ``*.mtaext``, as a pre-commit hook
passes them). With several descriptors, each extension descriptor goes to the descriptor its
chain leads to. An extension descriptor given without any descriptor is checked with the
``mtad.yaml`` (or ``mta.yaml``) beside it.
"""
from __future__ import annotations

import sys
from pathlib import Path as FsPath
from typing import Dict, List, NamedTuple, Optional, TextIO, Tuple

from .descriptor.load import Descriptor, Document, descriptor_in, load, read_document
from .diagnostics import Diagnostic, exit_code, make
from .errors import InputError
from .report import reporter
from .rules import findings
from .descriptor.yaml_io import value_loc

EXTENSION_SUFFIX = ".mtaext"


class ValidateOptions(NamedTuple):
    paths: List[str]
    extensions: List[str] = []
    format: str = "text"
    strict: bool = False
    platform: str = "auto"


def check(path: str, extensions: Optional[List[str]] = None,
          platform: str = "auto") -> Tuple[Descriptor, List[Diagnostic]]:
    """Load one descriptor with its extension chain and return it with all its diagnostics,
    sorted by place."""
    descriptor = load(path, extensions or [])
    return descriptor, findings(descriptor, platform)


class _Inputs:
    """Reads every input once; an unreadable one is reported as one line and skipped."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.unreadable = 0
        self.files = 0

    def read(self, path: str) -> Optional[Tuple[Document, List[Diagnostic]]]:
        try:
            result = read_document(path)
        except InputError as exc:
            self.err.write(f"mta-sfsf: error: {exc}\n")
            self.unreadable += 1
            return None
        self.files += 1
        return result


def _root(ext: Document, by_id: Dict[str, Document]) -> Optional[str]:
    """The ID an extension's chain leads to: the first parent that is not an extension given."""
    parent = ext.data.get("extends")
    for _ in range(len(by_id) + 1):  # bounded: a cycle of extensions leads nowhere
        if not isinstance(parent, str) or parent not in by_id:
            return parent if isinstance(parent, str) else None
        parent = by_id[parent].data.get("extends")
    return None


def _pair(mains: List[Tuple[str, tuple]], extensions: List[Document]) -> Dict[int, List[Document]]:
    """Which extensions go with which descriptor (by index into ``mains``)."""
    pairs: Dict[int, List[Document]] = {i: [] for i in range(len(mains))}
    by_id = {ext.id: ext for ext in extensions if ext.id}
    main_ids = {}
    for index, (_, (document, _)) in enumerate(mains):
        if document.id is not None:
            main_ids.setdefault(document.id, index)
    for ext in extensions:
        index = main_ids.get(_root(ext, by_id), 0)  # no match: the first reports it (X002)
        pairs[index].append(ext)
    return pairs


def run(options: ValidateOptions, out: Optional[TextIO] = None, err: Optional[TextIO] = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    inputs = _Inputs(err)
    main_paths = [p for p in options.paths if not p.lower().endswith(EXTENSION_SUFFIX)]
    ext_paths = list(options.extensions) + [p for p in options.paths
                                            if p.lower().endswith(EXTENSION_SUFFIX)]
    diagnostics: List[Diagnostic] = []
    extensions: List[Document] = []
    for path in dict.fromkeys(ext_paths):
        read = inputs.read(path)
        if read is not None:
            diagnostics.extend(read[1])
            if read[0].data is not None:
                extensions.append(read[0])
    alone: List[Document] = []
    if not main_paths:
        main_paths, alone = _beside(extensions)
        extensions = [ext for ext in extensions if ext not in alone]
    for ext in alone:
        diagnostics.append(make("X011", value_loc(ext.data, "extends"),
                                f"extension descriptor {ext.file} is checked on its own: no "
                                "deployment descriptor was given and none is beside it, so its "
                                f"chain to \"{ext.data.get('extends')}\" is not checked",
                                ("extends",), hint="validate it with its descriptor: mta-sfsf "
                                f"validate mtad.yaml -e {ext.file}"))
        diagnostics.extend(findings(load(ext.file, main=(ext, []), extensions=([], [])),
                                    options.platform))
    mains = []
    for path in main_paths:
        read = inputs.read(path)
        if read is not None:
            mains.append((path, read))
    pairs = _pair(mains, extensions) if mains else {}
    for index, (path, read) in enumerate(mains):
        descriptor = load(path, main=read, extensions=(pairs[index], []))
        diagnostics.extend(findings(descriptor, options.platform))
    diagnostics = sorted(set(diagnostics))
    reporter(options.format)(diagnostics, inputs.files, out, err)
    if inputs.unreadable:
        return 2
    return exit_code(diagnostics, options.strict)


def _beside(extensions: List[Document]) -> Tuple[List[str], List[Document]]:
    """Descriptors next to extension descriptors given alone (a pre-commit run passes only the
    files that changed), and the extensions with none beside them."""
    found: List[str] = []
    alone: List[Document] = []
    for ext in extensions:
        folder = FsPath(ext.file).parent
        descriptor = descriptor_in(folder) if ext.file != "<stdin>" else None
        if descriptor is None:
            alone.append(ext)
        elif str(descriptor) not in found:
            found.append(str(descriptor))
    return found, alone
