"""The README's examples, run as a user runs them (from a scratch folder holding a copy of
``sample-mta/``), asserting what the README promises: outputs, output shapes, exit codes.

Only examples that need no network are here; the online commands have their own tests.
"""
from __future__ import annotations

import io
import json
import re
import shutil
import sys
import zipfile

import pytest
from conftest import ROOT, SAMPLE, run_cli


README = (ROOT / "README.md").read_text(encoding="utf-8")
MAIN_JOB = ["expand", "sample-mta/mtad.yaml", "-e", "sample-mta/sample.mtaext", "-o", "out",
            "--mode", "runbook", "--host", "eu2.hana.ondemand.com", "--account", "mysubaccount"]
TOKEN_URL = "https://oauthasservices-mysubaccount.eu2.hana.ondemand.com/oauth2/api/v1/token"


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A scratch folder with a copy of the sample, as the working directory; no CI or
    landscape variables leaking in from the environment running the tests."""
    shutil.copytree(SAMPLE, tmp_path / "sample-mta")
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "MTA_SFSF_HOST", "MTA_SFSF_ACCOUNT"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def cli(scratch, capsys):
    """``cli(*argv)`` -> (exit code, stdout, stderr), through the console script's entry point."""
    return lambda *argv: run_cli(capsys, *argv)


def _sample_without_extension_warning() -> str:
    return (SAMPLE / "mtad.yaml").read_text(encoding="utf-8")


# --- Two commands ------------------------------------------------------------------------------

def test_main_job_writes_the_three_outputs_and_leaves_inputs_alone(cli, scratch):
    before = {p.name: p.read_bytes() for p in (scratch / "sample-mta").iterdir()}
    code, out, err = cli(*MAIN_JOB)
    assert code == 0, err
    assert sorted(p.name for p in (scratch / "out").iterdir()) == [
        ".mta-sfsf-manifest.json", "RUNBOOK.md", "mtad.yaml", "plan.json"]
    assert {p.name: p.read_bytes() for p in (scratch / "sample-mta").iterdir()} == before
    assert out == "0 error(s), 0 warning(s) in 2 files\n"  # the report: findings to stdout
    assert "wrote out/mtad.yaml, out/plan.json, out/RUNBOOK.md" in err  # progress to stderr
    assert "error(s)" not in err
    # runbook mode: the parameter is gone from the deployable descriptor
    assert "sfsf-outbound-connections" not in (scratch / "out" / "mtad.yaml").read_text()


def test_the_plan_is_deterministic_in_a_fixed_order_two_space_with_final_newline(cli, scratch):
    assert cli(*MAIN_JOB)[0] == 0
    first = (scratch / "out" / "plan.json").read_bytes()
    assert cli(*MAIN_JOB)[0] == 0
    assert (scratch / "out" / "plan.json").read_bytes() == first
    plan = json.loads(first)
    assert first.decode() == json.dumps(plan, indent=2, ensure_ascii=False) + "\n"
    assert list(plan)[:5] == ["format", "version", "mta", "mode", "landscape"]
    client = plan["steps"][0]
    assert list(client["fields"])[:4] == ["ID", "Name", "Subscription", "Authorization Grant"]
    job = next(s for s in plan["steps"] if s["id"].endswith("/JobTitleChanged"))
    assert list(job["fields"]["Configure Fields"]["value"]) == [
        "userId", "newJobTitle", "effectiveDate", "source"]  # the descriptor's order
    assert (plan["format"], plan["version"], plan["mode"]) == ("mta-sfsf-plan", 1, "runbook")
    assert plan["mta"] == {"id": "com.example.benefits", "version": "1.2.0"}
    assert plan["landscape"]["host"] == "eu2.hana.ondemand.com"
    assert plan["landscape"]["account"] == "mysubaccount"


