"""Extension descriptors: the chain, the deployer's merge, and its overwrite rules."""
from __future__ import annotations

import itertools
import textwrap

import pytest

from mta_sfsf.descriptor.load import load

MAIN_V3 = """\
_schema-version: '3.1'
ID: app
version: 1.0.0
parameters:
  region: eu2
modules:
  - name: web
    type: java.tomcat
    parameters:
      memory: 512M
      env: {A: '1', nested: {x: 1, y: 2}}
      list: [a, b]
      locked: fixed
      locked-empty:
    parameters-metadata:
      locked: {overwritable: false}
      locked-empty: {overwritable: false}
    properties:
      url: http://x
    requires:
      - name: db
        properties: {user: u}
    provides:
      - name: api
        properties: {path: /api}
resources:
  - name: db
    type: com.sap.hcp.persistence
    properties:
      password:
"""


def ext(body: str, ident: str = "app.ext", extends: str = "app", version: str = "3.1") -> str:
    return f"_schema-version: '{version}'\nID: {ident}\nextends: {extends}\n" + textwrap.dedent(body)


@pytest.fixture
def run(tmp_path):
    def run(main: str, *extensions: str, names=None):
        (tmp_path / "mtad.yaml").write_text(main, encoding="utf-8")
        paths = []
        for index, text in enumerate(extensions):
            name = names[index] if names else f"e{index}.mtaext"
            (tmp_path / name).write_text(text, encoding="utf-8")
            paths.append(str(tmp_path / name))
        descriptor = load(str(tmp_path / "mtad.yaml"), paths)
        found = sorted((d.code, d.file.rsplit("/", 1)[-1], d.line, d.column)
                       for d in descriptor.diagnostics)
        return descriptor, found
    return run


def test_chain_is_built_from_the_deployment_descriptor_whatever_the_order(run):
    first = ext("", "app.one", "app")
    second = ext("", "app.two", "app.one")
    third = ext("", "app.three", "app.two")
    for order in itertools.permutations([first, second, third]):
        descriptor, found = run(MAIN_V3, *order)
        assert found == []
        assert [d.id for d in descriptor.extensions] == ["app.one", "app.two", "app.three"]


def test_two_extensions_of_one_parent_are_an_error_whatever_the_order(run):
    a, b = ext("", "app.a", "app"), ext("", "app.b", "app")
    results = {tuple(run(MAIN_V3, *order, names=names)[1])
               for order, names in ((([a, b]), ["a.mtaext", "b.mtaext"]),
                                    (([b, a]), ["b.mtaext", "a.mtaext"]))}
    assert results == {(("X001", "b.mtaext", 3, 10),)}
    descriptor, _ = run(MAIN_V3, b, a, names=["b.mtaext", "a.mtaext"])
    assert [d.id for d in descriptor.extensions] == ["app.a"]


def test_x001_uses_the_deployer_words(run):
    descriptor, _ = run(MAIN_V3, ext("", "app.a"), ext("", "app.b"))
    message = [d.message for d in descriptor.diagnostics if d.code == "X001"][0]
    assert message.startswith('Multiple extension descriptors extend the parent "app"')
    assert message.endswith("The extension descriptors must form a chain.")


def test_extension_attaching_to_nothing_is_an_error(run):
    descriptor, found = run(MAIN_V3, ext("", "other.ext", "other"))
    assert found == [("X002", "e0.mtaext", 3, 10)]
    assert "unknown parent \"other\"" in descriptor.diagnostics[0].message
    assert descriptor.extensions == []


def test_descendants_of_a_rejected_sibling_are_not_reported_twice(run):
    _, found = run(MAIN_V3, ext("", "app.a"), ext("", "app.b"), ext("", "app.c", "app.b"),
                   names=["a.mtaext", "b.mtaext", "c.mtaext"])
    assert found == [("X001", "b.mtaext", 3, 10)]


def test_a_cycle_of_extensions_attaches_to_nothing(run):
    _, found = run(MAIN_V3, ext("", "x", "y"), ext("", "y", "x"))
    assert [f[0] for f in found] == ["X002", "X002"]


def test_missing_header_and_other_major_version(run):
    _, found = run(MAIN_V3, "ID: app.ext\nextends: app\n", ext("", "app.v2", version="2.1"),
                   names=["a.mtaext", "b.mtaext"])
    assert found == [("X003", "a.mtaext", 1, 1), ("X004", "b.mtaext", 1, 18)]


