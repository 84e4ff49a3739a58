"""Every command a rendered RUNBOOK.md prints works as printed: each ``sh`` block's lines are run
from the folder where ``expand`` ran, the online ones aimed at the sandbox and a receiving app on
loopback (``--token-url``/``--app-url``, as the online end-to-end tests do), with the variables
the runbook names set. No other ``mta-sfsf`` command appears outside those blocks.
"""
from __future__ import annotations

import json
import re
import shlex
from urllib.parse import urlsplit

import pytest

from expand_helpers import prepare, run
from mta_sfsf.cli import main
from mta_sfsf.online.sandbox import Sandbox
from servers import ReceivingApp

CLIENT_ID = "cid-runbook-check"
# The secrets the cases' extension descriptors hold (obviously fake).
SECRETS = {"sample": "FAKE-not-a-real-secret-0000",
           "client-credentials": "FAKE-payroll-secret-1234"}


def printed_commands(runbook: str):
    """The lines of every ``sh`` block, in order."""
    return [line for block in re.findall(r"^```sh\n(.*?)^```$", runbook, re.M | re.S)
            for line in block.splitlines() if line.strip()]


def named_variables(runbook: str):
    """The variables the runbook says a command reads ("With the client's ID in `...`, this")."""
    sentences = re.findall(r"^With (.*?), this ", runbook, re.M)
    return sorted({name for sentence in sentences
                   for name in re.findall(r"`(MTA_SFSF_CLIENT_(?:ID|SECRET)_[A-Z0-9_]+)`",
                                          sentence)})


@pytest.mark.parametrize("case, secret, expected", [
    ("sample", "sample", {"validate", "verify", "simulate-event"}),
    ("saml-auto", None, {"validate", "verify"}),
    ("sample-deployer", "sample", {"validate", "verify"}),
    ("client-credentials", "client-credentials", {"validate", "verify", "simulate-event"}),
])
def test_every_printed_command_works(case, secret, expected, tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    args = prepare(case, work)
    code, _, err = run(args + ["-o", "out"], work, monkeypatch, capsys)
    assert code == 0, err
    runbook = (work / "out" / "RUNBOOK.md").read_text()
    commands = printed_commands(runbook)
    words = [shlex.split(line) for line in commands]
    assert {w[1] for w in words} == expected and all(w[0] == "mta-sfsf" for w in words)
    outside = re.sub(r"^```sh\n.*?^```$", "", runbook, flags=re.M | re.S)
    assert not re.search(r"`mta-sfsf (validate|expand|verify|simulate-event|sandbox) ", outside)

    plan = json.loads((work / "out" / "plan.json").read_text())
    paths = [urlsplit(s["fields"]["REST API URL"]["value"]).path for s in plan["steps"]
             if s["kind"] == "sfsf-integration"]
    ids = [c["client_id"]["value"] for c in plan["connections"] if "value" in c["client_id"]]
    client_id = (ids or [CLIENT_ID])[0]
    sandbox = Sandbox({client_id: SECRETS.get(secret, "unused")}, lifetime=600).start()
    app = ReceivingApp(sandbox.tokeninfo_url, paths)
    try:
        for name in named_variables(runbook):  # what the runbook tells the user to set
            monkeypatch.setenv(name, client_id if "_CLIENT_ID_" in name else "unused-secret")
        for argv in words:
            extra = ["--token-url", sandbox.token_url, "--app-url", app.url, "--timeout", "5"] \
                if argv[1] in ("verify", "simulate-event") else []
            code = main(argv[1:] + extra)
            out, err = capsys.readouterr()
            assert code == 0, f"{shlex.join(argv)}: exit {code}\n{out}{err}"
            if argv[1] == "verify":
                assert re.match(r"[1-9]\d* verified, 0 failed", err), err
        if "simulate-event" in expected:
            assert app.events and all(e["client_id"] == client_id for e in app.events)
    finally:
        app.stop()
        sandbox.stop()
