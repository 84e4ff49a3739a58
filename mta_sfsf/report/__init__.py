"""Reporters for diagnostics: one module per ``--format``, imported only when chosen.

``text`` is for people (stderr); ``json`` is one object for tools (stdout); ``github`` prints
workflow-command annotations (stdout), chosen by default inside GitHub Actions. A reporter module
has ``report(diagnostics, files, out, err)``.
"""
from __future__ import annotations

import importlib
import os
from typing import Callable, List

from ..diagnostics import Diagnostic

FORMATS = ("text", "json", "github")


def reporter(name: str) -> Callable:
    """The ``report`` function of the ``--format`` called ``name``."""
    if name not in FORMATS:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{name}").report


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


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
