"""expand -o OUTDIR replaces only files it wrote there itself (a manifest of their hashes), unless
--force: a hand-edited RUNBOOK.md or someone else's mtad.yaml is never silently lost."""
from __future__ import annotations

import json

import pytest

from expand_helpers import expand_sample as expand


def test_a_first_run_and_a_rerun_over_its_own_output_work(capsys, tmp_path):
    out = tmp_path / "out"
    assert expand(capsys, out)[0] == 0
    manifest = json.loads((out / ".mta-sfsf-manifest.json").read_text())
    assert set(manifest["files"]) == {"mtad.yaml", "plan.json", "RUNBOOK.md"}
    assert expand(capsys, out)[0] == 0
    assert expand(capsys, out, "--check")[0] == 0


@pytest.mark.parametrize("name", ["mtad.yaml", "plan.json", "RUNBOOK.md"])
def test_a_file_it_did_not_write_is_not_replaced_without_force(capsys, tmp_path, name):
    out = tmp_path / "out"
    out.mkdir()
    (out / name).write_text("mine, not the tool's\n")
    code, _, err = expand(capsys, out)
    assert code == 2 and f"{out / name}" in err and "--force" in err
    assert (out / name).read_text() == "mine, not the tool's\n"
    assert sorted(p.name for p in out.iterdir()) == [name]  # nothing else written either
    assert expand(capsys, out, "--force")[0] == 0
    assert (out / name).read_text() != "mine, not the tool's\n"


def test_a_file_edited_after_the_tool_wrote_it_is_kept(capsys, tmp_path):
    out = tmp_path / "out"
    assert expand(capsys, out)[0] == 0
    runbook = out / "RUNBOOK.md"
    runbook.write_text(runbook.read_text() + "\nMy own notes.\n")
    code, _, err = expand(capsys, out)
    assert code == 2 and "not what mta-sfsf last wrote there" in err
    assert runbook.read_text().endswith("My own notes.\n")
    assert expand(capsys, out, "--check")[0] == 1  # --check compares as before
