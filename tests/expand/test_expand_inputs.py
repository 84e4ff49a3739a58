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
    text = "_schema-version: '3.1'\nID: e\nextends: com.example.plain\n"
    (work / "ext" / "prod.mtaext").write_text(text)
    code, _, err = run(args + ["-e", "ext", "-o", "ext"], work, monkeypatch, capsys)
    assert code == 0, err  # the folder stands for its .mtaext files: no output is one of them
    assert (work / "ext" / "prod.mtaext").read_text() == text
    assert (work / "ext" / "plan.json").exists()


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
        "P004": 'module "app", outbound connection "C": "client-id", "token-lifetime" removed for '
                "the Neo deployer: SAP documents no such key for it, and does not state what it "
                "sets instead",
        "P007": 'module "app", outbound connection "C": "type: OAuth2ClientCredentials" goes to '
                "the Neo deployer, but no SAP page documents that value (SAP shows "
                "sfsf-outbound-connections only with type: OAuth2SAMLBearerAssertion, in Modeling "
                "SAP SuccessFactors Extensions)",
        "P006": 'module "app", outbound connection "C", integration "I1": no endpoint',
    }


def test_a_module_without_a_name_parameter_is_named_in_quotes():
    tree, _ = load_text(WORDING.replace("      name: benefits\n", ""), "w.yaml")
    messages = {d.code: d.message for d in build(tree, parse(tree, "w.yaml"), "runbook",
                                                  "eu2.hana.ondemand.com", "acc").warnings}
    assert messages["P003"] == ('module "app": no "name" parameter: the application URL and the '
                                "Subscription are unknown")


def test_an_extension_folder_means_its_mtaext_files_not_its_mtad_yaml(tmp_path, monkeypatch,
                                                                        capsys):
    from mta_sfsf.cli import main

    work = tmp_path / "work"
    prepare("sample", work)
    (work / "config").mkdir()
    (work / "sample.mtaext").rename(work / "config" / "sample.mtaext")
    (work / "config" / "mtad.yaml").write_text((work / "mtad.yaml").read_text())
    monkeypatch.chdir(work)
    assert main(["validate", "mtad.yaml", "-e", "config", "--strict"]) == 0
    assert "X003" not in capsys.readouterr().err
    assert main(["expand", "mtad.yaml", "-e", "config", "-o", "out", "--host",
                 "eu2.hana.ondemand.com", "--account", "acc", "--strict"]) == 0
    capsys.readouterr()
    (work / "empty").mkdir()
    assert main(["validate", "mtad.yaml", "-e", "empty"]) == 2
    assert "empty: a folder without .mtaext files" in capsys.readouterr().err


@pytest.mark.parametrize("token_url, names", [
    ("https://oauthasservices-other.eu2.hana.ondemand.com/oauth2/api/v1/token",
     "subaccount other, not --account acc"),
    ("https://oauthasservices-acc.eu1.hana.ondemand.com/oauth2/api/v1/token",
     "subaccount acc on eu1.hana.ondemand.com, not --host eu2.hana.ondemand.com"),
    ("https://tokens.example.com/oauth2/api/v1/token",
     "host tokens.example.com, not an oauthasservices-<subaccount> token endpoint"),
    ("https://oauthasservices-acc.eu2.hana.ondemand.com/oauth2/api/v1/token", None),
])
def test_a_token_url_of_another_subaccount_or_host_is_a_warning(token_url, names):
    source = WORDING.replace("          client-id: abc\n", f"          token-url: {token_url}\n")
    tree, _ = load_text(source, "w.yaml")
    found = {d.code: d for d in build(tree, parse(tree, "w.yaml"), "auto",
                                      "eu2.hana.ondemand.com", "acc").warnings}
    if names is None:
        assert "P009" not in found
    else:
        assert found["P009"].message == (f'module "app", outbound connection "C": token-url '
                                         f"{token_url} names {names}")
        assert found["P009"].path == "modules[0].parameters.sfsf-outbound-connections[0]" \
                                     ".token-url"


def test_the_cockpit_is_sap_s_for_each_known_host_and_unknown_otherwise():
    from mta_sfsf.expand.landscape import cockpit_url

    assert cockpit_url("eu1.hana.ondemand.com") == "https://account.hana.ondemand.com/cockpit"
    assert cockpit_url("hana.ondemand.com") == "https://account.hana.ondemand.com/cockpit"
    assert cockpit_url("cn1.platform.sapcloud.cn") == \
        "https://account.cn1.platform.sapcloud.cn/cockpit"
    assert cockpit_url("neo.example.com") is None


@pytest.mark.parametrize("case, mode, expected", [
    ("client-credentials", "deployer",
     'used the empty parameter "payroll-client-secret" of module "payroll-app"'),
    ("sample", "deployer", 'used the empty property "client-secret" of resource '
                           '"sfsf-credentials" and the requires entry "sfsf-credentials" of '
                           'module "benefits-app"'),
    ("sample", "auto", None),  # the runbook steps still use the secret
    ("sample-still-used", "deployer", None),  # another key still refers to the property
])
def test_a_secret_only_the_removed_keys_used_is_reported(case, mode, expected, tmp_path,
                                                         monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare(case.replace("-still-used", ""), work)
    if case == "sample-still-used":
        text = (work / "mtad.yaml").read_text()
        (work / "mtad.yaml").write_text(text.replace(
            "      role-provider: sfsf\n",
            "      role-provider: sfsf\n      secret-copy: ~{sfsf-credentials/client-secret}\n"))
    args = [a for a in args if a not in ("--mode", "runbook")]
    code, out, err = run(args + ["-o", "out", "--mode", mode], work, monkeypatch, capsys)
    assert code == 0, out + err
    leftovers = [line for line in out.splitlines() if " P008: " in line]
    if expected is None:
        assert leftovers == []
    else:
        assert len(leftovers) == 1 and expected in leftovers[0]
