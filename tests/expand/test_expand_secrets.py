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


@pytest.mark.parametrize("key", ["client-name", "name"])
def test_a_sensitive_value_is_never_written_to_the_plan_or_runbook(key, tmp_path, capsys):
    from conftest import SAMPLE, run_cli

    text = (SAMPLE / "mtad.yaml").read_text(encoding="utf-8")
    original = {"client-name": "client-name: benefitsEventsClient",
                "name": "name: BenefitsEvents"}[key]
    assert original in text
    (tmp_path / "mtad.yaml").write_text(
        text.replace(original, f"{key}: !sensitive Zq7SensitiveName", 1), encoding="utf-8")
    (tmp_path / "sample.mtaext").write_text(
        (SAMPLE / "sample.mtaext").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run_cli(capsys, "expand", str(tmp_path / "mtad.yaml"), "-e",
                             str(tmp_path / "sample.mtaext"), "-o", str(tmp_path / "out"),
                             "--host", "eu2.hana.ondemand.com", "--account", "acc")
    assert code == 1
    assert "P010" in out and "Zq7SensitiveName" not in out + err
    assert ":25:" in out or ":27:" in out  # at the tagged value
    assert not (tmp_path / "out").exists()  # nothing written
