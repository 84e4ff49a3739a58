"""RUNBOOK.md with hostile descriptor values: commands are shell-quoted, values cannot leave their
code span or inject Markdown structure. The plan is built without the validator, so these hold
whatever the rules accept; plus the places of plan warnings and the output folder's messages."""
from __future__ import annotations

import json
import random
import re
import shlex

import pytest

from expand_helpers import prepare, run
from mta_sfsf.expand.connections import parse
from mta_sfsf.expand.plan import build
from mta_sfsf.expand.render import render
from mta_sfsf.expand.runbook import code, md_inline, runbook_context
from mta_sfsf.descriptor.yaml_io import load_text

HOSTILE = {
    "connection": "C1$(touch x)`id`|a",
    "integration": "I1$(touch pwned3);x'q",
    "description": "x\n\n# Injected\n```sh\nrm -rf /\n```\n- item\n<script>",
    "filter": "a ``` b\r\n## H2 | c",
    "event": "Change\u2028# H3",
}


def _runbook(mode: str = "runbook") -> str:
    source = f"""_schema-version: '3.1'
ID: "id`x` # h"
version: 1.0.0
modules:
  - name: "mod`"
    type: com.sap.java
    parameters:
      name: app
      sfsf-outbound-connections:
        - name: {json.dumps(HOSTILE["connection"])}
          type: OAuth2ClientCredentials
          integrations:
            - name: {json.dumps(HOSTILE["integration"])}
              event: {json.dumps(HOSTILE["event"])}
              endpoint: /api
              description: {json.dumps(HOSTILE["description"])}
              filter: {json.dumps(HOSTILE["filter"])}
"""
    tree, problems = load_text(source, "h.yaml")
    assert tree is not None, problems
    plan = build(tree, parse(tree, "h.yaml"), mode, "eu2.hana.ondemand.com", "acc")
    return render("RUNBOOK.md.j2", runbook_context(plan.as_dict()))


@pytest.mark.parametrize("mode", ["deployer", "runbook"])
def test_commands_quote_every_value(mode):
    text = _runbook(mode)
    integration, connection = (shlex.quote(HOSTILE[k]) for k in ("integration", "connection"))
    simulate = f"mta-sfsf simulate-event plan.json --integration {integration}\n"
    # The deployer's client secret is in nobody's files: no command that needs it.
    assert (simulate in text) == (mode == "runbook")
    assert f"mta-sfsf verify plan.json --connection {connection}\n" in text
    assert "--integration I1$" not in text and "--connection C1$" not in text


@pytest.mark.parametrize("mode", ["deployer", "runbook"])
def test_values_inject_no_markdown_structure(mode):
    lines = _runbook(mode).splitlines()
    headings = [line for line in lines if line.startswith("#")]
    sections = ("Warnings|Prerequisites|Deploy|What the deployer creates|Steps|Connection|"
                "After an SAP SuccessFactors instance refresh|Removal|Troubleshooting")
    assert all(re.match(rf"^(# Runbook|## ({sections})|### \d+\. |### Module )", h)
               for h in headings), headings
    fences = [line for line in lines if line.startswith("```")]
    assert set(fences) == {"```sh", "```"}  # only the tool's own command blocks
    assert fences == ["```sh", "```"] * (len(fences) // 2)
    assert not any(line.startswith(("- item", "<script", "rm -rf")) for line in lines)
    assert not any("\u2028" in line or "\r" in line for line in lines)
    assert "# Runbook: id\\`x\\` \\# h 1.0.0" in lines


def _code_span_content(span: str) -> str:
    """What CommonMark shows for a code span (the whole string is one span)."""
    fence = re.match(r"`+", span).group(0)
    assert span.endswith(fence) and len(span) > 2 * len(fence)
    inner = span[len(fence):-len(fence)]
    assert len(fence) not in [len(run) for run in re.findall(r"`+", inner)]
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip():
        inner = inner[1:-1]
    return inner


def test_a_code_span_shows_any_one_line_value_literally():
    rng = random.Random(7)
    for _ in range(2000):
        value = "".join(rng.choice("`` ab|") for _ in range(rng.randint(1, 12)))
        if not value.strip():
            continue
        assert _code_span_content(code(value)) == value, value


def test_running_text_escapes_every_inline_metacharacter():
    assert md_inline("a*b_c[d](e)<f>`g`#h|i~j&k\\l") == \
        "a\\*b\\_c\\[d\\](e)\\<f>\\`g\\`\\#h\\|i\\~j\\&k\\\\l"
    # a control character shows as its escape, whose backslash is escaped in turn
    assert md_inline("a\r\n\n b\x1b[0m\u202e") == "a  b\\\\x1b\\[0m\\\\u202e"


# --- where plan warnings point -----------------------------------------------------------------

PLACES = """_schema-version: '3.1'
ID: p
version: 1.0.0
modules:
  - name: m
    type: com.sap.java
    parameters:
      sfsf-outbound-connections:
        - name: C
          type: OAuth2ClientCredentials
          client-id: abc
          integrations:
            - name: I0
              event: E
              endpoint: /a
            - name: I1
              event: E
"""


def test_plan_warnings_point_at_their_place_in_the_descriptor():
    tree, _ = load_text(PLACES, "p.yaml")
    warnings = {d.code: d for d in build(tree, parse(tree, "p.yaml"), "deployer", None, None)
                .warnings}
    assert (warnings["P003"].line, warnings["P003"].path) == (8, "modules[0].parameters")
    assert (warnings["P004"].line, warnings["P004"].column, warnings["P004"].path) == (
        9, 11, "modules[0].parameters.sfsf-outbound-connections[0]")
    assert (warnings["P006"].line, warnings["P006"].path) == (
        16, "modules[0].parameters.sfsf-outbound-connections[0].integrations[1]")
    assert (warnings["P001"].file, warnings["P001"].path) == ("<command line>", "")


# --- the output folder -------------------------------------------------------------------------

@pytest.mark.parametrize("outdir, named", [("afile", "afile"), ("afile/sub/deeper", "afile")])
def test_a_file_in_place_of_the_output_folder_is_named(outdir, named, tmp_path, monkeypatch,
                                                        capsys):
    work = tmp_path / "work"
    args = prepare("sample", work)
    (work / "afile").write_text("")
    code_, _, err = run(args + ["-o", outdir], work, monkeypatch, capsys)
    assert code_ == 2
    assert err.splitlines()[-1] == (f"mta-sfsf: error: cannot write {outdir}/mtad.yaml: {named} "
                                    "is not a folder")
    assert (work / "afile").read_text() == ""


def test_a_line_break_in_a_value_cannot_end_a_command_block():
    original = HOSTILE["integration"]
    HOSTILE["integration"] = "I2\n```\n# Injected heading"
    try:
        lines = _runbook("runbook").splitlines()
    finally:
        HOSTILE["integration"] = original
    fences = [line for line in lines if line.startswith("```")]
    assert fences == ["```sh", "```"] * (len(fences) // 2) and fences
    assert "# Injected heading" not in lines
