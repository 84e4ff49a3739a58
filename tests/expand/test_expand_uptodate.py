"""expand renders RUNBOOK.md again only when something it is made from changed: the plan, how
expand was called, the templates, the rendering code or Jinja2. Otherwise the runbook it wrote
stays as it is, and Jinja2 is not even imported."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from expand_helpers import SAMPLE, SAMPLE_ARGS as ARGS, expand_sample
from mta_sfsf.expand import render as render_module
from mta_sfsf.expand import runbook


def expand(capsys, out, *extra, args=ARGS):
    code, _, err = expand_sample(capsys, out, *extra, args=args)
    assert code == 0, err


@pytest.fixture
def renders(mocker):
    return mocker.spy(render_module, "render")


def test_a_rerun_with_nothing_changed_keeps_the_runbook_without_rendering(capsys, tmp_path,
                                                                          renders):
    out = tmp_path / "out"
    expand(capsys, out)
    first = (out / "RUNBOOK.md").read_bytes()
    assert renders.call_count == 1
    expand(capsys, out)
    expand(capsys, out, "--check")
    assert renders.call_count == 1
    assert (out / "RUNBOOK.md").read_bytes() == first
    manifest = json.loads((out / ".mta-sfsf-manifest.json").read_text())
    assert set(manifest["rendered"]) == {"RUNBOOK.md"}


def test_a_changed_plan_renders_again(capsys, tmp_path, renders):
    out = tmp_path / "out"
    expand(capsys, out)
    first = (out / "RUNBOOK.md").read_text()
    expand(capsys, out, args=ARGS[:2] + ["--host", "us3.hana.ondemand.com", "--account", "acme"])
    assert renders.call_count == 2
    assert (out / "RUNBOOK.md").read_text() != first
    assert "us3.hana.ondemand.com" in (out / "RUNBOOK.md").read_text()


def test_a_runbook_edited_by_hand_is_rendered_again_with_force(capsys, tmp_path, renders):
    out = tmp_path / "out"
    expand(capsys, out)
    first = (out / "RUNBOOK.md").read_text()
    (out / "RUNBOOK.md").write_text(first + "my note\n")
    expand(capsys, out, "--force")
    assert renders.call_count == 2
    assert (out / "RUNBOOK.md").read_text() == first


def test_a_users_template_folder_always_renders(capsys, tmp_path, renders):
    out = tmp_path / "out"
    mine = tmp_path / "templates"
    mine.mkdir()
    expand(capsys, out, "--templates", str(mine))
    expand(capsys, out, "--templates", str(mine))
    assert renders.call_count == 2
    manifest = json.loads((out / ".mta-sfsf-manifest.json").read_text())
    assert manifest["rendered"] == {}


def test_the_digest_covers_the_templates_the_plan_and_the_call(tmp_path, monkeypatch):
    plan, call = {"steps": []}, {"plan": "out/plan.json"}
    digest = runbook.rendering_digest(plan, call)
    assert digest is not None and digest == runbook.rendering_digest(plan, call)
    assert runbook.rendering_digest({"steps": [1]}, call) != digest
    assert runbook.rendering_digest(plan, {"plan": "elsewhere/plan.json"}) != digest
    copy = tmp_path / "templates"
    shutil.copytree(runbook.shipped_templates(), copy)
    monkeypatch.setattr(runbook, "_TEMPLATE_FOLDERS", (str(copy),))
    assert runbook.rendering_digest(plan, call) == digest
    with open(copy / "_steps.md.j2", "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert runbook.rendering_digest(plan, call) != digest


def test_an_up_to_date_rerun_does_not_import_jinja2(tmp_path):
    out = tmp_path / "out"
    argv = ["expand", str(SAMPLE / "mtad.yaml"), "-o", str(out), *ARGS, "-q"]
    script = ("import sys; from mta_sfsf.cli import main; code = main(%r); "
              "print('jinja2' in sys.modules, 'dataclasses' in sys.modules); sys.exit(code)"
              % argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                           text=True, timeout=60) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0], runs[-1].stderr
    assert [run.stdout.split() for run in runs] == [["True", "False"], ["False", "False"]]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_in_place_of_the_runbook_is_not_read(capsys, tmp_path, renders):
    out = tmp_path / "out"
    expand(capsys, out)
    (out / "RUNBOOK.md").unlink()
    os.mkfifo(out / "RUNBOOK.md")  # reading it would wait for a writer forever
    expand(capsys, out, "--force")
    assert renders.call_count == 2 and (out / "RUNBOOK.md").is_file()
