"""Deploy order (R009, R010): cycles the MTA deployer refuses, found in linear time."""
from __future__ import annotations

from conftest import linear_contexts

from mta_sfsf.rules import deploy_order
from mta_sfsf.validate import check as validate

HEAD = "_schema-version: '3.1'\nID: com.example.t\nversion: 1.0.0\n"


def _found(tmp_path, source: str):
    path = tmp_path / "mtad.yaml"
    path.write_text(source, encoding="utf-8")
    return [d for d in validate(str(path), [], "generic")[1] if d.code in ("R009", "R010")]


def _hard_module(name: str, requires: str) -> str:
    return (f"  - name: {name}\n    type: t\n    parameters: {{dependency-type: hard}}\n"
            f"    requires: [{{name: {requires}}}]\n")


def test_two_hard_modules_that_require_each_other_in_the_deployers_words(tmp_path):
    found = _found(tmp_path, HEAD + "modules:\n" + _hard_module("a", "b") + _hard_module("b", "a"))
    assert [(d.line, d.column) for d in found] == [(12, 23)]  # b's requires closes the cycle
    assert found[0].message.startswith('Modules, "a" and "b", have hard circular dependencies: '
                                       '"a" -> "b" -> "a"')


def test_dependency_type_counts_only_as_a_module_parameter(tmp_path):
    """The deployer reads it from module parameters; on a requires entry it means nothing."""
    source = HEAD + ("modules:\n"
                     "  - name: a\n    type: t\n"
                     "    requires: [{name: b, parameters: {dependency-type: hard}}]\n"
                     "  - name: b\n    type: t\n"
                     "    requires: [{name: a, parameters: {dependency-type: hard}}]\n")
    assert _found(tmp_path, source) == []


def test_a_schema_v2_descriptor_has_no_deployed_after_but_hard_cycles(tmp_path):
    source = HEAD.replace("'3.1'", "'2.1'") + "modules:\n" + _hard_module("a", "b") \
        + _hard_module("b", "a")
    assert [d.code for d in _found(tmp_path, source)] == ["R009"]


def test_a_long_cycle_is_found_in_linear_time(tmp_path):
    """Modules each deployed after the next, the last after the first: one finding that names
    them all, and four times the modules cost about four times the work (a pairwise search would
    cost sixteen)."""
    def cycle(count: int) -> str:
        return HEAD + "modules:\n" + "".join(
            f"  - name: m{i}\n    type: t\n    deployed-after: [m{(i + 1) % count}]\n"
            for i in range(count))

    _, large = linear_contexts(tmp_path, deploy_order.check, cycle)
    found = [d for d in large.diagnostics if d.code in ("R009", "R010")]
    assert len(found) == 1 and found[0].message.count(" -> ") == 1000
    assert found[0].line == 5 + 3 * (1000 - 1) + 2  # the entry of the last module, which closes it


def test_several_cycles_are_each_reported_once(tmp_path):
    resources = "".join(f"  - name: r{i}\n    processed-after: [r{i ^ 1}]\n" for i in range(6))
    found = _found(tmp_path, HEAD + "resources:\n" + resources)
    assert [d.message.split(":")[0] for d in found] == [
        'Resources "r1" and "r0" both depend on each other for processing',
        'Resources "r3" and "r2" both depend on each other for processing',
        'Resources "r5" and "r4" both depend on each other for processing']
