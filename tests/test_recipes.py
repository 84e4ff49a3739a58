"""The README's pipeline recipes work as written: their YAML parses and wires its files together,
every ``mta-sfsf`` command line in them parses with the real CLI and names options that exist,
the ones that run offline run on the sample, and the ``neo`` and Piper parameters are the ones SAP
and Project Piper document."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import ROOT, SAMPLE
from mta_sfsf.cli import parse_arguments
from mta_sfsf.report import FORMATS

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## In a pipeline\n"):README.index("### pre-commit\n")]
SAP_DOCS = ROOT.parent / "shared" / "reference" / "sap-neo-docs"
PLACEHOLDERS = {"<repository>": "https://example.invalid/mta-sfsf.git", "<commit>": "0" * 40}


def _blocks(language: str) -> list:
    return re.findall(rf"^```{language}\n(.*?)^```", SECTION, re.S | re.M)


def _yaml(heading: str) -> dict:
    part = SECTION[SECTION.index(heading):]
    block = re.search(r"^```yaml\n(.*?)^```", part, re.S | re.M).group(1)
    return YAML(typ="safe", pure=True).load(block)


def _shell_lines() -> list:
    """Every shell command line of the recipes: sh blocks, run:/script: entries, Jenkins sh."""
    lines = [line for block in _blocks("sh") for line in block.splitlines()
             if line.strip() and not line.startswith("#")]
    workflow = _yaml("### GitHub Actions")
    for job in workflow["jobs"].values():
        lines += [step["run"] for step in job["steps"] if "run" in step]
    for job in _yaml("### GitLab CI").values():
        lines += job["script"]
    lines += re.findall(r"^\s*sh '(.*)'$", _blocks("groovy")[0], re.M)
    return lines


def _mta_sfsf_commands(line: str):
    """The argument lists of the mta-sfsf commands in one shell line, redirections cut off."""
    words = shlex.split(line.split(" #", 1)[0])
    command: list = []
    for word in words + ["&&"]:
        if word in ("&&", "||", "|", ";"):
            if command[:1] == ["mta-sfsf"]:
                cut = [i for i, w in enumerate(command) if w in (">", "2>")]
                yield command[1:cut[0] if cut else None]
            command = []
        else:
            command.append(word)


def _commands():
    found = [argv for line in _shell_lines() for argv in _mta_sfsf_commands(line)]
    assert len(found) >= 8
    return found


@pytest.mark.parametrize("argv", _commands(), ids=lambda argv: " ".join(argv)[:60])
def test_every_mta_sfsf_command_of_the_recipes_parses(argv, capsys):
    if "--format" in argv and argv[argv.index("--format") + 1] not in FORMATS:
        pytest.skip(f"--format {argv[argv.index('--format') + 1]} is not in this build")
    try:
        args = parse_arguments(argv)
    except SystemExit:
        pytest.fail(f"mta-sfsf {shlex.join(argv)}: {capsys.readouterr().err}")
    assert args.command == argv[0]


def test_the_github_workflow_uploads_what_it_writes():
    workflow = _yaml("### GitHub Actions")
    job = workflow["jobs"]["mta-sfsf"]
    assert job["permissions"]["security-events"] == "write"
    uses = [step.get("uses", "") for step in job["steps"]]
    assert "actions/checkout@v4" in uses and "github/codeql-action/upload-sarif@v3" in uses
    upload = job["steps"][uses.index("github/codeql-action/upload-sarif@v3")]
    runs = " ".join(step.get("run", "") for step in job["steps"])
    assert f"--format sarif > {upload['with']['sarif_file']}" in runs
    assert upload["if"] == "always()"
    assert "--format github" in runs
    install = next(step["run"] for step in job["steps"] if "pip install" in step.get("run", ""))
    assert re.fullmatch(r'pip install "mta-sfsf @ git\+<repository>@<commit>"', install)


def test_the_gitlab_job_reports_what_it_writes():
    job = _yaml("### GitLab CI")["mta-sfsf"]
    report = job["artifacts"]["reports"]["codequality"]
    assert any(f"--format gitlab > {report}" in line for line in job["script"])
    assert job["artifacts"]["when"] == "always"


# Project Piper's neoDeploy (SAP/jenkins-library vars/neoDeploy.groovy and its documentation on
# project-piper.io): the step's parameters and the keys of its neo map.
PIPER_PARAMETERS = {"script", "source", "deployMode", "extensions", "warAction", "neo",
                    "dockerImage", "dockerEnvVars", "dockerOptions"}
PIPER_NEO_KEYS = {"account", "application", "credentialsId", "credentialType", "environment",
                  "host", "propertiesFile", "runtime", "runtimeVersion", "size", "vmArguments",
                  "azDistribution"}


def test_the_jenkinsfile_deploys_the_expanded_archive_with_its_extension():
    jenkinsfile = _blocks("groovy")[0]
    call = re.search(r"neoDeploy (.*?)\n\s*\}", jenkinsfile, re.S).group(1)
    parameters = set(re.findall(r"(?:^|[,\[]\s*)(\w+):", call))
    assert parameters <= PIPER_PARAMETERS | PIPER_NEO_KEYS, parameters - PIPER_PARAMETERS
    assert re.search(r"deployMode: 'mta'", call)
    neo = re.search(r"neo: \[(.*?)\]", call, re.S).group(1)
    assert set(re.findall(r"(\w+):", neo)) <= PIPER_NEO_KEYS
    source = re.search(r"source: '([^']+)'", call).group(1)
    extension = re.search(r"extensions: \['([^']+)'\]", call).group(1)
    shell = re.findall(r"^\s*sh '(.*)'$", jenkinsfile, re.M)
    assert any(f'cp "$EXT_FILE" {extension}' == line for line in shell)
    assert any(f"rm -f {extension}" == line for line in shell)
    expand = next(argv for line in shell for argv in _mta_sfsf_commands(line)
                  if argv[0] == "expand")
    assert source == _expanded(expand)


def _expanded(argv: list) -> str:
    """Where ``expand`` writes the deployable archive: OUTDIR/<the input's name>."""
    args = parse_arguments(argv)
    return f"{args.outdir}/{Path(args.path).name}"


