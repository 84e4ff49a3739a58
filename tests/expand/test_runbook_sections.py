"""The runbook covers the whole life cycle, each section filled in with this MTA's values: the
sample (both connection types), a SAML-only and a client-credentials-only descriptor."""
from __future__ import annotations

import re

import pytest

from expand_helpers import prepare, run

SECTIONS = ["Prerequisites", "Deploy", "What the deployer creates", "Steps",
            "After an SAP SuccessFactors instance refresh", "Removal", "Troubleshooting"]
LINK = re.compile(r"\]\(https://help\.sap\.com/viewer/65de2977205c403bbc107264b8eccf4b/Cloud/"
                  r"en-US/[0-9a-f]{32}\.html\)")


def sections(text: str) -> dict:
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def rendered(case, tmp_path, monkeypatch, capsys) -> str:
    work = tmp_path / "work"
    code, _, err = run(prepare(case, work) + ["-o", "out"], work, monkeypatch, capsys)
    assert code == 0, err
    return (work / "out" / "RUNBOOK.md").read_text()


def test_the_sample_s_runbook_has_every_section_with_its_values(tmp_path, monkeypatch, capsys):
    text = rendered("sample", tmp_path, monkeypatch, capsys)
    found = sections(text)
    assert [s for s in SECTIONS if s not in found] == []
    prerequisites = found["Prerequisites"]
    assert "For `BenefitsEvents`, SAP's [*Configure Integration Based on OAuth 2.0 Client " \
           "Credentials*]" in prerequisites
    assert "OAuth login method in the `web.xml`" in prerequisites
    assert "For `BenefitsOutboundConnection`, SAP's [*Configure Integration Based on User " \
           "Propagation with SAML Identity Federation*]" in prerequisites
    assert "Intelligent Services Center" in prerequisites and "Integration Center" in prerequisites
    deploy = found["Deploy"]
    assert "mta-sfsf validate out/mtad.yaml -e sample.mtaext\n" in deploy
    assert "deployed and started" in deploy
    creates = found["What the deployer creates"]
    assert "### Module benefits-app (Java application `benefits`)" in creates
    for needle in ("`sfsf-idp-access: true`", "`sfsf-connections` (type `default`)",
                   "`sap_hcmcloud_core_odata`", "`hcmcloud-list-connections`",
                   "parameter\": `benefits`", "`role-provider: sfsf`",
                   "`sfsf-outbound-connections` (`BenefitsOutboundConnection`)",
                   "can only be created after the corresponding Java application"):
        assert needle in creates, needle
    refresh = found["After an SAP SuccessFactors instance refresh"]
    assert "navigate to **mysubaccount** > *Integration Tokens*" in refresh
    assert "recreates the outbound connections the deployer creates: " \
           "`BenefitsOutboundConnection`" in refresh
    assert "- step 3, Create a New Integration: `JobTitleChanged` (event `Change in Job " \
           "Title`) (`BenefitsEvents`)" in refresh
    assert "mta-sfsf verify out/plan.json -e sample.mtaext --connection BenefitsEvents\n" in refresh
    removal = found["Removal"]
    assert "SAP states no order" in removal and "Inferred" in removal
    order = re.findall(r"^1\. .*\((`[^`]+`), step (\d+)\)", removal, re.M)
    assert [int(n) for _, n in order] == [8, 7, 6, 5, 4, 3, 2, 1]
    assert "`hcmcloud-delete-connection`" in removal and "*Remove the Extension Integration*" \
        in removal and "BC-NEO-EXT-SF" in removal
    trouble = found["Troubleshooting"]
    assert "BC-NEO-EXT-SF" in trouble and "mta-sfsf validate out/mtad.yaml" in trouble
    # Each procedure links the SAP page it follows.
    steps = re.split(r"^### \d+\. ", text, flags=re.M)[1:]
    assert len(steps) == 8 and all(LINK.search(step.split("\n## ")[0]) for step in steps)


def test_a_saml_only_runbook(tmp_path, monkeypatch, capsys):
    text = rendered("saml-auto", tmp_path, monkeypatch, capsys)
    found = sections(text)
    assert [s for s in SECTIONS if s not in found] == []
    assert "OAuth 2.0 Client Credentials" not in found["Prerequisites"]
    assert "For `OnboardingSaml`" in found["Prerequisites"]
    assert "`sfsf-outbound-connections` (`OnboardingSaml`)" in found["What the deployer creates"]
    assert "### Module onboarding (Java application `onboard`)" in found["What the deployer creates"]
    assert "navigate to **hrext**" in found["After an SAP SuccessFactors instance refresh"]
    assert "`StartDateChanged` (event `Change in Start Date`)" in found[
        "After an SAP SuccessFactors instance refresh"]
    assert "simulate-event" not in text  # a SAML token needs a user assertion
    assert "mta-sfsf verify out/plan.json --connection OnboardingSaml\n" in text
    assert "Performed by the Neo deployer" in text


def test_a_client_credentials_only_runbook(tmp_path, monkeypatch, capsys):
    text = rendered("client-credentials", tmp_path, monkeypatch, capsys)
    found = sections(text)
    assert [s for s in SECTIONS if s not in found] == []
    assert "User Propagation" not in found["Prerequisites"]
    assert "For `PayrollEvents`" in found["Prerequisites"]
    assert "Performed by the Neo deployer" not in text
    assert "navigate to **acmeprod**" in found["After an SAP SuccessFactors instance refresh"]
    assert "mta-sfsf validate out/mtad.yaml -e prod.mtaext\n" in found["Deploy"]
    assert "mta-sfsf simulate-event out/plan.json --integration HireEvent -e prod.mtaext\n" in text
    step7 = re.search(r"^7\. In the \*Secret\* field.*?^8\. ", text, re.M | re.S).group(0)
    # SAP's one action, then each added action as its own item; the secret's source in words.
    assert step7.splitlines()[0].startswith("7. In the *Secret* field, define a password of your "
                                            "choice. Use the value your extension descriptor "
                                            "gives to parameter `payroll-client-secret` of "
                                            "module `payroll-app`")
    assert [line.split(":")[0] for line in step7.splitlines()[1:-1]] == [
        "   - Not a step of this SAP procedure", "   - Not a step of this SAP procedure"]
    assert "${" not in step7


@pytest.mark.parametrize("host, cockpit", [
    ("eu1.hana.ondemand.com", "https://account.hana.ondemand.com/cockpit"),
    ("neo.example.com", None),
])
def test_the_cockpit_line_is_sap_s_or_says_it_is_not_known(host, cockpit, tmp_path, monkeypatch,
                                                           capsys):
    work = tmp_path / "work"
    prepare("saml-auto", work)
    code, _, err = run(["expand", "mtad.yaml", "-o", "out", "--host", host, "--account", "hr"],
                       work, monkeypatch, capsys)
    assert code == 0, err
    line = next(x for x in (work / "out" / "RUNBOOK.md").read_text().splitlines()
                if x.startswith("| Cockpit |"))
    if cockpit:
        assert line.startswith(f"| Cockpit | {cockpit} (SAP's")
    else:
        assert "**not known** for this host" in line and "account.neo" not in line
