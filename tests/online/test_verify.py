"""verify: one verdict per step, the right reason when a check fails, exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mta_sfsf.cli import main
from mta_sfsf.online.http import Client
from servers import CLIENT_ID, EVENT_PATHS, ReceivingApp, app, sandbox, scripted  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "fixtures" / "online" / "sample-plan.json"
EXT = ROOT / "sample-mta" / "sample.mtaext"
ENV_ID = "MTA_SFSF_CLIENT_ID_BENEFITSEVENTS"
ENV_SECRET = "MTA_SFSF_CLIENT_SECRET_BENEFITSEVENTS"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in (ENV_ID, ENV_SECRET, "MTA_SFSF_PLATFORM_CLIENT_ID",
                 "MTA_SFSF_PLATFORM_CLIENT_SECRET", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(ENV_ID, CLIENT_ID)


def verify(capsys, *args, plan=PLAN, ext=EXT, fmt="json"):
    argv = ["verify", str(plan), "--format", fmt, "--timeout", "2"] + list(args)
    if ext:
        argv += ["-e", str(ext)]
    code = main(argv)
    captured = capsys.readouterr()
    if fmt == "json" and captured.out:
        doc = json.loads(captured.out)
        verdicts = {s["step"]: s for c in doc["connections"] for s in c["steps"]}
        return code, verdicts, captured
    return code, None, captured


def test_everything_checkable_is_verified(capsys, sandbox, app):
    code, verdicts, captured = verify(capsys, "--token-url", sandbox.token_url,
                                      "--app-url", app.url)
    assert code == 0
    assert {k: v["verdict"] for k, v in verdicts.items()} == {
        "BenefitsEvents/btp-oauth-client": "verified",
        "BenefitsEvents/sfsf-outbound-oauth-config": "not checkable",
        "BenefitsEvents/sfsf-integration/JobTitleChanged": "verified",
        "BenefitsEvents/sfsf-integration/LocationChanged": "verified",
        "BenefitsOutboundConnection/sfsf-x509-key": "not checkable",
        "BenefitsOutboundConnection/btp-oauth-client": "not checkable",
        "BenefitsOutboundConnection/btp-trusted-idp": "not checkable",
        "BenefitsOutboundConnection/sfsf-outbound-oauth-config": "not checkable",
    }
    config = verdicts["BenefitsEvents/sfsf-outbound-oauth-config"]["values"]
    assert config["Client ID"] == f"{CLIENT_ID} (from {ENV_ID})"
    assert config["Token URL"] == ("https://oauthasservices-mysubaccount.eu2.hana.ondemand.com"
                                   "/oauth2/api/v1/token")
    assert config["Grant Type"] == "Client_Credentials" and config["Token Method"] == "POST"
    assert config["Client Secret"].startswith("(sensitive; ")
    assert "delivery with a token not tried" in verdicts[
        "BenefitsEvents/sfsf-integration/JobTitleChanged"]["reason"]
    assert app.events == []  # nothing delivered without --send-event
    assert captured.err == "3 verified, 0 failed, 5 not checkable\n"


def test_send_event_delivers_each_sample_once(capsys, sandbox, app):
    code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url, "--app-url", app.url,
                               "--send-event", "--connection", "BenefitsEvents")
    assert code == 0
    assert [e["path"] for e in app.events] == EVENT_PATHS
    assert app.events[1]["event"] == {"userId": "sfadmin", "location": "Berlin"}
    assert "accepted the sample event with a token (HTTP 200, sent once)" in verdicts[
        "BenefitsEvents/sfsf-integration/LocationChanged"]["reason"]


def test_a_wrong_secret_says_which_causes_apply(capsys, sandbox, app, monkeypatch):
    monkeypatch.setenv(ENV_SECRET, "not-the-secret-in-the-sandbox")
    code, verdicts, captured = verify(capsys, "--token-url", sandbox.token_url,
                                      "--app-url", app.url, "--send-event", ext=None)
    assert code == 1
    client = verdicts["BenefitsEvents/btp-oauth-client"]
    assert client["verdict"] == "failed"
    assert client["reason"] == (f"the token endpoint rejected client ID '{CLIENT_ID}' with this "
                                "secret (HTTP 401 (invalid_client): bad client credentials)")
    for cause in ("client ID is unknown", "secret differs", "Authorization Grant is not Client "
                  "Credentials", "wrong subaccount"):
        assert cause in client["action"]
    integration = verdicts["BenefitsEvents/sfsf-integration/JobTitleChanged"]
    assert integration["verdict"] == "failed"
    assert "no token (see BenefitsEvents/btp-oauth-client)" in integration["reason"]
    assert app.events == []
    assert "not-the-secret" not in captured.out + captured.err


def test_missing_secret_and_client_id_say_where_to_put_them(capsys, sandbox, monkeypatch):
    monkeypatch.delenv(ENV_ID)
    code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url, "--connection",
                               "BenefitsEvents", ext=None)
    assert code == 1
    reason = verdicts["BenefitsEvents/btp-oauth-client"]["reason"]
    assert ENV_ID in reason and ENV_SECRET in reason
    assert "resources[sfsf-credentials].properties.client-secret" in reason


def test_an_unprotected_endpoint_fails(capsys, sandbox):
    open_app = ReceivingApp(None, EVENT_PATHS, protected=False)
    try:
        code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url,
                                   "--app-url", open_app.url)
    finally:
        open_app.stop()
    assert code == 1
    verdict = verdicts["BenefitsEvents/sfsf-integration/JobTitleChanged"]
    assert verdict["verdict"] == "failed"
    assert "accepted an event without a token (HTTP 200): the endpoint is not protected" in \
        verdict["reason"]
    assert open_app.events == [{"path": EVENT_PATHS[0], "client_id": "anonymous", "event": {}},
                               {"path": EVENT_PATHS[1], "client_id": "anonymous", "event": {}}]


@pytest.mark.parametrize("answer, expected", [
    ({"status": 302, "headers": {"Location": "https://idp.example/login"}},
     "redirects events without a token (HTTP 302 to https://idp.example/login)"),
    ({"status": 404}, "no such endpoint (HTTP 404)"),
    ({"status": 500, "body": "boom"}, "answered HTTP 500 to an event without a token: boom"),
])
def test_other_answers_of_the_endpoint(capsys, sandbox, scripted, answer, expected):
    endpoint = scripted([answer])
    code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url, "--app-url",
                               endpoint.url, "--connection", "BenefitsEvents")
    assert code == 1
    assert expected in verdicts["BenefitsEvents/sfsf-integration/JobTitleChanged"]["reason"]
    assert all(r["method"] == "POST" and "Authorization" not in r["headers"]
               for r in endpoint.requests)


def test_a_valid_token_rejected_by_the_app(capsys, sandbox, scripted):
    endpoint = scripted([{"status": 401}])
    code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url, "--app-url",
                               endpoint.url, "--connection", "BenefitsEvents", "--send-event")
    assert code == 1
    verdict = verdicts["BenefitsEvents/sfsf-integration/JobTitleChanged"]
    assert "rejected a valid token (HTTP 401, sent once, not retried)" in verdict["reason"]
    assert "subscribe the OAuth client" in verdict["action"]


def test_payload_file_replaces_the_sample(capsys, sandbox, app, tmp_path):
    payload = tmp_path / "event.json"
    payload.write_text('{"userId": "u1", "custom": [1, 2]}')
    code, _, _ = verify(capsys, "--token-url", sandbox.token_url, "--app-url", app.url,
                        "--send-event", "--payload", str(payload), "--connection",
                        "BenefitsEvents")
    assert code == 0
    assert [e["event"] for e in app.events] == [{"userId": "u1", "custom": [1, 2]}] * 2


def test_text_and_github_formats(capsys, sandbox, app):
    code, _, captured = verify(capsys, "--token-url", sandbox.token_url, "--app-url", app.url,
                               "--connection", "BenefitsEvents", fmt="text")
    assert code == 0
    assert "  verified      BenefitsEvents/btp-oauth-client  (Create OAuth Client in SAP BTP)\n" \
        in captured.out
    assert "                Token Method: POST\n" in captured.out
    code, _, captured = verify(capsys, "--token-url", sandbox.token_url, "--app-url", app.url,
                               "--connection", "BenefitsEvents", fmt="github")
    lines = captured.out.splitlines()
    assert lines[0].startswith("::notice title=verified%3A BenefitsEvents/btp-oauth-client::")
    assert lines[1].startswith("::warning title=not checkable%3A BenefitsEvents/sfsf-outbound")


def test_application_state_through_the_java_alm_api(capsys, sandbox, app, scripted, monkeypatch):
    platform = scripted([{"body": {"access_token": "platform-tok-123", "expires_in": 1500}},
                         {"body": {"entity": {"applicationState": "STOPPED"}}}])
    monkeypatch.setenv("MTA_SFSF_PLATFORM_CLIENT_ID", "platform-client")
    monkeypatch.setenv("MTA_SFSF_PLATFORM_CLIENT_SECRET", "platform-secret-9")
    code, verdicts, captured = verify(capsys, "--token-url", sandbox.token_url, "--app-url",
                                      app.url, "--platform-url", platform.url)
    assert code == 1
    state = verdicts["application/benefits"]
    assert state["verdict"] == "failed" and state["reason"] == "application 'benefits' is STOPPED"
    token_request, state_request = platform.requests
    assert token_request["method"] == "POST"
    assert token_request["path"] == "/oauth2/apitoken/v1?grant_type=client_credentials"
    assert token_request["headers"]["Authorization"].startswith("Basic ")
    assert state_request["path"] == "/lifecycle/v1/accounts/mysubaccount/apps/benefits/state"
    assert state_request["headers"]["Authorization"] == "Bearer platform-tok-123"
    assert "platform-tok-123" not in captured.out and "platform-secret-9" not in captured.out


def test_application_started(capsys, sandbox, app, scripted, monkeypatch):
    platform = scripted([{"body": {"access_token": "platform-tok-456", "expires_in": 1500}},
                         {"body": {"entity": {"applicationState": "STARTED"}}}])
    monkeypatch.setenv("MTA_SFSF_PLATFORM_CLIENT_ID", "platform-client")
    monkeypatch.setenv("MTA_SFSF_PLATFORM_CLIENT_SECRET", "platform-secret-9")
    code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url, "--app-url", app.url,
                               "--platform-url", platform.url)
    assert code == 0 and verdicts["application/benefits"]["verdict"] == "verified"


@pytest.mark.parametrize("content, message", [
    ("not json", "not valid JSON (line 1, column 1)"),
    ('{"format": "other"}', 'not an mta-sfsf plan ("format" must be "mta-sfsf-plan")'),
    ('{"format": "mta-sfsf-plan", "version": 2}', "plan version 2 is newer than this mta-sfsf"),
    ('{"format": "mta-sfsf-plan", "version": 1, "steps": {}}', '"steps" must be a list'),
    ('{"format": "mta-sfsf-plan", "version": 1, "steps": [{"id": "a/b", "kind": "k", "fields": '
     '{"x": {"from": {"step": "gone", "output": "y"}}}}], "connections": [{"name": "a"}]}',
     "a/b.fields.x: refers to step 'gone', which the plan does not have"),
    # Hand-edited plans with lists where names belong: input errors, not internal errors.
    ('{"format": "mta-sfsf-plan", "version": 1, "steps": [], "connections": [{"name": "a", '
     '"steps": [[1]]}]}', 'connections[0] (a): "steps" must be a list of step ids'),
    ('{"format": "mta-sfsf-plan", "version": 1, "steps": [{"id": "a/b", "kind": "k", "fields": '
     '{"x": {"from": {"step": [1], "output": "y"}}}}], "connections": [{"name": "a"}]}',
     "a/b.fields.x: refers to step [1], which the plan does not have"),
    ('{"format": "mta-sfsf-plan", "version": 1, "steps": [{"id": "a/b", "kind": "k", "outputs": '
     '{"y": 1}, "fields": {"x": {"from": {"step": "a/b", "output": [1]}}}}], "connections": '
     '[{"name": "a"}]}', "a/b.fields.x: step 'a/b' has no output [1]"),
    ('{"format": "mta-sfsf-plan", "version": 1, "steps": [{"id": "a/b", "kind": "k", "fields": '
     '{"x": {"secret": {"env": ["A"], "locator": "x"}}}}], "connections": [{"name": "a"}]}',
     'a/b.fields.x: a secret\'s "env" must be a variable name and its "locator" a list'),
])
def test_a_wrong_plan_is_a_clear_input_error(capsys, tmp_path, content, message):
    plan = tmp_path / "plan.json"
    plan.write_text(content)
    code, _, captured = verify(capsys, plan=plan, ext=None)
    assert code == 2
    assert captured.err.startswith(f"mta-sfsf: error: {plan}: ")
    assert message in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize("args, message", [
    (["--token-url", "http://example.com/token"], "plain http:// is allowed only for loopback"),
    (["--app-url", "ftp://127.0.0.1"], "must be an absolute https:// URL"),
    (["--connection", "Nope"], "no connection named 'Nope'"),
    (["--timeout", "0"], "--timeout must be more than 0"),
])
def test_usage_errors(capsys, args, message):
    code, _, captured = verify(capsys, *args, ext=None)
    assert code == 2 and message in captured.err


def test_unreachable_token_endpoint_is_a_failed_step(capsys, scripted, mocker):
    mocker.patch("mta_sfsf.online.http.time.sleep")
    endpoint = scripted([{"action": "reset"}])
    code, verdicts, _ = verify(capsys, "--token-url", endpoint.url, "--app-url", endpoint.url,
                               "--connection", "BenefitsEvents")
    assert code == 1
    reason = verdicts["BenefitsEvents/btp-oauth-client"]["reason"]
    assert reason.startswith(f"token request failed: cannot reach {endpoint.url}")
    assert reason.endswith("(after 4 attempts)")


def test_the_application_state_request_is_not_retried(capsys, sandbox, app, scripted,
                                                      monkeypatch, mocker):
    sleep = mocker.patch("mta_sfsf.online.http.time.sleep")
    platform = scripted([{"body": {"access_token": "platform-tok-503", "expires_in": 1500}},
                         {"status": 503, "body": {"error": "busy"}}])
    monkeypatch.setenv("MTA_SFSF_PLATFORM_CLIENT_ID", "platform-client")
    monkeypatch.setenv("MTA_SFSF_PLATFORM_CLIENT_SECRET", "platform-secret-9")
    code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url, "--app-url", app.url,
                               "--platform-url", platform.url)
    assert code == 1
    assert verdicts["application/benefits"]["reason"] == "Java ALM API answered HTTP 503"
    assert [r["method"] for r in platform.requests] == ["POST", "GET"]
    sleep.assert_not_called()


def test_a_redirecting_token_url_is_not_followed(capsys, scripted, monkeypatch):
    monkeypatch.setenv(ENV_SECRET, "secret-for-redirect-1")
    elsewhere = scripted([{"body": {"access_token": "tok-elsewhere-000001"}}])
    target = elsewhere.url.replace("127.0.0.1", "localhost") + "/oauth2/api/v1/token"
    token = scripted([{"status": 301, "headers": {"Location": target}}])
    code, verdicts, captured = verify(capsys, "--token-url", token.url, "--connection",
                                      "BenefitsEvents", ext=None)
    assert code == 1
    assert verdicts["BenefitsEvents/btp-oauth-client"]["reason"] == (
        f"the token URL redirects (HTTP 301 to {target}); the redirect was not followed")
    assert elsewhere.requests == [] and len(token.requests) == 1
    assert "secret-for-redirect-1" not in captured.out + captured.err


def test_control_characters_in_a_hand_edited_plan_stay_escaped(capsys, tmp_path):
    plan = json.loads(PLAN.read_text())
    step = next(s for s in plan["steps"] if s["id"] == "BenefitsOutboundConnection/sfsf-x509-key")
    step["title"] = "Key\x1b[2J\nfake line\u202e"
    step.setdefault("fields", {})["Note"] = {"value": "v\x1b[2Jw\nfake"}
    edited = tmp_path / "plan.json"
    edited.write_text(json.dumps(plan))
    outputs = {}
    for fmt in ("text", "github"):
        code, _, captured = verify(capsys, "--connection", "BenefitsOutboundConnection",
                                   plan=edited, ext=None, fmt=fmt)
        assert code == 4  # a SAML connection without integrations: nothing verifiable
        assert "\x1b" not in captured.out and "\u202e" not in captured.out
        outputs[fmt] = captured.out
    assert ("  not checkable BenefitsOutboundConnection/sfsf-x509-key  "
            "(Key\\x1b[2J\\nfake line\\u202e)\n") in outputs["text"]
    assert "                Note: v\\x1b[2Jw\\nfake\n" in outputs["text"]
    assert "Note: v\\x1b[2Jw\\nfake" in outputs["github"]
    assert len(outputs["github"].splitlines()) == 4  # one annotation per step


# --- what a plan edited in a pull request must not be able to do ------------------------------

def edited(tmp_path, edit):
    plan = json.loads(PLAN.read_text())
    edit(plan)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return path


def step_of(plan, step_id):
    return next(s for s in plan["steps"] if s["id"] == step_id)


def set_env(where, name):
    def edit(plan):
        if where == "secret field":
            step_of(plan, "BenefitsEvents/btp-oauth-client")["fields"]["Secret"]["secret"][
                "env"] = name
        elif where == "placeholder field":
            step_of(plan, "BenefitsEvents/btp-oauth-client")["fields"]["ID"]["env"] = name
        elif where == "connection summary":
            plan["connections"][0]["client_secret"]["secret"]["env"] = name
        else:  # an output only another step refers to
            step_of(plan, "BenefitsEvents/btp-oauth-client")["outputs"]["client_id"]["env"] = name
    return edit


KEY_PATHS = {
    "secret field": "BenefitsEvents/btp-oauth-client.fields.Secret.secret.env",
    "placeholder field": "BenefitsEvents/btp-oauth-client.fields.ID.env",
    "connection summary": "connections[0] (BenefitsEvents).client_secret.secret.env",
    "output": "BenefitsEvents/btp-oauth-client.outputs.client_id.env",
}


@pytest.mark.parametrize("where", sorted(KEY_PATHS))
@pytest.mark.parametrize("name", ["GITHUB_TOKEN", "MTA_SFSF_PLATFORM_CLIENT_SECRET",
                                  "MTA_SFSF_SANDBOX_SECRET_X", "mta_sfsf_client_secret_x",
                                  "MTA_SFSF_CLIENT_SECRET_", "MTA_SFSF_CLIENT_SECRET_X\nY",
                                  "MTA_SFSF_CLIENT_SECRET_X\n"])
def test_a_plan_names_only_the_tools_own_variables(capsys, tmp_path, scripted, monkeypatch,
                                                   where, name):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp-must-never-leave-1234")
    token = scripted([{"body": {"access_token": "tok-should-not-be-asked"}}])
    plan = edited(tmp_path, set_env(where, name))
    code, _, captured = verify(capsys, "--token-url", token.url, plan=plan, ext=None)
    assert code == 2
    assert captured.err.startswith(f"mta-sfsf: error: {plan}: {KEY_PATHS[where]}: ")
    assert "may name only MTA_SFSF_CLIENT_ID_<CONNECTION> or MTA_SFSF_CLIENT_SECRET_<CONNECTION>" \
        in captured.err
    assert token.requests == []


def test_the_tools_own_variables_are_accepted(capsys, tmp_path, sandbox, app):
    plan = edited(tmp_path, set_env("secret field", "MTA_SFSF_CLIENT_SECRET_OTHER_NAME_2"))
    code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url, "--app-url", app.url,
                               "--connection", "BenefitsEvents", plan=plan)
    assert code == 0 and verdicts["BenefitsEvents/btp-oauth-client"]["verdict"] == "verified"


def aim_token_url(url):
    def edit(plan):
        plan["connections"][0]["token_url"] = {"value": url}
        step_of(plan, "BenefitsEvents/sfsf-outbound-oauth-config")["fields"]["Token URL"] = {
            "value": url}
    return edit


@pytest.mark.parametrize("url, why", [
    ("https://collector.example/oauth2/api/v1/token", "collector.example"),
    ("https://oauthasservices-mysubaccount.eu2.hana.ondemand.com.evil.example/t",
     "oauthasservices-mysubaccount.eu2.hana.ondemand.com.evil.example"),
    ("https://api.eu2.hana.ondemand.com/oauth2/api/v1/token", "api.eu2.hana.ondemand.com"),
    ("https://oauthasservices-other.eu2.hana.ondemand.com/oauth2/api/v1/token",
     "oauthasservices-other.eu2.hana.ondemand.com"),
])
def test_no_secret_goes_to_a_token_url_outside_neo(capsys, tmp_path, mocker, monkeypatch, url,
                                                    why):
    monkeypatch.setenv(ENV_SECRET, "secret-for-a-collector-1")
    fetch = mocker.patch("mta_sfsf.online.http.Client.fetch_token")
    plan = edited(tmp_path, aim_token_url(url))
    code, verdicts, captured = verify(capsys, "--connection", "BenefitsEvents", plan=plan,
                                      ext=None)
    assert code == 1
    client = verdicts["BenefitsEvents/btp-oauth-client"]
    assert client["verdict"] == "failed"
    assert client["reason"].startswith(f"the plan's token URL host {why!r} is not ")
    assert "the client secret was not sent" in client["reason"]
    assert "--token-url" in client["action"]
    fetch.assert_not_called()
    assert "secret-for-a-collector-1" not in captured.out + captured.err


def test_a_loopback_token_url_in_the_plan_is_used(capsys, tmp_path, sandbox, app):
    plan = edited(tmp_path, aim_token_url(sandbox.token_url))
    code, verdicts, _ = verify(capsys, "--app-url", app.url, "--connection", "BenefitsEvents",
                               plan=plan)
    assert code == 0 and verdicts["BenefitsEvents/btp-oauth-client"]["verdict"] == "verified"


def test_no_token_goes_to_an_app_url_outside_neo(capsys, tmp_path, sandbox, mocker):
    def edit(plan):
        for name in ("JobTitleChanged", "LocationChanged"):
            step = step_of(plan, f"BenefitsEvents/sfsf-integration/{name}")
            step["fields"]["REST API URL"] = {"value": f"https://collector.example/{name}"}
    request = mocker.spy(Client, "request")
    code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url, "--send-event",
                               "--connection", "BenefitsEvents", plan=edited(tmp_path, edit))
    assert code == 1
    verdict = verdicts["BenefitsEvents/sfsf-integration/JobTitleChanged"]
    assert verdict["verdict"] == "failed"
    assert "the plan's REST API URL host 'collector.example' is not " in verdict["reason"]
    assert "--app-url" in verdict["action"]
    assert [call.args[2] for call in request.call_args_list] == [sandbox.token_url]


@pytest.mark.parametrize("host", ["collector.example", "hana.ondemand.com.evil.example", ""])
def test_the_platform_secret_goes_only_to_a_neo_region_host(capsys, tmp_path, sandbox, app,
                                                            mocker, monkeypatch, host):
    monkeypatch.setenv("MTA_SFSF_PLATFORM_CLIENT_ID", "platform-client")
    monkeypatch.setenv("MTA_SFSF_PLATFORM_CLIENT_SECRET", "platform-secret-9")
    cached = mocker.patch("mta_sfsf.online.http.Client.cached_token")
    plan = edited(tmp_path, lambda p: p["landscape"].update(host=host))
    code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url, "--app-url", app.url,
                               plan=plan)
    cached.assert_not_called()
    state = verdicts["application/benefits"]
    if host:
        assert code == 0 and state["verdict"] == "not checkable"
        assert state["reason"].startswith(f"the plan's landscape host {host!r} is not a Neo "
                                          "region host")
        assert "--platform-url" in state["action"]
    else:
        assert code == 1 and state["verdict"] == "failed"


def test_the_start_hint_quotes_plan_values(capsys, tmp_path, sandbox, app, scripted,
                                           monkeypatch):
    platform = scripted([{"body": {"access_token": "platform-tok-789", "expires_in": 1500}},
                         {"body": {"entity": {"applicationState": "STOPPED"}}}])
    monkeypatch.setenv("MTA_SFSF_PLATFORM_CLIENT_ID", "platform-client")
    monkeypatch.setenv("MTA_SFSF_PLATFORM_CLIENT_SECRET", "platform-secret-9")

    def edit(plan):
        for conn in plan["connections"]:
            conn["application"] = "app; rm -rf ~"
    code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url, "--app-url", app.url,
                               "--platform-url", platform.url, "--connection", "BenefitsEvents",
                               plan=edited(tmp_path, edit))
    assert verdicts["application/app; rm -rf ~"]["action"] == (
        "start it: neo start -a mysubaccount -b 'app; rm -rf ~' -h eu2.hana.ondemand.com")


@pytest.fixture
def deployer_plan(tmp_path, capsys):
    """A plan of the sample in deployer mode: the deployer registers BenefitsEvents's client."""
    out = tmp_path / "deployer"
    assert main(["expand", str(ROOT / "sample-mta" / "mtad.yaml"), "-e", str(EXT), "-o",
                 str(out), "--mode", "deployer", "--host", "eu2.hana.ondemand.com", "--account",
                 "mysubaccount"]) == 0
    capsys.readouterr()  # expand's findings are not verify's output
    return out / "plan.json"


