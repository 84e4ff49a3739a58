"""Shared helpers for the expand tests: preparing a case folder, building an .mtar, running the
CLI in a folder with a clean environment."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Dict, List, Tuple

from mta_sfsf.cli import main

HERE = Path(__file__).resolve().parent
CASES = HERE / "expand-cases"
GOLDEN = HERE / "golden"
SAMPLE = HERE.parent / "sample-mta"
FIXED_TIME = (2024, 5, 17, 12, 30, 0)
# The sample's extension and a landscape, for expanding the sample into an output folder.
SAMPLE_ARGS = ["-e", str(SAMPLE / "sample.mtaext"), "--host", "eu2.hana.ondemand.com",
               "--account", "acme"]


def expand_sample(capsys, out, *extra, args=SAMPLE_ARGS):
    """``mta-sfsf expand`` of the sample into ``out`` -> (exit code, stdout, stderr)."""
    from conftest import run_cli

    return run_cli(capsys, "expand", str(SAMPLE / "mtad.yaml"), "-o", str(out), *args, *extra)


def build_mtar(path: Path, descriptor: bytes) -> None:
    """A small MTA archive: manifest first, stored and deflated entries, a binary one."""
    manifest = (b"Manifest-Version: 1.0\r\nCreated-By: test\r\n\r\nName: benefits.war\r\n"
                b"MTA-Module: benefits-app\r\nContent-Type: application/zip\r\n\r\n")
    entries = [("META-INF/MANIFEST.MF", manifest, zipfile.ZIP_STORED),
               ("META-INF/mtad.yaml", descriptor, zipfile.ZIP_DEFLATED),
               ("benefits.war", bytes(range(256)) * 40, zipfile.ZIP_STORED),
               ("resources/tiles.json", b'{"tiles": []}\n' * 50, zipfile.ZIP_DEFLATED)]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data, compression in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def prepare(case: str, work: Path) -> List[str]:
    """Copy a case into ``work`` and return its command-line arguments."""
    work.mkdir(parents=True, exist_ok=True)
    source = CASES / case
    if case.startswith("sample"):
        for name in ("mtad.yaml", "sample.mtaext"):
            shutil.copyfile(SAMPLE / name, work / name)
    for item in source.iterdir():
        if item.name != "args":
            shutil.copyfile(item, work / item.name)
    if case == "mtar":
        build_mtar(work / "app.mtar", (work / "mtad.yaml").read_bytes())
        (work / "mtad.yaml").unlink()
    return ["expand"] + (source / "args").read_text(encoding="utf-8").split()


def run(args: List[str], work: Path, monkeypatch, capsys) -> Tuple[int, str, str]:
    """``mta-sfsf <args>`` in ``work``, without the host/account/CI environment variables."""
    for name in ("MTA_SFSF_HOST", "MTA_SFSF_ACCOUNT", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(work)
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def outputs(folder: Path) -> Dict[str, bytes]:
    """The files of an output folder; an .mtar contributes its META-INF/mtad.yaml as mtad.yaml.
    The manifest of what expand wrote (hashes of the others) is not an output to compare."""
    found: Dict[str, bytes] = {}
    for item in sorted(folder.iterdir()):
        if item.name == ".mta-sfsf-manifest.json":
            continue
        if item.suffix == ".mtar":
            with zipfile.ZipFile(item) as archive:
                found["mtad.yaml"] = archive.read("META-INF/mtad.yaml")
        else:
            found[item.name] = item.read_bytes()
    return found
