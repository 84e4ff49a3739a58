"""The Neo profile (rules/neo.py) and its data (rules/neo_types.py), and the literal-secret rule
(rules/literal_secrets.py, every platform); the per-code cases are in cases/negative/neo-*.yaml
and cases/positive/neo-*.yaml."""
from __future__ import annotations

import io
import re
import shutil

import pytest

from mta_sfsf.rules import literal_secrets, neo
from mta_sfsf.rules import neo_types as T
from mta_sfsf.validate import ValidateOptions, run

from conftest import CORPUS, JAVA_MODULE_HEAD, ROOT, SAMPLE, linear_contexts

DOCS = ROOT.parent / "shared" / "reference" / "sap-neo-docs"
TYPES_PAGE = DOCS / ("mta-module-types-resource-types-and-parameters-for-applications-in-the-"
                     "neo-environment-f1caa87.md")

HEAD = JAVA_MODULE_HEAD


def codes(found, prefix="N"):
    return [(code, line, col) for code, line, col, _ in found if code.startswith(prefix)]


# --- the extracted tables say what SAP's page says ----------------------------------------------

@pytest.fixture(scope="module")
def page():
    if not TYPES_PAGE.exists():
        pytest.skip("SAP reference pages not beside the repository")
    return TYPES_PAGE.read_text(encoding="utf-8")


def test_module_types_are_the_pages_headings(page):
    start = page.index("## Supported Module Types and Parameters")
    end = page.index("## Supported Multitarget Application Resource Types")
    headings = re.findall(r"^### `([^`]+)`", page[start:end], re.M)
    assert tuple(headings) == T.MODULE_TYPES


def test_parameter_tables_spot_checks(page):
    java, tomcat, html5 = (T.MODULE_PARAMETERS[t] for t in
                           ("com.sap.java", "java.tomcat", "com.sap.hcp.html5"))
    assert java["compute-unit-size"]["values"] == ("LITE", "PRO", "PREMIUM", "PREMIUM_PLUS")
    assert "The available sizes are `LITE`, `PRO`, `PREMIUM`, `PREMIUM_PLUS`" in page
    assert java["minimum-processes"]["range"] == tomcat["maximum-processes"]["range"] == (1, 99)
    assert "The allowed range is from `1` to `99`" in page
    assert java["name"] == {"type": "string", "required": True, "length": (1, 255)}
    assert java["runtime-version"]["type"] == "quoted-string"
    assert java["java-version"]["documented"] == ("JRE 8",)
    assert set(tomcat["java-version"]["documented"]) == {"JRE 8", "JRE 11", "JRE 17"}
    assert tomcat["runtime-version"]["documented"] == ("3", "4")
    assert "runtime" not in tomcat  # the Tomcat table has no runtime parameter
    assert java["rolling-update"]["since-deployer"] == "1.2.0"
    assert java["compression"]["values"] == ("on", "off", "forced")
    assert html5["version"]["required"] and html5["name"]["required"]
    assert html5["active"] == {"type": "boolean", "required": False, "default": "true"}
    assert set(html5) == {"name", "display-name", "version", "active", "description", "subscribe",
                          "sfsf-idp-access", "sfsf-home-page-tiles", "permissions"}
    # every name in a table is a documented `parameter` cell of its section
    for mtype in ("com.sap.java", "java.tomcat", "com.sap.hcp.html5"):
        section = page[page.index(f"### `{mtype}`"):]
        table = section[:section.index("</table>")]
        documented = set(re.findall(r"<tr>\s*<td valign=\"top\">\s*`([a-z0-9-]+)`", table))
        extra = {"sfsf-outbound-connections", "sfsf-tiles"}
        assert set(T.MODULE_PARAMETERS[mtype]) - extra == documented


def test_versions_are_the_pages(page):
    assert T.SCHEMA_VERSIONS == ("2.1", "3.1") and "-   `2.1`\n-   `3.1`" in page
    assert T.DEPLOYER_VERSIONS == ("1.0.0", "1.1.0", "1.2.0")
    assert "-   `1.0.0`\n-   `1.1.0`\n-   `1.2.0`" in page


# --- platform detection and override -------------------------------------------------------------

def test_detect_platform():
    assert neo.detect_platform({"parameters": {"hcp-deployer-version": "1.2.0"}}) == "neo"
    assert neo.detect_platform({"modules": [{"type": "com.sap.hcp.html5"}]}) == "neo"
    assert neo.detect_platform({"resources": [{"type": "com.sap.hcp.persistence"}]}) == "neo"
    assert neo.detect_platform({"modules": [{"type": "java.tomcat"}]}) == "generic"  # XSA too
    assert neo.detect_platform({"modules": ["x", None], "parameters": []}) == "generic"
    assert neo.detect_platform(None) == "generic"


