"""How long ``mta-sfsf validate`` takes, against the cost of merely loading the same YAML.

Run it from the repository root (no arguments needed):

    python benchmarks/bench_validate.py [--repeat N] [--sizes 10,100,1000] [--markdown]

For the sample descriptor and for generated Neo descriptors of 10, 100 and 1,000 modules it
measures, each as the median of several runs in fresh processes:

- ``validate``: ``python -m mta_sfsf validate FILE`` from start to finish;
- ``bare load``: ``python -c`` that imports ruamel.yaml and round-trip ``YAML().load``s the
  descriptor, which is what any Python validator of the file pays at least (validate also reads
  the extension descriptor that fills in the secrets);
- ``expand``: ``python -m mta_sfsf expand FILE -o DIR``, when the package has ``expand``.

and prints the ratios with DESIGN.md's targets (validate within 2x of the bare load on a typical
descriptor, at most 0.6x of it on 1,000 modules). Then, in this process, the phases of
``validate`` (read, parse, merge, rules) to show where the time goes.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-mta" / "mtad.yaml"
SAMPLE_EXT = ROOT / "sample-mta" / "sample.mtaext"
BARE_LOAD = ("import sys\nfrom ruamel.yaml import YAML\n"
             "with open(sys.argv[1], encoding='utf-8') as f:\n    YAML().load(f)\n")


# --- generated descriptors --------------------------------------------------------------------

def generate(modules: int) -> str:
    """A realistic Neo deployment descriptor: Java modules with parameters, requires and provides;
    a database per ten modules; every fifth module with SuccessFactors outbound connections.
    Its secrets are left empty for ``generate_extension``."""
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
            "      minimum-processes: 1",
            "      maximum-processes: 2",
            f"      jvm-arguments: -Xmx512m -Dapp.index={i}",
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
                    f"          upstream: ~{{url}}"]
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

# As an installed package runs: with its bytecode cached (an environment may forbid writing it,
# which would make every run compile the package's source first).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def median_seconds(command: List[str], repeat: int) -> float:
    """Median wall time of ``command``, after one untimed run that warms caches."""
    times = []
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        if attempt:
            times.append(time.perf_counter() - started)
        if result.returncode not in (0, 1):  # 1: findings, still a full run
            raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): "
                             f"{result.stderr.decode(errors='replace')[-500:]}")
    return statistics.median(times)


def phases(path: Path, extensions: List[str], repeat: int) -> Dict[str, float]:
    """Median in-process seconds of each phase of validate."""
    from mta_sfsf import rules
    from mta_sfsf.descriptor.load import Descriptor, Document, kind_of, read_bytes, read_extensions
    from mta_sfsf.descriptor import chain
    from mta_sfsf.rules.neo import detect_platform
    from mta_sfsf.descriptor.yaml_io import decode, load_text

    samples: Dict[str, List[float]] = {"read": [], "parse": [], "merge": [], "rules": []}
    for _ in range(repeat):
        started = time.perf_counter()
        name, data, _ = read_bytes(str(path))
        text, _ = decode(data, name)
        read_done = time.perf_counter()
        tree, _ = load_text(text, name)
        exts, _ = read_extensions(extensions)
        parse_done = time.perf_counter()
        main = Document(name, text, tree, kind_of(name, tree))
        out: list = []
        merged = tree
        for ext in chain.order_chain(main, exts, out):
            merged = chain.merge(merged, ext, main, out)
        merge_done = time.perf_counter()
        descriptor = Descriptor(main, merged=merged)
        rules.run(descriptor, detect_platform(merged))
        rules_done = time.perf_counter()
        samples["read"].append(read_done - started)
        samples["parse"].append(parse_done - read_done)
        samples["merge"].append(merge_done - parse_done)
        samples["rules"].append(rules_done - merge_done)
    return {phase: statistics.median(values) for phase, values in samples.items()}


def has_expand() -> bool:
    return importlib.util.find_spec("mta_sfsf.expand.command") is not None


def ms(seconds: Optional[float]) -> str:
    return "-" if seconds is None else f"{seconds * 1000:,.0f} ms"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--sizes", default="10,100,1000", help="module counts to generate")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    python = sys.executable
    expand = has_expand()
    work = Path(tempfile.mkdtemp(prefix="mta-sfsf-bench-"))
    inputs = [("sample-mta/mtad.yaml", SAMPLE, [str(SAMPLE_EXT)])]
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        path = work / f"mtad-{size}.yaml"
        path.write_text(generate(size), encoding="utf-8")
        ext = work / f"mtad-{size}.mtaext"
        ext.write_text(generate_extension(size), encoding="utf-8")
        inputs.append((f"{size} modules ({path.stat().st_size // 1024} KB)", path, [str(ext)]))

    rows = []
    for label, path, exts in inputs:
        ext_args = [arg for ext in exts for arg in ("-e", ext)]
        validate = median_seconds([python, "-m", "mta_sfsf", "validate", str(path), *ext_args,
                                   "--format", "json"], args.repeat)
        bare = median_seconds([python, "-c", BARE_LOAD, str(path)], args.repeat)
        expanded = None
        if expand:
            expanded = median_seconds(
                [python, "-m", "mta_sfsf", "expand", str(path), *ext_args, "-o",
                 str(work / "out"), "--host", "eu2.hana.ondemand.com", "--account", "bench"],
                args.repeat)
        rows.append((label, validate, bare, expanded, phases(path, exts, args.repeat)))

    print(f"Python {sys.version.split()[0]}, median of {args.repeat} runs per cell\n")
    header = "| descriptor | validate | bare load | validate / bare |"
    rule = "|---|---|---|---|"
    if expand:
        header, rule = header + " expand |", rule + "---|"
    print(header + " read | parse | merge | rules |")
    print(rule + "---|---|---|---|")
    for label, validate, bare, expanded, split in rows:
        line = f"| {label} | {ms(validate)} | {ms(bare)} | {validate / bare:.2f}x |"
        if expand:
            line += f" {ms(expanded)} |"
        print(line + " " + " | ".join(ms(split[p]) for p in ("read", "parse", "merge", "rules"))
              + " |")
    print("\nPhases are in-process (no interpreter start-up, no imports).")
    typical, largest = rows[0], rows[-1]
    print(f"Target: typical within 2x of bare load: {typical[1] / typical[2]:.2f}x "
          f"({'met' if typical[1] <= 2 * typical[2] else 'MISSED'}); "
          f"largest at most 0.6x: {largest[1] / largest[2]:.2f}x "
          f"({'met' if largest[1] <= 0.6 * largest[2] else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
