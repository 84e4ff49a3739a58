"""Several files at once, as pre-commit passes them: extension descriptors given as paths join
the descriptor they extend (same folder, else the nearest above) as alternatives, each chain
validated on its own; ``-e`` still states one chain."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import SAMPLE, run_cli

MTAD = (SAMPLE / "mtad.yaml").read_text(encoding="utf-8")
EXT = (SAMPLE / "sample.mtaext").read_text(encoding="utf-8")


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def validate(capsys, *argv):
    code, out, err = run_cli(capsys, "validate", *argv, "--format", "json")
    report = json.loads(out)
    return code, [(d["code"], d["file"], d["line"], d["message"]) for d in report["diagnostics"]], \
        report["summary"]


@pytest.fixture
def benefits(tmp_path, monkeypatch):
    """SAP's Benefits layout: one folder with mtad.yaml, dev.mtaext and prod.mtaext."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mtad.yaml", MTAD)
    write(tmp_path / "dev.mtaext", EXT.replace("benefits.config", "benefits.dev"))
    write(tmp_path / "prod.mtaext", EXT.replace("benefits.config", "benefits.prod"))
    return tmp_path


def test_two_extensions_of_one_parent_given_as_paths_are_alternatives(benefits, capsys):
    code, found, summary = validate(capsys, "mtad.yaml", "dev.mtaext", "prod.mtaext")
    assert (code, found) == (0, [])
    assert summary["files"] == 3


def test_an_extension_changed_alone_finds_its_siblings_descriptor(benefits, capsys):
    assert validate(capsys, "prod.mtaext")[:2] == (0, [])


def test_extensions_stated_with_e_still_form_one_chain(benefits, capsys):
    code, found, _ = validate(capsys, "mtad.yaml", "-e", "dev.mtaext", "-e", "prod.mtaext")
    assert code == 1
    assert [(c, f) for c, f, _, _ in found] == [("X001", "prod.mtaext")]
    assert "(chain" not in found[0][3]


def test_a_finding_of_one_chain_names_it_and_a_shared_one_is_reported_once(benefits, capsys):
    # prod forgets the client secret; both chains see the same unquoted number in mtad.yaml
    write(benefits / "prod.mtaext", EXT.replace("benefits.config", "benefits.prod")
          .replace("      client-secret: FAKE-not-a-real-secret-0000\n", "      other: x\n"))
    write(benefits / "mtad.yaml", MTAD.replace("runtime-version: '1'", "runtime-version: 1"))
    code, found, _ = validate(capsys, "mtad.yaml", "dev.mtaext", "prod.mtaext")
    assert code == 1
    by_code = {c: (f, line, message) for c, f, line, message in found}
    assert [c for c, *_ in found].count("N003") == 1
    assert by_code["N003"][0] == "mtad.yaml" and "(chain" not in by_code["N003"][2]
    assert by_code["R007"][0] == "mtad.yaml"
    assert by_code["R007"][2].endswith(" (chain: mtad.yaml -> prod.mtaext)")


def test_a_chain_of_alternatives_is_validated_to_each_leaf(benefits, capsys):
    # prod-eu extends prod; dev and prod-eu are the two leaves
    write(benefits / "prod-eu.mtaext", "_schema-version: '3.1'\nID: eu\n"
          "extends: com.example.benefits.prod\nmodules:\n  - name: nope\n")
    code, found, _ = validate(capsys, "mtad.yaml", "dev.mtaext", "prod.mtaext", "prod-eu.mtaext")
    assert code == 1
    assert [(c, f, m.rsplit(" (", 1)[-1]) for c, f, _, m in found] == [
        ("X005", "prod-eu.mtaext", "chain: mtad.yaml -> prod.mtaext -> prod-eu.mtaext)")]


def test_a_root_mta_yaml_does_not_take_the_extension_of_a_neo_folder(tmp_path, monkeypatch,
                                                                        capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mta.yaml", "_schema-version: '3.1'\nID: com.example.benefits\n"
          "version: 1.2.0\nmodules:\n  - name: ui\n    type: html5\n")
    write(tmp_path / "neo" / "mtad.yaml", MTAD)
    write(tmp_path / "neo" / "prod.mtaext", EXT)
    for argv in (["mta.yaml", "neo/mtad.yaml", "neo/prod.mtaext"],
                 ["neo/prod.mtaext", "mta.yaml", "neo/mtad.yaml"], ["neo/prod.mtaext"]):
        code, found, _ = validate(capsys, *argv)
        assert (code, found) == (0, []), argv


def test_an_extension_in_a_subfolder_finds_the_descriptor_above(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # the top of the repository: the search stops here
    write(tmp_path / "mtad.yaml", MTAD)
    write(tmp_path / "config" / "prod.mtaext", EXT)
    assert validate(capsys, "config/prod.mtaext")[:2] == (0, [])
    code, found, summary = validate(capsys, "config/prod.mtaext", "mtad.yaml")
    assert (code, found, summary["files"]) == (0, [], 2)
    write(tmp_path / "config" / "prod.mtaext", EXT.replace("benefits-db", "benefits-dbb"))
    code, found, _ = validate(capsys, "config/prod.mtaext")
    assert code == 1 and [c for c, *_ in found] == ["X005"]


def test_the_search_upwards_stops_at_the_top_of_the_repository(tmp_path, monkeypatch, capsys):
    write(tmp_path / "mtad.yaml", MTAD)  # outside the repository below
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "config" / "prod.mtaext", EXT)
    monkeypatch.chdir(repo)
    code, found, _ = validate(capsys, "config/prod.mtaext")
    assert code == 0 and [c for c, *_ in found] == ["X011"]


def test_another_mtas_descriptor_committed_alone_passes(benefits, capsys):
    write(benefits / "other" / "mta.yaml", "_schema-version: '3.1'\nID: com.example.other\n"
          "version: 1.0.0\nmodules:\n  - name: ui\n    type: html5\n")
    assert validate(capsys, "other/mta.yaml")[:2] == (0, [])
    assert validate(capsys, "other/mta.yaml", "dev.mtaext", "prod.mtaext")[:2] == (0, [])


def test_a_descriptor_found_for_an_extension_is_read_once_and_counted(benefits, capsys):
    shutil.copy(benefits / "mtad.yaml", benefits / "copy.yaml")
    code, found, summary = validate(capsys, "dev.mtaext", "prod.mtaext")
    assert (code, found, summary["files"]) == (0, [], 3)