def test_a_client_the_deployer_registered_is_not_checkable_with_the_way_forward(
        capsys, sandbox, app, deployer_plan, monkeypatch):
    monkeypatch.delenv(ENV_ID)
    code, verdicts, captured = verify(capsys, "--token-url", sandbox.token_url, "--app-url",
                                      app.url, plan=deployer_plan)
    client = verdicts["BenefitsEvents/btp-oauth-client"]
    assert client["verdict"] == "not checkable"
    assert "SAP documents no way to read a generated secret" in client["reason"]
    assert f"put the client's ID in {ENV_ID}" in client["action"]
    assert "Security > OAuth > Clients" in client["action"] and ENV_SECRET in client["action"]
    assert "failed" not in {v["verdict"] for v in verdicts.values()}
    assert code == 0  # the integrations' endpoints were verified
    # Values in the order of SAP's procedure, as the plan keeps them.
    assert list(verdicts["BenefitsEvents/sfsf-outbound-oauth-config"]["values"]) == [
        "Configuration Name", "OAuth Type", "Grant Type", "Client ID", "Client Secret",
        "Token URL", "Token Method"]


def test_with_the_deployer_client_s_id_and_secret_in_the_environment_it_is_checked(
        capsys, sandbox, app, deployer_plan, monkeypatch):
    monkeypatch.setenv(ENV_SECRET, "FAKE-not-a-real-secret-0000")
    code, verdicts, _ = verify(capsys, "--token-url", sandbox.token_url, "--app-url", app.url,
                               "--connection", "BenefitsEvents", plan=deployer_plan, ext=None)
    assert verdicts["BenefitsEvents/btp-oauth-client"]["verdict"] == "verified"
    assert code == 0


