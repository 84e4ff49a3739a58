"""The Diagnostic value: one finding about a descriptor, with its place twice (file:line:col and
the key path), and the severities of the stable codes.

Each module that raises findings declares its codes where it raises them, as
``CODES = declare({code: (severity, one-line summary)})``; ``make`` reads the severity from what was
declared, so this lowest module never imports the layers above it. The full table (README, help)
is collected from the top, by ``mta_sfsf.codes``.
"""
from typing import Iterable, List, NamedTuple, Optional, Tuple, Union

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
_DECLARED: dict = {}


def declare(codes: dict) -> dict:
    """Record a module's codes (code -> (severity, summary)) for ``make``; returns them."""
    _SEVERITIES.update({code: entry[0] for code, entry in codes.items()})
    _DECLARED.update(codes)
    return codes


def declared() -> dict:
    """Every code declared by the modules loaded so far (``mta_sfsf.codes`` has them all)."""
    return dict(_DECLARED)


# Codes for reading and loading; the other layers declare their own.
CODES = declare({
    "Y001": ("error", "YAML syntax error"),
    "Y002": ("error", "duplicate key in a mapping"),
    "Y003": ("error", "input refused: not UTF-8, too large, too deep, or too many alias expansions"),
    "Y004": ("error", "unsafe or unknown YAML tag"),
    "Y005": ("error", "the document is not a mapping, or holds several documents"),
    "Y006": ("error", "a merge key (<<) whose value is not a mapping or a list of mappings"),
    "Y007": ("warning", "unknown local tag (such as !secret); the value is read as a string"),
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


# "Did you mean" hints must stay cheap on a descriptor with thousands of names and thousands of
# unresolved ones. Up to SUGGEST_SCAN known names, a word is compared with all of them; past that,
# with the SUGGEST_SCAN names nearest to it in alphabetical order, half by how they begin and half
# by how they end (a slip rarely changes both ends). One set of names answers at most
# SUGGEST_ANSWERS look-ups: past that, nobody reads the hints one by one.
SUGGEST_SCAN = 400
SUGGEST_ANSWERS = 100
# A "known: ..." list names at most this many.
LIST_LIMIT = 10


class Suggester:
    """The closest known name to a word, for many look-ups against one set of names."""

    def __init__(self, choices: Iterable[str], answers: int = SUGGEST_ANSWERS) -> None:
        self._names = sorted(set(choices))
        large = len(self._names) > SUGGEST_SCAN
        self._ends = sorted(name[::-1] for name in self._names) if large else []
        self._answers = answers

    def __call__(self, word: str) -> Optional[str]:
        if self._answers <= 0:
            return None
        self._answers -= 1
        import difflib

        match = difflib.get_close_matches(word, self.candidates(word), n=1, cutoff=0.6)
        return match[0] if match else None

    def candidates(self, word: str) -> List[str]:
        """The names compared with ``word``: all of them, or the nearest SUGGEST_SCAN."""
        if not self._ends:
            return self._names
        from bisect import bisect

        side = SUGGEST_SCAN // 4
        at = bisect(self._names, word)
        near = set(self._names[max(0, at - side):at + side])
        at = bisect(self._ends, word[::-1])
        near.update(end[::-1] for end in self._ends[max(0, at - side):at + side])
        return sorted(near)


def suggest(word: str, choices: Iterable[str]) -> Optional[str]:
    """The closest known name, for "did you mean" hints (one look-up, bounded cost)."""
    return Suggester(choices)(word)


def listing(names: Iterable[str], limit: int = LIST_LIMIT, quote: bool = False) -> str:
    """``a, b, c``, naming at most ``limit`` of them: ``a, b, ... (and 2,990 more)``."""
    names = list(names)
    shown = [f'"{name}"' if quote else name for name in names[:limit]]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" (and {more:,} more)" if more > 0 else "")
