"""The Neo environment's descriptor vocabulary, as plain data.

Source: SAP's page "MTA Module Types, Resource Types, and Parameters for Applications in the Neo
Environment" (``sap-neo-docs/mta-module-types-...-f1caa87.md``, CC BY 4.0): the target platform
options table, the module type headings, the resource type table, and the parameter tables of
``com.sap.hcp.html5``, ``com.sap.java`` and ``java.tomcat`` (extracted from the page's HTML tables;
``tests/test_neo.py`` spot-checks them against the page). Additions that the page does not hold
say where they come from.

A parameter entry: ``type`` (``string``, ``quoted-string`` = "Enclosed String, use single quotes",
``boolean``, ``integer``, ``list``, ``map`` = "Binary", a YAML dictionary with ``resource``),
``required``, and where the page states them: ``default`` (as written), ``values`` (the only
allowed values), ``documented`` (the values the table lists, which SAP's own examples contradict),
``range`` (inclusive), ``length`` (inclusive), ``since-deployer`` (least ``hcp-deployer-version``).
"""
from __future__ import annotations

# "_schema-version ... The current supported versions by the SAP BTP are: 2.1, 3.1"; the page also
# speaks of "schema 3.1.0 and higher", so the patch spelling is accepted.
SCHEMA_VERSIONS = ("2.1", "3.1")

# "hcp-deployer-version ... The current supported versions are: 1.0.0, 1.1.0, 1.2.0"; SAP's
# examples also write '1.0' and 1.2, which mean the same versions.
DEPLOYER_VERSIONS = ("1.0.0", "1.1.0", "1.2.0")
# "Deployer version 1.0.0 is going to be deprecated. Use version 1.1.0 and higher."
DEPRECATED_DEPLOYER_VERSIONS = ("1.0.0",)

# "Supported Multitarget Application Module Types": the section's headings, in page order.
MODULE_TYPES = (
    "com.sap.hcp.html5", "com.sap.java", "java.tomcat", "com.sap.fiori", "com.sap.fiori.app",
    "com.sap.fiori.role", "com.sap.hcp.html5.role", "com.sap.odp.config", "com.sap.hcp.sfsf-roles",
    "com.sap.hcp.group", "com.sap.hcp.destination", "com.sap.hcp.portal.destination",
    "com.sap.hcp.odp.destination", "com.sap.integration",
)

# Not on the page, but used by SAP's own Benefits sample (SAP-samples/cloud-sfsf-benefits-ext,
# mtad.yaml): known to the deployer once, undocumented today.
SAMPLE_MODULE_TYPES = ("com.sap.hcp.sfsf-connection", "com.sap.hcp.sfsf-role-provider")

# Home page tiles: "The support of the Home Page tiles in SAP SuccessFactors has been discontinued"
# (home-page-tiles-json-file-872d124.md). The module type is the Benefits sample's; sfsf-tiles is
# the parameter's older name in the same sample's history.
DEPRECATED_MODULE_TYPES = ("com.sap.hcp.sfsf-home-page-tiles",)
DEPRECATED_PARAMETERS = ("sfsf-home-page-tiles", "sfsf-tiles")

# "Supported Multitarget Application Resource Types"; a resource without a type is the page's
# "<untyped>" resource.
RESOURCE_TYPES = ("com.sap.hcp.persistence",)

# Parameters whose contents rules/sfsf.py and rules/outbound.py check on the module types they
# cover; there they are only known names here (on com.sap.hcp.html5 the table's types are checked
# here).
SFSF_OWNED = ("role-provider", "sfsf-idp-access", "sfsf-connections", "sfsf-outbound-connections",
              "sfsf-home-page-tiles", "sfsf-tiles")
SFSF_CHECKED_TYPES = ("com.sap.java", "java.tomcat")

