"""The ``json`` format: one object with every finding and a summary, for tools (stdout)."""
from __future__ import annotations

import json
from typing import List, TextIO

from ..diagnostics import Diagnostic
from . import encodable, summary


def report(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO,
           suppressed: int = 0, **_context) -> None:
    document = {"diagnostics": [_encodable(d.as_dict()) for d in diagnostics],
                "summary": summary(diagnostics, files, suppressed)}
    # ASCII only: the bytes survive any stdout encoding (a Windows console, LANG=C).
    out.write(json.dumps(document, indent=2) + "\n")


def _encodable(finding: dict) -> dict:
    """A lone surrogate as the text ``\\udXXX``: strict JSON readers refuse its escape."""
    return {key: encodable(value) if isinstance(value, str) else value
            for key, value in finding.items()}
