"""How fast ``mta-sfsf validate`` and ``expand`` are, against merely loading the same YAML, with
the project's targets side by side.

Run it from the repository root (no arguments needed; about three minutes):

    python benchmarks/bench_validate.py [--repeat N] [--before CHECKOUT] [--large]
        [--instructions]

Every command runs as a fresh process, alternately with the others of its row (so that a busy
machine slows them alike), and a cell is the median of ``--repeat`` runs after one untimed run.
A cell is the process's CPU time (user + system): on a machine whose cores others share, wall
time also counts the waits for a core, which is noise here. What is measured:

- ``validate``: ``mta-sfsf validate FILE -e EXT`` from start to finish (as the installed command
  runs: pip's console script, from the checkout);
- ``bare load``: ``python -c`` that imports ruamel.yaml and round-trip ``YAML().load``s the
  descriptor, which is what any Python tool reading the file pays at least;
- ``expand``: ``mta-sfsf expand FILE -e EXT -o DIR`` twice over: into the folder of its previous
  run (the outputs up to date: the runbook is kept, Jinja2 not imported), and into a new folder
  each time (the runbook rendered; its compiled-template cache warm, as from the second run on);
- pre-commit style: one process validating 20 descriptors against 20 processes, one each;
- positions: the memory the reader's tree of a 10,000-module descriptor takes beyond the same
  values as plain dicts and lists (tracemalloc, in a fresh process);
- the scaling table: validate's time and peak memory (maximum resident set) by size; 30,000
  modules with ``--large``;
- with ``--instructions``, the sample's ratios again in instructions counted by valgrind, which
  are the same on every run.

``--before CHECKOUT`` runs every mta-sfsf command also from another checkout (``git worktree add
/tmp/before <commit>``), interleaved with this one's, and prints both. The generated descriptors
are Neo ones: Java modules with parameters, requires and provides, a database per ten modules,
SuccessFactors outbound connections on every fifth module, and an ``.mtaext`` with the secrets.

Run it with an interpreter where mta-sfsf is *not* installed in editable mode (an editable
install's import hook costs every Python process, the bare load too, about 25 ms at start-up);
the benchmark puts the checkout on ``PYTHONPATH`` itself.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-mta" / "mtad.yaml"
SAMPLE_EXT = ROOT / "sample-mta" / "sample.mtaext"
BARE_LOAD = ("import sys\nfrom ruamel.yaml import YAML\n"
             "with open(sys.argv[1], encoding='utf-8') as f:\n    YAML().load(f)\n")
# What the installed ``mta-sfsf`` command runs: pip's console script for the entry point.
CONSOLE_SCRIPT = "import re, sys\nfrom {module} import {function}\nsys.exit({function}())\n"
# In a fresh process with the checkout on the path: the reader's tree against plain values.
POSITIONS = """\
import gc, json, sys, tracemalloc
from mta_sfsf.descriptor.yaml_io import load_text
text = open(sys.argv[1], encoding="utf-8").read()
def plain(node):
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(item) for item in node]
    return node
