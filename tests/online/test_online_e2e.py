"""End to end: a real ``expand`` of the sample, the sandbox and a receiving app on loopback, then
``verify`` and ``simulate-event`` as a user runs them, in their own processes. And no secret,
token or Authorization value in any byte the commands print or write, even when servers echo them.
"""
from __future__ import annotations

import base64
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List
from urllib.parse import quote, quote_plus

import pytest

from mta_sfsf.cli import main
from mta_sfsf.online.sandbox import Sandbox
from servers import EVENT_PATHS, ReceivingApp, scripted  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample-mta"
CLIENT_ID = "cid-e2e-benefits"
# Unique values, with characters that URL-encoding changes, so every encoded form differs.
SECRET = "e2e-Secret+/=&7f3a9c1d"
PLATFORM_SECRET = "plat-Secret+/=&51b8e0"
SANDBOX_ONLY_SECRET = "sbx-Secret+/=&a02c44"
ERROR_BODY_TOKEN = "tok-in-error-body-5e81d0"


def forms(value: str, user: str = "") -> List[str]:
    found = [value, quote(value, safe=""), quote_plus(value),
             base64.b64encode(value.encode()).decode()]
    if user:  # the Basic header value, and its URL-encoded forms (a Location may echo it)
        basic = base64.b64encode(f"{user}:{value}".encode()).decode()
        found += [basic, quote(basic, safe=""), quote_plus(basic)]
    return found


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory):
    """A real plan of the sample, written by ``expand`` (runbook mode: an operator creates the
    client, so its ID comes from the environment and its secret from the extension descriptor)."""
    out = tmp_path_factory.mktemp("expanded")
    ext = out / "e2e.mtaext"
    ext.write_text((SAMPLE / "sample.mtaext").read_text().replace(
        "client-secret: FAKE-not-a-real-secret-0000", f"client-secret: '{SECRET}'"))
    code = main(["expand", str(SAMPLE / "mtad.yaml"), "-e", str(ext), "-o", str(out / "out"),
                 "--mode", "runbook", "--host", "eu2.hana.ondemand.com", "--account",
                 "mysubaccount"])
    assert code == 0
    return out


@pytest.fixture
def landscape():
    sandbox = Sandbox({CLIENT_ID: SECRET, "other": SANDBOX_ONLY_SECRET}, lifetime=600).start()
    app = ReceivingApp(sandbox.tokeninfo_url, EVENT_PATHS)
    yield sandbox, app
    app.stop()
    sandbox.stop()


def run_cli(args: List[str], extra_env: Dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTA_SFSF_")}
    env.update({"PYTHONPATH": str(ROOT), "MTA_SFSF_CLIENT_ID_BENEFITSEVENTS": CLIENT_ID},
               **extra_env)
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "mta_sfsf"] + args, cwd=ROOT, env=env,
                          capture_output=True, timeout=60)


def test_verify_then_simulate_against_sandbox_and_app(plan_dir, landscape):
    sandbox, app = landscape
    plan = str(plan_dir / "out" / "plan.json")
    ext = str(plan_dir / "e2e.mtaext")
    aim = ["--token-url", sandbox.token_url, "--app-url", app.url, "--timeout", "5"]

    passed = run_cli(["verify", plan, "-e", ext] + aim, {})
    assert passed.returncode == 0, passed.stdout.decode() + passed.stderr.decode()
    assert passed.stderr.decode() == "3 verified, 0 failed, 5 not checkable\n"
    assert "  verified      BenefitsEvents/btp-oauth-client" in passed.stdout.decode()

    # The secret SuccessFactors would use changes: the check must say the pair is rejected.
    changed = plan_dir / "changed.mtaext"
    changed.write_text(Path(ext).read_text().replace(SECRET, "a-different-secret-42"))
    failed = run_cli(["verify", plan, "-e", str(changed), "--connection", "BenefitsEvents"] + aim,
                     {})
    out = failed.stdout.decode()
    assert failed.returncode == 1
    assert "  failed        BenefitsEvents/btp-oauth-client" in out
    assert f"the token endpoint rejected client ID '{CLIENT_ID}' with this secret (HTTP 401" in out
    assert "a-different-secret-42" not in out + failed.stderr.decode()
    assert app.events == []

    delivered = run_cli(["simulate-event", plan, "--integration", "JobTitleChanged", "-e", ext]
                        + aim, {})
    assert delivered.returncode == 0, delivered.stdout.decode() + delivered.stderr.decode()
    assert app.events == [{"path": "/api/v1/events/job-title", "client_id": CLIENT_ID, "event": {
        "effectiveDate": "2026-01-01", "newJobTitle": "Senior Benefits Analyst",
        "source": "sfsf", "userId": "sfadmin"}}]


def by_authorization(with_header: dict, without: dict) -> dict:
    """A script step that answers one way when the request carries an Authorization header and
    another way when it does not, whatever the order in which concurrent runs arrive."""
    def pick(key, default):
        def chosen(handler):
            step = with_header if "Authorization" in handler.headers else without
            value = step.get(key, default)
            return value(handler) if callable(value) else value
        return chosen

    return {"status": pick("status", 200), "body": pick("body", ""),
            "headers_from": pick("headers", {"Content-Type": "application/json"})}


