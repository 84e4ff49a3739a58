"""Example descriptors in ``cases/positive`` and ``cases/negative``, driven by one test.

A case is a deployment descriptor (``*.yaml``; ``*.mta.yaml`` is read as a development descriptor)
whose leading comments say what it expects:

    # expect: S003 4:5              a diagnostic with this code at line 4, column 5
    # expect: X002 ext.mtaext:3:10  ... in an extension descriptor beside the case
    # extensions: a.mtaext,b.mtaext extension descriptors beside the case, in this order
    # platform: neo                 force a platform profile (default: auto)

The diagnostics found must be exactly the expected ones (code and place). A positive case expects
no errors; it may list warnings it expects. Adding a case is adding a file.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from mta_sfsf.validate import check

CASES = Path(__file__).resolve().parents[1] / "cases"
_EXPECT = re.compile(r"^#\s*expect:\s*(\S+)\s+(?:(\S+):)?(\d+):(\d+)\s*$")


def _cases(kind: str):
    return sorted((CASES / kind).glob("*.yaml"))


def _header(path: Path):
    expected, extensions, platform = set(), [], "auto"
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("#"):
            break
        match = _EXPECT.match(line)
        if match:
            code, file, row, col = match.groups()
            expected.add((code, file or path.name, int(row), int(col)))
        elif line.startswith("# extensions:"):
            extensions = [str(path.parent / n.strip()) for n in line.split(":", 1)[1].split(",")]
        elif line.startswith("# platform:"):
            platform = line.split(":", 1)[1].strip()
    return expected, extensions, platform


def _found(path: Path):
    expected, extensions, platform = _header(path)
    _, diagnostics = check(str(path), extensions, platform)
    found = {(d.code, Path(d.file).name, d.line, d.column) for d in diagnostics}
    return expected, found, diagnostics


@pytest.mark.parametrize("path", _cases("negative"), ids=lambda p: p.name)
def test_negative_case(path):
    expected, found, diagnostics = _found(path)
    assert expected, f"{path.name} has no '# expect:' line"
    assert found == expected, "\n".join(f"{d.file}:{d.line}:{d.column} {d.code} {d.message}"
                                        for d in diagnostics)


@pytest.mark.parametrize("path", _cases("positive"), ids=lambda p: p.name)
def test_positive_case(path):
    expected, found, diagnostics = _found(path)
    assert not [d for d in diagnostics if d.severity == "error"], diagnostics
    assert found == expected, "\n".join(f"{d.file}:{d.line}:{d.column} {d.code} {d.message}"
                                        for d in diagnostics)
