"""The ``junit`` format: JUnit XML (stdout), as Jenkins' ``junit`` step and GitLab's
``artifacts:reports:junit`` read it.

One ``<testsuite>`` per file read (findings about the command line get their own); in it one
``<testcase>`` per finding: an error is a failing testcase, a warning a passing one whose
``<system-out>`` holds the finding (a warning does not fail the run, and ``skipped`` would say the
check did not run), unless ``--strict`` makes warnings fail the run, when they fail here too. A
file without findings gets one passing testcase, so a clean run shows passed tests, not none.

The XML is ASCII (other characters as references) and holds no character XML 1.0 forbids: every
value is escaped to one line first, as in the text format.
"""
from __future__ import annotations

import re
from typing import Dict, List, Mapping, Optional, TextIO
from xml.etree import ElementTree

from ..diagnostics import Diagnostic
from . import one_line

# Characters outside XML 1.0's Char production; one_line leaves only U+FFFE and U+FFFF of them,
# escaped here the same way.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\u{ord(match.group()):04x}", value)


def report(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO, *,
           sources: Optional[Mapping[str, str]] = None, strict: bool = False,
           **_context) -> None:
    by_file: Dict[str, List[Diagnostic]] = {name: [] for name in sources or {}}
    for d in diagnostics:
        by_file.setdefault(d.file, []).append(d)
    failing = ("error", "warning") if strict else ("error",)
    root = ElementTree.Element("testsuites", _attributes(
        name="mta-sfsf", tests=sum(len(found) or 1 for found in by_file.values()),
        failures=sum(1 for d in diagnostics if d.severity in failing), errors=0))
    for file, found in by_file.items():
        suite = ElementTree.SubElement(root, "testsuite", _attributes(
            name=one_line(file), tests=len(found) or 1,
            failures=sum(1 for d in found if d.severity in failing), errors=0, skipped=0))
        if not found:
            ElementTree.SubElement(suite, "testcase", _attributes(
                name="no findings", classname=_classname(file), file=one_line(file)))
        for d in found:
            _testcase(suite, d, d.severity in failing)
    ElementTree.indent(root)
    out.write('<?xml version="1.0" encoding="US-ASCII"?>\n'
              + ElementTree.tostring(root, encoding="us-ascii").decode("ascii") + "\n")


def _testcase(suite: ElementTree.Element, d: Diagnostic, fails: bool) -> None:
    place = f"{one_line(d.file)}:{d.line}:{d.column}"
    case = ElementTree.SubElement(suite, "testcase", _attributes(
        name=f"{d.code} at {d.line}:{d.column}" + (f" {one_line(d.path)}" if d.path else ""),
        classname=_classname(d.file), file=one_line(d.file), line=d.line))
    body = f"{place}: {d.severity} {d.code}: {one_line(d.message)}\n"
    if d.path:
        body += f"    at {one_line(d.path)}\n"
    if d.hint:
        body += f"    hint: {one_line(d.hint)}\n"
    if fails:
        failure = ElementTree.SubElement(case, "failure", _attributes(
            message=f"{d.code}: {one_line(d.message)}", type=d.severity))
        failure.text = xml_text(body)
    else:
        ElementTree.SubElement(case, "system-out").text = xml_text(body)


def _classname(file: str) -> str:
    """The file without its suffix, as ruff names it: Jenkins splits a classname at its last dot
    into package and class."""
    name = one_line(file)
    stem, dot, suffix = name.rpartition(".")
    return stem if dot and "/" not in suffix else name


def _attributes(**values) -> Dict[str, str]:
    return {key: xml_text(str(value)) for key, value in values.items()}
