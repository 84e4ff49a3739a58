"""What ``validate`` reads: files, folders, standard input, MTA archives, extension descriptors
among the paths; and how it refuses what it cannot read."""
from __future__ import annotations

import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from mta_sfsf.cli import main
from mta_sfsf.descriptor.yaml_io import MAX_BYTES

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample-mta"
GOOD = (SAMPLE / "mtad.yaml").read_text(encoding="utf-8")
BAD = GOOD.replace("  - name: benefits-db\n    type", "  - name: benefits-db\n    type: x\n    type", 1)


def run_json(capsys, *argv):
    code = main(["validate", "--format", "json", *argv])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def places(report):
    return [(d["code"], Path(d["file"]).name, d["line"], d["column"]) for d in report["diagnostics"]]


def make_mtar(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_mtar_is_read_from_its_meta_inf_descriptor(tmp_path, capsys):
    mtar = make_mtar(tmp_path / "app.mtar", {"META-INF/MANIFEST.MF": "Manifest-Version: 1.0\n",
                                             "META-INF/mtad.yaml": BAD})
    code, report, _ = run_json(capsys, str(mtar))
    assert code == 1
    assert {d["file"] for d in report["diagnostics"]} == {f"{mtar}!/META-INF/mtad.yaml"}
    assert ("Y002", 67, 5) in [(d["code"], d["line"], d["column"]) for d in report["diagnostics"]]


def test_mtar_with_its_extension(tmp_path, capsys):
    mtar = make_mtar(tmp_path / "app.mtar", {"META-INF/mtad.yaml": GOOD})
    code, report, _ = run_json(capsys, str(mtar), "-e", str(SAMPLE / "sample.mtaext"))
    assert (code, report["diagnostics"]) == (0, [])


@pytest.mark.parametrize("members, words", [
    ({"META-INF/MANIFEST.MF": "Manifest-Version: 1.0\n"}, "not an MTA archive: it has no "
                                                          "META-INF/mtad.yaml"),
    (None, "not a readable MTA archive"),
])
def test_unusable_mtar_is_one_line_and_exit_2(tmp_path, capsys, members, words):
    path = tmp_path / "app.mtar"
    if members is None:
        path.write_bytes(b"PK\x03\x04 this is not really a zip file" * 10)
    else:
        make_mtar(path, members)
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.splitlines()
    assert lines[0].startswith(f"mta-sfsf: error: {path}: {words}")
    assert "Traceback" not in err and len([l for l in lines if "error:" in l]) == 1


def test_mtar_with_a_huge_descriptor_is_refused_before_reading_it(tmp_path, capsys):
    path = tmp_path / "bomb.mtar"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("META-INF/mtad.yaml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(MAX_BYTES // len(chunk) + 1):
                member.write(chunk)
    assert path.stat().st_size < 200_000  # a tiny archive that unpacks to more than the limit
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"META-INF/mtad.yaml is {MAX_BYTES + 1024 * 1024:,} bytes; the limit is" in err


def test_folder_is_searched_for_its_descriptor(tmp_path, capsys):
    shutil.copy(SAMPLE / "mtad.yaml", tmp_path / "mtad.yaml")
    code, report, _ = run_json(capsys, str(tmp_path), "-e", str(SAMPLE / "sample.mtaext"))
    assert (code, report["summary"]) == (0, {"errors": 0, "warnings": 0, "files": 2, "suppressed": 0})


def test_folder_without_a_descriptor(tmp_path, capsys):
    code = main(["validate", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err.startswith(f"mta-sfsf: error: {tmp_path}: is a folder without")


def test_missing_file_does_not_stop_the_others(tmp_path, capsys):
    bad = tmp_path / "mtad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    code, report, err = run_json(capsys, str(tmp_path / "missing.yaml"), str(bad))
    assert code == 2
    assert err.splitlines()[0] == f"mta-sfsf: error: {tmp_path / 'missing.yaml'}: no such file"
    assert ("Y002", "mtad.yaml", 67, 5) in places(report)
    assert report["summary"]["files"] == 1


def test_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code, report, _ = run_json(capsys, "-")
    assert code == 1
    assert ("Y002", "<stdin>", 67, 5) in places(report)


def test_several_descriptors_each_get_their_own_extensions(tmp_path, capsys):
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "mtad.yaml").write_text(GOOD.replace("com.example.benefits", f"com.{name}"),
                                          encoding="utf-8")
        (folder / "config.mtaext").write_text(
            (SAMPLE / "sample.mtaext").read_text(encoding="utf-8")
            .replace("com.example.benefits", f"com.{name}"), encoding="utf-8")
    paths = [str(tmp_path / n / f) for n in ("two", "one") for f in ("config.mtaext", "mtad.yaml")]
    code, report, _ = run_json(capsys, *paths)
    assert (code, report["diagnostics"], report["summary"]["files"]) == (0, [], 4)


def test_extension_alone_is_checked_with_the_descriptor_beside_it(tmp_path, capsys):
    shutil.copy(SAMPLE / "mtad.yaml", tmp_path / "mtad.yaml")
    ext = tmp_path / "prod.mtaext"
    ext.write_text((SAMPLE / "sample.mtaext").read_text(encoding="utf-8")
                   .replace("extends: com.example.benefits", "extends: com.example.other"),
                   encoding="utf-8")
    code, report, _ = run_json(capsys, str(ext))
    assert code == 1
    assert ("X002", "prod.mtaext", 5, 10) in places(report)
    assert report["summary"]["files"] == 2


def test_extension_alone_without_a_descriptor_is_checked_on_its_own(tmp_path, capsys):
    ext = tmp_path / "prod.mtaext"
    shutil.copy(SAMPLE / "sample.mtaext", ext)
    code, report, _ = run_json(capsys, str(ext))
    assert code == 0  # a pre-commit run that only sees the .mtaext must not fail for that
    assert places(report) == [("X011", "prod.mtaext", 5, 10)]
    assert "chain to \"com.example.benefits\" is not checked" in report["diagnostics"][0]["message"]
    ext.write_text(ext.read_text(encoding="utf-8") + "modules: oops\n", encoding="utf-8")
    code, report, _ = run_json(capsys, str(ext))
    assert code == 1 and ("S002", "prod.mtaext", 15, 10) in places(report)


@pytest.mark.parametrize("data, expected", [
    (b"", ("Y005", 1, 1)),
    (b"# only a comment\n", ("Y005", 1, 1)),
    (b"- a\n- b\n", ("Y005", 1, 1)),
    (b"ID: caf\xe9\n", ("Y003", 1, 8)),
    (b"ID: a\x00b\n", ("Y001", 1, 6)),
])
def test_unusable_content_is_a_diagnostic_not_a_crash(tmp_path, capsys, data, expected):
    path = tmp_path / "mtad.yaml"
    path.write_bytes(data)
    code, report, err = run_json(capsys, str(path))
    assert code == 1 and "Traceback" not in err
    assert [(d["code"], d["line"], d["column"]) for d in report["diagnostics"]] == [expected]


def test_a_file_over_the_limit_is_read_only_one_byte_past_it(tmp_path, capsys):
    from mta_sfsf.descriptor.load import read_bytes

    big = tmp_path / "mtad.yaml"
    with open(big, "wb") as handle:
        handle.truncate(MAX_BYTES + 4096)  # sparse: no disk written
    assert len(read_bytes(str(big))[1]) == MAX_BYTES + 1
    assert main(["validate", str(big)]) == 1
    assert f"input is larger than the {MAX_BYTES:,}-byte limit" in capsys.readouterr().out