def test_extension_cannot_add_elements(run):
    descriptor, found = run(MAIN_V3, ext("""\
        modules:
          - name: web
            requires:
              - name: dbb
            provides:
              - name: apx
          - name: worker
        resources:
          - name: cache
        """))
    assert found == [("X005", "e0.mtaext", 7, 15), ("X005", "e0.mtaext", 9, 15),
                     ("X005", "e0.mtaext", 10, 11), ("X005", "e0.mtaext", 12, 11)]
    messages = sorted(d.message for d in descriptor.diagnostics)
    assert 'Unknown module "worker" in extension descriptor "app.ext"' in messages
    assert 'Unknown resource "cache" in extension descriptor "app.ext"' in messages
    assert ('Unknown required dependency "dbb" for module "web" in extension descriptor '
            '"app.ext"') in messages
    hints = {d.hint for d in descriptor.diagnostics}
    assert 'an extension descriptor cannot add a required dependency; did you mean "db"?' in hints


def test_extension_cannot_change_a_type(run):
    descriptor, found = run(MAIN_V3, ext("""\
        modules:
          - name: web
            type: com.sap.java
        resources:
          - name: db
            type: com.sap.hcp.persistence
        """))
    assert found == [("X006", "e0.mtaext", 6, 11)]
    assert descriptor.merged["modules"][0]["type"] == "java.tomcat"


def test_a_type_given_to_an_untyped_resource_is_named_without_none(run):
    descriptor, found = run(MAIN_V3.replace("    type: com.sap.hcp.persistence\n", ""), ext("""\
        resources:
          - name: db
            type: com.sap.hcp.persistence
        """))
    messages = [d.message for d in descriptor.diagnostics if d.code == "X006"]
    assert messages == ['an extension descriptor cannot change the type of resource "db" (no '
                        'type to "com.sap.hcp.persistence")']


def test_merge_follows_the_deployer(run):
    descriptor, found = run(MAIN_V3, ext("""\
        parameters:
          region: us1
        modules:
          - name: web
            parameters:
              memory: 1G
              env: {B: '2', nested: {y: 3}}
              list: [c]
              locked: fixed
              new: value
            properties:
              url: https://y
            requires:
              - name: db
                properties: {user: admin, pool: 5}
            provides:
              - name: api
                properties: {version: 2}
        resources:
          - name: db
            properties:
              password: FAKE
        """))
    assert found == []
    merged = descriptor.merged
    web = merged["modules"][0]
    assert merged["parameters"]["region"] == "us1"
    assert web["parameters"]["memory"] == "1G"
    # maps merge deeply, lists are replaced, new keys are added
    assert web["parameters"]["env"] == {"A": "1", "B": "2", "nested": {"x": 1, "y": 3}}
    assert web["parameters"]["list"] == ["c"]
    assert web["parameters"]["new"] == "value"
    assert web["properties"]["url"] == "https://y"
    assert web["requires"][0]["properties"] == {"user": "admin", "pool": 5}
    assert web["provides"][0]["properties"] == {"path": "/api", "version": 2}
    assert merged["resources"][0]["properties"]["password"] == "FAKE"
    # the inputs are not modified
    assert descriptor.main.data["modules"][0]["parameters"]["memory"] == "512M"


def test_merged_values_keep_the_positions_of_the_extension(run):
    descriptor, _ = run(MAIN_V3, ext("""\
        modules:
          - name: web
            parameters:
              memory: 1G
              env: {nested: {y: 3}}
        resources:
          - name: db
            properties:
              password: FAKE
        """))
    web = descriptor.merged["modules"][0]["parameters"]
    assert (web.value_locs["memory"].file.endswith("e0.mtaext"),
            web.value_locs["memory"].line, web.value_locs["memory"].column) == (True, 7, 15)
    nested = web["env"]["nested"]
    assert nested.value_locs["y"].file.endswith("e0.mtaext") and nested.value_locs["y"].line == 8
    assert nested.value_locs["x"].file.endswith("mtad.yaml")
    password = descriptor.merged["resources"][0]["properties"]
    assert password.value_locs["password"].file.endswith("e0.mtaext")
    assert password.key_locs["password"].file.endswith("mtad.yaml")  # the key was written there


def test_map_against_non_map_is_an_error(run):
    descriptor, found = run(MAIN_V3, ext("""\
        modules:
          - name: web
            parameters:
              env: [not, a, map]
              memory: {a: 1}
        """))
    assert found == [("X010", "e0.mtaext", 7, 12), ("X010", "e0.mtaext", 8, 15)]
    assert descriptor.merged["modules"][0]["parameters"]["memory"] == "512M"


def test_v3_overwritable_false_is_enforced(run):
    descriptor, found = run(MAIN_V3, ext("""\
        modules:
          - name: web
            parameters:
              locked: changed
              locked-empty: set
        """))
    assert found == [("X007", "e0.mtaext", 7, 15), ("X007", "e0.mtaext", 8, 21)]
    message = sorted(d.message for d in descriptor.diagnostics)[0]
    assert message == 'Cannot modify parameter "web#locked" in extension descriptor "app.ext"'
    assert descriptor.merged["modules"][0]["parameters"]["locked"] == "fixed"