# The rows that the com.sap.java and java.tomcat tables share word for word.
_JAVA_COMMON = {
    'name': {'type': 'string', 'required': True, 'length': (1, 255)},
    'compute-unit-size': {'type': 'string', 'required': False, 'default': 'LITE',
        'values': ('LITE', 'PRO', 'PREMIUM', 'PREMIUM_PLUS')},
    'minimum-processes': {'type': 'integer', 'required': False, 'default': '1', 'range': (1, 99)},
    'maximum-processes': {'type': 'integer', 'required': False, 'default': '1', 'range': (1, 99)},
    'rolling-update': {'type': 'boolean', 'required': False, 'default': 'false',
        'since-deployer': '1.2.0'},
    'rolling-update-timeout': {'type': 'integer', 'required': False, 'default': '60',
        'since-deployer': '1.2.0'},
    'running-processes': {'type': 'integer', 'required': False},
    'jvm-arguments': {'type': 'string', 'required': False},
    'max-threads': {'type': 'integer', 'required': False, 'default': '200'},
    'connection-timeout': {'type': 'integer', 'required': False, 'default': '20000'},
    'encoding': {'type': 'string', 'required': False, 'default': 'ISO-8859-1'},
    'compression': {'type': 'string', 'required': False, 'default': 'off', 'values': ('on',
        'off', 'forced')},
    'compression-mime-types': {'type': 'string', 'required': False},
    'compression-min-size': {'type': 'integer', 'required': False},
    'role-provider': {'type': 'string', 'required': False, 'documented': ('sfsf', 'hcp')},
    'roles': {'type': 'list', 'required': False},
    'subscribe': {'type': 'boolean', 'required': False, 'default': 'true'},
    'sfsf-idp-access': {'type': 'boolean', 'required': False, 'default': 'false'},
    'sfsf-connections': {'type': 'list', 'required': False},
    'sfsf-home-page-tiles': {'type': 'map', 'required': False},
    'destinations': {'type': 'list', 'required': False},
}

MODULE_PARAMETERS = {
    'com.sap.hcp.html5': {
        'name': {'type': 'string', 'required': True},
        'display-name': {'type': 'string', 'required': False},
        'version': {'type': 'string', 'required': True},
        'active': {'type': 'boolean', 'required': False, 'default': 'true'},
        'description': {'type': 'string', 'required': False},
        'subscribe': {'type': 'boolean', 'required': False, 'default': 'true'},
        'sfsf-idp-access': {'type': 'boolean', 'required': False, 'default': 'false'},
        'sfsf-home-page-tiles': {'type': 'map', 'required': False},
        'permissions': {'type': 'list', 'required': False},
    },
    'com.sap.java': {**_JAVA_COMMON, **{
        'runtime': {'type': 'string', 'required': False, 'default': 'neo-javaee7-wp',
            'documented': ('neo-javaee7-wp',)},
        'runtime-version': {'type': 'quoted-string', 'required': False, 'default': '1',
            'documented': ('1',)},
        'java-version': {'type': 'string', 'required': False, 'default': 'JRE 8',
            'documented': ('JRE 8',)},
    }},
    'java.tomcat': {**_JAVA_COMMON, **{
        'runtime-version': {'type': 'quoted-string', 'required': False, 'default': '3',
            'documented': ('3', '4')},
        'java-version': {'type': 'string', 'required': False, 'default': 'JRE 8',
            'documented': ('JRE 8', 'JRE 17', 'JRE 11')},
    }},
}

# Known to the deployer but not in the tables: sfsf-outbound-connections is SAP's documented
# example in modeling-sap-successfactors-extensions-ec35793.md; sfsf-tiles is the older name of
# sfsf-home-page-tiles in SAP's Benefits sample.
for _java_type in ("com.sap.java", "java.tomcat"):
    MODULE_PARAMETERS[_java_type]["sfsf-outbound-connections"] = {"type": "list", "required": False}
    MODULE_PARAMETERS[_java_type]["sfsf-tiles"] = {"type": "map", "required": False}

# The Java application name (``name`` of com.sap.java and java.tomcat) is the host label of
# https://<name><subaccount>.<host>. The table above states only 1 to 255 symbols; letters and
# digits, starting with a letter, at most 30 (so that name and subaccount fit a 63-character DNS
# label) is inferred from that URL and from the Neo console client's rule for such names.
MAX_APPLICATION_NAME = 30