def test_the_plan_steps_follow_the_documented_order_and_forms(cli, scratch):
    assert cli(*MAIN_JOB)[0] == 0
    plan = json.loads((scratch / "out" / "plan.json").read_text())
    kinds = {c["name"]: [s["kind"] for s in plan["steps"] if s["connection"] == c["name"]]
             for c in plan["connections"]}
    assert kinds["BenefitsEvents"] == ["btp-oauth-client", "sfsf-outbound-oauth-config",
                                       "sfsf-integration", "sfsf-integration"]
    assert kinds["BenefitsOutboundConnection"] == [
        "sfsf-x509-key", "btp-oauth-client", "btp-trusted-idp", "sfsf-outbound-oauth-config"]
    ids = [s["id"] for s in plan["steps"]]
    assert "BenefitsEvents/btp-oauth-client" in ids
    assert "BenefitsEvents/sfsf-integration/JobTitleChanged" in ids
    for step in plan["steps"]:
        assert {"id", "kind", "title", "connection", "module", "performed_by", "depends_on",
                "system", "fields", "outputs"} <= set(step), step["id"]
        assert step["performed_by"] in ("neo-deployer", "operator")
        assert all(dep in ids[:ids.index(step["id"])] for dep in step["depends_on"])
        for label, value in step["fields"].items():
            forms = {"value", "from", "secret", "placeholder"} & set(value)
            assert len(forms) == 1, (step["id"], label, value)
    events = next(c for c in plan["connections"] if c["name"] == "BenefitsEvents")
    assert events["token_url"]["value"] == TOKEN_URL and events["token_url"]["derived"]


def test_the_sample_secret_is_in_no_output(cli, scratch):
    assert cli(*MAIN_JOB)[0] == 0
    for output in (scratch / "out").iterdir():
        data = output.read_text()
        assert "FAKE-not-a-real-secret-0000" not in data, output.name
        assert "FAKE-db-password" not in data, output.name


# --- validate ----------------------------------------------------------------------------------

def test_validate_the_sample_with_its_extension(cli):
    code, out, err = cli("validate", "sample-mta/mtad.yaml", "-e", "sample-mta/sample.mtaext")
    assert (code, err) == (0, "")
    assert out == "0 error(s), 0 warning(s) in 2 files\n"


def _readme_text_example(scratch, cli):
    """The README's text example: the sample with ``integrations`` misspelt."""
    (scratch / "mtad.yaml").write_text(_sample_without_extension_warning().replace(
        "          integrations:", "          integration:"))
    shutil.copy(scratch / "sample-mta" / "sample.mtaext", scratch / "sample.mtaext")
    example = re.search(r"\$ mta-sfsf validate mtad.yaml -e sample.mtaext\n(.*?)```", README,
                        re.S).group(1)
    return example, cli("validate", "mtad.yaml", "-e", "sample.mtaext")


def test_the_readme_text_example_has_the_printed_position_path_hint_and_summary(cli, scratch):
    example, (code, out, err) = _readme_text_example(scratch, cli)
    assert (code, err) == (1, "")
    assert out.startswith("mtad.yaml:30:11: error F002: ")
    assert out.splitlines()[1:] == example.splitlines()[1:]


def test_the_readme_text_example_is_exactly_what_validate_prints(cli, scratch):
    example, (_, out, _) = _readme_text_example(scratch, cli)
    assert out == example


def test_validate_json_has_the_documented_shape(cli):
    code, out, err = cli("validate", "sample-mta/mtad.yaml", "--format", "json")
    assert code == 0  # R006 is a warning
    document = json.loads(out)
    assert set(document) == {"diagnostics", "summary"}
    assert document["summary"] == {"errors": 0, "warnings": 1, "files": 1, "suppressed": 0}
    (finding,) = document["diagnostics"]
    assert set(finding) == {"code", "severity", "message", "file", "line", "column", "path",
                            "hint"}
    assert (finding["code"], finding["file"], finding["line"], finding["column"]) == (
        "R006", "sample-mta/mtad.yaml", 64, 7)
    assert finding["path"] == "resources[0].properties.client-secret"


def test_validate_github_format_and_its_default_inside_actions(cli, monkeypatch):
    code, out, _ = cli("validate", "sample-mta/mtad.yaml", "--format", "github")
    assert code == 0
    assert out.startswith("::warning file=sample-mta/mtad.yaml,line=64,col=7,title=R006::")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli("validate", "sample-mta/mtad.yaml")[1] == out


