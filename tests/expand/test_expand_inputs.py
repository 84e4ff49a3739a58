"""``mta-sfsf expand``: what it accepts as PATH, and that its inputs stay untouched (a folder's
descriptor, standard input with a byte-order mark), and the wording of its own warnings."""
from __future__ import annotations

import io
import sys

import pytest

from expand_helpers import SAMPLE, outputs, prepare, run
from mta_sfsf.expand.connections import parse
from mta_sfsf.expand.plan import build
from mta_sfsf.descriptor.yaml_io import load_text

BOM = b"\xef\xbb\xbf"


# --- an output that would overwrite an input ------------------------------------------------------

@pytest.mark.parametrize("path, outdir", [("app", "app"), (".", "."), ("app/", "./app")])
def test_a_folder_as_path_is_never_overwritten(path, outdir, tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    folder = work / "app" if path.startswith("app") else work
    folder.mkdir(parents=True)
    for name in ("mtad.yaml", "sample.mtaext"):
        (folder / name).write_bytes((SAMPLE / name).read_bytes())
    before = (folder / "mtad.yaml").read_bytes()
    ext = "app/sample.mtaext" if path.startswith("app") else "sample.mtaext"
    code, _, err = run(["expand", path, "-e", ext, "-o", outdir], work, monkeypatch, capsys)
    assert code == 2, err
    assert "is an input" in err.splitlines()[-1]
    assert (folder / "mtad.yaml").read_bytes() == before
    assert not (folder / "plan.json").exists() and not (folder / "RUNBOOK.md").exists()


def test_an_extension_given_as_a_folder_is_never_overwritten(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("nothing", work)
    (work / "ext").mkdir()
    (work / "ext" / "mtad.yaml").write_text("_schema-version: '3.1'\nID: e\n"
                                            "extends: com.example.plain\n")
    code, _, err = run(args + ["-e", "ext", "-o", "ext"], work, monkeypatch, capsys)
    assert code == 2 and "is an input" in err
    assert not (work / "ext" / "plan.json").exists()


# --- only a deployment descriptor is expanded -----------------------------------------------------

def test_an_extension_descriptor_as_path_is_refused(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    prepare("sample", work)
    code, _, err = run(["expand", "sample.mtaext", "-o", "out"], work, monkeypatch, capsys)
    assert code == 2
    last = err.splitlines()[-1]
    assert last.startswith("mta-sfsf: error: sample.mtaext is an extension descriptor")
    assert "-e sample.mtaext" in last
    assert not (work / "out").exists()


def test_an_extension_descriptor_on_standard_input_is_refused(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    prepare("sample", work)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        (work / "sample.mtaext").read_bytes())))
    code, _, err = run(["expand", "-", "-o", "out"], work, monkeypatch, capsys)
    assert code == 2 and "is an extension descriptor" in err
    assert not (work / "out").exists()


@pytest.mark.parametrize("where", ["mta.yaml", "folder"])
def test_a_development_descriptor_as_path_is_refused(where, tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    prepare("nothing", work)
    (work / "mtad.yaml").rename(work / "mta.yaml")
    code, _, err = run(["expand", "mta.yaml" if where == "mta.yaml" else ".", "-o", "out"], work,
                       monkeypatch, capsys)
    assert code == 2
    last = err.splitlines()[-1]
    assert "is a development descriptor (mta.yaml)" in last and ".mtar" in last
    assert not (work / "out").exists()


# --- standard input -------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["nothing", "sample"])
def test_standard_input_keeps_its_byte_order_mark(case, tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare(case, work)
    assert run(args + ["-o", "from-file"], work, monkeypatch, capsys)[0] == 0
    data = BOM + (work / "mtad.yaml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, _, err = run(["expand", "-"] + args[2:] + ["-o", "out"], work, monkeypatch, capsys)
    assert code == 0, err
    produced = outputs(work / "out")["mtad.yaml"]
    if case == "nothing":
        assert produced == data
    else:
        assert produced == BOM + outputs(work / "from-file")["mtad.yaml"]


# --- the wording of expand's own warnings ---------------------------------------------------------

WORDING = """\
_schema-version: '3.1'
ID: w
version: 1.0.0
modules:
  - name: app
    type: com.sap.java
    parameters:
      name: benefits
      sfsf-outbound-connections:
        - name: C
          type: OAuth2ClientCredentials
          client-id: abc
          token-lifetime: 1d
          integrations:
            - name: I1
              event: E
"""


def test_plan_warnings_name_module_connection_and_integration_in_quotes():
    tree, _ = load_text(WORDING, "w.yaml")
    messages = {d.code: d.message for d in build(tree, parse(tree, "w.yaml"), "deployer",
                                                  "eu2.hana.ondemand.com", "acc").warnings}
    assert messages == {
        "P004": 'module "app", outbound connection "C": "client-id", "token-lifetime" ignored in '
                "deployer mode; the Neo deployer chooses them",
        "P006": 'module "app", outbound connection "C", integration "I1": no endpoint',
    }


def test_a_module_without_a_name_parameter_is_named_in_quotes():
    tree, _ = load_text(WORDING.replace("      name: benefits\n", ""), "w.yaml")
    messages = {d.code: d.message for d in build(tree, parse(tree, "w.yaml"), "runbook",
                                                  "eu2.hana.ondemand.com", "acc").warnings}
    assert messages["P003"] == ('module "app": no "name" parameter: the application URL and the '
                                "Subscription are unknown")
