"""``mta-sfsf expand``: golden outputs per case, determinism, and the behaviour around them
(--check, --diff, refusing to overwrite inputs, validation errors, --strict, templates).

Golden files live in ``tests/golden/<case>/``; regenerate them with ``UPDATE_GOLDEN=1 pytest
tests/test_expand.py`` and review the diff: they are the product.
"""
from __future__ import annotations

import json
import os
import re
import zipfile

import pytest

from expand_helpers import CASES, GOLDEN, outputs, prepare, run

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASE_NAMES)
def test_golden(case, tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare(case, work) + ["-o", "out"]
    code, out, err = run(args, work, monkeypatch, capsys)
    assert code == 0, err
    produced = outputs(work / "out")
    # The report on stdout, only this command's own findings: the validator's wording belongs
    # to the rule tests. Progress on stderr, all of it.
    own, in_plan_warning = [], False
    for line in out.splitlines():
        if re.match(r"^.+?:\d+:\d+: \w+ P\d{3}: ", line):
            own.append(line)
            in_plan_warning = True
        elif in_plan_warning and line.startswith("    "):  # its key path and hint
            own.append(line)
        else:
            in_plan_warning = False
    produced["stdout.txt"] = "".join(line + "\n" for line in own).encode("utf-8")
    produced["stderr.txt"] = err.encode("utf-8")
    expected_dir = GOLDEN / case
    if UPDATE:
        expected_dir.mkdir(parents=True, exist_ok=True)
        for old in expected_dir.iterdir():
            old.unlink()
        for name, data in produced.items():
            (expected_dir / name).write_bytes(data)
    expected = {p.name: p.read_bytes() for p in sorted(expected_dir.iterdir())}
    assert sorted(produced) == sorted(expected)
    for name in expected:
        assert produced[name] == expected[name], f"{case}/{name} differs from the golden file"


@pytest.mark.parametrize("case", ["sample", "multi", "mtar"])
def test_second_expand_gives_identical_bytes(case, tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare(case, work)
    assert run(args + ["-o", "out"], work, monkeypatch, capsys)[0] == 0
    first = {name: (work / "out" / name).read_bytes() for name in os.listdir(work / "out")}
    for name in first:
        (work / "out" / name).unlink()
    assert run(args + ["-o", "out"], work, monkeypatch, capsys)[0] == 0
    for name, data in first.items():
        assert (work / "out" / name).read_bytes() == data, name


def test_input_without_connections_is_copied_byte_for_byte(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("nothing", work)
    assert run(args + ["-o", "out"], work, monkeypatch, capsys)[0] == 0
    assert (work / "out" / "mtad.yaml").read_bytes() == (work / "mtad.yaml").read_bytes()
    plan = json.loads((work / "out" / "plan.json").read_text())
    assert plan["steps"] == [] and plan["connections"] == []


def test_mtar_keeps_every_other_entry(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("mtar", work)
    assert run(args + ["-o", "out"], work, monkeypatch, capsys)[0] == 0
    with zipfile.ZipFile(work / "app.mtar") as before, \
            zipfile.ZipFile(work / "out" / "app.mtar") as after:
        old, new = before.infolist(), after.infolist()
        assert [i.filename for i in old] == [i.filename for i in new]
        for a, b in zip(old, new):
            assert (a.compress_type, a.date_time, a.external_attr) == \
                (b.compress_type, b.date_time, b.external_attr), a.filename
            if a.filename != "META-INF/mtad.yaml":
                assert before.read(a) == after.read(b), a.filename
        assert b"sfsf-outbound-connections" in after.read("META-INF/mtad.yaml")
        assert b"integrations" not in after.read("META-INF/mtad.yaml")


def test_mtar_without_connections_is_copied_byte_for_byte(tmp_path, monkeypatch, capsys):
    from expand_helpers import build_mtar

    work = tmp_path / "work"
    prepare("nothing", work)
    build_mtar(work / "plain.mtar", (work / "mtad.yaml").read_bytes())
    code, _, err = run(["expand", "plain.mtar", "-o", "out"], work, monkeypatch, capsys)
    assert code == 0, err
    assert (work / "out" / "plain.mtar").read_bytes() == (work / "plain.mtar").read_bytes()


def test_check_reports_differences_and_writes_nothing(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("sample", work)
    code, _, err = run(args + ["-o", "out", "--check"], work, monkeypatch, capsys)
    assert code == 1 and "would create out/plan.json" in err
    assert not (work / "out").exists()
    assert run(args + ["-o", "out"], work, monkeypatch, capsys)[0] == 0
    assert run(args + ["-o", "out", "--check"], work, monkeypatch, capsys)[0] == 0
    (work / "out" / "RUNBOOK.md").write_text("edited by hand\n")
    code, _, err = run(args + ["-o", "out", "--check"], work, monkeypatch, capsys)
    assert code == 1 and "would change out/RUNBOOK.md" in err and "plan.json" not in err
    assert (work / "out" / "RUNBOOK.md").read_text() == "edited by hand\n"


def test_diff_prints_the_descriptor_change_and_writes_nothing(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("sample", work)
    code, out, _ = run(args + ["-o", "out", "--diff"], work, monkeypatch, capsys)
    assert code == 0
    assert out.startswith("--- mtad.yaml\n+++ out/mtad.yaml\n")
    assert "-          client-secret: ~{sfsf-credentials/client-secret}\n" in out
    assert not [line for line in out.splitlines() if line.startswith("+") and
                not line.startswith("+++")]
    assert not (work / "out").exists()


def test_refuses_to_overwrite_its_input(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("sample", work)
    before = (work / "mtad.yaml").read_bytes()
    code, _, err = run(args + ["-o", "."], work, monkeypatch, capsys)
    assert code == 2 and "is an input" in err
    assert (work / "mtad.yaml").read_bytes() == before
    assert not (work / "plan.json").exists()


def test_an_output_folder_that_cannot_be_written_is_one_line_and_exit_2(
        tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("sample", work)
    (work / "taken").write_text("a file, not a folder")
    code, _, err = run(args + ["-o", "taken"], work, monkeypatch, capsys)
    assert code == 2
    assert "mta-sfsf: error: cannot write taken" in err and "Traceback" not in err
    (work / "out" / "plan.json").mkdir(parents=True)  # an output name taken by a folder
    code, _, err = run(args + ["-o", "out"], work, monkeypatch, capsys)
    assert code == 2 and "cannot write out" in err and "internal error" not in err


def test_validation_errors_stop_before_anything_is_written(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("sample", work)
    text = (work / "mtad.yaml").read_text().replace("type: OAuth2ClientCredentials",
                                                     "type: OAuth2ClientCredential")
    (work / "mtad.yaml").write_text(text)
    code, out, err = run(args + ["-o", "out"], work, monkeypatch, capsys)
    assert code == 1 and "F003" in out and err == "mta-sfsf: nothing written: fix the errors first\n"
    assert not (work / "out").exists()


def test_strict_stops_on_plan_warnings(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("sample", work)  # the sample's client-secret gives P004 in deployer mode
    code, out, err = run(args + ["-o", "out", "--strict", "--mode", "deployer"], work,
                         monkeypatch, capsys)
    assert code == 1 and "P004" in out and "P007" in out and "warnings fail with --strict" in err
    assert not (work / "out").exists()


def test_the_sample_is_clean_in_the_default_mode(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("sample", work)
    code, out, err = run(args + ["-o", "out", "--strict"], work, monkeypatch, capsys)
    assert code == 0, err
    assert "0 error(s), 0 warning(s)" in out + err


@pytest.mark.parametrize("host, code, needle", [
    ("eu2.hana.ondemand.com", 0, ""),
    ("https://EU2.hana.ondemand.com/", 0, ""),
    ("neo.example.com", 0, "P002"),  # a finding: on stdout
    ("not a host", 2, "is not a host name"),  # a usage error: on stderr
    ("eu2..hana", 2, "is not a host name"),
])
def test_host_is_checked(host, code, needle, tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    prepare("sample", work)
    result, out, err = run(["expand", "mtad.yaml", "-o", "out", "--host", host, "--account",
                            "acct"], work, monkeypatch, capsys)
    assert result == code, err
    assert needle in (out if code == 0 else err)
    if code == 0:
        plan = json.loads((work / "out" / "plan.json").read_text())
        assert plan["landscape"]["host"] == host.lower().replace("https://", "").rstrip("/")


def test_host_and_account_from_the_environment(tmp_path, monkeypatch, capsys):
    from mta_sfsf.cli import main

    work = tmp_path / "work"
    prepare("sample", work)
    monkeypatch.chdir(work)
    monkeypatch.setenv("MTA_SFSF_HOST", "us1.hana.ondemand.com")
    monkeypatch.setenv("MTA_SFSF_ACCOUNT", "fromenv")
    assert main(["expand", "mtad.yaml", "-e", "sample.mtaext", "-o", "out"]) == 0
    plan = json.loads((work / "out" / "plan.json").read_text())
    assert plan["connections"][0]["token_url"]["value"] == \
        "https://oauthasservices-fromenv.us1.hana.ondemand.com/oauth2/api/v1/token"


def test_user_templates_override_shipped_ones(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("sample", work)
    templates = work / "tpl"
    templates.mkdir()
    (templates / "RUNBOOK.md.j2").write_text(
        "{% for s in plan.steps %}{{ loop.index }} {{ s.id }} {{ s.performed_by }}\n{% endfor %}")
    assert run(args + ["-o", "out", "--templates", "tpl"], work, monkeypatch, capsys)[0] == 0
    lines = (work / "out" / "RUNBOOK.md").read_text().splitlines()
    assert lines[0] == "1 BenefitsEvents/btp-oauth-client operator"
    assert lines[2] == "3 BenefitsEvents/sfsf-integration/JobTitleChanged operator"
    assert lines[4] == "5 BenefitsOutboundConnection/sfsf-x509-key neo-deployer"


def test_a_template_fault_is_a_usage_error(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("sample", work)
    (work / "tpl").mkdir()
    (work / "tpl" / "RUNBOOK.md.j2").write_text("{{ plan.no_such_key }}\n")
    code, _, err = run(args + ["-o", "out", "--templates", "tpl"], work, monkeypatch, capsys)
    assert code == 2 and "no_such_key" in err
    assert not (work / "out").exists()


def test_unsafe_rewrite_is_refused_with_exit_3(tmp_path, monkeypatch, capsys):
    from mta_sfsf.descriptor import edit

    work = tmp_path / "work"
    args = prepare("sample", work)
    monkeypatch.setattr(edit, "remove_keys", lambda text, tree, paths: text + "extra: 1\n")
    code, _, err = run(args + ["-o", "out"], work, monkeypatch, capsys)
    assert code == 3 and "would not be the intended descriptor" in err
    assert not (work / "out").exists()


def test_unreadable_input_is_exit_2(tmp_path, monkeypatch, capsys):
    code, _, err = run(["expand", "missing.yaml", "-o", "out"], tmp_path, monkeypatch, capsys)
    assert code == 2 and "missing.yaml" in err


def test_plan_steps_are_in_dependency_order(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("multi", work)
    assert run(args + ["-o", "out"], work, monkeypatch, capsys)[0] == 0
    plan = json.loads((work / "out" / "plan.json").read_text())
    seen = set()
    for step in plan["steps"]:
        assert set(step["depends_on"]) <= seen, step["id"]
        seen.add(step["id"])
    kinds = [s["kind"] for s in plan["steps"] if s["connection"] == "TimeSaml"]
    assert kinds == ["sfsf-x509-key", "btp-oauth-client", "btp-trusted-idp",
                     "sfsf-outbound-oauth-config"]


def test_runbook_mode_removes_the_parameter_and_the_operator_does_everything(
        tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare("sample-runbook", work)
    assert run(args + ["-o", "out"], work, monkeypatch, capsys)[0] == 0
    assert b"sfsf-outbound-connections" not in (work / "out" / "mtad.yaml").read_bytes()
    plan = json.loads((work / "out" / "plan.json").read_text())
    assert {s["performed_by"] for s in plan["steps"]} == {"operator"}


@pytest.mark.parametrize("source", [
    "modules: 7\n",
    "modules: [7, {name: m}, {name: m, type: com.sap.java, parameters: 7}]\n",
    "modules:\n  - name: m\n    type: com.sap.java\n    parameters:\n"
    "      sfsf-outbound-connections: {a: 1}\n",
    "modules:\n  - name: m\n    type: com.sap.java\n    parameters:\n"
    "      sfsf-outbound-connections: [7, {name: [x]},"
    " {name: a, type: OAuth2ClientCredentials, integrations: 5, client-secret: [1],"
    " token-lifetime: {x: 1}, assertion-attributes-mapping: [1]}]\n",
    "resources: 5\nmodules:\n  - name: m\n    type: java.tomcat\n    requires: 3\n"
    "    parameters:\n"
    "      sfsf-outbound-connections:\n        - name: a\n"
    "          type: OAuth2SAMLBearerAssertion\n"
    "          client-secret: ~{x}\n          integrations: [{name: i, fields: [1]}, {event: e}]\n",
])
def test_model_and_plan_never_crash_on_unexpected_shapes(source):
    from mta_sfsf.expand.connections import parse
    from mta_sfsf.expand.plan import build
    from mta_sfsf.descriptor.yaml_io import load_text

    tree, _ = load_text(source, "t.yaml")
    connections = parse(tree, "t.yaml")
    for mode in ("deployer", "runbook"):
        plan = build(tree, connections, mode, None, None)
        json.loads(plan.to_json())


def test_only_java_modules_have_outbound_connections():
    """The validator checks the parameter on com.sap.java and java.tomcat modules only (elsewhere
    it is an unknown parameter, N008), so expand must not plan or strip what nobody checked."""
    from mta_sfsf.expand.command import removal_paths
    from mta_sfsf.expand.connections import parse
    from mta_sfsf.descriptor.yaml_io import load_text

    source = ("modules:\n"
              "  - name: web\n    type: com.sap.hcp.html5\n    parameters:\n"
              "      sfsf-outbound-connections: [{name: X, type: Bogus, client-id: i}]\n"
              "  - name: app\n    type: java.tomcat\n    parameters:\n"
              "      sfsf-outbound-connections: [{name: Y, type: OAuth2ClientCredentials,"
              " client-id: i}]\n")
    tree, _ = load_text(source, "t.yaml")
    assert [c.name for c in parse(tree, "t.yaml")] == ["Y"]
    for mode in ("deployer", "runbook"):
        assert {p[1] for p in removal_paths(tree, mode)} == {1}