tracemalloc.start()
tree = load_text(text, sys.argv[1])[0]
size, peak = tracemalloc.get_traced_memory()
values = plain(tree)
del tree
gc.collect()
print(json.dumps({"tree": size, "peak": peak, "plain": tracemalloc.get_traced_memory()[0]}))
"""
TARGETS = (("validate / bare load, sample with its .mtaext", 1.0),
           ("validate / bare load, 1,000 modules", 0.12),
           ("validate / bare load, 10,000 modules", 0.12),
           ("expand / validate, sample, outputs up to date", 1.5),
           ("expand / validate, sample, runbook rendered (a new folder)", 1.5),
           ("20 files in one process / 20 processes", 0.07))
MIB = 1024 * 1024


# --- generated descriptors --------------------------------------------------------------------

def generate(modules: int) -> str:
    """A realistic Neo deployment descriptor: Java modules with parameters, requires and provides;
    a database per ten modules; every fifth module with SuccessFactors outbound connections.
    Its secrets are left empty for ``generate_extension``. 30,000 modules stay within the
    reader's 16 MiB input limit."""
    out = ["_schema-version: '3.1'", f"ID: com.example.generated{modules}", "version: 1.0.0",
           "description: Generated for benchmarks", "parameters:",
           "  hcp-deployer-version: '1.2.0'", "modules:"]
    for i in range(modules):
        out += [
            f"  - name: app-{i}",
            "    type: com.sap.java",
            "    parameters:",
            f"      name: app{i}",
            "      java-version: JRE 8",
            "      runtime: neo-javaee7-wp",
            "      runtime-version: '1'",
        ]
        if i % 5 == 0:
            out += [
                "      sfsf-idp-access: true",
                "      sfsf-connections:",
                "        - type: default",
                "      sfsf-outbound-connections:",
                f"        - name: Events{i}",
                "          type: OAuth2ClientCredentials",
                f"          client-name: events{i}Client",
                "          client-secret: ~{sfsf-credentials/client-secret}",
                "          token-lifetime: 30d",
                "          integrations:",
                f"            - name: JobTitleChanged{i}",
                "              event: Change in Job Title",
                f"              endpoint: /api/v1/events/{i}/job-title",
                "              fields:",
                "                userId: userId",
                "                newJobTitle: jobTitle",
                "                source:",
                "                  constant: sfsf",
            ]
        out += ["    provides:", f"      - name: app-{i}-api", "        properties:",
                "          url: ${default-url}", "    requires:",
                f"      - name: db-{i // 10}"]
        if i % 5 == 0:
            out.append("      - name: sfsf-credentials")
        if i:
            out += [f"      - name: app-{i - 1}-api", "        properties:",
                    "          upstream: ~{url}"]
    out += ["resources:", "  - name: sfsf-credentials", "    properties:",
            "      client-secret:"]
    for j in range((modules + 9) // 10):
        out += [f"  - name: db-{j}", "    type: com.sap.hcp.persistence", "    parameters:",
                f"      id: db{j}", "      user-id:", "      password:"]
    return "\n".join(out) + "\n"


def generate_extension(modules: int) -> str:
    """The deploy-time values of ``generate(modules)``, as an extension descriptor."""
    out = ["_schema-version: '3.1'", f"ID: com.example.generated{modules}.config",
           f"extends: com.example.generated{modules}", "resources:",
           "  - name: sfsf-credentials", "    properties:", "      client-secret: FAKE-secret"]
    for j in range((modules + 9) // 10):
        out += [f"  - name: db-{j}", "    parameters:", f"      user-id: FAKE-user-{j}",
                f"      password: FAKE-password-{j}"]
    return "\n".join(out) + "\n"


# --- measuring --------------------------------------------------------------------------------

class Checkout:
    """A tree of the package whose commands are measured (this one, or ``--before``)."""

    def __init__(self, name: str, root: Path) -> None:
        self.name, self.root = name, root
        # As an installed package runs: with its bytecode cached.
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
        self.env["PYTHONPATH"] = str(root)
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        module, function = project["project"]["scripts"]["mta-sfsf"].split(":")
        self.script = CONSOLE_SCRIPT.format(module=module, function=function)

    def command(self, *args: str) -> List[str]:
        return [sys.executable, "-c", self.script, *args]


def run_once(command: Sequence[str], cwd: Path, env: Dict[str, str]) -> Tuple[float, int]:
    """(CPU seconds, peak resident KiB) of one run; exit 0 or 1 (findings) only."""
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                   stderr=err)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own resources
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):  # 1: findings, still a full run
            err.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): "
                             f"{err.read().decode(errors='replace')[-500:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


class Cell:
    """One command measured several times."""

    def __init__(self, command: Sequence[str], cwd: Path, env: Dict[str, str],
                 fresh: Optional[Path] = None) -> None:
        self.command, self.cwd, self.env = list(command), cwd, env
        self.fresh = fresh  # a folder removed before each run, untimed
        self.times: List[float] = []
        self.peaks: List[int] = []

    def run(self, timed: bool) -> float:
        if self.fresh is not None:
            shutil.rmtree(self.fresh, ignore_errors=True)
        seconds, peak = run_once(self.command, self.cwd, self.env)
        if timed:
            self.times.append(seconds)
            self.peaks.append(peak)
        return seconds

    @property
    def seconds(self) -> float:
        return statistics.median(self.times)

    @property
    def peak_mib(self) -> float:
        return max(self.peaks) / 1024


def measure(cells: List[Cell], repeat: int) -> None:
    """``repeat`` rounds of every cell in turn, after one untimed round that warms caches; runs
    over 5 s get 3 rounds, the first one counted."""
    slowest = max(cell.run(timed=True) for cell in cells)
    rounds = min(repeat, 3) - 1
    if slowest < 5:
        for cell in cells:
            cell.times.clear()
            cell.peaks.clear()
        rounds = repeat
    for _ in range(rounds):
        for cell in cells:
            cell.run(timed=True)


