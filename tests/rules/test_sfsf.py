"""The sfsf and outbound rules beyond the case files: the sample, SAP's documented example, secrets
that never show, the helpers ``expand`` reuses, and the exported JSON Schema's definition of
sfsf-outbound-connections kept in step with the outbound rules."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from mta_sfsf.rules import outbound, sfsf
from mta_sfsf.rules.common import MAX_NAME, NAME_PATTERN
from mta_sfsf.rules.parameter_checks import NOT_ONE_LINE
from mta_sfsf.schema import descriptor_schema
from mta_sfsf.validate import ValidateOptions, check as validate, run
from mta_sfsf.descriptor.tree import YMap, YSeq

from conftest import JAVA_MODULE_HEAD, SAMPLE

CASES = Path(__file__).resolve().parents[1] / "cases"

HEAD = JAVA_MODULE_HEAD


def f_codes(found):
    return [item for item in found if item[0].startswith("F")]


# ------------------------------------------------------------------ whole descriptors

def test_sample_with_its_extension_is_clean():
    _, diagnostics = validate(str(SAMPLE / "mtad.yaml"), [str(SAMPLE / "sample.mtaext")])
    assert diagnostics == []


def test_sample_alone_has_no_sfsf_findings():
    """Without the .mtaext the secret is empty: filled at deploy time, not an sfsf error."""
    _, diagnostics = validate(str(SAMPLE / "mtad.yaml"), [])
    assert [d for d in diagnostics if d.code.startswith("F")] == []


SAP_EXAMPLE = """\
_schema-version: '3.1'
parameters:
  hcp-deployer-version: '1.1.0'
ID: com.example.basic.sfsf
version: 0.1.0
modules:
  - name: benefits-app
    type: com.sap.java
    parameters:
       name: benefits
       jvm-arguments: -server
       java-version: JRE 7
       runtime: neo-java-web
       runtime-version: 1
       sfsf-idp-access: true
       sfsf-connections:
         - type: default
           additional-properties:
              nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'
         - type: technical-user
           technical-user-id: SFSFAdmin
       sfsf-outbound-connections:
         - type: OAuth2SAMLBearerAssertion
           name: BenefitsOutboundConnection
           subject-name-id: mail
           subject-name-id-format: EMAIL_ADDRESS
           assertion-attributes-mapping:
              firstname: firstname
              lastname: lastname
              email: email
       role-provider: sfsf
       sfsf-home-page-tiles:
         resource: resources/benefits-tiles.json
    requires:
     - name: dbbinding
     - name: benefits-roles
  - name: benefits-roles
    type: com.sap.hcp.sfsf-roles
resources:
  - name: dbbinding
    type: com.sap.hcp.persistence
    parameters:
      id: tst
"""


def test_sap_documented_example_verbatim(check):
    """SAP's whole example ("Modeling SAP SuccessFactors Extensions"): the only sfsf finding is
    the deprecated technical-user connection SAP itself cautions against."""
    assert f_codes(check(SAP_EXAMPLE)) == [
        ("F006", 20, 18, "modules[0].parameters.sfsf-connections[1].type")]


def test_sfsf_parameters_of_other_module_types_are_not_ours(check):
    source = HEAD.replace("com.sap.java", "com.sap.hcp.html5") + "      sfsf-idp-access: 3\n"
    assert f_codes(check(source)) == []


def test_generic_platform_checks_too(check):
    source = HEAD + "      sfsf-idp-access: 3\n"
    assert f_codes(check(source, platform="generic")) == [
        ("F001", 11, 24, "modules[0].parameters.sfsf-idp-access")]


# ------------------------------------------------------------------ secrets

SECRET = "s3cr3t-Do-Not-Print-42"


def _all_output(path: Path, extensions=()) -> str:
    text_out, text_err = io.StringIO(), io.StringIO()
    run(ValidateOptions([str(path)], list(extensions), format="text"), text_out, text_err)
    json_out, json_err = io.StringIO(), io.StringIO()
    run(ValidateOptions([str(path)], list(extensions), format="json"), json_out, json_err)
    return "".join(s.getvalue() for s in (text_out, text_err, json_out, json_err))


@pytest.mark.parametrize("connection, where", [
    (f"client-secret: {SECRET}", "literal"),
    (f"client-secret: '{SECRET}'", "quoted"),
    ("client-secret: ${events-credential}", "behind a parameter"),
])
def test_a_literal_secret_in_mtad_is_an_error_that_never_shows_the_value(tmp_path, connection,
                                                                        where):
    path = tmp_path / "mtad.yaml"
    path.write_text(HEAD + f"""\
      events-credential: {SECRET}
      sfsf-outbound-connections:
        - name: Events
          type: OAuth2ClientCredentials
          {connection}
