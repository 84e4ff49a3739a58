"""``# mta-sfsf: disable=`` and ``disable-file=`` comments silence findings on a line or in a file;
a ``#`` inside a value is not a comment; a comment that silences nothing is warning C001."""
from __future__ import annotations

import json

import pytest

from conftest import JAVA_MODULE_HEAD, run_cli

HEAD = JAVA_MODULE_HEAD + "    properties:\n"  # properties start at line 12


@pytest.fixture
def validate(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)

    def run(properties: str, *argv: str, ext: str = ""):
        (tmp_path / "mtad.yaml").write_text(HEAD + properties, encoding="utf-8")
        paths = ["mtad.yaml"]
        if ext:
            (tmp_path / "x.mtaext").write_text(ext, encoding="utf-8")
            paths.append("x.mtaext")
        code, out, err = run_cli(capsys, "validate", *paths, *argv, "--format", "json",
                                 "--no-config")
        report = json.loads(out)
        return code, [(d["code"], d["file"], d["line"]) for d in report["diagnostics"]], \
            report["summary"]["suppressed"]

    return run


def test_without_comments_both_secrets_are_reported(validate):
    assert validate("      API_TOKEN: abc\n      DB_PASSWORD: x\n") == (
        1, [("N020", "mtad.yaml", 12), ("N020", "mtad.yaml", 13)], 0)


def test_a_trailing_comment_silences_its_line_only(validate):
    assert validate("      API_TOKEN: abc  # mta-sfsf: disable=N020 -- not a secret\n"
                    "      DB_PASSWORD: x\n") == (1, [("N020", "mtad.yaml", 13)], 1)


def test_a_comment_on_its_own_line_silences_the_next_content_line(validate):
    assert validate("      # mta-sfsf: disable=N020\n"
                    "\n"
                    "      # a comment between\n"
                    "      API_TOKEN: abc\n"
                    "      DB_PASSWORD: x\n") == (1, [("N020", "mtad.yaml", 16)], 1)


def test_a_comment_on_the_last_line_silences_nothing_and_does_not_fail(validate):
    assert validate("      API_TOKEN: abc\n      # mta-sfsf: disable=N020\n") == (
        1, [("N020", "mtad.yaml", 12)], 0)


def test_disable_file_anywhere_silences_the_whole_file_only(validate):
    ext = ("_schema-version: '3.1'\nID: x\nextends: com.example.t\nparamters: {a: 1}\n"
           "modules:\n  - name: app\n    propertes: {b: 2}\n")
    code, found, suppressed = validate("      API_TOKEN: abc\n      DB_PASSWORD: x\n"
                                       "# mta-sfsf: disable-file=N020,X009\n", ext=ext)
    assert (code, found, suppressed) == (0, [("X009", "x.mtaext", 4), ("X009", "x.mtaext", 7)], 2)
    (code, found, suppressed) = validate("      API_TOKEN: abc\n",
                                         ext=ext + "# mta-sfsf: disable-file=X009\n")
    assert (code, found, suppressed) == (1, [("N020", "mtad.yaml", 12)], 2)


def test_codes_in_any_case_and_spacing(validate):
    assert validate("      API_TOKEN: abc  #mta-sfsf:disable = n020 , N003\n") == (0, [], 1)


@pytest.mark.parametrize("value", [
    '"see # mta-sfsf: disable-file=N020"',
    "'see # mta-sfsf: disable-file=N020'",
    "x#mta-sfsf:disable-file=N020",
    "|\n        text\n        # mta-sfsf: disable-file=N020\n",
    ">-\n        # mta-sfsf: disable-file=N020\n",
    '"multi\n        line # mta-sfsf: disable-file=N020"',
    '["see # mta-sfsf: disable-file=N020"]',  # list items too
    "\n        - 'see # mta-sfsf: disable-file=N020'",
])
def test_a_hash_inside_a_value_is_not_a_comment(validate, value):
    code, found, suppressed = validate(f"      note: {value}\n      API_TOKEN: abc\n")
    assert code == 1 and suppressed == 0
    assert [c for c, _, _ in found] == ["N020"]


def test_a_comment_after_a_quoted_value_with_a_hash_still_counts(validate):
    assert validate("      API_TOKEN: 'a # b'  # mta-sfsf: disable=N020\n") == (0, [], 1)


@pytest.mark.parametrize("comment, message", [
    ("# mta-sfsf: disable=N999", 'unknown code "N999" in a # mta-sfsf: comment (ignored)'),
    ("# mta-sfsf: disabel=N020", 'unknown directive "disabel"'),
    ("# mta-sfsf: disable", "# mta-sfsf: disable names no code"),
    ("# mta-sfsf: disable-file=", "# mta-sfsf: disable-file names no code"),
])
def test_a_comment_that_silences_nothing_is_a_warning(tmp_path, monkeypatch, capsys, comment,
                                                      message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mtad.yaml").write_text(HEAD + f"      SIZE: 1  {comment}\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "validate", "mtad.yaml", "--no-config")
    assert code == 0
    assert f"mtad.yaml:12:16: warning C001: {message}" in out
    assert "hint: write # mta-sfsf: disable=N020 (this line) or disable-file=N020" in out


def test_known_codes_of_a_comment_with_an_unknown_one_still_work(validate):
    assert validate("      API_TOKEN: abc  # mta-sfsf: disable=N020,N999\n") == (
        0, [("C001", "mtad.yaml", 12)], 1)


def test_a_duplicate_key_silenced_for_the_file(validate):
    assert validate("      A: 1\n      A: 2\n# mta-sfsf: disable-file=Y002\n") == (0, [], 1)


def test_silencing_works_in_every_chain(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mtad.yaml").write_text(
        HEAD + "      API_TOKEN: abc  # mta-sfsf: disable=N020\n      DB_PASSWORD:\n",
        encoding="utf-8")
    for name in ("dev", "prod"):
        (tmp_path / f"{name}.mtaext").write_text(
            f"_schema-version: '3.1'\nID: {name}\nextends: com.example.t\nmodules:\n"
            "  - name: app\n    properties:\n      DB_PASSWORD: x\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "validate", "mtad.yaml", "dev.mtaext", "prod.mtaext",
                           "--format", "json", "--no-config")
    assert (code, json.loads(out)["diagnostics"], json.loads(out)["summary"]["suppressed"]) == \
        (0, [], 1)