def positions(checkout: Checkout, path: Path) -> Dict[str, int]:
    result = subprocess.run([sys.executable, "-c", POSITIONS, str(path)], cwd=checkout.root,
                            env=checkout.env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


# --- the report -------------------------------------------------------------------------------

def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:.3f}x ({'met' if ratio <= target else 'MISSED'})"


def instructions(command: Sequence[str], cwd: Path, env: Dict[str, str]) -> int:
    """Instructions one run executes (valgrind's callgrind): the same on every run, however
    busy the machine."""
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                             *command], cwd=cwd, env=env, capture_output=True, text=True)
    for line in result.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    raise SystemExit(f"valgrind gave no count for {' '.join(command)}: {result.stderr[-300:]}")


def sample_instructions(checkouts: List[Checkout], work: Path) -> None:
    """The sample's ratios in instructions, a repeatable check of the CPU-time ones."""
    args = [str(SAMPLE), "-e", str(SAMPLE_EXT)]
    bare = instructions([sys.executable, "-c", BARE_LOAD, str(SAMPLE)], ROOT, checkouts[0].env)
    print("\nin instructions (callgrind, one run each; the template cache warm):\n")
    print("| sample | " + " | ".join(c.name for c in checkouts) + " |")
    print("|---|" + "---|" * len(checkouts))
    rows: Dict[str, List[str]] = {"validate / bare load": [], "expand / validate, up to date": [],
                                  "expand / validate, rendering": []}
    for checkout in checkouts:
        out = work / f"out-{checkout.name}-counted"
        expand = expand_command(checkout, SAMPLE, SAMPLE_EXT, out)
        run_once(expand, checkout.root, checkout.env)  # fills the cache and the folder
        validate = instructions(checkout.command("validate", *args), checkout.root, checkout.env)
        rows["validate / bare load"].append(f"{validate / bare:.3f}x ({validate / 1e6:,.0f}M "
                                            f"/ {bare / 1e6:,.0f}M)")
        kept = instructions(expand, checkout.root, checkout.env)
        shutil.rmtree(out)
        rendered = instructions(expand, checkout.root, checkout.env)
        for name, count in (("up to date", kept), ("rendering", rendered)):
            rows[f"expand / validate, {name}"].append(f"{count / validate:.3f}x "
                                                      f"({count / 1e6:,.0f}M)")
    for name, cells in rows.items():
        print(f"| {name} | " + " | ".join(cells) + " |")


