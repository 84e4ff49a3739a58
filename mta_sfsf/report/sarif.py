"""The ``sarif`` format: one SARIF 2.1.0 log (stdout), as GitHub code scanning and Jenkins
Warnings NG read it.

One run; its tool lists a rule for every code (summary, default level, help pointing at the
README's code table), and each finding is a result at its file, line and column, with its key path
as the logical location. Paths under the current folder are relative to ``%SRCROOT%`` (the
repository root, when run from there), other paths absolute ``file:`` URIs; a descriptor inside
an ``.mtar`` is located at the archive, and a finding about the command line has no location.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, Dict, List, Optional, TextIO, Tuple
from urllib.parse import quote

from .. import __version__
from ..diagnostics import Diagnostic, declared
from . import encodable
from .locations import fingerprints, is_file, repository_path, split_archive

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"
# Used until the installed package names its home page (pyproject's [project.urls]).
FALLBACK_URL = "https://pypi.org/project/mta-sfsf/"
CODE_TABLE_ANCHOR = "#diagnostic-codes"


def project_url() -> str:
    """The home page the package's metadata names, else its PyPI page."""
    from importlib import metadata

    try:
        entries = metadata.metadata("mta-sfsf").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        entries = []
    for entry in entries:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "repository", "source", "documentation"):
            return url.strip()
    return FALLBACK_URL


def report(diagnostics: List[Diagnostic], files: int, out: TextIO, err: TextIO, *,
           codes: Optional[Callable[[], Dict[str, Tuple[str, str]]]] = None,
           **_context) -> None:
    table = dict(codes() if codes else declared())
    for d in diagnostics:  # a code nobody declared still gets its rule
        table.setdefault(d.code, (d.severity, d.code))
    table = dict(sorted(table.items()))  # the same order whatever loaded first
    url = project_url()
    rules = [_rule(code, severity, text, url) for code, (severity, text) in table.items()]
    index = {code: position for position, code in enumerate(table)}
    cwd = os.getcwd()
    results = [_result(d, index[d.code], fingerprint, cwd)
               for d, fingerprint in zip(diagnostics, fingerprints(diagnostics, cwd))]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "mta-sfsf", "version": __version__,
                                "semanticVersion": __version__, "informationUri": url,
                                "rules": rules}},
            "originalUriBaseIds": {SOURCE_ROOT: {"uri": Path(cwd).as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",  # columns count characters, as in the text format
            "results": results,
        }],
    }
    # ASCII only: the bytes survive any stdout encoding.
    out.write(json.dumps(log, indent=2) + "\n")


def _level(severity: str) -> str:
    return "error" if severity == "error" else "warning"


def _rule(code: str, severity: str, summary: str, url: str) -> dict:
    help_uri = url + CODE_TABLE_ANCHOR
    summary = encodable(summary)
    sentence = summary[:1].upper() + summary[1:] + "."
    return {
        "id": code,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": f"{sentence} Severity: {severity}."},
        "defaultConfiguration": {"level": _level(severity)},
        "help": {"text": f"{sentence} See the code table: {help_uri}",
                 "markdown": f"{sentence} See [the code table]({help_uri})."},
        "helpUri": help_uri,
    }


def _result(d: Diagnostic, rule_index: int, fingerprint: str, cwd: str) -> dict:
    _, inner = split_archive(d.file)
    text = (f"in {inner}: " if inner else "") + d.message + (f" (at {d.path})" if d.path else "")
    if d.hint:
        text += f"\nhint: {d.hint}"
    result = {"ruleId": d.code, "ruleIndex": rule_index, "level": _level(d.severity),
              "message": {"text": encodable(text)}}
    if is_file(split_archive(d.file)[0]) or d.file == "<stdin>":
        location: dict = {"physicalLocation": {
            "artifactLocation": _artifact(d.file, cwd),
            "region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)}}}
        if d.path:
            location["logicalLocations"] = [{"fullyQualifiedName": encodable(d.path),
                                             "kind": "member"}]
        result["locations"] = [location]
    result["partialFingerprints"] = {"primaryLocationLineHash": fingerprint}
    return result


def _artifact(file: str, cwd: str) -> dict:
    path, relative = repository_path(file, cwd)
    if not is_file(path):
        return {"uri": quote(encodable(path))}
    if relative:
        return {"uri": _quote(path), "uriBaseId": SOURCE_ROOT}
    try:
        return {"uri": Path(path).as_uri()}
    except UnicodeEncodeError:  # a lone surrogate that no file-system encoding produced
        return {"uri": "file://" + quote(encodable(Path(path).as_posix()))}


def _quote(path: str) -> str:
    """A path as a URI path: a name that is not UTF-8 keeps its bytes (percent-encoded)."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a lone surrogate that no file-system encoding produced
        raw = encodable(path).encode("utf-8")
    return quote(raw, safe="/")