def _neo_options() -> set:
    page = (SAP_DOCS / "deploy-mta-1e12331.md").read_text(encoding="utf-8")
    return set(re.findall(r"`(-[a-z]|--[a-z-]+)`", page))


@pytest.mark.skipif(not SAP_DOCS.is_dir(), reason=f"no SAP pages at {SAP_DOCS}")
def test_neo_deploy_mta_uses_the_pages_options_and_prompts_for_the_password():
    page = (SAP_DOCS / "deploy-mta-1e12331.md").read_text(encoding="utf-8")
    quote = ("We recommend that you enter it only when prompted, and not explicitly as a "
             "parameter in a properties file or the command line.")
    assert quote in page and quote in " ".join(SECTION.split())
    neo = [line for line in _shell_lines() if line.startswith("neo deploy-mta ")]
    assert neo
    for line in neo:
        options = {w for w in shlex.split(line) if w.startswith("-")}
        assert options <= _neo_options(), options - _neo_options()
        assert not options & {"-p", "--password"}
        source = shlex.split(line)[shlex.split(line).index("-s") + 1]
        expand = next(argv for l in _shell_lines() for argv in _mta_sfsf_commands(l)
                      if argv[0] == "expand")
        assert source == _expanded(expand)  # the expanded archive, not the build's


def _mtar(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        archive.writestr("META-INF/mtad.yaml", (SAMPLE / "mtad.yaml").read_bytes())


def test_the_offline_commands_run_on_the_sample_as_written(tmp_path):
    """validate and expand, as the recipes write them (shell operators, redirections and all),
    in a folder laid out as they expect: build/app.mtar, mtad.yaml, ci.mtaext, $EXT_FILE."""
    _mtar(tmp_path / "build" / "app.mtar")
    shutil.copy(SAMPLE / "mtad.yaml", tmp_path / "mtad.yaml")
    shutil.copy(SAMPLE / "sample.mtaext", tmp_path / "ci.mtaext")
    shutil.copy(SAMPLE / "sample.mtaext", tmp_path / "secret.mtaext")
    env = {**os.environ, "EXT_FILE": str(tmp_path / "secret.mtaext"),
           "NEO_ACCOUNT": "mysubaccount", "GITHUB_ACTIONS": "",
           "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    assert shutil.which("mta-sfsf", path=env["PATH"]), "the mta-sfsf entry point"
    ran = []
    for line in _shell_lines():
        argvs = list(_mta_sfsf_commands(line))
        if not argvs or argvs[0][0] not in ("validate", "expand"):
            continue  # pip install, neo, verify (online)
        if any("--format" in a and a[a.index("--format") + 1] not in FORMATS for a in argvs):
            continue  # a format this build does not have: the parse test says so
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"
        ran.append(line)
    assert len(ran) >= 5
    assert (tmp_path / "deploy" / "app.mtar").is_file()
    assert (tmp_path / "deploy" / "plan.json").is_file()
    if "sarif" in FORMATS:  # what upload-sarif reads
        assert json.loads((tmp_path / "mta-sfsf.sarif").read_text())["version"] == "2.1.0"
    if "gitlab" in FORMATS:  # what GitLab's Code Quality widget reads: a list of issues
        assert json.loads((tmp_path / "gl-code-quality-report.json").read_text()) == []


@pytest.mark.parametrize("heading, schema", [("### GitHub Actions", "github-workflows.json"),
                                             ("### GitLab CI", "gitlab-ci.json")])
def test_the_ci_files_fit_their_published_schemas(heading, schema):
    """SchemaStore's schemas of a GitHub workflow and of .gitlab-ci.yml, as check-jsonschema
    ships them (its --builtin-schema vendor.*), offline."""
    import importlib.resources

    import jsonschema

    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    published = json.loads(vendor.joinpath(schema).read_text(encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft7Validator(published).iter_errors(_yaml(heading))]
    assert errors == []
