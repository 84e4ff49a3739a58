"""The Diagnostic value: one finding about a descriptor, with its place twice (file:line:col and
the key path), and the severities of the stable codes.

Each module that raises findings declares its codes where it raises them, as
``CODES = declare({code: (severity, one-line summary)})``; ``make`` reads the severity from what was
declared, so this lowest module never imports the layers above it. The full table (README, help)
is collected from the top, by ``mta_sfsf.codes``.
"""
from __future__ import annotations

from typing import Iterable, NamedTuple, Optional, Tuple, Union

PathPart = Union[str, int]

# The "file" of a finding about the command line itself (a missing --host, say).
COMMAND_LINE = "<command line>"
Path = Tuple[PathPart, ...]


class Loc(NamedTuple):
    """A 1-based position in a file; ``index`` is the 0-based character offset."""

    file: str
    line: int
    column: int
    index: int = 0


class Diagnostic(NamedTuple):
    """Ordered by file and position (then code), as reports list them."""

    file: str
    line: int
    column: int
    code: str
    severity: str  # "error" | "warning"
    message: str
    path: str = ""
    hint: Optional[str] = None

    def as_dict(self) -> dict:
        return {
            "code": self.code, "severity": self.severity, "message": self.message,
            "file": self.file, "line": self.line, "column": self.column,
            "path": self.path, "hint": self.hint,
        }


def format_path(path: Iterable[PathPart]) -> str:
    """``("modules", 0, "parameters", "name")`` -> ``modules[0].parameters.name``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_SEVERITIES: dict = {}


def declare(codes: dict) -> dict:
    """Record a module's codes (code -> (severity, summary)) for ``make``; returns them."""
    _SEVERITIES.update({code: entry[0] for code, entry in codes.items()})
    return codes


# Codes for reading and loading; the other layers declare their own.
CODES = declare({
    "Y001": ("error", "YAML syntax error"),
    "Y002": ("error", "duplicate key in a mapping"),
    "Y003": ("error", "input refused: not UTF-8, too large, too deep, or too many alias expansions"),
    "Y004": ("error", "unsafe or unknown YAML tag"),
    "Y005": ("error", "the document is not a mapping, or holds several documents"),
    "Y006": ("error", "a merge key (<<) whose value is not a mapping or a list of mappings"),
    "Y007": ("warning", "unknown local tag (such as !sensitive); the value is read as a string"),
})


def make(code: str, loc: Loc, message: str, path: Path = (), hint: Optional[str] = None,
         severity: Optional[str] = None) -> Diagnostic:
    """Build a Diagnostic; the severity comes from the code's registry entry unless given."""
    if severity is None:
        severity = _SEVERITIES[code]
    return Diagnostic(loc.file, loc.line, loc.column, code, severity, message,
                      format_path(path), hint)


def exit_code(diagnostics: Iterable[Diagnostic], strict: bool) -> int:
    """1 when an error (or, with ``strict``, a warning) was found, else 0."""
    failing = ("error", "warning") if strict else ("error",)
    return 1 if any(d.severity in failing for d in diagnostics) else 0


def suggest(word: str, choices: Iterable[str]) -> Optional[str]:
    """The closest known name, for "did you mean" hints."""
    import difflib

    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return match[0] if match else None