""", encoding="utf-8")
    _, diagnostics = validate(str(path), [])
    assert [d.code for d in diagnostics if d.code.startswith("F")] == ["F013"], where
    output = _all_output(path)
    assert "F013" in output
    assert SECRET not in output


def test_a_literal_secret_in_an_extension_descriptor_is_fine(tmp_path):
    main = tmp_path / "mtad.yaml"
    main.write_text(HEAD + """\
      sfsf-outbound-connections:
        - name: Events
          type: OAuth2ClientCredentials
          client-secret:
""", encoding="utf-8")
    ext = tmp_path / "secret.mtaext"
    ext.write_text(f"""\
_schema-version: '3.1'
ID: com.example.t.config
extends: com.example.t
modules:
  - name: app
    parameters:
      sfsf-outbound-connections:
        - name: Events
          type: OAuth2ClientCredentials
          client-secret: {SECRET}
""", encoding="utf-8")
    _, diagnostics = validate(str(main), [str(ext)])
    assert diagnostics == []
    assert SECRET not in _all_output(main, [str(ext)])


def test_an_extension_descriptor_validated_alone_may_hold_secrets(check):
    source = HEAD.replace("version: 1.0.0\n", "extends: com.example.base\n") + f"""\
      sfsf-outbound-connections:
        - name: Events
          type: OAuth2ClientCredentials
          client-secret: {SECRET}
"""
    assert "F013" not in [c for c, *_ in check(source, name="secrets.mtaext")]


def test_a_secret_like_parameter_behind_a_reference_is_reported_once(check):
    """``events-secret`` is the literal-secret rule's N020 already: no second report at the same
    place."""
    found = check(HEAD + f"""\
      events-secret: {SECRET}
      sfsf-outbound-connections:
        - name: Events
          type: OAuth2ClientCredentials
          client-secret: ${{events-secret}}
""")
    at_secret = [item for item in found if item[1:3] == (11, 22)]
    assert len(at_secret) == 1 and at_secret[0][0] != "F013"


# ------------------------------------------------------------------ helpers expand reuses

def test_deployer_and_tool_keys():
    assert outbound.DEPLOYER_KEYS == {"name", "type", "subject-name-id", "subject-name-id-format",
                                  "assertion-attributes-mapping"}
    assert outbound.TOOL_KEYS == {"client-name", "client-id", "client-secret", "token-lifetime",
                              "token-url", "integrations"}
    assert not outbound.DEPLOYER_KEYS & outbound.TOOL_KEYS


@pytest.mark.parametrize("value, seconds", [
    (1, 1), ("3600", 3600), ("90s", 90), ("15m", 900), ("12h", 43200), ("30d", 2592000),
    ("180d", 15552000), (15552000, 15552000),
])
def test_token_lifetime_seconds(value, seconds):
    assert outbound.token_lifetime_seconds(value) == seconds


@pytest.mark.parametrize("value", [0, "0d", "181d", 15552001, -5, "30 days", "1.5h", True, 1.5,
                                   None, "", "d"])
def test_token_lifetime_refused(value):
    with pytest.raises(ValueError):
        outbound.token_lifetime_seconds(value)


def test_a_huge_token_lifetime_gets_the_users_message_not_pythons():
    with pytest.raises(ValueError) as refused:
        outbound.token_lifetime_seconds("9" * 5000 + "d")
    assert str(refused.value).startswith("must be a number of seconds")


@pytest.mark.parametrize("endpoint, ok", [
    ("/api/events", True), ("${default-url}", True), ("${default-url}/api/e", True),
    ("${default-url}?a=1", True), ("https://app.example.com/e", True),
    ("http://127.0.0.1:8080/e", True), ("http://localhost/e", True),
    ("api/events", False), ("//evil.example.com/e", False), ("http://app.example.com/e", False),
    ("${default-url}api", False), ("/api/my events", False), ("ftp://x.example.com/e", False),
    ("https://u:p@app.example.com/e", False), ("${other-url}/e", False),
])
def test_endpoint_problem(endpoint, ok):
    assert (outbound.endpoint_problem(endpoint) is None) is ok


@pytest.mark.parametrize("endpoint", [
    "/api/events?token=x", "/api/events?a=1&access_token=x", "/e?API_KEY=x", "/e?api%5Fkey=x",
    "/e?clientSecret=x", "/e;x?page=1;password=x", "${default-url}?tokens=x",
    "https://app.example.com/e#access_token=x", "/e?token=${secret}", "/e?token=",
])
def test_a_secret_like_query_parameter_is_refused(endpoint):
    problem = outbound.endpoint_problem(endpoint)
    assert problem is not None and "logged" in problem and "=x" not in problem


@pytest.mark.parametrize("endpoint", [
    "/api/events?page=2", "/e?token-url=x", "/e?key=1&public-key=2", "/e?token", "/e#token",
    "/e?tokenizer=x", "/e?client_id=x",
])
def test_other_query_parameters_are_fine(endpoint):
    assert outbound.endpoint_problem(endpoint) is None


def test_a_secret_in_a_query_string_never_shows(tmp_path):
    path = tmp_path / "mtad.yaml"
    path.write_text(HEAD + f"""\
      sfsf-outbound-connections:
        - name: Events
          type: OAuth2ClientCredentials
          token-url: https://oauth.example.com/token?client_secret={SECRET}
          integrations:
            - name: I1
              event: Change in Job Title
              endpoint: ${{default-url}}/api/events?access_token={SECRET}
