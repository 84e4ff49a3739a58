"""A secret planted in an extension descriptor never leaves it: not in any output file, not on
stdout or stderr, in any mode or option, raw or encoded."""
from __future__ import annotations

import base64
from urllib.parse import quote, quote_plus

import pytest

from expand_helpers import prepare, run

SECRET = "Pl4nted-S3cret/Value+xyzzy=42"


def _forms(value: str):
    encoded = value.encode()
    return {value, quote(value, safe=""), quote_plus(value), base64.b64encode(encoded).decode(),
            base64.urlsafe_b64encode(encoded).decode(), value.encode("unicode_escape").decode()}


def _assert_absent(blob: bytes, where: str) -> None:
    for form in _forms(SECRET):
        assert form.encode() not in blob, f"{where} contains the secret ({form})"
    assert b"xyzzy" not in blob, where


@pytest.mark.parametrize("case", ["sample", "multi", "ext-secret", "client-credentials"])
@pytest.mark.parametrize("extra", [[], ["--mode", "runbook"], ["--diff"], ["--check"],
                                   ["--format", "json"], ["--strict"]])
def test_planted_secret_appears_nowhere(case, extra, tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare(case, work)
    for ext in work.glob("*.mtaext"):
        text = ext.read_text(encoding="utf-8")
        planted = "\n".join(
            line.split(":", 1)[0] + ": " + SECRET if "FAKE" in line and "secret" in line.lower()
            else line for line in text.splitlines()) + "\n"
        assert SECRET in planted
        ext.write_text(planted, encoding="utf-8")
    code, out, err = run(args + ["-o", "out"] + extra, work, monkeypatch, capsys)
    assert code in (0, 1), err
    _assert_absent(out.encode(), "stdout")
    _assert_absent(err.encode(), "stderr")
    for path in (work / "out").rglob("*") if (work / "out").exists() else []:
        _assert_absent(path.read_bytes(), str(path))
