"""Reporters for diagnostics: one module per ``--format``, imported only when chosen.

Every format writes its findings on ``out`` (standard output), one document per run; a summary
line for people goes with the text format, progress lines stay on ``err``. ``text`` is for people;
``json`` is one object for tools; ``github`` prints workflow-command annotations, chosen by default
inside GitHub Actions; ``sarif`` is SARIF 2.1.0 (GitHub code scanning, Jenkins Warnings NG);
``junit`` is JUnit XML (Jenkins' junit step, GitLab test reports); ``gitlab`` is GitLab Code
Quality JSON.

A reporter module has ``report(diagnostics, files, out, err, **context)``; ``context`` holds
keywords a format may use and the others ignore (all optional):

- ``sources``: display name -> text of every file read (JUnit lists clean files; text shows the
  line of a YAML syntax error);
- ``codes``: a function returning the full code table (SARIF's rule metadata);
- ``color`` (``auto``/``always``/``never``), ``quiet`` (no summary line), ``strict`` (warnings fail);
- ``suppressed``: how many findings configuration or comments silenced (they are not in
  ``diagnostics``; JSON's ``summary.suppressed``).
"""
from __future__ import annotations

import importlib
import os
import re
from typing import Callable, List, Optional

from ..diagnostics import Diagnostic

FORMATS = ("text", "json", "github", "sarif", "junit", "gitlab")


def reporter(name: str) -> Callable:
    """The ``report`` function of the ``--format`` called ``name``."""
    if name not in FORMATS:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{name}").report


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def summary(diagnostics: List[Diagnostic], files: int, suppressed: int = 0) -> dict:
    errors = sum(1 for d in diagnostics if d.severity == "error")
    return {"errors": errors, "warnings": len(diagnostics) - errors, "files": files,
            "suppressed": suppressed}


# Everything a terminal or a CI log could act on: C0 and C1 controls, DEL, and the bidirectional
# overrides that reorder what a reader sees. Values come from descriptors, which anyone can write.
_CONTROL = {code: f"\\x{code:02x}" for code in [*range(32), *range(0x7f, 0xa0)]}
_CONTROL.update({code: f"\\u{code:04x}" for code in [0x200e, 0x200f, *range(0x202a, 0x202f),
                                                       *range(0x2066, 0x206a)]})
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
# A lone surrogate ("\ud800" is legal YAML; a file name that is not UTF-8 decodes to some) has no
# encoding at all: any stream writing it would fail. Compiled on the first text that is not ASCII.
_surrogate: "Optional[re.Pattern[str]]" = None


def one_line(value: str) -> str:
    """Control characters (a key written as "a\\nb", say) and lone surrogates escaped: one line
    per item, writable in any encoding."""
    return encodable(value.translate(_CONTROL))


def encodable(value: str) -> str:
    """Lone surrogates escaped as ``\\udXXX``, everything else kept (for formats whose own
    syntax escapes control characters, such as JSON)."""
    global _surrogate
    if value.isascii():
        return value
    if _surrogate is None:
        _surrogate = re.compile("[\ud800-\udfff]")
    return _surrogate.sub(lambda match: f"\\u{ord(match.group()):04x}", value)
