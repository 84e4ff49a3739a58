"""The ``gitlab`` format: a GitLab Code Quality report (stdout), the JSON list of issues that
``artifacts:reports:codequality`` reads.

Each finding is one issue: ``description``, ``check_name`` (the code), ``fingerprint`` (unique in
the report, the same on the next run), ``severity`` (an error is ``major``, a warning ``minor``:
neither stops a deployment the way GitLab's ``critical`` and ``blocker`` suggest, and ``info`` is
for notes) and ``location`` (``path`` relative to ``$CI_PROJECT_DIR``, else to the current
folder; ``lines.begin``). A descriptor inside an ``.mtar`` is located at the archive; a finding
about the command line at the first file read, line 1, since GitLab needs a path.
"""
from __future__ import annotations

import json
import os
from typing import List, Mapping, Optional, TextIO

from ..diagnostics import Diagnostic
from . import encodable
from .locations import fingerprints, is_file, repository_path, split_archive

SEVERITIES = {"error": "major", "warning": "minor"}


def report(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO, *,
           sources: Optional[Mapping[str, str]] = None, **_context) -> None:
    cwd = os.environ.get("CI_PROJECT_DIR") or os.getcwd()  # GitLab's checkout, as ruff reads it
    first_file = next(iter(sources or {}), None)
    issues = []
    for d, fingerprint in zip(diagnostics, fingerprints(diagnostics, cwd)):
        outer, inner = split_archive(d.file)
        line = max(d.line, 1)
        if not is_file(outer) and outer != "<stdin>" and first_file is not None:
            outer, inner, line = split_archive(first_file)[0], "the command line", 1
        text = (f"{d.code}: " + (f"in {inner}: " if inner else "") + d.message
                + (f" (at {d.path})" if d.path else "") + (f"; hint: {d.hint}" if d.hint else ""))
        issues.append({
            "description": encodable(text),
            "check_name": d.code,
            "fingerprint": fingerprint,
            "severity": SEVERITIES.get(d.severity, "minor"),
            "location": {"path": encodable(repository_path(outer, cwd)[0]),
                         "lines": {"begin": line}},
        })
    # ASCII only: the bytes survive any stdout encoding.
    out.write(json.dumps(issues, indent=2) + "\n")
