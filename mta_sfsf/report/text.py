"""The ``text`` format: one finding per line with its key path and hint, for people (stderr)."""
from __future__ import annotations

from typing import List, TextIO

from ..diagnostics import Diagnostic
from . import one_line, summary


def report(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO) -> None:
    for d in diagnostics:
        err.write(f"{one_line(d.file)}:{d.line}:{d.column}: {d.severity} {d.code}: "
                  f"{one_line(d.message)}\n")
        if d.path:
            err.write(f"    at {one_line(d.path)}\n")
        if d.hint:
            err.write(f"    hint: {one_line(d.hint)}\n")
    counts = summary(diagnostics, files)
    noun = "file" if files == 1 else "files"
    err.write(f"{counts['errors']} error(s), {counts['warnings']} warning(s) in {files} {noun}\n")