""", encoding="utf-8")
    _, diagnostics = validate(str(path), [])
    assert [d.code for d in diagnostics] == ["F015", "F015"]
    output = _all_output(path)
    assert SECRET not in output and '"client_secret"' in output and '"access_token"' in output


@pytest.mark.parametrize("name", ["JobTitleChanged", "Job.Title_Changed-2", "I" * 128])
def test_an_integration_name_is_an_mta_name(check, name):
    source = HEAD + f"""\
      sfsf-outbound-connections:
        - name: Events
          type: OAuth2ClientCredentials
          integrations:
            - name: {name}
              event: Change in Job Title
              endpoint: /api/events
"""
    assert f_codes(check(source)) == []
    bad = source.replace(f"name: {name}\n", f"name: {name}!\n")
    assert f_codes(check(bad)) == [
        ("F010", 15, 21, "modules[0].parameters.sfsf-outbound-connections[0].integrations[0].name")]


@pytest.mark.parametrize("text, ok", [
    ("Change in Job Title", True), ("Änderung – Stellenbezeichnung ✓", True), ("a\u00a0b", True),
    ("a\nb", False), ("a\rb", False), ("a\tb", False), ("a\u0085b", False), ("a\u2028b", False),
    ("a\u2029b", False), ("a\u202eb", False), ("a\u2067b", False), ("a\u200bb", False),
    ("a\ufeffb", False), ("\x1b[31m", False), ("${x}\n# h", False),
])
def test_event_description_and_filter_are_one_line_of_printable_text(check, text, ok):
    for key in ("event", "description", "filter"):
        source = HEAD + f"""\
      sfsf-outbound-connections:
        - name: Events
          type: OAuth2ClientCredentials
          integrations:
            - name: I1
              event: Change in Job Title
              endpoint: /api/events
              {key}: {json.dumps(text)}
"""
        if key == "event":
            source = source.replace("              event: Change in Job Title\n", "", 1)
        found = [c for c in f_codes(check(source)) if c[0] != "F007" or c[3].endswith(key)]
        assert (found == []) is ok, (key, found)
        if not ok:
            assert [c[0] for c in found] == ["F007"]


def test_an_empty_description_or_filter_is_fine_an_empty_event_is_not(check):
    source = HEAD + """\
      sfsf-outbound-connections:
        - name: Events
          type: OAuth2ClientCredentials
          integrations:
            - name: I1
              event: ''
              description: ''
              filter: ''
              endpoint: /api/events
"""
    assert [c[:3] for c in f_codes(check(source))] == [("F007", 16, 22)]


def test_the_schema_one_line_pattern_is_the_rules_class():
    integration = descriptor_schema()["definitions"]["integration"]["properties"]
    for key in ("event", "description", "filter"):
        assert integration[key]["pattern"] == "^[^" + NOT_ONE_LINE.pattern[1:-1] + "]*$"
    assert integration["name"]["pattern"] == NAME_PATTERN.pattern
    assert integration["name"]["maxLength"] == MAX_NAME
    for text in ("Change in Job Title", "a\nb", "a\u202eb", "a\u0085b", "a\u00a0b"):
        by_schema = re.search(integration["event"]["pattern"], text) is not None
        assert by_schema is (NOT_ONE_LINE.search(text) is None), repr(text)


def test_every_code_has_a_negative_case_file():
    expected = set()
    for path in (CASES / "negative").glob("sfsf-*.yaml"):
        expected.update(re.findall(r"^# expect: (F\d{3}) ", path.read_text(encoding="utf-8"),
                                   re.M))
    assert expected == set(sfsf.CODES) | set(outbound.CODES)


def test_a_code_both_families_report_means_the_same_in_both():
    shared = set(sfsf.CODES) & set(outbound.CODES)
    assert shared == {"F001", "F002", "F003", "F004", "F007"}
    assert all(sfsf.CODES[code] == outbound.CODES[code] for code in shared)


def test_messages_never_echo_urls(check, tmp_path):
    """A URL may carry credentials: F015 names the key, not the value."""
    path = tmp_path / "mtad.yaml"
    path.write_text(HEAD + """\
      sfsf-outbound-connections:
        - name: Events
          type: OAuth2ClientCredentials
          token-url: https://client:hunter2-pw@oauth.example.com/token
