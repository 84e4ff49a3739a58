"""SAP's pages that the plan and the runbook follow or quote, by key: title and link.

Links have the form SAP's own Neo pages use to link another Neo page
(``https://help.sap.com/viewer/65de2977205c403bbc107264b8eccf4b/Cloud/en-US/<loio>.html``, e.g.
the link to *MTA Module Types, Resource Types, and Parameters ...* on *Configure Integration Based
on OAuth 2.0 Client Credentials*); ``<loio>`` is the id in the first line of each page's source.
"""
from __future__ import annotations

from typing import Dict, Tuple

VIEWER = "https://help.sap.com/viewer/65de2977205c403bbc107264b8eccf4b/Cloud/en-US/{}.html"

# key -> (title, loio, file name in SAP-docs/btp-neo-environment)
PAGES: Dict[str, Tuple[str, str, str]] = {
    "cc-flow": ("Configure Integration Based on OAuth 2.0 Client Credentials",
                "d5b6a7dde542493b861ad95fb73e18d9",
                "configure-integration-based-on-oauth-2-0-client-credentials-d5b6a7d.md"),
    "saml-flow": ("Configure Integration Based on User Propagation with SAML Identity Federation",
                  "2e4a9d5318b046d5b1a7258ccc43cf74",
                  "configure-integration-based-on-user-propagation-with-saml-identity-federation"
                  "-2e4a9d5.md"),
    "oauth-client": ("Create OAuth Client in SAP BTP", "67f43e2f9afb4dffb56c9ce35b4e6169",
                     "create-oauth-client-in-sap-btp-67f43e2.md"),
    "cc-config": ("Create Outbound OAuth Configuration in SAP SuccessFactors",
                  "c9546f46c5a842b5873c48e49598e3b3",
                  "create-outbound-oauth-configuration-in-sap-successfactors-c9546f4.md"),
    "saml-config": ("Create Outbound OAuth Configuration in SAP SuccessFactors",
                    "2fcdea4c0bb14987b8893e8877bf1508",
                    "create-outbound-oauth-configuration-in-sap-successfactors-2fcdea4.md"),
    "x509-key": ("Generate OAuth X509 Key in SAP SuccessFactors",
                 "f6365032efa7493383d413b882d94426",
                 "generate-oauth-x509-key-in-sap-successfactors-f636503.md"),
    "trusted-idp": ("Create Trusted Identity Provider in SAP BTP Cockpit",
                    "83e5ad27cfbb4313a414c94073f72268",
                    "create-trusted-identity-provider-in-sap-btp-cockpit-83e5ad2.md"),
    "cc-integration": ("Create a New Integration", "3ebc43359906404b974cd793cd05a71a",
                       "create-a-new-integration-3ebc433.md"),
    "saml-integration": ("Create a New Integration", "3abd9ceaa2a440119d044bf68f816596",
                         "create-a-new-integration-3abd9ce.md"),
    "cc-grant": ("OAuth 2.0 Client Credentials Grant", "f69fa8762d2a44aab2a22ea7214fb3ff",
                 "oauth-2-0-client-credentials-grant-f69fa87.md"),
    "register-client": ("Register an OAuth Client", "61d8095aa39547c7b30d9aeda771497f",
                        "register-an-oauth-client-61d8095.md"),
    "modeling-sfsf": ("Modeling SAP SuccessFactors Extensions", "ec3579359e86435cb343a7874e01acd8",
                      "modeling-sap-successfactors-extensions-ec35793.md"),
    "module-types": ("MTA Module Types, Resource Types, and Parameters for Applications in the Neo "
                     "Environment", "f1caa871360c40e7be7ce4264ab9c336",
                     "mta-module-types-resource-types-and-parameters-for-applications-in-the-neo-"
                     "environment-f1caa87.md"),
    "modeling-java": ("Modeling Java Applications", "83d08d6de57542d98554db291041a013",
                      "modeling-java-applications-83d08d6.md"),
    "connectivity": ("Configure the Extension Application's Connectivity to SAP SuccessFactors",
                     "ebb281b1246d4ca18a363682eff3475d",
                     "configure-the-extension-application-s-connectivity-to-sap-successfactors-"
                     "ebb281b.md"),
    "tiles": ("Home Page Tiles JSON File", "872d124e75094aa5a782fb5703d88eb3",
              "home-page-tiles-json-file-872d124.md"),
    "deploy-mta": ("deploy-mta", "1e12331df5e144c7b2cfa9f5db85d065", "deploy-mta-1e12331.md"),
    "operating": ("Operating Solutions", "2abf7d47063542208d0d99f7bc05f4f4",
                  "operating-solutions-2abf7d4.md"),
    "regions": ("Regions and Hosts Available for the Neo Environment",
                "d722f7cea9ec408b85db4c3dcba07b52",
                "regions-and-hosts-available-for-the-neo-environment-d722f7c.md"),
    "manual-refresh": ("Restore Configuration Settings After a Manual Instance Refresh",
                       "45d048169c504a6a97d9a2ad0bb32389",
                       "restore-configuration-settings-after-a-manual-instance-refresh-45d0481.md"),
    "automated-refresh": ("Restore Configuration Settings After an Automated Instance Refresh",
                          "e4ad14c1ec72412ea06b7e862a86165f",
                          "restore-configuration-settings-after-an-automated-instance-refresh-"
                          "e4ad14c.md"),
    "refresh": ("Refresh the Extension Integration for SAP SuccessFactors",
                "9d3f8090a0044b18acb69702d0ad8d6f",
                "refresh-the-extension-integration-for-sap-successfactors-9d3f809.md"),
    "remove": ("Remove the Extension Integration", "e73bc61d0f5d463d82da4a7ee47da192",
               "remove-the-extension-integration-e73bc61.md"),
    "cannot-delete": ("Cannot Delete Integration Between SAP SuccessFactors and SAP BTP (Neo "
                      "Environment)", "1e8ffb97f0474985842aa35037da1df7",
                      "cannot-delete-integration-between-sap-successfactors-and-sap-btp-neo-"
                      "environment-1e8ffb9.md"),
    "cannot-create": ("Cannot Create Integration Between SAP SuccessFactors and SAP BTP (Neo "
                      "Environment)", "13bacc3bbcaa480da2f85c66e097d5c2",
                      "cannot-create-integration-between-sap-successfactors-and-sap-btp-neo-"
                      "environment-13bacc3.md"),
    "troubleshooting": ("Troubleshooting", "b3f6b49991e94e3ab4a4d8d17f9d110d",
                        "troubleshooting-b3f6b49.md"),
    "troubleshooting-sfsf": ("Troubleshooting (Extending SAP SuccessFactors in the Neo "
                             "Environment)", "798544ba0f114f0fbfc813da41fecebc",
                             "troubleshooting-extending-sap-successfactors-in-the-neo-environment"
                             "-798544b.md"),
}


def page(key: str) -> dict:
    """``{"title", "url"}`` of one page, as the plan stores a step's source."""
    title, loio, _ = PAGES[key]
    return {"title": title, "url": VIEWER.format(loio)}


def all_pages() -> Dict[str, dict]:
    return {key: page(key) for key in PAGES}