CF = """_schema-version: '3.3'
ID: com.example.cf
version: 1.0.0
modules:
  - name: app
    type: java.tomcat
    parameters:
      memory: 1G
"""


def test_platform_option_overrides_detection(check):
    assert codes(check(CF)) == []
    assert ("N008", 8, 7) in codes(check(CF, platform="neo"))
    assert ("N001", 1, 18) in codes(check(CF, platform="neo"))
    neo_text = HEAD + "      runtme: x\n"
    assert codes(check(neo_text)) == [("N008", 11, 7)]
    assert codes(check(neo_text, platform="generic")) == []


# --- versions are text, never floats ------------------------------------------------------------

def test_version_tuple():
    assert neo.version_tuple("1.2") == (1, 2, 0)
    assert neo.version_tuple("3.10") == (3, 10, 0)
    assert neo.version_tuple("1.2.0-beta") is None
    assert neo.version_tuple("") is None


def test_versions_never_compared_as_floats(check):
    # 3.10 and 1.20 are the floats 3.1 and 1.2, which are supported; as versions they are not
    text = HEAD.replace("'3.1'", "3.10").replace("'1.2.0'", "1.20")
    assert codes(check(text)) == [("N001", 1, 18), ("N002", 5, 25)]


def test_short_deployer_versions_are_accepted(check):
    for spelling, expected in (("'1.2'", []), ("'1.1.0'", []), ("1.1.0", []),
                               ("'1.0'", [("N004", 5, 25)]), ("'2'", [("N002", 5, 25)])):
        assert codes(check(HEAD.replace("'1.2.0'", spelling))) == expected, spelling


def test_rolling_update_with_short_deployer_version(check):
    text = HEAD.replace("'1.2.0'", "'1.2'") + "      rolling-update: true\n"
    assert codes(check(text)) == []
    assert codes(check(text.replace("'1.2'", "'1.1'"))) == [("N014", 11, 23)]


# --- parameters ----------------------------------------------------------------------------------

def test_references_and_empty_values_are_left_alone(check):
    text = HEAD + ("      compute-unit-size: ${size}\n      max-threads:\n"
                   "      java-version: ''\n      size: PRO\n")
    assert codes(check(text)) == []


def test_development_descriptor_types_and_schema_are_the_build_tools(check):
    text = HEAD.replace("'3.1'", "'2.0.0'").replace("com.sap.java", "java")
    assert codes(check(text, name="mta.yaml")) == []
    assert ("N005", 8, 11) in codes(check(text, name="mtad.yaml"))


def test_unknown_type_has_a_suggestion(tmp_path):
    text = HEAD.replace("com.sap.java", "com.sap.jav")
    (tmp_path / "mtad.yaml").write_text(text, encoding="utf-8")
    out = io.StringIO()
    run(ValidateOptions([str(tmp_path / "mtad.yaml")], format="json"), out, io.StringIO())
    assert 'did you mean \\"com.sap.java\\"?' in out.getvalue()


# --- literal secrets -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["password", "DB_PASSWORD", "clientSecret", "client-secret",
                                  "client_secret", "api-key", "apikey", "x-api-key", "private-key",
                                  "privateKey", "token", "access-token", "KeyStorePassword",
                                  "tokenServicePassword", "pwd", "passphrase", "secret",
                                  "tokens", "api-keys", "clientSecrets", "passwords"])
def test_sensitive_names(name):
    assert literal_secrets.is_sensitive_name(name)


@pytest.mark.parametrize("name", ["public-key", "key", "key-store", "keystore", "token-url",
                                  "tokenServiceURL", "token-lifetime", "password-policy", "user",
                                  "user-id", "client-id", "sort-key", "primary-key",
                                  "secret-name", "service-key-name", "id", "keys", "process",
                                  "access", "public-keys", "secrets-policy"])
def test_not_sensitive_names(name):
    assert not literal_secrets.is_sensitive_name(name)


SECRET = "Zq9-very-secret-value"


def test_literal_secret_is_reported_without_its_value(tmp_path):
    (tmp_path / "mtad.yaml").write_text(CF + f"      password: {SECRET}\n", encoding="utf-8")
    for fmt in ("text", "json"):
        out, err = io.StringIO(), io.StringIO()
        options = ValidateOptions([str(tmp_path / "mtad.yaml")], format=fmt, strict=True)
        assert run(options, out, err) == 1
        assert "N020" in out.getvalue() + err.getvalue()
        assert SECRET not in out.getvalue() + err.getvalue()
        assert "MTA extension descriptor" in out.getvalue() + err.getvalue()


