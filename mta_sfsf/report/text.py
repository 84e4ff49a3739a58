"""The ``text`` format: one finding per line with its key path and hint, for people (stdout).

Colour (error red, warning yellow, place and code bold) follows ``--color``: ``always`` and
``never`` win over the environment; ``auto`` (the default) colours a terminal, except that a
non-empty ``NO_COLOR`` turns it off, then a non-empty ``FORCE_COLOR`` turns it on even when the
output is not a terminal, and ``TERM=dumb`` turns it off.

A YAML syntax error (Y001) shows its source line with a caret under the column, except in an
extension descriptor (where SAP says credentials belong) and on a line that names anything
secret-like, or whose parent keys (the less indented lines above it) do: a line that does not
parse may hold a credential the rules never got to see.
"""
from __future__ import annotations

import os
from typing import List, Mapping, Optional, TextIO

from ..diagnostics import Diagnostic
from . import one_line, summary

_BOLD, _RED, _YELLOW, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[0m"
# Words that keep a syntax error's line off the screen: a superset of the secret-like names the
# literal-secret rule knows, matched anywhere in the line.
_SECRET_WORDS = ("passw", "pwd", "passphrase", "secret", "token", "key", "credential", "auth",
                 "bearer", "private")
_MAX_SHOWN = 120  # characters of a long line shown around the column


def use_color(choice: str, stream: TextIO, environ: Optional[Mapping[str, str]] = None) -> bool:
    """Whether to colour ``stream`` for ``--color choice`` (see the module docs)."""
    if choice in ("always", "never"):
        return choice == "always"
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def report(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO, *,
           sources: Optional[Mapping[str, str]] = None, color: str = "auto",
           quiet: bool = False, **_context) -> None:
    paint = _painter(use_color(color, out))
    for d in diagnostics:
        severity = paint(d.severity, _RED if d.severity == "error" else _YELLOW)
        out.write(f"{paint(f'{one_line(d.file)}:{d.line}:{d.column}:', _BOLD)} {severity} "
                  f"{paint(d.code, _BOLD)}: {one_line(d.message)}\n")
        if d.code == "Y001":
            out.writelines(source_excerpt(d, sources or {}))
        if d.path:
            out.write(f"    at {one_line(d.path)}\n")
        if d.hint:
            out.write(f"    hint: {one_line(d.hint)}\n")
    if quiet:
        return
    counts = summary(diagnostics, files)
    noun = "file" if files == 1 else "files"
    out.write(f"{counts['errors']} error(s), {counts['warnings']} warning(s) in {files} {noun}\n")


def _painter(enabled: bool):
    if not enabled:
        return lambda text, style: text
    return lambda text, style: f"{style}{text}{_RESET}"


def source_excerpt(d: Diagnostic, sources: Mapping[str, str]) -> List[str]:
    """The finding's source line and a caret under its column, or nothing where the line is not
    known, empty, or may hold a secret (see the module docs)."""
    text = sources.get(d.file)
    if text is None or d.file.lower().endswith(".mtaext"):
        return []
    lines = text.splitlines()
    if not 1 <= d.line <= len(lines) or not lines[d.line - 1].strip():
        return []
    line = lines[d.line - 1]
    if any(word in text.lower() for text in [line, *_parents(lines, d.line - 1)]
           for word in _SECRET_WORDS):
        return []
    column = min(max(d.column, 1), len(line) + 1) - 1
    start = max(0, min(column - _MAX_SHOWN // 2, len(line) - _MAX_SHOWN))
    before = ("..." if start else "") + one_line(line[start:column])
    after = one_line(line[column:start + _MAX_SHOWN]) + (
        "..." if start + _MAX_SHOWN < len(line) else "")
    return [f"    {before}{after}\n", f"    {' ' * len(before)}^\n"]


def _parents(lines: List[str], index: int) -> List[str]:
    """The lines above ``index`` that are less indented, nearest first: the keys a value on that
    line (or the rest of a quoted string begun above) may belong to."""
    found = []
    indent = len(lines[index]) - len(lines[index].lstrip())
    for line in reversed(lines[:index]):
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#") and len(line) - len(stripped) < indent:
            found.append(line)
            indent = len(line) - len(stripped)
            if not indent:
                break
    return found
