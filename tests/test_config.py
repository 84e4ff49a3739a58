"""The configuration file and --ignore: found from the current folder upwards (nearest wins),
--config and --no-config, the keys, and clear errors (exit 2) for anything else."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import JAVA_MODULE_HEAD, ROOT, run_cli

# One error (N020, line 13) and one warning (N016, line 10).
DESCRIPTOR = JAVA_MODULE_HEAD.replace("name: app\n", "name: my_app\n", 1).replace(
    "      name: app\n", "      name: my_app\n") + "    properties:\n      API_TOKEN: abc123\n"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "mtad.yaml").write_text(DESCRIPTOR, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def codes(capsys, *argv):
    code, out, err = run_cli(capsys, "validate", *argv, "--format", "json")
    assert out, err
    report = json.loads(out)
    return code, sorted(d["code"] for d in report["diagnostics"]), report["summary"]["suppressed"]


def test_no_configuration(repo, capsys):
    assert codes(capsys, "deploy/mtad.yaml") == (1, ["N016", "N020"], 0)


def test_pyproject_table_found_from_a_subfolder(repo, capsys, monkeypatch):
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.mta-sfsf]\n'
                                         'ignore = ["N020"]\n', encoding="utf-8")
    assert codes(capsys, "deploy/mtad.yaml") == (0, ["N016"], 1)
    monkeypatch.chdir(repo / "deploy")
    assert codes(capsys, "mtad.yaml") == (0, ["N016"], 1)


def test_the_nearest_wins_and_nothing_merges(repo, capsys, monkeypatch):
    (repo / ".mta-sfsf.toml").write_text('ignore = ["N020"]\n', encoding="utf-8")
    (repo / "deploy" / ".mta-sfsf.toml").write_text('ignore = ["N016"]\n', encoding="utf-8")
    monkeypatch.chdir(repo / "deploy")
    assert codes(capsys, "mtad.yaml") == (1, ["N020"], 1)


def test_in_one_folder_the_dot_file_wins_over_pyproject(repo, capsys):
    (repo / "pyproject.toml").write_text('[tool.mta-sfsf]\nignore = ["N016"]\n', encoding="utf-8")
    (repo / ".mta-sfsf.toml").write_text('ignore = ["N020"]\n', encoding="utf-8")
    assert codes(capsys, "deploy/mtad.yaml") == (0, ["N016"], 1)


def test_a_pyproject_without_the_table_is_passed_over(repo, capsys, monkeypatch):
    (repo / ".mta-sfsf.toml").write_text('ignore = ["N016"]\n', encoding="utf-8")
    # the text looks like the table, but is inside a string
    (repo / "deploy" / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndescription = """\n[tool.mta-sfsf]\n"""\n', encoding="utf-8")
    monkeypatch.chdir(repo / "deploy")
    assert codes(capsys, "mtad.yaml") == (1, ["N020"], 1)


def test_config_names_a_file_and_no_config_reads_none(repo, capsys):
    (repo / ".mta-sfsf.toml").write_text('ignore = ["N016"]\n', encoding="utf-8")
    (repo / "ci.toml").write_text('ignore = ["N020"]\n', encoding="utf-8")
    (repo / "other.toml").write_text('[tool.mta-sfsf]\nignore = ["N020", "N016"]\n',
                                     encoding="utf-8")
    assert codes(capsys, "deploy/mtad.yaml", "--config", "ci.toml") == (0, ["N016"], 1)
    assert codes(capsys, "deploy/mtad.yaml", "--no-config") == (1, ["N016", "N020"], 0)
    (repo / "pyproject.toml").write_text('[tool.mta-sfsf]\nignore = ["N020", "N016"]\n',
                                         encoding="utf-8")
    assert codes(capsys, "deploy/mtad.yaml", "--config", "pyproject.toml") == (0, [], 2)


def test_ignore_on_the_command_line_adds_to_the_configuration(repo, capsys):
    (repo / ".mta-sfsf.toml").write_text('ignore = ["N016"]\n', encoding="utf-8")
    assert codes(capsys, "deploy/mtad.yaml", "--ignore", "n020") == (0, [], 2)
    assert codes(capsys, "deploy/mtad.yaml", "--ignore", "N020,N016", "--no-config") == (0, [], 2)


def test_per_file_ignores(repo, capsys, monkeypatch):
    (repo / "other").mkdir()
    (repo / "other" / "mtad.yaml").write_text(DESCRIPTOR, encoding="utf-8")
    (repo / ".mta-sfsf.toml").write_text(
        '[per-file-ignores]\n"deploy/*.yaml" = ["N020"]\n"mtad.yaml" = ["N016"]\n'
        '"nowhere/**" = ["N020"]\n', encoding="utf-8")
    code, out, _ = run_cli(capsys, "validate", "deploy/mtad.yaml", "other/mtad.yaml",
                           "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert [(d["file"], d["code"]) for d in report["diagnostics"]] == [("other/mtad.yaml", "N020")]
    assert report["summary"]["suppressed"] == 3
    monkeypatch.chdir(repo / "deploy")  # globs stay relative to the configuration's folder
    assert codes(capsys, "mtad.yaml", "../other/mtad.yaml") == (1, ["N020"], 3)


def test_strict_platform_and_format_defaults_and_the_command_line_wins(repo, capsys):
    (repo / ".mta-sfsf.toml").write_text('ignore = ["N020"]\nstrict = true\nformat = "json"\n'
                                         'platform = "generic"\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "validate", "deploy/mtad.yaml")
    # generic: no Neo rules, so no N016; strict: nothing left to fail on
    assert (code, json.loads(out)["summary"]["suppressed"]) == (0, 1)
    code, out, err = run_cli(capsys, "validate", "deploy/mtad.yaml", "--format", "text",
                             "--platform", "neo")
    assert code == 1 and "warning N016" in out  # strict: the warning fails


@pytest.mark.parametrize("text, message", [
    ('ignored = ["N020"]\n', "unknown key 'ignored' (known: ignore, per-file-ignores, strict, "
                             "platform, format)"),
    ('ignore = "N020"\n', "ignore must be a list of codes"),
    ('ignore = ["N999"]\n', "ignore: unknown code 'N999'"),
    ('ignore = [1]\n', "ignore: 1 is not a code"),
    ('strict = "yes"\n', "strict must be true or false"),
    ('platform = "cf"\n', "platform must be one of auto, neo, generic, not 'cf'"),
    ('format = "xml"\n', "format must be one of text, json, github"),
    ('per-file-ignores = ["N020"]\n', "per-file-ignores must be a table"),
    ('[per-file-ignores]\n"*.yaml" = ["X"]\n', "per-file-ignores.'*.yaml': unknown code 'X'"),
    ('ignore = [\n', "not valid TOML:"),
    ('[per-file-ignores]\n"[z-a].yaml" = ["N020"]\n', "'[z-a].yaml' is not a glob (bad character"),
])
def test_a_bad_configuration_is_one_line_naming_the_file_and_exit_2(repo, capsys, text, message):
    (repo / ".mta-sfsf.toml").write_text(text, encoding="utf-8")
    code, out, err = run_cli(capsys, "validate", "deploy/mtad.yaml")
    assert (code, out) == (2, "")
    assert err.startswith(f"mta-sfsf: error: {repo / '.mta-sfsf.toml'}: ") and message in err
    assert err.count("\n") == 1


def test_bad_configuration_in_pyproject_names_the_table(repo, capsys):
    (repo / "pyproject.toml").write_text('[tool.mta-sfsf]\nstrict = 1\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "validate", "deploy/mtad.yaml")
    assert code == 2 and "pyproject.toml: [tool.mta-sfsf] strict must be true or false" in err


def test_command_line_errors_exit_2(repo, capsys):
    code, _, err = run_cli(capsys, "validate", "deploy/mtad.yaml", "--config", "nope.toml")
    assert code == 2 and err == "mta-sfsf: error: --config nope.toml: no such file\n"
    code, _, err = run_cli(capsys, "validate", "deploy/mtad.yaml", "--ignore", "N02O")
    assert code == 2 and "--ignore: unknown code 'N02O'" in err
    (repo / "ci.toml").write_text("", encoding="utf-8")
    code, _, err = run_cli(capsys, "validate", "deploy/mtad.yaml", "--config", "ci.toml",
                           "--no-config")
    assert code == 2 and "not allowed with argument" in err


def test_a_code_of_expand_is_known_to_validate_too(repo, capsys):
    (repo / ".mta-sfsf.toml").write_text('ignore = ["P001"]\n', encoding="utf-8")
    assert codes(capsys, "deploy/mtad.yaml")[0] == 1  # accepted: no configuration error


def test_expand_applies_the_configuration(repo, capsys):
    (repo / "sample").mkdir()
    for name in ("mtad.yaml", "sample.mtaext"):
        (repo / "sample" / name).write_bytes((ROOT / "sample-mta" / name).read_bytes())
    argv = ["expand", "sample/mtad.yaml", "-e", "sample/sample.mtaext", "-o", "out", "--strict",
            "--format", "json", "--mode", "deployer"]
    code, out, _ = run_cli(capsys, *argv)
    # no --host: P001; deployer mode: the sample sets keys SAP documents no deployer key for
    # (P004), the undocumented type (P007) and the secret nothing then uses (P008)
    assert code == 1 and all(c in out for c in ("P001", "P004", "P007", "P008"))
    (repo / ".mta-sfsf.toml").write_text('ignore = ["P001", "P007", "P008"]\n',
                                         encoding="utf-8")
    code, out, err = run_cli(capsys, *argv, "--ignore", "P004")
    assert code == 0, err
    assert json.loads(out) == {"diagnostics": [], "summary": {
        "errors": 0, "warnings": 0, "files": 2, "suppressed": 4}}
    assert (repo / "out" / "plan.json").is_file()


def test_no_configuration_file_means_no_toml_parser(repo):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    script = ("import sys; from mta_sfsf.cli import main; code = main(['validate', "
              "'deploy/mtad.yaml', '--platform', 'generic']); "
              "sys.stderr.write(str('tomllib' in sys.modules)); sys.exit(code)")
    run = subprocess.run([sys.executable, "-c", script], cwd=repo, env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.stderr.endswith("False")
    (repo / "pyproject.toml").write_text('[tool.mta-sfsf]\nignore = ["N020"]\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", script], cwd=repo, env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.stderr.endswith("True") and run.returncode == 0


@pytest.mark.parametrize("pattern, path, expected", [
    ("legacy/**", "legacy/a/b.yaml", True), ("legacy/**", "x/legacy/a.yaml", False),
    ("legacy/", "legacy/x/mtad.yaml", True), ("*.mtaext", "a/b/c.mtaext", True),
    ("deploy/*.yaml", "deploy/sub/m.yaml", False), ("**/mtad.yaml", "mtad.yaml", True),
    ("**/mtad.yaml", "a/b/mtad.yaml", True), ("[!a]*.yaml", "b.yaml", True),
    ("[!a]*.yaml", "a.yaml", False), ("./deploy/m?ad.yaml", "deploy/mtad.yaml", True),
    ("a+b.yaml", "a+b.yaml", True), ("a+b.yaml", "aab.yaml", False),
])
def test_globs(pattern, path, expected):
    from mta_sfsf.config import matches

    assert matches(pattern, path) is expected