@pytest.mark.parametrize("value", [f"[{SECRET}]", f"{{value: {SECRET}}}",
                                   f"{{a: {{b: [x, {SECRET}]}}}}"])
def test_a_literal_inside_a_list_or_map_under_a_secret_like_name_is_reported(tmp_path, value):
    (tmp_path / "mtad.yaml").write_text(CF + f"      token: {value}\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    options = ValidateOptions([str(tmp_path / "mtad.yaml")], format="json", platform="neo")
    assert run(options, out, err) == 1
    assert '"N020"' in out.getvalue() and SECRET not in out.getvalue() + err.getvalue()


def test_lists_under_secret_like_names_may_hold_references(check):
    assert codes(check(CF + "      tokens: [~{creds/token}, '${tok}', '<your token>', '', true]\n"
                       "      secret-rotation: {enabled: false}\n")) == []


def test_secrets_where_they_belong_are_fine(check):
    assert codes(check(CF + "      password: ~{creds/password}\n      token: ${tok}\n"
                       "      secret: <your secret>\n      pwd:\n")) == []
    ext = ("_schema-version: '3.3'\nID: com.example.cf.ext\nextends: com.example.cf\n"
           "modules:\n  - name: app\n    parameters:\n      password: from-extension\n")
    assert codes(check(CF + "      password:\n", extensions={"x.mtaext": ext})) == []
    assert codes(check(ext, name="x.mtaext")) == []  # an extension descriptor alone


def test_outbound_client_secret_is_left_to_the_outbound_rules(check):
    text = HEAD + ("      sfsf-outbound-connections:\n        - name: Events\n"
                   "          type: OAuth2ClientCredentials\n          client-secret: literal\n")
    found = check(text)
    assert codes(found) == []
    assert ("F013", 14, 26) in codes(found, prefix="F")


# --- the corpus and the sample ---------------------------------------------------------------------

NEO_CORPUS = ["mtad/001.yaml", "mtad/045.yaml", "mtad/046.yaml", "mtad/057.yaml",
              "mta/001.yaml", "mta/004.yaml", "mta/027.yaml", "mtaext/017.mtaext",
              "mtaext/023.mtaext", "mtaext/025.mtaext", "mtaext/029.mtaext", "mtaext/030.mtaext"]

# SAP's Benefits sample (045, 046, 057) predates the parameter table and uses home page tiles
# (warnings); its application names break the inferred Neo naming rule (N016, a warning): 045 and
# 057 write "benefitsSOLUTION_ID", a token its build replaces, and 046 "benefits.app". The Web IDE
# apps use deployer 1.0.0.
EXPECTED_CORPUS = {
    "mtad/045.yaml": {("N004", 4, 25), ("N012", 15, 22), ("N012", 16, 17), ("N003", 17, 25),
                      ("N006", 21, 11), ("N006", 28, 11), ("N007", 39, 11), ("N016", 13, 14)},
    "mtad/046.yaml": {("N004", 4, 25), ("N012", 14, 22), ("N003", 15, 25), ("N012", 15, 25),
                      ("N007", 20, 8), ("N016", 13, 14)},
    "mtad/057.yaml": {("N004", 4, 25), ("N012", 15, 22), ("N012", 16, 17), ("N003", 17, 25),
                      ("N007", 22, 8), ("N016", 13, 14)},
    "mta/001.yaml": {("N004", 6, 25)},
    "mta/004.yaml": {("N004", 6, 25)},
}


@pytest.mark.parametrize("name", NEO_CORPUS)
def test_neo_corpus(name, tmp_path):
    from mta_sfsf.validate import check as validate

    source = CORPUS / name
    if not source.exists():
        pytest.skip("corpus not beside the repository")
    path = source
    if name.startswith("mta/"):  # development descriptors: give them their real file name
        path = tmp_path / "mta.yaml"
        shutil.copy(source, path)
    _, diagnostics = validate(str(path), [])
    found = {(d.code, d.line, d.column) for d in diagnostics if d.code.startswith("N")}
    assert found == EXPECTED_CORPUS.get(name, set())
    assert not [d for d in diagnostics if d.code.startswith("N") and d.severity == "error"]


@pytest.mark.parametrize("name, code", [
    ("app", None), ("benefits2", None), ("Benefits", None), ("a" * 30, None),
    ("app${suffix}", None), ("${app-name}", None), ("a" * 31, "N016"), ("2app", "N016"),
    ("my-app", "N016"), ("my_app", "N016"), ("my.app", "N016"), ("app-${suffix}", "N016"),
    ("a$(touch x)", "N011"), ("'app;ls'", "N011"), ("'app name'", "N011"), ("'äpp'", "N011"),
])
def test_the_java_application_name_can_be_a_host_label(check, name, code):
    # Characters no host label allows are errors; the inferred Neo rule is a warning.
    source = HEAD.replace("      name: app\n", f"      name: {name}\n      suffix: x\n")
    found = [c for c in codes(check(source)) if c[0] != "N008"]
    assert found == ([] if code is None else [(code, 10, 13)])


def test_an_application_name_over_255_is_reported_once(check):
    found = codes(check(HEAD.replace("name: app\n", f"name: {'a' * 256}\n")))
    assert found == [("N011", 10, 13)]


def test_the_application_name_rule_is_not_applied_to_html5(check):
    source = HEAD.replace("com.sap.java", "com.sap.hcp.html5").replace(
        "name: app\n", "name: my-app\n      version: '1.0.0'\n")
    assert codes(check(source)) == []


def test_sample_is_clean():
    from mta_sfsf.validate import check as validate

    _, diagnostics = validate(str(SAMPLE / "mtad.yaml"), [str(SAMPLE / "sample.mtaext")])
    assert diagnostics == []


# --- speed ---------------------------------------------------------------------------------------

def test_check_is_linear_in_the_number_of_modules(tmp_path):
    def descriptor(count: int) -> str:
        lines = [HEAD.split("modules:")[0] + "modules:"]
        for i in range(count):
            lines.append(f"  - name: mod-{i}\n    type: com.sap.java\n    parameters:\n"
                         f"      name: app{i}\n      java-version: JRE 8\n"
                         "      runtime-version: '1'\n"
                         "      minimum-processes: 1\n      maximum-processes: 2\n    provides:\n"
                         f"      - name: api-{i}\n        properties:\n"
                         "          url: ${default-url}")
        return "\n".join(lines) + "\n"

    def rules(ctx):
        neo.check(ctx)
        literal_secrets.check(ctx)

    small, large = linear_contexts(tmp_path, rules, descriptor, "neo")
    assert small.diagnostics == large.diagnostics == []


def test_sfsf_parameters_are_checked_here_only_on_html5(check):
    text = HEAD + "      sfsf-idp-access: maybe\n"
    assert codes(check(text)) == []  # the sfsf rules' (F001)
    html5 = HEAD.replace("com.sap.java", "com.sap.hcp.html5") + "      version: '1'\n"
    assert codes(check(html5 + "      sfsf-idp-access: maybe\n")) == [("N010", 12, 24)]


def test_malformed_deployer_version_does_not_crash(check):
    found = codes(check(HEAD.replace("'1.2.0'", "{a: 1}")))
    assert found == [("N002", 5, 25)]


def _severities(tmp_path, source: str, platform: str) -> list:
    from mta_sfsf.validate import check as validate

    (tmp_path / "mtad.yaml").write_text(source, encoding="utf-8")
    return [(d.code, d.severity) for d in validate(str(tmp_path / "mtad.yaml"), [], platform)[1]
            if d.code == "N020"]


def test_a_literal_secret_is_an_error_on_neo_and_a_warning_elsewhere(tmp_path):
    source = CF + f"      password: {SECRET}\n"
    assert _severities(tmp_path, source, "neo") == [("N020", "error")]
    assert _severities(tmp_path, source, "generic") == [("N020", "warning")]


def test_numbers_and_booleans_are_never_secrets(tmp_path):
    source = CF + "      MAX_TOKENS: 4096\n      api-key: 12345\n      use-token: true\n"
    assert _severities(tmp_path, source, "neo") == []


def test_a_sensitive_value_is_a_secret_whatever_its_name_and_never_shown(tmp_path):
    """!sensitive marks a secret (multiapps' only tag); even a finding that would quote the value
    (an unknown compression) shows "(sensitive)" instead, in every format."""
    value = "Zq9-tagged-value"
    (tmp_path / "mtad.yaml").write_text(JAVA_MODULE_HEAD + f"      compression: !sensitive {value}\n"
                                        f"      greeting: !sensitive {value}\n", encoding="utf-8")
    for fmt in ("text", "json", "github"):
        out, err = io.StringIO(), io.StringIO()
        assert run(ValidateOptions([str(tmp_path / "mtad.yaml")], format=fmt), out, err) == 1
        text = out.getvalue() + err.getvalue()
        assert value not in text and "(sensitive)" in text and "N011" in text, text
        assert "Y007" not in text  # the format's own tag, not an unknown one
    from mta_sfsf.validate import check as validate

    found = [d for d in validate(str(tmp_path / "mtad.yaml"))[1] if d.code == "N020"]
    assert [(d.path, d.severity) for d in found] == [
        ("modules[0].parameters.compression", "error"), ("modules[0].parameters.greeting", "error")]
