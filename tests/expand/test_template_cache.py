"""expand keeps compiled templates in a cache folder: later runs skip compiling, give the same
bytes, follow a changed template, and work when the cache cannot be used."""
from __future__ import annotations

import os

import jinja2
import pytest

from expand_helpers import prepare, run


@pytest.fixture
def compiled(monkeypatch):
    """The names of the templates jinja2 compiled from source."""
    names = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def _expand(tmp_path, monkeypatch, capsys, run_name: str, extra=()):
    work = tmp_path / run_name
    args = prepare("sample", work)
    code, _, err = run(args + ["-o", "out", *extra], work, monkeypatch, capsys)
    assert code == 0, err
    return (work / "out" / "RUNBOOK.md").read_bytes(), (work / "out" / "plan.json").read_bytes()


def test_a_second_run_compiles_nothing_and_writes_the_same_bytes(tmp_path, monkeypatch, capsys,
                                                                  compiled):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = _expand(tmp_path, monkeypatch, capsys, "one")
    assert "RUNBOOK.md.j2" in compiled
    folder = next((tmp_path / "cache" / "mta-sfsf").iterdir())
    assert oct(folder.stat().st_mode & 0o777) == "0o700" and any(folder.iterdir())
    compiled.clear()
    assert _expand(tmp_path, monkeypatch, capsys, "two") == first
    assert compiled == []


def test_a_changed_user_template_is_compiled_again(tmp_path, monkeypatch, capsys, compiled):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    templates = tmp_path / "tpl"
    templates.mkdir()
    for text in ("first {{ plan.mode }}\n", "second {{ plan.mode }}\n"):
        (templates / "RUNBOOK.md.j2").write_text(text)
        runbook, _ = _expand(tmp_path, monkeypatch, capsys, text.split()[0],
                             ("--templates", str(templates)))
        assert runbook.decode().startswith(text.split()[0] + " ")


def _unusable_caches(tmp_path):
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    shared = tmp_path / "shared"
    (shared / "mta-sfsf").mkdir(parents=True)
    return {"a file": a_file, "writable by others": shared}


@pytest.mark.parametrize("kind", ["a file", "writable by others"])
def test_an_unusable_cache_is_skipped(kind, tmp_path, monkeypatch, capsys, compiled):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "good"))
    expected = _expand(tmp_path, monkeypatch, capsys, "reference")
    base = _unusable_caches(tmp_path)[kind]
    if kind == "writable by others":
        os.chmod(base / "mta-sfsf", 0o777)
        for folder in (tmp_path / "good" / "mta-sfsf").iterdir():  # the same key, open to all
            (base / "mta-sfsf" / folder.name).mkdir()
            os.chmod(base / "mta-sfsf" / folder.name, 0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(base))
    for attempt in ("a", "b"):
        compiled.clear()
        assert _expand(tmp_path, monkeypatch, capsys, attempt) == expected
        assert "RUNBOOK.md.j2" in compiled  # compiled every time: nothing read from there
    if kind == "writable by others":
        assert not any(path.is_file() for path in base.rglob("*"))


def test_a_damaged_cache_entry_is_compiled_again(tmp_path, monkeypatch, capsys, compiled):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    expected = _expand(tmp_path, monkeypatch, capsys, "one")
    for entry in (tmp_path / "cache").rglob("*.cache"):
        entry.write_bytes(entry.read_bytes()[:40])
    compiled.clear()
    assert _expand(tmp_path, monkeypatch, capsys, "two") == expected
    assert "RUNBOOK.md.j2" in compiled
