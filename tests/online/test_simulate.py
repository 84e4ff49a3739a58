"""simulate-event: a token as the outbound configuration says, then the event, never retried."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mta_sfsf.cli import main
from servers import CLIENT_ID, app, sandbox, scripted  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "fixtures" / "online" / "sample-plan.json"
EXT = ROOT / "sample-mta" / "sample.mtaext"
JOB_TITLE_EVENT = {"effectiveDate": "2026-01-01", "newJobTitle": "Senior Benefits Analyst",
                   "source": "sfsf", "userId": "sfadmin"}


@pytest.fixture(autouse=True)
def client_id(monkeypatch):
    monkeypatch.delenv("MTA_SFSF_CLIENT_SECRET_BENEFITSEVENTS", raising=False)
    monkeypatch.setenv("MTA_SFSF_CLIENT_ID_BENEFITSEVENTS", CLIENT_ID)


def simulate(capsys, *args, integration="JobTitleChanged"):
    code = main(["simulate-event", str(PLAN), "--integration", integration, "-e", str(EXT),
                 "--timeout", "2"] + list(args))
    return code, capsys.readouterr()


def test_delivers_the_sample_event_once(capsys, sandbox, app):
    code, captured = simulate(capsys, "--token-url", sandbox.token_url, "--app-url", app.url)
    assert code == 0
    assert app.events == [{"path": "/api/v1/events/job-title", "client_id": CLIENT_ID,
                           "event": JOB_TITLE_EVENT}]
    lines = captured.out.splitlines()
    assert lines[0].startswith(f"token: 200 from {sandbox.token_url} for client ID '{CLIENT_ID}'")
    assert lines[1].startswith(f"event 1/1: POST {app.url}/api/v1/events/job-title -> 200 OK in ")
    assert lines[1].endswith(' ms: {"received":true}')


def test_count_and_payload(capsys, sandbox, app, tmp_path):
    payload = tmp_path / "event.json"
    payload.write_text(json.dumps({"userId": "u7", "location": "Walldorf"}))
    code, captured = simulate(capsys, "--token-url", sandbox.token_url, "--app-url", app.url,
                              "--payload", str(payload), "--count", "3",
                              integration="BenefitsEvents/LocationChanged")
    assert code == 0
    assert [e["event"] for e in app.events] == [{"userId": "u7", "location": "Walldorf"}] * 3
    assert captured.out.count("-> 200 OK") == 3 and captured.out.count("token: 200") == 1


def test_an_app_error_is_reported_and_not_retried(capsys, sandbox, scripted):
    endpoint = scripted([{"status": 503, "body": {"error": "busy"}}])
    code, captured = simulate(capsys, "--token-url", sandbox.token_url, "--app-url", endpoint.url)
    assert code == 1
    assert len(endpoint.requests) == 1
    assert '-> 503 Service Unavailable in ' in captured.out
    assert "1 of 1 event(s) not accepted (events are never retried)" in captured.out


def test_a_reset_after_sending_says_it_may_have_arrived(capsys, sandbox, scripted):
    endpoint = scripted([{"action": "reset"}])
    code, captured = simulate(capsys, "--token-url", sandbox.token_url, "--app-url", endpoint.url)
    assert code == 1 and len(endpoint.requests) == 1
    assert "not retried: the request may have reached the app" in captured.out


def test_a_rejected_token_request_stops_before_the_event(capsys, sandbox, app, monkeypatch):
    monkeypatch.setenv("MTA_SFSF_CLIENT_ID_BENEFITSEVENTS", "someone-else")
    code, captured = simulate(capsys, "--token-url", sandbox.token_url, "--app-url", app.url)
    assert code == 1 and app.events == [] and app.attempts == []
    assert "token: the token endpoint rejected client ID 'someone-else'" in captured.out


@pytest.mark.parametrize("integration, message", [
    ("Nope", "--integration Nope: not in"),
    ("BenefitsOutboundConnection/JobTitleChanged", "not in"),
])
def test_unknown_integrations(capsys, integration, message):
    code, captured = simulate(capsys, integration=integration)
    assert code == 2 and message in captured.err
    assert "BenefitsEvents/JobTitleChanged, BenefitsEvents/LocationChanged" in captured.err


def test_bad_payload_and_count(capsys, sandbox, tmp_path):
    payload = tmp_path / "event.json"
    payload.write_text("userId=1")
    code, captured = simulate(capsys, "--token-url", sandbox.token_url, "--payload", str(payload))
    assert code == 2 and "not valid JSON (line 1" in captured.err
    assert "SuccessFactors posts a JSON event" in captured.err
    code, captured = simulate(capsys, "--count", "0")
    assert code == 2 and "--count must be between 1 and 1000" in captured.err


def test_a_token_endpoint_streaming_without_end_is_cut_off(capsys, scripted, app):
    endless = scripted([{"action": "endless"}])
    code, captured = simulate(capsys, "--token-url", endless.url, "--app-url", app.url)
    assert code == 1 and app.attempts == []
    assert captured.out.startswith("token: HTTP 200 with an answer too long or too slow to read")
    assert len(endless.requests) == 1


@pytest.mark.parametrize("edit, message", [
    (lambda plan: plan["connections"][0].update(
        token_url={"value": "https://collector.example/token"}),
     "the plan's token URL host 'collector.example' is not "),
    (lambda plan: next(s for s in plan["steps"] if s["id"].endswith("/JobTitleChanged"))[
        "fields"].update({"REST API URL": {"value": "https://collector.example/events"}}),
     "the plan's REST API URL host 'collector.example' is not "),
])
def test_nothing_is_sent_to_hosts_outside_neo(capsys, tmp_path, mocker, monkeypatch, edit,
                                              message):
    monkeypatch.setenv("MTA_SFSF_CLIENT_SECRET_BENEFITSEVENTS", "secret-for-a-collector-2")
    plan = json.loads(PLAN.read_text())
    for step in plan["steps"]:  # the connection summary is the only token URL left
        step.get("fields", {}).pop("Token URL", None)
    edit(plan)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    fetch = mocker.patch("mta_sfsf.online.http.Client.fetch_token")
    code = main(["simulate-event", str(path), "--integration", "JobTitleChanged"])
    captured = capsys.readouterr()
    assert code == 2 and message in captured.err
    fetch.assert_not_called()
    assert "secret-for-a-collector-2" not in captured.out + captured.err


def test_a_lone_surrogate_in_the_plan_s_fields_is_sent_as_a_json_escape():
    from mta_sfsf.online.events import sample_event
    from mta_sfsf.online.planfile import PlanIntegration, Known

    integration = PlanIntegration("I", {}, "E", Known("/x"), {"name\ud800": {"constant": "v\udc00"}})
    assert json.loads(sample_event(integration)) == {"name\ud800": "v\udc00"}
