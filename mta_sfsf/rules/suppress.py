"""Silenced findings: codes the configuration ignores everywhere (``ignore``, ``--ignore``) or in
some files (``per-file-ignores``), and ``# mta-sfsf: disable`` comments in the files themselves
(see ``descriptor.comments``). A silenced finding changes neither the report nor the exit code;
the JSON report counts them (``summary.suppressed``). A comment that names an unknown directive or
code, or none, silences nothing and says so (C001).
"""
from __future__ import annotations

from typing import Callable, Dict, FrozenSet, Iterable, List, Set, Tuple

from ..config import Config
from ..descriptor.comments import KINDS, directives
from ..diagnostics import Diagnostic, declare, make

CODES = declare({
    "C001": ("warning", "a # mta-sfsf: comment that silences nothing: an unknown directive or "
                        "code, or no code"),
})

_EXAMPLE = "# mta-sfsf: disable=N020 (this line) or disable-file=N020 (the whole file)"


class Silencer:
    """The silencing in effect for one run: the configuration's, the command line's, and the
    comments of the files read (``problems`` holds C001 for the comments that silence nothing)."""

    def __init__(self, documents: Iterable, ignore: FrozenSet[str], config: Config,
                 known: Callable[[str], bool]) -> None:
        self.ignore, self.config = ignore, config
        self.on_line: Dict[str, Dict[int, Set[str]]] = {}
        self.in_file: Dict[str, Set[str]] = {}
        self.problems: List[Diagnostic] = []
        for document in {doc.file: doc for doc in documents}.values():
            for directive in directives(document.text, document.data, document.file):
                problem = _problem(directive.kind, directive.codes, known)
                if problem:
                    self.problems.append(make("C001", directive.loc, problem,
                                              hint="write " + _EXAMPLE))
                codes = {code for code in directive.codes if known(code)}
                if directive.kind == "disable-file":
                    self.in_file.setdefault(document.file, set()).update(codes)
                elif directive.kind == "disable":
                    self.on_line.setdefault(document.file, {}).setdefault(
                        directive.line, set()).update(codes)
        self._per_file: Dict[str, FrozenSet[str]] = {}

    def apply(self, diagnostics: Iterable[Diagnostic]) -> Tuple[List[Diagnostic], int]:
        """(the findings that stay, sorted and each once; how many were silenced)."""
        found = sorted(set(diagnostics))
        if not (self.ignore or self.config.per_file_ignores or self.in_file or self.on_line):
            return found, 0
        kept = [d for d in found if not self._silenced(d)]
        return kept, len(found) - len(kept)

    def _silenced(self, diagnostic: Diagnostic) -> bool:
        file = diagnostic.file
        if file not in self._per_file:
            self._per_file[file] = self.config.ignored_in(file) | self.in_file.get(file, set())
        return (diagnostic.code in self.ignore or diagnostic.code in self._per_file[file]
                or diagnostic.code in self.on_line.get(file, {}).get(diagnostic.line, ()))


def _problem(kind: str, codes: Tuple[str, ...], known: Callable[[str], bool]) -> str:
    if kind not in KINDS:
        return f"unknown directive \"{kind}\" in a # mta-sfsf: comment; it silences nothing"
    if not codes:
        return f"# mta-sfsf: {kind} names no code; it silences nothing"
    unknown = [code for code in codes if not known(code)]
    if unknown:
        names = ", ".join(f'"{code}"' for code in unknown)
        return (f"unknown code{'s' if len(unknown) > 1 else ''} {names} in a # mta-sfsf: "
                "comment (ignored)")
    return ""
