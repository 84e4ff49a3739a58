"""A seeded, bounded fuzz run: hostile descriptors, extension chains, archives and plans through
every command, in process. For each run it asserts: no traceback or internal error, an exit code
the README lists, a place (file:line:col) on every finding about a file, no input file changed, no
planted secret in any output or written file in any encoding, and no file written outside the
output folder asked for.

``MTA_SFSF_FUZZ_COUNT`` (default 40) sets how many inputs of each kind are tried and
``MTA_SFSF_FUZZ_SEED`` (default 1) the seed; a failure names the seed and input to replay it.
A longer run by hand: ``MTA_SFSF_FUZZ_COUNT=2000 MTA_SFSF_FUZZ_SEED=7 pytest tests/test_fuzz.py``.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import random
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from conftest import ROOT
from mta_sfsf import secrets
from mta_sfsf.cli import main
from mta_sfsf.descriptor import yaml_io
from servers import scripted  # noqa: F401  (fixture)

COUNT = int(os.environ.get("MTA_SFSF_FUZZ_COUNT", "40"))
SEED = int(os.environ.get("MTA_SFSF_FUZZ_SEED", "1"))
SAMPLE = ROOT / "sample-mta"
SECRET = "Pl4nted-Fuzz-Secret-Zq9x/w+7="
CLIENT_ID = "fuzz-client"
EXIT_CODES = {0, 1, 2, 4}  # 4: verify verified nothing (every step not checkable)
HOSTILE = ["&a", "*a", "*undefined", "!!binary", "!!python/object:os.system", "!sensitive",
           "\"x\\ud800\"", "\"\\u0000\"", "{", "}", "[", "]", "[[[[[[[[[[", "<<: *a", "? ",
           "- ", "\t", "\x00", "\x1b[2J", "\u202e", "\ufeff", "\x85", "\u2028", "\r", "#",
           "'", "\"", "|", ">", "%YAML 1.1", "---", "...", "~{x/y}", "${default-url}",
           "9" * 400, "x" * 5000, "é✓密", "password: " + SECRET, "name: *pw",
           "client-secret: &pw " + SECRET, "[https://x.example/a]", "memory: 1G"]


def forms(value: str) -> list:
    raw = value.encode()
    pair = f"{CLIENT_ID}:{value}".encode()
    return [value, quote(value, safe=""), quote(value), quote_plus(value),
            base64.b64encode(raw).decode(), base64.b64encode(pair).decode(),
            base64.urlsafe_b64encode(raw).decode().rstrip("="), raw.hex(), value.lower()]


def mutate(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(8)
        at = rng.randrange(len(lines)) if lines else 0
        if kind == 0 and lines:
            del lines[at]
        elif kind == 1 and lines:
            lines.insert(at, lines[rng.randrange(len(lines))])
        elif kind in (2, 3) and lines:
            line = lines[at]
            cut = rng.randint(0, len(line))
            lines[at] = line[:cut] + rng.choice(HOSTILE) + line[cut:]
        elif kind == 4:
            lines.insert(at, " " * rng.choice([0, 2, 4, 6]) + rng.choice(HOSTILE))
        elif kind == 5:
            return rng.choice(["\r", "\r\n", "\x85", "\u2028"]).join(lines)
        elif kind == 6:
            lines = lines[:rng.randint(0, len(lines))]
        else:
            lines.insert(at, "  " * rng.randint(0, 3) + "[" * rng.randint(1, 300))
    return "\n".join(lines)


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest()
                                         if p.is_file() else "dir")
            for p in sorted(folder.rglob("*"))}


class Runner:
    def __init__(self, capsys, folder: Path) -> None:
        self.capsys = capsys
        self.folder = folder
        self.runs = 0

    def __call__(self, where: str, *argv: str, out_dir: str = "") -> None:
        # Each run as its own process would: what one run's !sensitive values or secrets
        # taught the process must not change the next run.
        yaml_io.SENSITIVE_VALUES.clear()
        yaml_io.SENSITIVE_PLACES.clear()
        with secrets._LOCK:
            secrets._KNOWN.clear()
            secrets._VALUES.clear()
        before = snapshot(self.folder)
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse
            code = exc.code
        captured = self.capsys.readouterr()
        self.runs += 1
        shown = f"seed {SEED}, {where}: mta-sfsf {' '.join(argv)!r}"
        text = captured.out + captured.err
        assert "Traceback" not in text and "internal error" not in text, (shown, text[-2000:])
        assert code in EXIT_CODES, (shown, code, text[-2000:])
        after = snapshot(self.folder)
        for name, digest in before.items():  # inputs unchanged
            if not (out_dir and name.startswith(out_dir)):
                assert after.get(name) == digest, (shown, f"{name} changed")
        new = [name for name in after if name not in before]
        assert all(out_dir and name.startswith(out_dir) for name in new), (shown, new)
        written = "".join(Path(self.folder, name).read_bytes().decode("utf-8", "replace")
                          for name in new if after[name] != "dir")
        for form in forms(SECRET):
            assert form not in text and form not in written, (shown, "secret in output", form)
        if "--format" in argv and argv[argv.index("--format") + 1] == "json" and \
                argv[0] == "validate" and captured.out.strip():
            for finding in json.loads(captured.out)["diagnostics"]:
                if finding["file"] != "<command line>":
                    assert finding["line"] >= 1 and finding["column"] >= 1, (shown, finding)


@pytest.fixture
def fuzz_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("MTA_SFSF_", "GITHUB_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("MTA_SFSF_CLIENT_ID_BENEFITSEVENTS", CLIENT_ID)
    monkeypatch.setenv("MTA_SFSF_CLIENT_SECRET_BENEFITSEVENTS", SECRET)


def _extension(rng: random.Random) -> str:
    text = (SAMPLE / "sample.mtaext").read_text(encoding="utf-8")
    text = text.replace("FAKE-not-a-real-secret-0000", SECRET)
    return mutate(rng, text) if rng.random() < 0.5 else text


def test_descriptors_and_chains_through_validate_and_expand(tmp_path, capsys, fuzz_env):
    rng = random.Random(SEED)
    source = (SAMPLE / "mtad.yaml").read_text(encoding="utf-8")
    run = Runner(capsys, tmp_path)
    for number in range(COUNT):
        case = tmp_path / f"d{number}"
        case.mkdir()
        text = mutate(rng, source)
        (case / "mtad.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
        (case / "a.mtaext").write_text(_extension(rng), encoding="utf-8")
        chain = ["-e", str(case / "a.mtaext")]
        if rng.random() < 0.3:  # a second extension on top of the first, maybe broken
            second = "_schema-version: '3.1'\nID: b\nextends: benefits.ext\n" + rng.choice(
                ["modules:\n  - name: *pw\n", "parameters: {x: 1}\n", mutate(rng, "k: v\n")])
            (case / "b.mtaext").write_text(second, encoding="utf-8")
            chain += ["-e", str(case / "b.mtaext")]
        where = f"descriptor {number}"
        for fmt in ("json", "github", "text"):
            run(where, "validate", str(case / "mtad.yaml"), *chain, "--format", fmt)
        run(where, "expand", str(case / "mtad.yaml"), *chain, "-o", str(case / "out"),
            "--host", "eu2.hana.ondemand.com", "--account", "acme", out_dir=f"{case.name}/out")
        run(where, "expand", str(case / "mtad.yaml"), *chain, "-o", str(case / "out"),
            "--check", out_dir=f"{case.name}/out")
    assert run.runs == COUNT * 5


def test_archives_through_validate_and_expand(tmp_path, capsys, fuzz_env):
    rng = random.Random(SEED + 1)
    source = (SAMPLE / "mtad.yaml").read_text(encoding="utf-8")
    run = Runner(capsys, tmp_path)
    for number in range(max(1, COUNT // 4)):
        case = tmp_path / f"a{number}"
        case.mkdir()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
            archive.writestr("META-INF/mtad.yaml", mutate(rng, source).encode(
                "utf-8", "surrogatepass"))
        data = bytearray(buffer.getvalue())
        for _ in range(rng.choice([0, 0, 1, 3])):  # flip bytes: a damaged archive
            data[rng.randrange(len(data))] = rng.randrange(256)
        (case / "app.mtar").write_bytes(bytes(data))
        (case / "a.mtaext").write_text(_extension(rng), encoding="utf-8")
        where = f"archive {number}"
        run(where, "validate", str(case / "app.mtar"), "-e", str(case / "a.mtaext"),
            "--format", "json")
        run(where, "expand", str(case / "app.mtar"), "-e", str(case / "a.mtaext"), "-o",
            str(case / "out"), out_dir=f"{case.name}/out")


def _plan_values(rng: random.Random, echo_url: str) -> list:
    return ["", " ", None, 0, -1, 1e308, True, [], {}, {"value": ""}, {"value": echo_url},
            {"value": "http://evil.localhost:1/t"}, {"value": "http://127.0.0.1:1/t"},
            {"placeholder": "<x>", "env": "MTA_SFSF_CLIENT_SECRET_BENEFITSEVENTS"},
            {"secret": {"env": "MTA_SFSF_CLIENT_SECRET_BENEFITSEVENTS"}},
            {"secret": {"env": "GITHUB_TOKEN"}}, {"from": {"step": "nope", "output": "x"}},
            {"value": "x\ud800"}, {"value": "\x1b[2J" * 10}, "9" * 5000, [[[[[]]]]]]


def _hostile_plan(rng: random.Random, plan: dict, echo_url: str) -> dict:
    plan = json.loads(json.dumps(plan))
    containers = []
    stack = [plan]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            containers.extend((node, key) for key in node)
            stack.extend(node.values())
        elif isinstance(node, list):
            containers.extend((node, index) for index in range(len(node)))
            stack.extend(node)
    for _ in range(rng.randint(1, 4)):
        node, key = rng.choice(containers)
        try:
            node[key] = rng.choice(_plan_values(rng, echo_url))
        except (IndexError, KeyError):
            pass
    return plan


def test_plans_through_verify_and_simulate_against_an_echoing_server(tmp_path, capsys, fuzz_env,
                                                                     scripted):
    def echo(handler):
        header = handler.headers.get("Authorization", "")
        return {"error": "invalid_client", "error_description": f"{header} {quote(header)}",
                "access_token": "tok-fuzz-" + header[-12:], "expires_in": "1e999"}

    server = scripted([{"status": 401, "body": echo}, {"status": 200, "body": echo},
                       {"status": 302, "headers_from": lambda h: {
                           "Location": "https://e.example/?" + h.headers.get("Authorization", "")}}])
    rng = random.Random(SEED + 2)
    run = Runner(capsys, tmp_path)
    base = tmp_path / "base"
    run("plan", "expand", str(SAMPLE / "mtad.yaml"), "-e", str(SAMPLE / "sample.mtaext"), "-o",
        str(base), "--host", "eu2.hana.ondemand.com", "--account", "acme", out_dir="base")
    assert (base / "plan.json").is_file(), capsys.readouterr()
    plan = json.loads((base / "plan.json").read_text(encoding="utf-8"))
    for number in range(max(1, COUNT // 2)):
        case = tmp_path / f"p{number}"
        case.mkdir()
        (case / "plan.json").write_text(json.dumps(_hostile_plan(rng, plan, server.url)),
                                        encoding="utf-8")
        (case / "a.mtaext").write_text(_extension(rng), encoding="utf-8")
        where = f"plan {number}"
        token = ["--token-url", server.url + "/token"] if rng.random() < 0.7 else []
        for fmt in ("json", "text", "github"):
            run(where, "verify", str(case / "plan.json"), "-e", str(case / "a.mtaext"), *token,
                "--app-url", server.url, "--timeout", "1", "--format", fmt)
        run(where, "simulate-event", str(case / "plan.json"), "--integration",
            "JobTitleChanged", "-e", str(case / "a.mtaext"), *token, "--app-url", server.url,
            "--timeout", "1")
