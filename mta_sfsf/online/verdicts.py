"""The result of ``verify``: one verdict per step, and its text, JSON and GitHub reports.

A verdict is ``verified`` (the real call gave the answer a working setup gives), ``failed`` (it did
not; the reason and what to do say why) or ``not checkable`` (no documented endpoint can confirm
the step; the values it must hold are shown). Every report is redacted as a whole before it is
written.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from io import StringIO
from typing import Callable, Dict, List, TextIO, Tuple

from ..report import one_line
from ..report.github import escape_github
from ..secrets import redact

VERIFIED, FAILED, NOT_CHECKABLE = "verified", "failed", "not checkable"


@dataclass
class Verdict:
    step: str
    kind: str
    title: str
    status: str
    reason: str = ""
    action: str = ""
    values: Dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"step": self.step, "kind": self.kind, "title": self.title, "verdict": self.status,
                "reason": self.reason, "action": self.action, "values": self.values}


# (connection name, its verdicts), in plan order; "applications" holds the app state checks.
Results = List[Tuple[str, List[Verdict]]]


def counts(results: Results) -> Dict[str, int]:
    tally = {VERIFIED: 0, FAILED: 0, NOT_CHECKABLE: 0}
    for _, verdicts in results:
        for verdict in verdicts:
            tally[verdict.status] += 1
    return tally


NOTHING_VERIFIED = 4  # verify's exit code when no step could be verified


def exit_status(results: Results) -> int:
    """1 when a check failed; 4 when nothing was verified (a run that proved nothing is never
    green); else 0."""
    tally = counts(results)
    if tally[FAILED]:
        return 1
    return 0 if tally[VERIFIED] else NOTHING_VERIFIED


def write_text(results: Results, out: TextIO) -> None:
    """One line per item; control characters from the plan or a server escaped."""
    for name, verdicts in results:
        out.write(f"{one_line(name)}\n")
        for v in verdicts:
            out.write(f"  {v.status:<13} {one_line(v.step)}  ({one_line(v.title)})\n")
            if v.reason:
                out.write(f"                {one_line(v.reason)}\n")
            if v.action:
                out.write(f"                what to do: {one_line(v.action)}\n")
            for label, value in v.values.items():
                out.write(f"                {one_line(label)}: {one_line(value)}\n")


def write_github(results: Results, out: TextIO) -> None:
    """Workflow commands: failed is an error, verified a notice, not checkable a warning."""
    for _, verdicts in results:
        for v in verdicts:
            level = {FAILED: "error", VERIFIED: "notice"}.get(v.status, "warning")
            text = v.reason + (f" What to do: {v.action}" if v.action else "")
            if v.values:
                text += " Values: " + "; ".join(f"{k}: {val}" for k, val in v.values.items())
            title = escape_github(one_line(f"{v.status}: {v.step}"), properties=True)
            out.write(f"::{level} title={title}::{escape_github(one_line(text))}\n")


def write_json(results: Results, out: TextIO) -> None:
    tally = counts(results)
    document = {"connections": [{"name": name, "steps": [v.as_dict() for v in verdicts]}
                                for name, verdicts in results],
                "summary": {"verified": tally[VERIFIED], "failed": tally[FAILED],
                            "not_checkable": tally[NOT_CHECKABLE]}}
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


WRITERS: Dict[str, Callable[[Results, TextIO], None]] = {
    "text": write_text, "json": write_json, "github": write_github}


def report(results: Results, fmt: str, out: TextIO, err: TextIO) -> None:
    """The report on ``out`` (redacted as a whole), the tally on ``err``."""
    buffer = StringIO()
    WRITERS[fmt](results, buffer)
    out.write(redact(buffer.getvalue()))
    tally = counts(results)
    err.write(f"{tally[VERIFIED]} verified, {tally[FAILED]} failed, "
              f"{tally[NOT_CHECKABLE]} not checkable\n")
    if not tally[VERIFIED] and not tally[FAILED]:
        err.write("mta-sfsf: nothing was verified (exit 4): every step is not checkable\n")