def test_a_run_that_verified_nothing_exits_4(capsys, deployer_plan):
    code, verdicts, captured = verify(capsys, "--connection", "BenefitsOutboundConnection",
                                      plan=deployer_plan)
    assert {v["verdict"] for v in verdicts.values()} == {"not checkable"}
    assert code == 4
    assert captured.err.endswith("0 verified, 0 failed, 4 not checkable\n"
                                 "mta-sfsf: nothing was verified (exit 4): every step is not "
                                 "checkable\n")


def _plan_with_client_id(tmp_path, client_id):
    data = json.loads(PLAN.read_text())
    data["connections"][0]["client_id"] = client_id
    for step in data["steps"]:
        if step["id"] == "BenefitsEvents/btp-oauth-client":
            step["fields"]["ID"] = client_id
            step["outputs"]["client_id"] = client_id
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize("client_id", [
    {"placeholder": "<id>", "env": "MTA_SFSF_CLIENT_SECRET_OTHER"},
    {"secret": {"env": "MTA_SFSF_CLIENT_SECRET_BENEFITSEVENTS"}},
    {"secret": {"locator": ["resources", {"name": "sfsf-credentials"}, "properties",
                            "client-secret"]}},
])
def test_a_plan_cannot_make_a_secret_the_client_id(capsys, sandbox, tmp_path, monkeypatch,
                                                   client_id):
    monkeypatch.setenv("MTA_SFSF_CLIENT_SECRET_OTHER", "other-secret-Xq81-zzz")
    monkeypatch.setenv(ENV_SECRET, "benefits-secret-Jk27-yyy")
    plan = _plan_with_client_id(tmp_path, client_id)
    for fmt in ("json", "text"):
        code, _, captured = verify(capsys, "--token-url", sandbox.token_url, plan=plan, fmt=fmt)
        output = captured.out + captured.err
        assert code == 2
        assert "a client ID may come only from MTA_SFSF_CLIENT_ID_<CONNECTION>" in output
        for secret in ("other-secret-Xq81-zzz", "benefits-secret-Jk27-yyy",
                       "FAKE-not-a-real-secret-0000"):
            assert secret not in output


