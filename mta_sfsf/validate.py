"""``mta-sfsf validate``: read each descriptor with its extension chain, run every rule family,
report every finding at once, sorted by file and position.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import List, Optional, TextIO, Tuple

from . import rules
from .descriptor import Descriptor, load
from .diagnostics import Diagnostic
from .errors import InputError
from .report import REPORTERS
from .rules.neo import detect_platform


@dataclass
class ValidateOptions:
    paths: List[str]
    extensions: List[str] = field(default_factory=list)
    format: str = "text"
    strict: bool = False
    platform: str = "auto"


def check(path: str, extensions: List[str], platform: str = "auto") -> Tuple[Descriptor, List[Diagnostic]]:
    """Load one descriptor and return it with all its diagnostics, sorted by place."""
    descriptor = load(path, extensions)
    diagnostics = list(descriptor.diagnostics)
    if descriptor.merged is not None:
        chosen = detect_platform(descriptor.merged) if platform == "auto" else platform
        diagnostics.extend(rules.run(descriptor, chosen))
    return descriptor, sorted(set(diagnostics))


def exit_code(diagnostics: List[Diagnostic], strict: bool) -> int:
    failing = ("error", "warning") if strict else ("error",)
    return 1 if any(d.severity in failing for d in diagnostics) else 0


def run(options: ValidateOptions, out: Optional[TextIO] = None, err: Optional[TextIO] = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    diagnostics: List[Diagnostic] = []
    unreadable = 0
    for path in options.paths:
        try:
            diagnostics.extend(check(path, options.extensions, options.platform)[1])
        except InputError as exc:
            err.write(f"mta-sfsf: error: {exc}\n")
            unreadable += 1
    REPORTERS[options.format](sorted(diagnostics), len(options.paths), out, err)
    if unreadable:
        return 2
    return exit_code(diagnostics, options.strict)