def test_v3_overwritable_allows_the_same_value(run):
    _, found = run(MAIN_V3, ext("modules:\n  - name: web\n    parameters: {locked: fixed}\n"))
    assert found == []


MAIN_V2 = """\
_schema-version: '2.1'
ID: app
version: 1.0.0
parameters:
  region: eu2
modules:
  - name: web
    type: java.tomcat
    parameters:
      memory: 512M
      empty:
      blank: ''
      none: []
resources:
  - name: db
    properties:
      user: sa
      password:
"""


def test_v2_non_empty_values_cannot_change(run):
    descriptor, found = run(MAIN_V2, ext("""\
        parameters:
          region: us1
        modules:
          - name: web
            parameters:
              memory: 512M
              empty: 1
              blank: x
              none: [y]
              added: z
        resources:
          - name: db
            properties:
              user: admin
              password: FAKE
        """, version="2.1"))
    assert found == [("X007", "e0.mtaext", 5, 11), ("X007", "e0.mtaext", 17, 13)]
    assert {d.message for d in descriptor.diagnostics} == {
        'Cannot modify parameter "region" in extension descriptor "app.ext"',
        'Cannot modify property "db#user" in extension descriptor "app.ext"'}
    assert descriptor.merged["resources"][0]["properties"]["password"] == "FAKE"


def test_v2_check_is_against_the_deployment_descriptor_not_the_chain(run):
    one = ext("resources:\n  - name: db\n    properties: {password: A}\n", "app.one",
              version="2.1")
    two = ext("resources:\n  - name: db\n    properties: {password: B}\n", "app.two", "app.one",
              version="2.1")
    descriptor, found = run(MAIN_V2, one, two)
    assert found == []
    assert descriptor.merged["resources"][0]["properties"]["password"] == "B"


def test_keys_the_deployer_ignores_are_warnings(run):
    descriptor, found = run(MAIN_V3, ext("""\
        paramters: {region: x}
        modules:
          - name: web
            propertes: {url: y}
        """))
    assert found == [("X009", "e0.mtaext", 4, 1), ("X009", "e0.mtaext", 7, 5)]
    assert {d.hint for d in descriptor.diagnostics} == {'did you mean "parameters"?',
                                                        'did you mean "properties"?'}
    assert {d.severity for d in descriptor.diagnostics} == {"warning"}


def test_elements_without_a_name_or_of_the_wrong_shape(run):
    _, found = run(MAIN_V3, ext("modules:\n  - parameters: {}\n  - just-text\nresources: {}\n"))
    assert found == [("X008", "e0.mtaext", 5, 5), ("X008", "e0.mtaext", 6, 5),
                     ("X008", "e0.mtaext", 7, 12)]


@pytest.mark.parametrize("odd", ["[a, b]", "{a: 1}", "1", "true", "null", "1.5"])
def test_odd_names_in_the_descriptor_never_crash_the_merge(run, odd):
    from mta_sfsf.rules import run as run_rules

    main = ("_schema-version: '3.1'\nID: app\nversion: 1.0.0\n"
            f"modules:\n  - name: {odd}\n    type: com.sap.java\n"
            f"    requires:\n      - name: {odd}\n    provides:\n      - name: {odd}\n"
            f"resources:\n  - name: {odd}\n")
    extension = ext("""
        modules:
          - name: web
            parameters: {memory: 1G}
            requires:
              - name: db
        resources:
          - name: db
            parameters: {user: x}
        """)
    descriptor, found = run(main, extension)
    run_rules(descriptor, "neo")  # the rules see the merged view too
    assert ("X005", "e0.mtaext") in {(code, file) for code, file, _, _ in found}


def test_a_secret_aliased_into_a_name_is_never_quoted(run, tmp_path):
    from mta_sfsf.cli import main

    descriptor, found = run(MAIN_V3, ext("""\
        resources:
          - name: db
            properties:
              password: &pw Xq9-Sup3r-S3cr3t-77
              client-secret: &cs 4711-also-secret
        modules:
          - name: *pw
          - name: web
            requires:
              - name: *cs
        """))
    assert [code for code, *_ in found] == ["X005", "X005"]
    text = " ".join(f"{d.message} {d.hint}" for d in descriptor.diagnostics)
    assert "Xq9-Sup3r" not in text and "4711-also" not in text
    assert 'Unknown module "(sensitive)" in extension descriptor "app.ext"' in text
    assert main(["validate", str(tmp_path / "mtad.yaml"), "-e", str(tmp_path / "e0.mtaext"),
                 "--format", "json"]) == 1