def expand_command(checkout: Checkout, path: Path, ext: Path, out: Path) -> List[str]:
    return checkout.command("expand", str(path), "-e", str(ext), "-o", str(out), "--host",
                            "eu2.hana.ondemand.com", "--account", "bench", "-q")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per cell (median)")
    parser.add_argument("--before", type=Path, help="another checkout to measure alongside")
    parser.add_argument("--large", action="store_true", help="add 30,000 modules to the table")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the sample's instructions with valgrind")
    args = parser.parse_args(argv)
    checkouts = [Checkout("now", ROOT)]
    if args.before:
        checkouts.append(Checkout("before", args.before.resolve()))
    work = Path(tempfile.mkdtemp(prefix="mta-sfsf-bench-"))
    for checkout in checkouts:  # the expand template cache: warm after the untimed run
        checkout.env["XDG_CACHE_HOME"] = str(work / f"cache-{checkout.name}")
    try:
        return report(args, checkouts, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def inputs(work: Path, size: int) -> Tuple[Path, Path]:
    path, ext = work / f"mtad-{size}.yaml", work / f"mtad-{size}.mtaext"
    if not path.exists():
        path.write_text(generate(size), encoding="utf-8")
        ext.write_text(generate_extension(size), encoding="utf-8")
    return path, ext


def report(args, checkouts: List[Checkout], work: Path) -> int:
    print(f"Python {sys.version.split()[0]}; CPU time per process, median of {args.repeat} "
          "alternating runs (3 for runs over 5 s)")
    bare_env = checkouts[0].env
    ratios: Dict[str, List[float]] = {name: [] for name, _ in TARGETS}
    lines: Dict[str, List[str]] = {c.name: [] for c in checkouts}
    validate: Dict[Tuple[str, str], Cell] = {}
    for label, (path, ext) in (("sample", (SAMPLE, SAMPLE_EXT)),
                               ("1,000 modules", inputs(work, 1000)),
                               ("10,000 modules", inputs(work, 10000))):
        bare = Cell([sys.executable, "-c", BARE_LOAD, str(path)], ROOT, bare_env)
        cells = [bare]
        for checkout in checkouts:
            validate[checkout.name, label] = Cell(
                checkout.command("validate", str(path), "-e", str(ext)), checkout.root,
                checkout.env)
            cells.append(validate[checkout.name, label])
        expand: Dict[Tuple[str, bool], Cell] = {}
        if label == "sample":
            for checkout in checkouts:
                for fresh in (False, True):
                    out = work / f"out-{checkout.name}{'-new' if fresh else ''}"
                    expand[checkout.name, fresh] = Cell(
                        expand_command(checkout, path, ext, out), checkout.root, checkout.env,
                        fresh=out if fresh else None)
                    cells.append(expand[checkout.name, fresh])
        measure(cells, args.repeat)
        for checkout in checkouts:
            mine = validate[checkout.name, label]
            lines[checkout.name].append(f"{label}: validate {ms(mine.seconds)}, bare load "
                                        f"{ms(bare.seconds)}")
            ratios[TARGETS[["sample", "1,000 modules", "10,000 modules"].index(label)][0]].append(
                mine.seconds / bare.seconds)
            for fresh, how in ((False, "up to date"), (True, "rendering")):
                if (checkout.name, fresh) in expand:
                    seconds = expand[checkout.name, fresh].seconds
                    lines[checkout.name].append(f"sample: expand {how} {ms(seconds)}")
                    ratios[TARGETS[4 if fresh else 3][0]].append(seconds / mine.seconds)

    folders = []
    for i in range(20):
        folder = work / f"repo{i}"
        folder.mkdir()
        shutil.copy(SAMPLE, folder / "mtad.yaml")
        shutil.copy(SAMPLE_EXT, folder / "sample.mtaext")
        folders.append(folder)
    batch_cells = []
    for checkout in checkouts:
        one = Cell(checkout.command("validate", *(str(f / "mtad.yaml") for f in folders)),
                   checkout.root, checkout.env)
        each = [Cell(checkout.command("validate", str(f / "mtad.yaml")), checkout.root,
                     checkout.env) for f in folders]
        batch_cells.append((checkout, one, each))
    measure([cell for _, one, each in batch_cells for cell in [one, *each]], args.repeat)
    for checkout, one, each in batch_cells:
        separate = sum(cell.seconds for cell in each)
        lines[checkout.name].append(f"20 files: one process {ms(one.seconds)}, 20 processes "
                                    f"{ms(separate)}")
        ratios[TARGETS[5][0]].append(one.seconds / separate)

    print("\n| target | " + " | ".join(c.name for c in checkouts) + " | at most |")
    print("|---|" + "---|" * len(checkouts) + "---|")
    for name, target in TARGETS:
        print(f"| {name} | " + " | ".join(verdict(r, target) for r in ratios[name])
              + f" | {target:.2f}x |")
    memory = {c.name: positions(c, inputs(work, 10000)[0]) for c in checkouts}
    print("| positions at 10,000 modules (tree beyond plain values) | " + " | ".join(
        f"{(m['tree'] - m['plain']) / MIB:,.0f} MiB of a {m['peak'] / MIB:,.0f} MiB peak"
        for m in memory.values()) + " | half of before |")
    for checkout in checkouts:
        print(f"\n{checkout.name}: " + "; ".join(lines[checkout.name]))
    if args.instructions:
        sample_instructions(checkouts, work)

    sizes = [10, 100, 1000, 3000, 10000] + ([30000] if args.large else [])
    print("\nvalidate by size (CPU time; peak resident memory):\n")
    print("| modules | YAML | " + " | ".join(c.name for c in checkouts) + " |")
    print("|---|---|" + "---|" * len(checkouts))
    for size in sizes:
        path, ext = inputs(work, size)
        cells = [validate.get((c.name, f"{size:,} modules")) or
                 Cell(c.command("validate", str(path), "-e", str(ext)), c.root, c.env)
                 for c in checkouts]
        if not cells[0].times:
            measure(cells, args.repeat)
        print(f"| {size:,} | {path.stat().st_size / 1024:,.0f} KB | " + " | ".join(
            f"{ms(cell.seconds)}; {cell.peak_mib:,.0f} MiB" for cell in cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
