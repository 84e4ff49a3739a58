"""Structure rules (S codes): what the deployer's parser rejects, with its wording."""
from __future__ import annotations

import re

import pytest

from conftest import linear_contexts

from mta_sfsf.validate import check as validate

HEAD = "_schema-version: '3.1'\nID: com.example.t\nversion: 1.0.0\n"


def _messages(tmp_path, source: str, name: str = "mtad.yaml"):
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return [d for d in validate(str(path), [], "generic")[1] if d.code[0] == "S"]


def test_scalar_requires_uses_the_deployers_wording(tmp_path):
    found = _messages(tmp_path, HEAD + "modules:\n  - name: a\n    type: t\n    requires:\n"
                                       "      db\n")
    assert [(d.code, d.line, d.column) for d in found] == [("S002", 8, 7)]
    assert found[0].message == ('module "a": Invalid type provided for "requires": Expected a '
                                'list of elements but another type was provided')


def test_missing_name_uses_the_deployers_wording(tmp_path):
    found = _messages(tmp_path, HEAD + "resources:\n  - type: x\n")
    assert found[0].message == 'Required element "name" for object "MTA resource" is missing'
    assert found[0].path == "resources[0].name"


def test_empty_required_value_points_at_the_key(check):
    assert check("_schema-version: '3.1'\nID:\nversion: 1.0.0\n", platform="generic") == [
        ("S001", 2, 1, "ID")]


def test_a_module_may_provide_its_own_name_explicitly(check):
    source = HEAD + "modules:\n  - name: a\n    type: t\n    provides:\n      - name: a\n"
    assert check(source, platform="generic") == []


def test_module_and_resource_of_one_name_clash(check):
    source = HEAD + "modules:\n  - name: a\n    type: t\nresources:\n  - name: a\n"
    assert check(source, platform="generic") == [("S005", 8, 11, "resources[0].name")]


def test_resources_written_before_modules_still_blame_the_resource(check):
    source = HEAD + "resources:\n  - name: a\nmodules:\n  - name: a\n    type: t\n"
    assert check(source, platform="generic") == [("S005", 5, 11, "resources[0].name")]


def test_two_modules_of_one_name_are_reported_once(check):
    source = HEAD + "modules:\n  - name: a\n    type: t\n  - name: a\n    type: t\n"
    assert check(source, platform="generic") == [("S005", 7, 11, "modules[1].name")]


def test_same_requires_name_in_two_modules_is_fine(check):
    source = HEAD + ("modules:\n  - name: a\n    type: t\n    requires: [{name: r}]\n"
                     "  - name: b\n    type: t\n    requires: [{name: r}]\nresources:\n"
                     "  - name: r\n")
    assert check(source, platform="generic") == []


@pytest.mark.parametrize("version, codes", [
    ("1.0.0", []), ("1.2.1-beta+20150403144937853", []), ("0.0.1-SNAPSHOT", []),
    ("'1.0'", ["S010"]), ("v1", ["S010"]), ("'${project.version}'", ["S009"]),
    ("1.0", ["S002"]), ("7", ["S002"]),
])
def test_version_follows_the_deployers_coercion(check, version, codes):
    source = f"_schema-version: '3.1'\nID: t\nversion: {version}\n"
    assert [c for c, *_ in check(source, platform="generic")] == codes


def test_timestamp_in_a_development_descriptor_version_is_mbts(check):
    source = "_schema-version: '3.1'\nID: t\nversion: 1.0.0-${timestamp}\n"
    assert check(source, name="mta.yaml", platform="generic") == []


@pytest.mark.parametrize("schema, codes", [
    ("'2.1'", []), ("3", []), ("3.1", []), ("'3.3.0'", []), ('"2.0.0"', []),
    ("'1.0'", ["S007"]), ("4.0.0", ["S007"]), ("abc", ["S007"]), ("'3.4'", ["S008"]),
])
def test_schema_versions_the_deployer_supports(check, schema, codes):
    source = f"_schema-version: {schema}\nID: t\nversion: 1.0.0\n"
    assert [c for c, *_ in check(source, platform="generic")] == codes


def test_unknown_key_hint_suggests_the_known_key(tmp_path):
    found = _messages(tmp_path, HEAD + "modules:\n  - name: a\n    type: t\n    paramters: {}\n")
    assert [(d.code, d.line, d.column, d.hint) for d in found] == [
        ("S006", 7, 5, 'did you mean "parameters"?')]


def test_development_keys_are_fine_in_mta_yaml_only(check):
    source = HEAD + "modules:\n  - name: a\n    type: t\n    build-parameters: {builder: npm}\n"
    assert check(source, name="mta.yaml", platform="generic") == []
    assert check(source, name="mtad.yaml", platform="generic") == [
        ("S006", 7, 5, "modules[0].build-parameters")]


