"""Reporters for diagnostics, a registry keyed by ``--format``.

``text`` is for people (stderr); ``json`` is one object for tools (stdout); ``github`` prints
workflow-command annotations (stdout), chosen by default inside GitHub Actions.
"""
from __future__ import annotations

import json
import os
from typing import Callable, Dict, List, TextIO

from .diagnostics import COMMAND_LINE, Diagnostic


def summary(diagnostics: List[Diagnostic], files: int) -> dict:
    errors = sum(1 for d in diagnostics if d.severity == "error")
    return {"errors": errors, "warnings": len(diagnostics) - errors, "files": files}


# Everything a terminal or a CI log could act on: C0 and C1 controls, DEL, and the bidirectional
# overrides that reorder what a reader sees. Values come from descriptors, which anyone can write.
_CONTROL = {code: f"\\x{code:02x}" for code in [*range(32), *range(0x7f, 0xa0)]}
_CONTROL.update({code: f"\\u{code:04x}" for code in [0x200e, 0x200f, *range(0x202a, 0x202f),
                                                       *range(0x2066, 0x206a)]})
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def one_line(value: str) -> str:
    """Control characters (a key written as "a\\nb", say) escaped: one line per item."""
    return value.translate(_CONTROL)


def text(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO) -> None:
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


def as_json(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO) -> None:
    document = {"diagnostics": [d.as_dict() for d in diagnostics],
                "summary": summary(diagnostics, files)}
    # ASCII only: the bytes survive any stdout encoding (a Windows console, LANG=C).
    out.write(json.dumps(document, indent=2) + "\n")


def escape_github(value: str, properties: bool = False) -> str:
    """A workflow command's message (or, with ``properties``, a property value) escaped as
    GitHub's runner unescapes it."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if properties else value


def github(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO) -> None:
    for d in diagnostics:
        level = "error" if d.severity == "error" else "warning"
        message = one_line(d.message) + (f" (at {one_line(d.path)})" if d.path else "") + (
            f"\nhint: {one_line(d.hint)}" if d.hint else "")
        # A finding about the command line has no file: an annotation without one is valid and
        # shows in the run's summary, where file=<command line> would point at nothing.
        place = "" if d.file == COMMAND_LINE else (
            f"file={escape_github(one_line(d.file), True)},line={d.line},col={d.column},")
        out.write(f"::{level} {place}title={escape_github(d.code, True)}::"
                  f"{escape_github(message)}\n")
    counts = summary(diagnostics, files)
    err.write(f"{counts['errors']} error(s), {counts['warnings']} warning(s) in {files} file(s)\n")


REPORTERS: Dict[str, Callable] = {"text": text, "json": as_json, "github": github}


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
