"""Inputs a CI system will meet, on purpose or not. Each must end with a clear message (file:line:col
and key path for a descriptor) and the documented exit code: never a traceback, never a hang. A fault found here is kept as a
test marked ``xfail(strict=True)`` until it is fixed.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile

import pytest
from conftest import ROOT, SAMPLE, run_cli

from mta_sfsf.cli import main

SUBPROCESS_TIMEOUT = 10
HEADER = ("_schema-version: '3.1'\nID: com.example.hostile\nversion: 1.0.0\nparameters:\n"
          "  hcp-deployer-version: '1.1.0'\nmodules:\n")


@pytest.fixture
def ws(tmp_path, monkeypatch):
    """A scratch working folder with the sample in it, and no CI or landscape variables."""
    for name in ("mtad.yaml", "sample.mtaext"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "MTA_SFSF_HOST", "MTA_SFSF_ACCOUNT"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def cli(ws, capsys):
    """``cli(*argv)`` -> (exit code, stdout, stderr), in process; asserts it did not crash."""
    return lambda *argv: run_cli(capsys, *argv)


def spawn(*argv: str, stdin=None, limit_memory: int = 0, timeout: float = SUBPROCESS_TIMEOUT):
    """The CLI in a fresh process (for hangs, memory and real file descriptors)."""

    def limit():
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "mta_sfsf", *argv], stdin=stdin,
                          capture_output=True, timeout=timeout, env=env, preexec_fn=limit)


def module(name: str = "app", app: str = "app", extra: str = "") -> str:
    return (f"  - name: {name}\n    type: com.sap.java\n    parameters:\n      name: {app}\n"
            + extra)


# --- text encodings and layout -----------------------------------------------------------------

def test_windows_line_endings_give_the_same_positions(cli, ws):
    text = HEADER + module(name="bad name")
    (ws / "lf.yaml").write_text(text)
    (ws / "crlf.yaml").write_bytes(text.replace("\n", "\r\n").encode())
    lf, crlf = cli("validate", "lf.yaml"), cli("validate", "crlf.yaml")
    assert lf[0] == crlf[0] == 1
    assert crlf[2] == lf[2].replace("lf.yaml", "crlf.yaml")
    assert cli("validate", "mtad.yaml", "-e", "sample.mtaext")[0] == 0


def test_a_tab_in_the_indentation_is_a_syntax_error_at_its_place(cli, ws):
    (ws / "tabs.yaml").write_text(HEADER + module().replace("    type", "\ttype"))
    code, out, _ = cli("validate", "tabs.yaml")
    assert code == 1
    assert out.startswith("tabs.yaml:8:1: error Y001: ")


def test_a_utf8_bom_shifts_no_column(cli, ws):
    text = HEADER + module(name="bad name")
    (ws / "plain.yaml").write_text(text)
    (ws / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    plain, bom = cli("validate", "plain.yaml"), cli("validate", "bom.yaml")
    assert plain[0] == bom[0] == 1
    assert bom[1] == plain[1].replace("plain.yaml", "bom.yaml")
    assert "bom.yaml:7:11: error S003" in bom[1]


def test_unicode_names_are_reported_with_position_and_key_path(cli, ws):
    (ws / "uni.yaml").write_text(HEADER + module(name="模块😀", extra=(
        "      sfsf-outbound-connections:\n        - name: Verbindung-ä\n"
        "          type: OAuth2ClientCredentials\n")), encoding="utf-8")
    code, out, _ = cli("validate", "uni.yaml")
    assert code == 1
    assert "uni.yaml:7:11: error S003: " in out and '"模块😀"' in out
    assert "    at modules[0].name\n" in out
    assert "uni.yaml:12:17: error F010" in out
    assert "    at modules[0].parameters.sfsf-outbound-connections[0].name\n" in out


def test_non_utf8_is_refused_at_the_byte(cli, ws):
    (ws / "latin1.yaml").write_bytes(HEADER.encode() + module(app="caf\xe9").encode("latin-1"))
    code, out, _ = cli("validate", "latin1.yaml")
    assert code == 1
    assert "latin1.yaml:10:16: error Y003: not UTF-8: byte 0xe9" in out


# --- size --------------------------------------------------------------------------------------

def test_ten_thousand_modules_with_a_fault_in_the_last(cli, ws):
    modules = "".join(module(name=f"m{i}", app=f"app{i}") for i in range(9_999))
    (ws / "big.yaml").write_text(HEADER + modules + module(name="m 9999"))
    code, out, _ = cli("validate", "big.yaml")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"big.yaml:{7 + 4 * 9_999}:11: error S003: ")
    assert lines[1] == "    at modules[9999].name"
    assert lines[-1] == "1 error(s), 0 warning(s) in 1 file"


def test_a_15_mb_descriptor_is_read_and_a_17_mb_one_refused(cli, ws):
    comment = "# " + "x" * 1_000 + "\n"
    body = HEADER + module()
    (ws / "15mb.yaml").write_text(body + comment * 15_000)
    assert cli("validate", "15mb.yaml")[0] == 0
    (ws / "17mb.yaml").write_text(body + comment * 17_000)
    code, out, _ = cli("validate", "17mb.yaml")
    assert code == 1
    assert out.startswith("17mb.yaml:1:1: error Y003: input is ")


def test_a_chain_of_a_thousand_extension_files_in_any_order(cli, ws):
    parent = "com.example.benefits"
    names = []
    for i in range(1_000):
        name = f"e{i:04}.mtaext"
        (ws / name).write_text(f"_schema-version: '3.1'\nID: ext{i}\nextends: {parent}\n"
                               "resources:\n  - name: sfsf-credentials\n    properties:\n"
                               f"      client-secret: s{i}\n")
        parent = f"ext{i}"
        names.append(name)
    code, out, err = cli("validate", "mtad.yaml", "-e", ",".join(reversed(names)))
    assert (code, out, err) == (0, "0 error(s), 0 warning(s) in 1001 files\n", "")


def test_a_thousand_extensions_of_the_same_parent_are_each_reported(cli, ws):
    names = [f"e{i:04}.mtaext" for i in range(1_000)]
    for i, name in enumerate(names):
        (ws / name).write_text(
            f"_schema-version: '3.1'\nID: ext{i}\nextends: com.example.benefits\n")
    code, out, _ = cli("validate", "mtad.yaml", "-e", ",".join(names), "--format", "json")
    assert code == 1
    findings = json.loads(out)["diagnostics"]
    clashes = [d for d in findings if d["code"] == "X001"]
    assert len(clashes) >= 999 and all(d["line"] == 3 for d in clashes)


def test_a_thousand_alternatives_given_as_paths_are_bounded(cli, ws):
    from mta_sfsf.descriptor.pairing import MAX_CHAINS

    names = [f"e{i:04}.mtaext" for i in range(1_000)]
    for i, name in enumerate(names):
        (ws / name).write_text(
            f"_schema-version: '3.1'\nID: ext{i}\nextends: com.example.benefits\n")
    started = time.monotonic()
    code, out, _ = cli("validate", "mtad.yaml", *names, "--format", "json")
    assert time.monotonic() - started < 10
    findings = json.loads(out)["diagnostics"]
    assert not [d for d in findings if d["code"] == "X001"]  # alternatives, not one chain
    left_over = [d["file"] for d in findings if d["code"] == "X011"]
    assert left_over == names[MAX_CHAINS:]
    assert code == 1  # each chain leaves the client secret empty (R007)


def test_deep_nesting_and_alias_bombs_are_refused_quickly(cli, ws):
    (ws / "deep.yaml").write_text(HEADER + "x: " + "[" * 5_000 + "]" * 5_000 + "\n")
    assert "error Y003" in cli("validate", "deep.yaml")[1]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
        for i in range(8))
    (ws / "bomb.yaml").write_text(HEADER.replace("modules:\n", "") + bomb)
    assert "error Y003" in cli("validate", "bomb.yaml")[1]


# --- special files -----------------------------------------------------------------------------

def test_dev_zero_is_refused_as_too_large(ws):
    result = spawn("validate", "/dev/zero")
    assert result.returncode == 1
    assert result.stdout.decode().startswith("/dev/zero:1:1: error Y003: input is ")
    result = spawn("validate", "-", stdin=open("/dev/zero", "rb"))
    assert result.returncode == 1 and b"<stdin>:1:1: error Y003" in result.stdout
    result = spawn("verify", "/dev/zero")
    assert result.returncode == 2 and result.stderr.startswith(b"mta-sfsf: error: /dev/zero: ")


def test_an_empty_input_is_one_finding(cli, ws):
    (ws / "empty.yaml").write_text("# nothing here\n")
    code, out, _ = cli("validate", "empty.yaml")
    assert (code, out.splitlines()[0]) == (1, "empty.yaml:1:1: error Y005: the descriptor is empty")


def test_a_pipe_as_input_is_read_like_a_file(ws):
    # A FIFO without a writer blocks, as `cat` does: that is how pipes work, and what shell
    # process substitution, `validate <(generate-descriptor)`, relies on. With a writer it is read.
    import threading

    os.mkfifo(ws / "fifo.yaml")
    writer = threading.Thread(target=lambda: (ws / "fifo.yaml").write_bytes(
        (SAMPLE / "mtad.yaml").read_bytes()))
    writer.start()
    result = spawn("validate", "fifo.yaml", "-e", "sample.mtaext", timeout=20)
    writer.join(5)
    assert result.returncode == 0, result.stderr


def test_a_folder_without_a_descriptor_and_a_device_as_extension(cli, ws):
    (ws / "empty-folder").mkdir()
    code, _, err = cli("validate", "empty-folder")
    assert code == 2 and err.startswith("mta-sfsf: error: empty-folder: is a folder without ")
    code, out, _ = cli("validate", "mtad.yaml", "-e", "/dev/null")
    assert code == 1 and "/dev/null:1:1: error Y005" in out


# --- archives ----------------------------------------------------------------------------------

def _archive(path, entries, level=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in entries:
            if isinstance(name, zipfile.ZipInfo):
                archive.writestr(name, data)
            else:
                archive.writestr(name, data)


def test_an_mtar_with_escaping_paths_and_symlinks_writes_only_into_outdir(cli, ws, tmp_path):
    link = zipfile.ZipInfo("link-to-passwd")
    link.external_attr = 0o120777 << 16
    _archive(ws / "app.mtar", [("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"),
                               ("META-INF/mtad.yaml", (SAMPLE / "mtad.yaml").read_bytes()),
                               ("../../escaped.txt", "evil"), (link, "/etc/passwd")])
    assert cli("validate", "app.mtar", "-e", "sample.mtaext")[0] == 0
    code, _, err = cli("expand", "app.mtar", "-e", "sample.mtaext", "-o", "out/deep")
    assert code == 0, err
    assert sorted(p.name for p in (ws / "out" / "deep").iterdir()) == [
        ".mta-sfsf-manifest.json", "RUNBOOK.md", "app.mtar", "plan.json"]
    assert not (ws / "escaped.txt").exists() and not (tmp_path.parent / "escaped.txt").exists()


def test_a_descriptor_entry_larger_than_the_limit_is_refused_before_reading(cli, ws):
    _archive(ws / "big.mtar", [("META-INF/mtad.yaml", b"#" * (17 * 1024 * 1024))])
    code, _, err = cli("validate", "big.mtar")
    assert code == 2
    assert "big.mtar: META-INF/mtad.yaml is 17,825,792 bytes; the limit is" in err


def test_a_descriptor_entry_that_lies_about_its_size_is_refused(cli, ws):
    _archive(ws / "lie.mtar", [("META-INF/mtad.yaml", b"#" * (20 * 1024 * 1024))])
    data = bytearray((ws / "lie.mtar").read_bytes())
    with zipfile.ZipFile(ws / "lie.mtar") as archive:
        info = archive.getinfo("META-INF/mtad.yaml")
    # the central directory claims 100 bytes: a zip bomb's trick
    central = data.rindex(b"PK\x01\x02")
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    data[info.header_offset + 22:info.header_offset + 26] = (100).to_bytes(4, "little")
    (ws / "lie.mtar").write_bytes(bytes(data))
    code, _, err = cli("validate", "lie.mtar")
    assert code == 2 and err.startswith("mta-sfsf: error: lie.mtar: not a readable MTA archive")


def test_an_mtar_with_two_descriptors_is_refused(cli, ws):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        _archive(ws / "dup.mtar", [("META-INF/mtad.yaml", HEADER + "  - [broken\n"),
                                   ("META-INF/mtad.yaml", (SAMPLE / "mtad.yaml").read_bytes())])
    code, _, err = cli("validate", "dup.mtar", "-e", "sample.mtaext")
    assert code == 2 and "META-INF/mtad.yaml" in err


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory):
    """A 0.3 MB .mtar whose application entry inflates to 320 MiB."""
    path = tmp_path_factory.mktemp("bomb") / "app.mtar"
    entry = zipfile.ZipInfo("benefits.war")
    entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", compresslevel=1) as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        archive.writestr("META-INF/mtad.yaml", (SAMPLE / "mtad.yaml").read_bytes())
        with archive.open(entry, "w") as stream:
            chunk = bytes(16 * 1024 * 1024)
            for _ in range(20):
                stream.write(chunk)
    return path


def test_validating_a_zip_bomb_reads_only_the_descriptor(ws, zip_bomb):
    result = spawn("validate", str(zip_bomb), "-e", "sample.mtaext", limit_memory=400 << 20)
    assert result.returncode == 0, result.stderr


def test_expanding_a_zip_bomb_copies_entries_without_inflating_them(ws, zip_bomb):
    plain = ws / "plain.mtar"
    _archive(plain, [("META-INF/mtad.yaml", (SAMPLE / "mtad.yaml").read_bytes())])
    limit = 400 << 20
    sane = spawn("expand", str(plain), "-e", "sample.mtaext", "-o", "out1", limit_memory=limit)
    assert sane.returncode == 0, sane.stderr  # the limit itself is generous
    result = spawn("expand", str(zip_bomb), "-e", "sample.mtaext", "-o", "out2",
                   limit_memory=limit)
    assert result.returncode == 0, result.stderr.decode()[-200:]


# --- outputs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("outdir", ["/proc/mta-sfsf-out", "afile", "afile/sub", "/dev/null"])
def test_an_output_folder_that_cannot_be_written_is_one_line_and_exit_2(cli, ws, outdir):
    (ws / "afile").write_text("")
    code, out, err = cli("expand", "mtad.yaml", "-e", "sample.mtaext", "-o", outdir)
    assert code == 2
    assert err.splitlines()[-1].startswith(f"mta-sfsf: error: cannot write {outdir}/")
    assert (ws / "afile").read_text() == ""


# --- plan.json ---------------------------------------------------------------------------------

@pytest.fixture
def plan(cli, ws):
    code, _, err = cli("expand", "mtad.yaml", "-e", "sample.mtaext", "-o", "out", "--host",
                       "eu2.hana.ondemand.com", "--account", "acc")
    assert code == 0, err
    return ws / "out" / "plan.json"


def test_a_huge_plan_is_refused(cli, ws):
    (ws / "huge.json").write_bytes(b" " * (11 * 1024 * 1024))
    code, _, err = cli("verify", "huge.json")
    assert code == 2 and "huge.json: larger than 10,485,760 bytes" in err


@pytest.mark.parametrize("document", [[], {"format": "mta-sfsf-plan", "version": 2},
                                      {"format": "mta-sfsf-plan", "version": 1, "steps": {}},
                                      {"format": "mta-sfsf-plan", "version": True}])
def test_a_plan_of_the_wrong_shape_is_one_line_and_exit_2(cli, ws, document):
    (ws / "p.json").write_text(json.dumps(document))
    code, _, err = cli("verify", "p.json")
    assert code == 2 and err.count("\n") == 1 and err.startswith("mta-sfsf: error: p.json: ")


@pytest.mark.parametrize("command", ["verify", "payload"])
def test_a_deeply_nested_plan_or_payload_is_an_input_error(cli, ws, plan, command):
    (ws / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    if command == "verify":
        argv = ["verify", "deep.json"]
    else:
        argv = ["simulate-event", str(plan), "--integration", "JobTitleChanged", "--payload",
                "deep.json", "--token-url", "http://127.0.0.1:9/t", "--app-url",
                "http://127.0.0.1:9"]
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code == 2


def test_hostile_strings_in_a_plan_error_stay_on_one_escaped_line(cli, ws):
    step = {"id": "\x1b]0;pwn\x07\n::error file=x::injected", "kind": "k"}
    (ws / "p.json").write_text(json.dumps({"format": "mta-sfsf-plan", "version": 1,
                                           "steps": [step, step], "connections": []}))
    code, out, err = cli("verify", "p.json", "--format", "github")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "\x1b" not in err


HOSTILE_NAME = "Benefits\x1b]0;pwn\x07\n::error file=x::injected"


def _hostile_plan(plan) -> None:
    text = plan.read_text().replace("BenefitsEvents", json.dumps(HOSTILE_NAME)[1:-1])
    plan.write_text(text)


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_verify_escapes_hostile_names_from_the_plan(cli, plan, fmt):
    _hostile_plan(plan)
    code, out, err = cli("verify", str(plan), "--format", fmt, "--token-url",
                         "http://127.0.0.1:9/t", "--app-url", "http://127.0.0.1:9")
    assert code == 1
    both = out + err
    assert "\x1b" not in both and "\x07" not in both
    assert not any(line.startswith("::error file=x") for line in both.splitlines())


# --- hostile names in descriptors --------------------------------------------------------------

HOSTILE_DESCRIPTOR = HEADER.replace("ID: com.example.hostile",
                                    'ID: "evil\\e[31mRED\\n::error file=x,line=1::pwned"') + (
    '  - name: "m\\n::error::injected\\r\\n::add-mask::x"\n'
    "    type: com.sap.java\n"
    '    "\\e]0;title\\a\\n::warning::k": 1\n'
    "    parameters:\n      name: app\n")


def test_github_annotations_cannot_be_injected_through_names(cli, ws):
    (ws / "h.yaml").write_text(HOSTILE_DESCRIPTOR)
    code, out, _ = cli("validate", "h.yaml", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3
    assert all(line.startswith(("::error file=h.yaml,", "::warning file=h.yaml,"))
               for line in lines)


def test_github_annotations_carry_no_control_characters(cli, ws):
    (ws / "h.yaml").write_text(HOSTILE_DESCRIPTOR)
    out = cli("validate", "h.yaml", "--format", "github")[1]
    assert not any(ch in out for ch in "\x1b\x07")


def test_text_and_json_reports_escape_control_characters(cli, ws):
    (ws / "h.yaml").write_text(HOSTILE_DESCRIPTOR)
    code, out, _ = cli("validate", "h.yaml")
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert not any(line.startswith("::") for line in out.splitlines())
    assert 'matching failed at "\\x1b[31mRED\\n::error file=x,line=1::pwned"' in out
    out = cli("validate", "h.yaml", "--format", "json")[1]
    assert out.isascii() and len(json.loads(out)["diagnostics"]) == 3


def test_text_report_escapes_c1_controls_and_bidi_overrides(cli, ws):
    (ws / "c1.yaml").write_text(HEADER + module(extra='      "\\u009b31mX\\u202eY": 1\n'))
    out = cli("validate", "c1.yaml")[1]
    assert "\u009b" not in out and "\u202e" not in out


SHELL_NAMES = HEADER + module(app="a$(touch pwned1)`touch pwned2`", extra=(
    "      sfsf-outbound-connections:\n"
    "        - name: C1\n          type: OAuth2ClientCredentials\n          integrations:\n"
    "            - name: \"I1$(touch pwned3);x\"\n              event: Change in Job Title\n"
    "              endpoint: /api/events\n"))


def test_shell_metacharacters_never_reach_a_runbook_command_unquoted(cli, ws):
    (ws / "shell.yaml").write_text(SHELL_NAMES)
    code, out, _ = cli("expand", "shell.yaml", "-o", "out", "--mode", "runbook", "--host",
                       "eu2.hana.ondemand.com", "--account", "acc")
    if code == 1:
        assert "I1$(touch pwned3);x" in out  # refused, naming it: fine
        return
    assert "--integration I1$(touch pwned3);x" not in (ws / "out" / "RUNBOOK.md").read_text()


def test_an_application_name_that_cannot_be_a_host_label_is_refused(cli, ws):
    (ws / "shell.yaml").write_text(SHELL_NAMES)
    code, out, _ = cli("validate", "shell.yaml")
    assert code == 1 and "modules[0].parameters.name" in out


def test_a_multiline_description_cannot_restructure_the_runbook(cli, ws):
    (ws / "d.yaml").write_text(SHELL_NAMES.replace("I1$(touch pwned3);x", "I1").replace(
        "              endpoint:", "              description: \"x\\n\\n# Injected\\n```sh\\n"
        "rm -rf /\\n```\"\n              endpoint:"))
    code, _, err = cli("expand", "d.yaml", "-o", "out", "--mode", "runbook")
    if code == 1:
        return  # refused: fine
    runbook = (ws / "out" / "RUNBOOK.md").read_text()
    assert "\n# Injected" not in runbook and "\n```sh\nrm -rf /" not in runbook


def test_shell_metacharacters_are_never_executed(cli, ws):
    (ws / "shell.yaml").write_text(SHELL_NAMES)
    cli("expand", "shell.yaml", "-o", "out", "--mode", "runbook")
    assert not any((ws / f"pwned{i}").exists() for i in (1, 2, 3))


# --- secrets -----------------------------------------------------------------------------------

SECRET = "S3CRET-PLANTED-"
PLANTED = HEADER.replace("parameters:\n", f"parameters:\n  db-password: {SECRET}1\n") + module(
    extra=(f"      password: {SECRET}2\n      password: {SECRET}3\n"
           "      sfsf-outbound-connections:\n"
           "        - name: C1\n          type: OAuth2ClientCredentials\n"
           f"          client-secret: {SECRET}4\n"
           f"          client-sceret: {SECRET}5\n"
           f"          token-url: https://u:{SECRET}6@oauthasservices-acc.eu2.hana.ondemand.com/t\n"
           f"    properties:\n      api-key: {SECRET}7\n"))
BROKEN_EXTENSIONS = {
    "quote.mtaext": f'client-secret: "{SECRET}8\n',
    "colon.mtaext": f"client-secret: {SECRET}9: x\n",
    "latin1.mtaext": f"client-secret: {SECRET}10\xe9\n",
    "tag.mtaext": f"client-secret: !!python/object {SECRET}11\n",
    "dup.mtaext": f"client-secret: {SECRET}12\n      client-secret: {SECRET}13\n",
    "flow.mtaext": f"client-secret: [{SECRET}14\n",
}


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit", "gitlab"])
def test_planted_secrets_appear_in_no_report(cli, ws, fmt):
    (ws / "planted.yaml").write_text(PLANTED)
    prefix = ("_schema-version: '3.1'\nID: e\nextends: com.example.benefits\nresources:\n"
              "  - name: sfsf-credentials\n    properties:\n      ")
    for name, line in BROKEN_EXTENSIONS.items():
        (ws / name).write_bytes((prefix + line).encode("latin-1"))
    code, out, err = cli("validate", "planted.yaml", "--format", fmt)
    assert code == 1 and "N020" in out + err and "F013" in out + err and "F015" in out + err
    assert SECRET not in out + err
    for name in BROKEN_EXTENSIONS:
        code, out, err = cli("validate", "mtad.yaml", "-e", name, "--format", fmt)
        assert code == 1, name
        assert SECRET not in out + err, name


def test_secrets_from_the_extension_appear_in_no_output_file(cli, ws):
    (ws / "sample.mtaext").write_text((ws / "sample.mtaext").read_text().replace(
        "FAKE-not-a-real-secret-0000", f"{SECRET}20").replace("FAKE-db-password", f"{SECRET}21"))
    for mode in ("deployer", "runbook"):
        code, out, err = cli("expand", "mtad.yaml", "-e", "sample.mtaext", "-o", mode, "--mode",
                             mode, "--format", "json")
        assert code == 0 and SECRET not in out + err
        for output in (ws / mode).iterdir():
            assert SECRET.encode() not in output.read_bytes(), output


def test_a_literal_secret_in_a_list_is_reported(cli, ws):
    (ws / "list.yaml").write_text(HEADER + module() + f"    properties:\n      token: [{SECRET}30]\n")
    assert "N020" in cli("validate", "list.yaml")[1]


def test_a_token_in_an_endpoint_query_is_refused(cli, ws):
    (ws / "q.yaml").write_text(SHELL_NAMES.replace("I1$(touch pwned3);x", "I1").replace(
        "endpoint: /api/events", f"endpoint: /api/events?token={SECRET}31"))
    code, out, _ = cli("validate", "q.yaml")
    assert code == 1 and "F015" in out
