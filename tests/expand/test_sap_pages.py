"""What the runbook attributes to SAP is SAP's: each linked page's title and id match the page
copies, every quotation in the rendered runbooks is in one of SAP's pages, and the cockpit URLs
are the ones SAP's "Regions and Hosts" page links. Runs where the copies of SAP's pages are
(MTA_SFSF_SAP_DOCS, or ../shared/reference/sap-neo-docs); skips elsewhere."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from expand_helpers import GOLDEN
from mta_sfsf.expand.landscape import NEO_HOSTS, cockpit_url
from mta_sfsf.expand.sap_pages import PAGES

ROOT = Path(__file__).resolve().parents[2]
DOCS = Path(os.environ.get("MTA_SFSF_SAP_DOCS") or ROOT.parent / "shared" / "reference" /
            "sap-neo-docs")
pytestmark = pytest.mark.skipif(not DOCS.is_dir(), reason=f"no SAP page copies at {DOCS}")


def _plain(text: str) -> str:
    """Page or runbook text without Markdown escapes and emphasis, spaces collapsed."""
    return re.sub(r"\s+", " ", text.replace("\\", "").replace("*", ""))


@pytest.fixture(scope="module")
def pages():
    return {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}


def test_every_linked_page_has_the_title_and_id_of_sap_s_page(pages):
    for key, (title, loio, name) in PAGES.items():
        text = pages[name]
        assert f"loio{loio}" in text.splitlines()[0], key
        heading = next(line for line in text.splitlines() if line.startswith("# "))
        assert _plain(heading[2:]) == title, key


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir()))
def test_every_quotation_in_a_runbook_is_sap_s(case, pages):
    everything = " ".join(_plain(text) for text in pages.values())
    runbook = (GOLDEN / case / "RUNBOOK.md").read_text(encoding="utf-8")
    # Warnings quote the descriptor's names, not SAP.
    runbook = re.sub(r"^## Warnings\n.*?(?=^## )", "", runbook, flags=re.M | re.S)
    quotes = re.findall(r'"([^"\n]{20,}?)"', runbook)
    assert len(quotes) > 20
    missing = [q for q in quotes if _plain(q).strip(" .:") not in everything]
    assert missing == []


def test_the_cockpit_of_each_host_is_the_one_sap_links(pages):
    table = pages["regions-and-hosts-available-for-the-neo-environment-d722f7c.md"]
    linked = set(re.findall(r"\[Link\]\((https://account\.[^)]+/cockpit)\)", table))
    assert {cockpit_url(host) for host in NEO_HOSTS} == linked