def test_no_secret_in_any_output(plan_dir, landscape, scripted, tmp_path):
    sandbox, app = landscape
    plan = str(plan_dir / "out" / "plan.json")
    ext = str(plan_dir / "e2e.mtaext")

    def echo(handler, known=SECRET):
        """A server that puts what it was sent, and a secret the caller holds, in its body."""
        raw = handler.headers.get("Authorization", "")
        return f"error for {raw} {handler.path} {known}"

    def echo_location(handler):
        """A redirect whose Location carries the Authorization header, raw and URL-encoded."""
        raw = handler.headers.get("Authorization", "")
        return {"Location": f"https://evil.example/cb?h={raw}&q={quote(raw, safe='')}"
                            f"&b={quote_plus(raw.partition(' ')[2])}"}

    echo_token = scripted([{"status": 500, "body": echo,
                            "headers": {"Content-Type": "text/plain"}}])
    echo_401 = scripted([{"status": 401, "body": lambda h: {
        "error": "invalid_client", "error_description": echo(h)}}])
    # An OAuth-protected app (401 without a token) that echoes the token it is sent.
    echo_app = scripted([by_authorization({"status": 500, "body": echo},
                                          {"status": 401, "body": echo})])
    # ... or that redirects with the token in the Location.
    redirect_app = scripted([by_authorization(
        {"status": 302, "body": echo, "headers": echo_location}, {"status": 401})])
    redirect_token = scripted([{"status": 302, "headers_from": echo_location}])
    # A token endpoint that fails but puts a token in its error body and description.
    token_in_error = scripted([{"status": 500, "body": {
        "access_token": ERROR_BODY_TOKEN, "error": "server_error",
        "error_description": f"issued {ERROR_BODY_TOKEN}, then failed"}}])
    platform = scripted([{
        "status": lambda h: 200 if h.path.startswith("/oauth2/") else 500,
        "body": lambda h: {"access_token": "platform-token-e2e-77", "expires_in": 1500}
        if h.path.startswith("/oauth2/") else echo(h, PLATFORM_SECRET)}])
    platform_env = {"MTA_SFSF_PLATFORM_CLIENT_ID": "platform-e2e",
                    "MTA_SFSF_PLATFORM_CLIENT_SECRET": PLATFORM_SECRET}
    env_only = {"MTA_SFSF_CLIENT_SECRET_BENEFITSEVENTS": SECRET}  # the secret nowhere but here
    with_ext = ["-e", ext]
    jobs = [
        (["verify", plan, *with_ext, "--token-url", sandbox.token_url, "--app-url", app.url,
          "--send-event", "--format", fmt, "--platform-url", platform.url], platform_env)
        for fmt in ("text", "json", "github")
    ] + [
        (["verify", plan, "--token-url", sandbox.token_url, "--app-url", echo_app.url,
          "--send-event", "--format", fmt], env_only) for fmt in ("text", "json", "github")
    ] + [
        (["verify", plan, *with_ext, "--token-url", echo_token.url, "--timeout", "5"], {}),
        (["verify", plan, "--token-url", echo_401.url], env_only),
        (["verify", plan, "--token-url", redirect_token.url, "--format", "json"], env_only),
        (["verify", plan, *with_ext, "--token-url", sandbox.token_url, "--app-url",
          redirect_app.url, "--send-event"], {}),
        (["verify", plan, *with_ext, "--token-url", token_in_error.url], {}),
        (["simulate-event", plan, "--integration", "LocationChanged", *with_ext,
          "--token-url", sandbox.token_url, "--app-url", echo_app.url], {}),
        (["simulate-event", plan, "--integration", "JobTitleChanged", "--token-url",
          sandbox.token_url, "--app-url", echo_app.url], env_only),
        (["simulate-event", plan, "--integration", "LocationChanged", *with_ext,
          "--token-url", echo_401.url], {}),
        (["simulate-event", plan, "--integration", "JobTitleChanged", "--token-url",
          redirect_token.url], env_only),
        (["simulate-event", plan, "--integration", "JobTitleChanged", "--token-url",
          token_in_error.url], env_only),
        (["simulate-event", plan, "--integration", "LocationChanged", *with_ext,
          "--token-url", sandbox.token_url, "--app-url", app.url, "--count", "2"], {}),
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:  # independent runs: order does not matter
        runs = list(pool.map(lambda job: run_cli(*job), jobs))
    written = b"".join(p.read_bytes() for p in (plan_dir / "out").iterdir())
    issued = list(sandbox.tokens._tokens) + ["platform-token-e2e-77"]
    assert len(issued) >= 8  # tokens were issued and sent, so the scan below means something
    for server in (echo_token, echo_401, redirect_token, token_in_error):
        assert server.requests
    for server in (echo_app, redirect_app, platform):  # each got a token it could echo
        assert any(r["headers"].get("Authorization", "").startswith("Bearer ")
                   for r in server.requests)
    everything = written + b"".join(r.stdout + r.stderr for r in runs)
    text = everything.decode("utf-8")
    # The echoed values were there, and were withheld: server text that resembles a secret.
    assert "(withheld: it resembles a secret)" in text
    assert "redirect was not followed" in text
    planted = (forms(SECRET, CLIENT_ID) + forms(PLATFORM_SECRET, "platform-e2e")
               + forms(SANDBOX_ONLY_SECRET) + forms(ERROR_BODY_TOKEN)
               + [t for token in issued for t in forms(token)])
    leaks = [value for value in planted if value in text]
    assert leaks == []
    assert "Traceback" not in text