def test_identifier_rules(check):
    long = "a" * 129
    source = f"_schema-version: '3.1'\nID: {'b' * 128}\nversion: 1.0.0\nmodules:\n" \
             f"  - name: {long}\n    type: t\n  - name: 'x:y'\n    type: t\n"
    assert check(source, platform="generic") == [
        ("S004", 5, 11, "modules[0].name"), ("S003", 7, 11, "modules[1].name")]


def test_extension_alone_needs_extends_not_version(check):
    source = "_schema-version: '3.1'\nID: t.ext\nextends: t\nmodules:\n  - name: a\n"
    assert check(source, name="x.mtaext", platform="generic") == []
    assert check("_schema-version: '3.1'\nID: t.ext\n", name="x.mtaext",
                 platform="generic") == [("S001", 1, 1, "extends")]


def test_garbage_shapes_never_crash(check):
    for body in ("modules: 5\n", "modules: [1, [2], {name: [x]}]\n", "resources: {a: b}\n",
                 "modules:\n  - name: {a: b}\n    type: [t]\n", "parameters: [1]\n",
                 "modules:\n  - name: a\n    type: t\n    hooks: [x, {requires: 3}]\n"):
        check(HEAD + body, platform="generic")  # findings, never an exception


def test_structure_is_linear_in_the_number_of_modules(tmp_path):
    from mta_sfsf.rules import structure

    def descriptor(count: int) -> str:
        lines = [HEAD.rstrip("\n"), "modules:"]
        for i in range(count):
            lines += [f"  - name: m{i}", "    type: t", "    parameters: {memory: 1G}",
                      f"    requires: [{{name: r{i}}}]", f"    provides: [{{name: p{i}}}]"]
        lines.append("resources:")
        lines += [f"  - name: r{i}" for i in range(count)]
        return "\n".join(lines) + "\n"

    small, large = linear_contexts(tmp_path, structure.check, descriptor)
    assert small.diagnostics == large.diagnostics == []


# --- the wording every rule family shares (rules/common.py) ------------------------------------

_ELEMENT_PATH = re.compile(r"^(modules|resources)\[(\d+)\]")
_DID_YOU_MEAN = re.compile(r'did you mean "[^"]+"\?')


def _case_diagnostics():
    import test_cases

    for kind in ("negative", "positive"):
        for path in test_cases._cases(kind):
            _, extensions, platform = test_cases._header(path)
            descriptor, diagnostics = validate(str(path), extensions, platform)
            yield path.name, descriptor, diagnostics


def test_every_message_names_its_module_or_resource():
    checked = 0
    for case, descriptor, diagnostics in _case_diagnostics():
        for d in diagnostics:
            match = _ELEMENT_PATH.match(d.path)
            if d.code[0] not in "SRNF" or not match or descriptor.merged is None:
                continue
            element = descriptor.merged[match.group(1)][int(match.group(2))]
            name = element.get("name") if hasattr(element, "get") else None
            if isinstance(name, str):
                checked += 1
                assert f'"{name}"' in d.message or f'"{name}#' in d.message, (case, d)
    assert checked > 100


def test_hints_share_one_did_you_mean_form():
    hints = [d.hint for _, _, found in _case_diagnostics() for d in found
             if d.hint and "mean" in d.hint and d.code[0] in "SRNF"]
    assert len(hints) >= 15
    assert all(_DID_YOU_MEAN.search(hint) for hint in hints), hints


@pytest.mark.parametrize("name, meant", [
    ("memroy", "memory"), ("config_path", "config-path"), ("Disk_Quota", "disk-quota"),
    ("disk-qouta", "disk-quota"), ("instnaces", "instances"), ("buildpak", "buildpack"),
    ("service-plann", "service-plan"), ("service-key", None), ("port2", None), ("hostss", None),
    ("my-memory", None), ("timeout", None), ("instance-count", None),
])
def test_a_misspelt_deployer_parameter_is_recognised(name, meant):
    from mta_sfsf.rules.misspelt_parameters import DEPLOYER_PARAMETERS, meant_parameter

    assert meant_parameter(name, DEPLOYER_PARAMETERS) == meant


def test_misspelt_parameters_are_not_checked_on_neo(check):
    source = ("_schema-version: '3.1'\nID: a\nversion: 1.0.0\nparameters:\n"
              "  hcp-deployer-version: '1.2.0'\nmodules:\n  - name: m\n    type: com.sap.java\n"
              "    parameters:\n      name: app\n      memroy: 1G\n")
    assert "S011" not in {code for code, *_ in check(source)}


def test_a_name_given_twice_names_the_line_of_the_first(tmp_path):
    found = _messages(tmp_path, HEAD + "modules:\n  - name: a\n    type: t\n    hooks:\n"
                                       "      - name: h\n      - name: h\nresources:\n"
                                       "  - name: r\n  - name: r\n")
    assert [(d.line, d.hint) for d in found if d.code == "S005"] == [
        (9, "rename one: the same name is at line 8"),
        (12, "rename one: resource \"r\" at line 11 has the same name; resource names, provided "
             "dependency names and module names share one namespace")]
