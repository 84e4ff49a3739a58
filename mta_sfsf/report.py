"""Reporters for diagnostics, a registry keyed by ``--format``.

``text`` is for people (stderr); ``json`` is one object for tools (stdout); ``github`` prints
workflow-command annotations (stdout), chosen by default inside GitHub Actions.
"""
from __future__ import annotations

import json
import os
from typing import Callable, Dict, List, TextIO

from .diagnostics import Diagnostic


def summary(diagnostics: List[Diagnostic], files: int) -> dict:
    errors = sum(1 for d in diagnostics if d.severity == "error")
    return {"errors": errors, "warnings": len(diagnostics) - errors, "files": files}


_CONTROL = {code: f"\\x{code:02x}" for code in range(32)}
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def _one_line(value: str) -> str:
    """Control characters (a key written as "a\\nb", say) escaped: one line per item."""
    return value.translate(_CONTROL)


def text(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO) -> None:
    for d in diagnostics:
        err.write(f"{_one_line(d.file)}:{d.line}:{d.column}: {d.severity} {d.code}: "
                  f"{_one_line(d.message)}\n")
        if d.path:
            err.write(f"    at {_one_line(d.path)}\n")
        if d.hint:
            err.write(f"    hint: {_one_line(d.hint)}\n")
    counts = summary(diagnostics, files)
    noun = "file" if files == 1 else "files"
    err.write(f"{counts['errors']} error(s), {counts['warnings']} warning(s) in {files} {noun}\n")


def as_json(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO) -> None:
    document = {"diagnostics": [d.as_dict() for d in diagnostics],
                "summary": summary(diagnostics, files)}
    # ASCII only: the bytes survive any stdout encoding (a Windows console, LANG=C).
    out.write(json.dumps(document, indent=2) + "\n")


def _escape(value: str, properties: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if properties else value


def github(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO) -> None:
    for d in diagnostics:
        level = "error" if d.severity == "error" else "warning"
        message = d.message + (f" (at {d.path})" if d.path else "") + (
            f"\nhint: {d.hint}" if d.hint else "")
        out.write(f"::{level} file={_escape(d.file, True)},line={d.line},col={d.column},"
                  f"title={_escape(d.code, True)}::{_escape(message)}\n")
    counts = summary(diagnostics, files)
    err.write(f"{counts['errors']} error(s), {counts['warnings']} warning(s) in {files} file(s)\n")


REPORTERS: Dict[str, Callable] = {"text": text, "json": as_json, "github": github}


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
