"""The ``json`` format: one object with every finding and a summary, for tools (stdout)."""
from __future__ import annotations

import json
from typing import List, TextIO

from ..diagnostics import Diagnostic
from . import summary


def report(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO) -> None:
    document = {"diagnostics": [d.as_dict() for d in diagnostics],
                "summary": summary(diagnostics, files)}
    # ASCII only: the bytes survive any stdout encoding (a Windows console, LANG=C).
    out.write(json.dumps(document, indent=2) + "\n")