def test_a_client_id_equal_to_a_secret_is_never_printed_nor_sent(capsys, sandbox, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setenv(ENV_SECRET, "same-value-as-secret-91")
    monkeypatch.setenv(ENV_ID, "same-value-as-secret-91")
    code, verdicts, captured = verify(capsys, "--token-url", sandbox.token_url,
                                      "--connection", "BenefitsEvents", ext=None, fmt="json")
    assert code == 1
    assert "same-value-as-secret-91" not in captured.out + captured.err
    assert "equals a client secret" in verdicts["BenefitsEvents/btp-oauth-client"]["reason"]
    assert verdicts["BenefitsEvents/sfsf-outbound-oauth-config"]["values"]["Client ID"] \
        .startswith("<generated")


@pytest.mark.parametrize("token_url", [{"value": ""}, {"value": "   "}, {"value": None}, ""])
def test_an_empty_token_url_in_the_plan_says_so(capsys, tmp_path, token_url):
    data = json.loads(PLAN.read_text())
    data["connections"][0]["token_url"] = token_url
    for step in data["steps"]:
        if "Token URL" in step.get("fields", {}):
            step["fields"]["Token URL"] = token_url
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data))
    code, verdicts, captured = verify(capsys, "--connection", "BenefitsEvents", plan=plan)
    assert code == 1, captured.err
    assert "give --token-url" in verdicts["BenefitsEvents/btp-oauth-client"]["reason"]
    code = main(["simulate-event", str(plan), "--integration", "JobTitleChanged", "-e", str(EXT),
                 "--timeout", "2", "--app-url", "http://127.0.0.1:9"])
    captured = capsys.readouterr()
    assert code == 2 and "give --token-url" in captured.err and "internal" not in captured.err
