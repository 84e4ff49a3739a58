"""Where a finding is, as CI reports name it: the path relative to the current folder (the
repository root in a pipeline), and a fingerprint that stays the same from run to run."""
from __future__ import annotations

import hashlib
import os
from typing import Iterable, List, Optional, Tuple

from ..diagnostics import COMMAND_LINE, Diagnostic
from . import encodable

ARCHIVE_SEPARATOR = "!/"  # "app.mtar!/META-INF/mtad.yaml": a descriptor inside an archive


def split_archive(file: str) -> Tuple[str, Optional[str]]:
    """("app.mtar", "META-INF/mtad.yaml") for a file inside an archive, else (file, None)."""
    outer, separator, inner = file.partition(ARCHIVE_SEPARATOR)
    return (outer, inner) if separator else (file, None)


def is_file(file: str) -> bool:
    """False for the command line and standard input, which have no path."""
    return file != COMMAND_LINE and not (file.startswith("<") and file.endswith(">"))


def repository_path(file: str, cwd: Optional[str] = None) -> Tuple[str, bool]:
    """(a "/"-separated path relative to ``cwd`` when the file lies under it, True), or (the
    absolute path, False). An archive's descriptor is located at the archive."""
    outer, _ = split_archive(file)
    if not is_file(outer):
        return outer, False
    cwd = os.path.abspath(cwd or os.getcwd())
    absolute = os.path.abspath(outer)
    try:
        relative = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows
        return absolute, False
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return absolute, False
    return relative.replace(os.sep, "/"), True


def fingerprints(diagnostics: Iterable[Diagnostic], cwd: Optional[str] = None) -> List[str]:
    """One fingerprint per finding, unique within the report and the same on the next run: a hash
    of the code, the file, the key path (the line where there is none, so that a finding keeps
    its fingerprint when lines above it move) and the message, then ``:N`` for its N-th repeat."""
    seen: dict = {}
    result = []
    for d in diagnostics:
        where = d.path or f"{d.line}:{d.column}"
        identity = "\0".join((d.code, repository_path(d.file, cwd)[0], where, d.message))
        digest = hashlib.sha256(encodable(identity).encode("utf-8")).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        result.append(f"{digest}:{seen[digest]}")
    return result