""", encoding="utf-8")
    _, diagnostics = validate(str(path), [])
    assert [d.code for d in diagnostics] == ["F015"]
    assert "hunter2-pw" not in _all_output(path)


# ------------------------------------------------------------------ the JSON Schema
# (tests/test_schema.py holds the whole descriptor's schema against the rules' tables)

def _connections_schema() -> dict:
    """The schema of the parameter alone, as ``mta-sfsf schema`` defines it."""
    return {"$ref": "#/definitions/sfsf-outbound-connections",
            "definitions": descriptor_schema()["definitions"]}


def _plain(node):
    if isinstance(node, YMap):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, YSeq):
        return [_plain(v) for v in node]
    return node


def _merged(path: Path, extensions=()) -> dict:
    descriptor, _ = validate(str(path), [str(e) for e in extensions])
    return _plain(descriptor.merged)


def _connections(document: dict):
    for module in document.get("modules") or []:
        value = (module.get("parameters") or {}).get("sfsf-outbound-connections")
        if value is not None:
            yield value


def _positive_descriptors():
    yield SAMPLE / "mtad.yaml", [SAMPLE / "sample.mtaext"]
    for path in sorted((CASES / "positive").glob("sfsf-*.yaml")):
        text = path.read_text(encoding="utf-8")
        match = re.search(r"^# extensions: (.+)$", text, re.M)
        yield path, [path.parent / n.strip() for n in match.group(1).split(",")] if match else []


@pytest.mark.parametrize("path, extensions", list(_positive_descriptors()),
                         ids=lambda v: v.name if isinstance(v, Path) else "")
def test_positive_connections_conform_to_the_schema(path, extensions):
    document = _merged(path, extensions)
    found = list(_connections(document))
    assert found, f"{path.name} has no sfsf-outbound-connections"
    for connections in found:
        jsonschema.validate(connections, _connections_schema(), jsonschema.Draft7Validator)


@pytest.mark.parametrize("connection", [
    {"name": "A B", "type": "OAuth2ClientCredentials"},
    {"name": "A", "type": "OAuth2ClientCredential"},
    {"name": "A", "type": "OAuth2SAMLBearerAssertion", "subject-name-id-format": "EMAIL_ADDRESS"},
    {"name": "A", "type": "OAuth2ClientCredentials", "token-lifetme": "1h"},
    {"name": "A", "type": "OAuth2ClientCredentials", "token-lifetime": 0},
    {"name": "A", "type": "OAuth2ClientCredentials", "token-url": "http://oauth.example.com"},
    {"name": "A", "type": "OAuth2ClientCredentials",
     "integrations": [{"name": "I", "event": "E", "endpoint": "api/events"}]},
    {"name": "A", "type": "OAuth2ClientCredentials",
     "integrations": [{"name": "I $(x)", "event": "E", "endpoint": "/e"}]},
    {"name": "A", "type": "OAuth2ClientCredentials",
     "integrations": [{"name": "I", "event": "E\n# h", "endpoint": "/e"}]},
    {"name": "A", "type": "OAuth2ClientCredentials",
     "integrations": [{"name": "I", "event": "E", "endpoint": "/e", "description": "a\nb"}]},
    {"name": "A", "type": "OAuth2ClientCredentials",
     "integrations": [{"name": "I", "event": "E", "endpoint": "/e", "filter": "a\u202eb"}]},
    {"name": "A", "type": "OAuth2ClientCredentials",
     "integrations": [{"name": "I", "event": "E", "endpoint": "/e", "fields": {"n": 5}}]},
    {"name": "A", "type": "OAuth2ClientCredentials",
     "integrations": [{"name": "I", "event": "E", "endpoint": "/e",
                       "fields": {"n": {"constant": None}}}]},
])
def test_the_schema_refuses_what_the_rules_refuse(connection):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([connection], _connections_schema(), jsonschema.Draft7Validator)
