"""The ``github`` format: workflow-command annotations (stdout), the default inside GitHub
Actions, so that findings show on the pull request's lines."""
from __future__ import annotations

from typing import List, TextIO

from ..diagnostics import COMMAND_LINE, Diagnostic
from . import one_line, summary


def escape_github(value: str, properties: bool = False) -> str:
    """A workflow command's message (or, with ``properties``, a property value) escaped as
    GitHub's runner unescapes it."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if properties else value


def report(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO, *,
           quiet: bool = False, **_context) -> None:
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
    if quiet:
        return
    counts = summary(diagnostics, files)
    err.write(f"{counts['errors']} error(s), {counts['warnings']} warning(s) in {files} file(s)\n")