def test_validate_reads_standard_input(cli, scratch, monkeypatch):
    data = (scratch / "sample-mta" / "mtad.yaml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = cli("validate", "-")
    assert code == 0
    assert out.startswith("<stdin>:64:7: warning R006")


def test_strict_makes_warnings_fail(cli):
    assert cli("validate", "sample-mta/mtad.yaml")[0] == 0
    assert cli("validate", "sample-mta/mtad.yaml", "--strict")[0] == 1


def test_extensions_repeat_or_comma_list_in_any_order(cli, scratch):
    second = scratch / "sample-mta" / "second.mtaext"
    second.write_text("_schema-version: '3.1'\nID: second\nextends: com.example.benefits.config\n"
                      "parameters:\n  hcp-deployer-version: '1.2.0'\n")
    for ext_args in (["-e", "sample-mta/second.mtaext,sample-mta/sample.mtaext"],
                     ["-e", "sample-mta/second.mtaext", "-e", "sample-mta/sample.mtaext"]):
        code, out, err = cli("validate", "sample-mta/mtad.yaml", *ext_args)
        assert (code, out, err) == (0, "0 error(s), 0 warning(s) in 3 files\n", ""), ext_args


def test_an_mtaext_alone_is_checked_on_its_own(cli, scratch):
    (scratch / "alone").mkdir()
    shutil.copy(scratch / "sample-mta" / "sample.mtaext", scratch / "alone")
    code, out, _ = cli("validate", "alone/sample.mtaext")
    assert code == 0
    assert "warning X011" in out
    code, out, err = cli("validate", "sample-mta/sample.mtaext")  # the mtad.yaml beside it
    assert (code, out, err) == (0, "0 error(s), 0 warning(s) in 2 files\n", "")


def test_an_unreadable_path_is_one_line_and_exit_2_and_the_others_are_still_checked(cli):
    code, out, err = cli("validate", "missing.yaml", "sample-mta/mtad.yaml")
    assert code == 2
    assert err == "mta-sfsf: error: missing.yaml: no such file\n"
    assert "sample-mta/mtad.yaml:64:7: warning R006" in out


def test_validate_an_mtar(cli, scratch):
    with zipfile.ZipFile(scratch / "app.mtar", "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        archive.write(scratch / "sample-mta" / "mtad.yaml", "META-INF/mtad.yaml")
    code, out, _ = cli("validate", "app.mtar", "--format", "json")
    assert code == 0
    assert json.loads(out)["diagnostics"][0]["file"] == "app.mtar!/META-INF/mtad.yaml"


# --- expand ------------------------------------------------------------------------------------

def test_check_is_0_when_current_and_1_naming_each_difference(cli, scratch):
    assert cli(*MAIN_JOB)[0] == 0
    assert cli(*MAIN_JOB, "--check")[0] == 0
    (scratch / "out" / "plan.json").write_text("{}\n")
    code, _, err = cli(*MAIN_JOB, "--check")
    assert code == 1
    assert "would change out/plan.json\n" in err
    assert (scratch / "out" / "plan.json").read_text() == "{}\n"  # --check writes nothing


def test_check_on_a_missing_folder_writes_nothing(cli, scratch):
    code, _, err = cli(*MAIN_JOB[:4], "-o", "expanded", "--check")
    assert code == 1
    assert not (scratch / "expanded").exists()


def test_diff_prints_the_descriptor_change_and_writes_nothing(cli, scratch):
    code, out, _ = cli("expand", "sample-mta/mtad.yaml", "-o", "out", "--diff")
    assert code == 0
    assert out.startswith("--- sample-mta/mtad.yaml\n+++ out/mtad.yaml\n@@ ")
    assert "-          client-secret: ~{sfsf-credentials/client-secret}\n" in out
    assert not (scratch / "out").exists()


def test_the_default_mode_gives_the_deployer_only_what_sap_documents(cli, scratch):
    code, out, _ = cli("expand", "sample-mta/mtad.yaml", "-e", "sample-mta/sample.mtaext",
                       "-o", "out", "--host", "eu2.hana.ondemand.com", "--account", "acc")
    assert code == 0
    assert "0 error(s), 0 warning(s)" in out
    text = (scratch / "out" / "mtad.yaml").read_text()
    assert "sfsf-outbound-connections:" in text and "subject-name-id: mail" in text
    assert "OAuth2ClientCredentials" not in text and "BenefitsEvents" not in text
    for key in ("integrations:", "client-name:", "client-secret:", "token-lifetime:"):
        assert f"          {key}" not in text, key
    plan = json.loads((scratch / "out" / "plan.json").read_text())
    assert plan["mode"] == "auto"
    assert [(c["name"], c["performed_by"]) for c in plan["connections"]] == [
        ("BenefitsEvents", "operator"), ("BenefitsOutboundConnection", "neo-deployer")]


def test_deployer_mode_says_what_sap_does_not_document(cli, scratch):
    code, out, _ = cli("expand", "sample-mta/mtad.yaml", "-e", "sample-mta/sample.mtaext",
                       "-o", "out", "--host", "eu2.hana.ondemand.com", "--account", "acc",
                       "--mode", "deployer")
    assert code == 0
    assert "warning P004" in out and "warning P001" not in out
    assert "warning P007" in out and "type: OAuth2ClientCredentials" in out
    assert "warning P008" in out and 'requires entry "sfsf-credentials"' in out
    text = (scratch / "out" / "mtad.yaml").read_text()
    assert "type: OAuth2ClientCredentials" in text and "subject-name-id: mail" in text
    for key in ("integrations:", "client-name:", "client-secret:", "token-lifetime:"):
        assert f"          {key}" not in text, key


def test_host_and_account_come_from_the_environment(cli, scratch, monkeypatch):
    monkeypatch.setenv("MTA_SFSF_HOST", "eu2.hana.ondemand.com")
    monkeypatch.setenv("MTA_SFSF_ACCOUNT", "mysubaccount")
    code, out, err = cli(*MAIN_JOB[:6], "--mode", "runbook")
    assert code == 0 and "P001" not in out + err
    plan = json.loads((scratch / "out" / "plan.json").read_text())
    assert plan["connections"][0]["token_url"]["value"] == TOKEN_URL


@pytest.mark.parametrize("host_args, code, stream, expected", [
    ([], 0, "out", "warning P001"),
    (["--host", "eu9.example.com", "--account", "a"], 0, "out", "warning P002"),
    (["--host", "not a host!", "--account", "a"], 2, "err", "mta-sfsf: error: --host"),
])
def test_host_findings(cli, host_args, code, stream, expected):
    result = cli("expand", "sample-mta/mtad.yaml", "-e", "sample-mta/sample.mtaext", "-o", "out",
                 *host_args)
    assert result[0] == code
    assert expected in result[{"out": 1, "err": 2}[stream]]


def test_strict_stops_the_expansion_on_a_warning(cli, scratch):
    code, _, err = cli("expand", "sample-mta/mtad.yaml", "-e", "sample-mta/sample.mtaext",
                       "-o", "out", "--strict")
    assert code == 1
    assert not (scratch / "out").exists()


def test_an_error_stops_the_expansion_before_anything_is_written(cli, scratch):
    (scratch / "bad.yaml").write_text(_sample_without_extension_warning().replace(
        "token-lifetime: 30d", "token-lifetime: 200d"))
    code, out, err = cli("expand", "bad.yaml", "-o", "out")
    assert code == 1 and "error F014" in out
    assert err == "mta-sfsf: nothing written: fix the errors first\n"
    assert not (scratch / "out").exists()


def test_templates_override_the_shipped_ones_by_name(cli, scratch):
    (scratch / "tpl").mkdir()
    (scratch / "tpl" / "RUNBOOK.md.j2").write_text("custom {{ 1 + 1 }}\n")
    assert cli(*MAIN_JOB, "--templates", "tpl")[0] == 0
    assert (scratch / "out" / "RUNBOOK.md").read_text() == "custom 2\n"


def test_an_output_that_would_overwrite_an_input_is_refused(cli, scratch):
    code, _, err = cli("expand", "sample-mta/mtad.yaml", "-o", "sample-mta")
    assert code == 2 and "is an input" in err


def test_a_descriptor_with_nothing_to_expand_comes_out_byte_identical(cli, scratch):
    text = _sample_without_extension_warning()
    plain = text[:text.index("      sfsf-outbound-connections:")] + text[text.index("    requires:"):]
    data = b"\xef\xbb\xbf" + plain.replace("\n", "\r\n").encode()
    (scratch / "plain.yaml").write_bytes(data)
    assert cli("expand", "plain.yaml", "-e", "sample-mta/sample.mtaext", "-o", "out")[0] == 0
    assert (scratch / "out" / "mtad.yaml").read_bytes() == data


def test_expanding_keeps_crlf_line_endings(cli, scratch):
    data = (scratch / "sample-mta" / "mtad.yaml").read_bytes().replace(b"\n", b"\r\n")
    (scratch / "crlf.yaml").write_bytes(data)
    assert cli("expand", "crlf.yaml", "-e", "sample-mta/sample.mtaext", "-o", "out")[0] == 0
    result = (scratch / "out" / "mtad.yaml").read_bytes()
    assert result != data and b"\n" not in result.replace(b"\r\n", b"")


def _mtar(path, descriptor: bytes, level: int = 1) -> None:
    payload = bytes((i * 7919) % 251 for i in range(50_000)) * 4
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        archive.writestr("META-INF/mtad.yaml", descriptor, zipfile.ZIP_DEFLATED)
        archive.writestr("benefits.war", payload, zipfile.ZIP_DEFLATED, compresslevel=level)


def _raw_entries(path) -> dict:
    """Every entry's name -> its stored (compressed) bytes."""
    data = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        entries = {}
        for info in archive.infolist():
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            entries[info.filename] = (info.compress_type, data[start:start + info.compress_size])
        return entries


def test_an_mtar_comes_out_under_its_own_name_with_only_the_descriptor_changed(cli, scratch):
    _mtar(scratch / "app.mtar", (scratch / "sample-mta" / "mtad.yaml").read_bytes())
    assert cli("expand", "app.mtar", "-e", "sample-mta/sample.mtaext", "-o", "out")[0] == 0
    assert sorted(p.name for p in (scratch / "out").iterdir()) == [
        ".mta-sfsf-manifest.json", "RUNBOOK.md", "app.mtar", "plan.json"]
    with zipfile.ZipFile(scratch / "app.mtar") as before, \
            zipfile.ZipFile(scratch / "out" / "app.mtar") as after:
        assert before.namelist() == after.namelist()
        changed = [n for n in before.namelist() if before.read(n) != after.read(n)]
    assert changed == ["META-INF/mtad.yaml"]


def test_an_mtar_keeps_every_other_entrys_compressed_bytes(cli, scratch):
    _mtar(scratch / "app.mtar", (scratch / "sample-mta" / "mtad.yaml").read_bytes(), level=1)
    assert cli("expand", "app.mtar", "-e", "sample-mta/sample.mtaext", "-o", "out")[0] == 0
    before, after = _raw_entries(scratch / "app.mtar"), _raw_entries(scratch / "out" / "app.mtar")
    assert before["benefits.war"] == after["benefits.war"]
    assert before["META-INF/MANIFEST.MF"] == after["META-INF/MANIFEST.MF"]


def test_expand_reports_like_validate(cli):
    args = ["sample-mta/mtad.yaml", "-e", "sample-mta/sample.mtaext", "--format", "json"]
    validated = json.loads(cli("validate", *args)[1])["summary"]
    expanded = json.loads(cli("expand", *args, "-o", "out", "--host", "eu2.hana.ondemand.com",
                              "--account", "a", "--mode", "runbook")[1])["summary"]
    assert expanded == validated


# --- exit codes --------------------------------------------------------------------------------

def test_exit_2_for_usage_errors_and_unreadable_inputs(cli, scratch):
    assert cli("validate")[0] == 2
    assert cli("validate", "sample-mta/mtad.yaml", "--format", "xml")[0] == 2
    assert cli("expand", "sample-mta/mtad.yaml")[0] == 2  # -o is required
    (scratch / "broken.mtar").write_bytes(b"PK\x03\x04 not really")
    code, _, err = cli("validate", "broken.mtar")
    assert code == 2 and err.startswith("mta-sfsf: error: broken.mtar: not a readable MTA archive")
    (scratch / "afile").write_text("")
    code, _, err = cli("expand", "sample-mta/mtad.yaml", "-o", "afile/sub")
    assert code == 2 and err.splitlines()[-1].startswith("mta-sfsf: error: cannot write afile/sub")


def test_exit_3_is_one_line_without_a_traceback_and_writes_nothing(capsys, scratch, monkeypatch):
    import mta_sfsf.expand.command

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("secret-looking text that must not be shown")

    monkeypatch.setattr(mta_sfsf.expand.command, "build_outputs", broken)
    code, out, err = run_cli(capsys, *MAIN_JOB, crash_expected=True)
    assert code == 3
    last = err.splitlines()[-1]
    assert last.startswith("mta-sfsf: internal error (ZeroDivisionError at ")
    assert "Traceback" not in err and "secret-looking" not in err
    assert not (scratch / "out").exists()


def test_exit_130_when_interrupted(cli, monkeypatch):
    import mta_sfsf.validate

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(mta_sfsf.validate, "run", interrupted)
    code, _, err = cli("validate", "sample-mta/mtad.yaml")
    assert (code, err) == (130, "mta-sfsf: interrupted\n")


# --- the README itself -------------------------------------------------------------------------

def test_the_pre_commit_hook_file_exists_with_the_documented_id():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: mta-sfsf-validate" in hooks


# --- Choosing and silencing rules --------------------------------------------------------------

def _silencing_section() -> str:
    return README.split("## Choosing and silencing rules", 1)[1].split("\n## ", 1)[0]


def test_the_inline_comment_example_silences_what_it_says(cli, scratch):
    descriptor = re.search(r"```yaml\n(.*?)```", _silencing_section(), re.S).group(1)
    (scratch / "mtad.yaml").write_text(descriptor, encoding="utf-8")
    code, out, _ = cli("validate", "mtad.yaml", "--format", "json")
    assert (code, json.loads(out)["diagnostics"], json.loads(out)["summary"]["suppressed"]) == \
        (0, [], 2)
    (scratch / "mtad.yaml").write_text(re.sub(r" *# mta-sfsf:.*", "", descriptor),
                                       encoding="utf-8")
    code, out, _ = cli("validate", "mtad.yaml", "--format", "json")
    assert code == 1 and [d["code"] for d in json.loads(out)["diagnostics"]] == ["N020", "N020"]


def test_the_configuration_example_and_commands_run_as_printed(cli, scratch):
    section = _silencing_section()
    (scratch / "pyproject.toml").write_text(
        re.search(r"```toml\n(.*?)```", section, re.S).group(1), encoding="utf-8")
    shutil.copy(scratch / "sample-mta" / "mtad.yaml", scratch / "mtad.yaml")
    (scratch / "ci").mkdir()
    (scratch / "ci" / "mta-sfsf.toml").write_text('ignore = ["R006"]\n', encoding="utf-8")
    code, out, _ = cli("validate", "mtad.yaml")  # the pyproject.toml above: strict, text
    assert code == 1 and "warning R006" in out  # strict = true: the sample's warning fails
    commands = re.search(r"```sh\n(.*?)```", section, re.S).group(1).splitlines()
    assert len(commands) == 3
    for line in commands:
        argv = line.split("#", 1)[0].split()
        assert argv[0] == "mta-sfsf"
        code, out, err = cli(*argv[1:])
        assert code == 0, (line, err)
        if "--format" in argv:
            assert json.loads(out)["summary"] == {"errors": 0, "warnings": 1, "files": 1,
                                                  "suppressed": 0}
