"""Reference rules (R codes): requires, ~{} references, ${} placeholders, cycles, empty values."""
from __future__ import annotations

from conftest import linear_contexts

from mta_sfsf.validate import check as validate

HEAD = "_schema-version: '3.1'\nID: com.example.t\nversion: 1.0.0\n"


def _r(check, source: str, **kwargs):
    return [found for found in check(source, platform="generic", **kwargs)
            if found[0].startswith("R")]


def _diagnostics(tmp_path, source: str, extensions: dict = None):
    path = tmp_path / "mtad.yaml"
    path.write_text(source, encoding="utf-8")
    ext_paths = []
    for name, text in (extensions or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        ext_paths.append(str(tmp_path / name))
    return [d for d in validate(str(path), ext_paths, "generic")[1] if d.code[0] == "R"]


def test_requires_resolves_to_a_module_name(check):
    source = HEAD + ("modules:\n  - name: a\n    type: t\n    requires: [{name: b}]\n"
                     "  - name: b\n    type: t\n")
    assert _r(check, source) == []


def test_unresolved_requires_uses_the_deployers_wording(tmp_path):
    found = _diagnostics(tmp_path, HEAD + "modules:\n  - name: a\n    type: t\n"
                                          "    requires:\n      - name: nope\n")
    assert [(d.code, d.line, d.column) for d in found] == [("R001", 8, 15)]
    assert found[0].message == 'Unresolved required dependency "nope" for module "a"'


def test_reference_to_a_dependency_that_is_not_required(tmp_path):
    found = _diagnostics(tmp_path, HEAD + (
        "modules:\n  - name: a\n    type: t\n    properties:\n      u: x-~{r/url}\n"
        "resources:\n  - name: r\n    properties: {url: http://x}\n"))
    assert [(d.code, d.line, d.column) for d in found] == [("R002", 8, 10)]
    assert found[0].message == ('Module "a" does not contain a required dependency for "r", but '
                                'contains references to its properties')


def test_short_reference_only_inside_a_requires_entry(check):
    # At module level the deployer does not resolve ~{url}: it stays text, no finding.
    source = HEAD + ("modules:\n  - name: a\n    type: t\n    properties: {u: '~{url}'}\n"
                     "    requires:\n      - name: r\n        properties: {u: '~{url}'}\n"
                     "resources:\n  - name: r\n    properties: {uri: x}\n")
    assert _r(check, source) == [("R003", 10, 25, "modules[0].requires[0].properties.u")]


def test_backslash_escapes_references_and_placeholders(check):
    source = HEAD + ("modules:\n  - name: a\n    type: t\n"
                     "    properties: {u: '\\~{r/url}', v: '\\${nothing}'}\n")
    assert _r(check, source) == []


def test_reference_to_a_missing_property(check):
    source = HEAD + ("modules:\n  - name: a\n    type: t\n    requires: [{name: r}]\n"
                     "    properties: {u: '~{r/url}'}\n"
                     "resources:\n  - name: r\n    properties: {other: 1}\n")
    assert _r(check, source) == [("R003", 8, 21, "modules[0].properties.u")]
    ext = ("_schema-version: '3.1'\nID: e\nextends: com.example.t\nresources:\n"
           "  - name: r\n    properties: {url: 'http://x'}\n")
    assert _r(check, source, extensions={"e.mtaext": ext}) == []


def test_configuration_resources_are_not_second_guessed(check):
    source = HEAD + ("modules:\n  - name: a\n    type: t\n    requires: [{name: r}]\n"
                     "    properties: {u: '~{r/anything}'}\n"
                     "resources:\n  - name: r\n    type: configuration\n")
    assert _r(check, source) == []


def test_placeholders_in_scope(check):
    source = HEAD + ("parameters: {g: 1, deep: {k: v}}\n"
                     "modules:\n  - name: a\n    type: t\n    parameters: {m: 2}\n"
                     "    properties:\n      x: ${g}${m}${deep/k}${default-url}${space}\n"
                     "      y: ${b-api/url}\n"
                     "  - name: b\n    type: t\n    provides: [{name: b-api}]\n")
    assert _r(check, source) == []


def test_resource_parameters_are_not_in_a_modules_scope(check):
    source = HEAD + ("modules:\n  - name: a\n    type: t\n    properties: {x: '${plan}'}\n"
                     "resources:\n  - name: r\n    parameters: {plan: small}\n"
                     "    properties: {p: '${plan}'}\n")
    assert _r(check, source) == [("R004", 7, 21, "modules[0].properties.x")]


def test_cycle_message_names_the_cycle(tmp_path):
    found = _diagnostics(tmp_path, HEAD + "parameters:\n  a: ${b}\n  b: x${c}\n  c: ${a}\n")
    assert [(d.code, d.line, d.column) for d in found] == [("R005", 5, 6)]
    assert found[0].message == 'Circular reference detected in "a": ${a} -> ${b} -> ${c} -> ${a}'


def test_a_chain_without_a_cycle_is_fine(check):
    source = HEAD + "parameters:\n  a: ${b}\n  b: ${c}-${c}\n  c: x\n"
    assert _r(check, source) == []


def test_empty_values_warn_alone_and_fail_after_the_chain(tmp_path):
    source = HEAD + "resources:\n  - name: r\n    properties:\n      secret:\n      other:\n"
    alone = _diagnostics(tmp_path, source)
    assert [(d.code, d.severity, d.line) for d in alone] == [
        ("R006", "warning", 7), ("R006", "warning", 8)]
    ext = ("_schema-version: '3.1'\nID: e\nextends: com.example.t\nresources:\n"
           "  - name: r\n    properties:\n      secret: s3cr3t-value\n")
    chained = _diagnostics(tmp_path, source, {"e.mtaext": ext})
    assert [(d.code, d.severity, d.line) for d in chained] == [("R007", "error", 8)]
    assert all("s3cr3t" not in d.message for d in alone + chained)


def test_v3_optional_metadata_allows_an_empty_value(check):
    source = HEAD + ("modules:\n  - name: a\n    type: t\n    parameters: {p: null}\n"
                     "    parameters-metadata: {p: {optional: true}}\n")
    assert _r(check, source) == []


def test_extension_alone_resolves_nothing(check):
    source = ("_schema-version: '3.1'\nID: e\nextends: t\nmodules:\n  - name: a\n"
              "    requires: [{name: elsewhere}]\n    properties: {u: '~{x/y}', v: '${w}'}\n")
    assert _r(check, source, name="e.mtaext") == []


def test_sample_with_its_extension_has_no_findings():
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "sample-mta"
    _, diagnostics = validate(str(sample / "mtad.yaml"), [str(sample / "sample.mtaext")])
    assert [d for d in diagnostics if d.severity == "error"] == []
    assert [d.code for d in diagnostics if d.code[0] in "SR"] == []


def test_references_are_fast_on_a_thousand_modules(tmp_path):
    from mta_sfsf.rules import references

    def descriptor(count: int) -> str:
        lines = [HEAD.rstrip("\n"), "parameters: {g: x}", "modules:"]
        for i in range(count):
            lines += [f"  - name: m{i}", "    type: t", "    parameters: {host: '${g}-${space}'}",
                      f"    requires: [{{name: r{i}}}]", "    properties:",
                      f"      u: ~{{r{i}/url}}", f"    provides: [{{name: p{i}, properties: "
                      "{url: '${default-url}'}}]"]
        lines.append("resources:")
        lines += [f"  - name: r{i}\n    properties: {{url: x}}" for i in range(count)]
        return "\n".join(lines) + "\n"

    small, large = linear_contexts(tmp_path, references.check, descriptor)
    assert small.diagnostics == large.diagnostics == []


def test_module_type_parameters_are_in_scope(check):
    source = HEAD + ("module-types:\n  - name: my.type\n    extends: nodejs\n"
                     "    parameters: {tier: gold}\n"
                     "modules:\n  - name: a\n    type: my.type\n    properties: {t: '${tier}'}\n"
                     "  - name: b\n    type: nodejs\n    properties: {t: '${tier}'}\n")
    assert _r(check, source) == [("R004", 14, 21, "modules[1].properties.t")]


def test_v2_ignores_hooks_and_ordering_so_do_we(check):
    body = ("modules:\n  - name: a\n    type: t\n    deployed-after: [nothing]\n"
            "    hooks:\n      - name: h\n        type: task\n        requires: [{name: none}]\n")
    v3 = "_schema-version: '3.1'\nID: t\nversion: 1.0.0\n" + body
    v2 = "_schema-version: '2.1'\nID: t\nversion: 1.0.0\n" + body
    assert [c for c, *_ in _r(check, v3)] == ["R008", "R001"]
    assert _r(check, v2) == []


def test_inside_requires_a_slash_is_part_of_the_property_name(tmp_path):
    """multiapps' SHORT pattern: ~{group/key} in a requires entry is the property "group/key" of
    that dependency, never the dependency "group" (no R002); a missing one is R003."""
    source = HEAD + ("modules:\n  - name: app\n    type: t\n    requires:\n      - name: svc\n"
                     "        properties:\n          a: ~{group/key}\n          b: ~{group/nope}\n"
                     "  - name: srv\n    type: t\n    provides:\n      - name: svc\n"
                     "        properties: {group/key: x}\n")
    found = _diagnostics(tmp_path, source)
    assert [(d.code, d.line) for d in found] == [("R003", 11)]
    assert '"svc" has no property "group/nope"' in found[0].message


def test_an_unknown_placeholder_is_an_error_only_where_no_type_can_define_it(tmp_path):
    source = HEAD + ("parameters:\n  g: ${nowhere}\n"
                     "modules:\n  - name: app\n    type: t\n    parameters: {m: '${nowhere}'}\n")
    found = _diagnostics(tmp_path, source)
    assert [(d.code, d.severity) for d in found] == [("R011", "error"), ("R004", "warning")]
    assert found[0].message.startswith('Unable to resolve "nowhere"')
