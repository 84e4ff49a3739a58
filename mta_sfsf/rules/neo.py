"""neo rules (to be written)."""
from __future__ import annotations

CODES: dict = {}


def check(ctx) -> None:
    return None


# Types that exist only in the Neo environment (java.tomcat is also an XSA type, so it is no marker).
NEO_ONLY_TYPES = ("com.sap.java", "com.sap.hcp.", "com.sap.fiori", "com.sap.odp.config",
                  "com.sap.integration")


def detect_platform(data) -> str:
    """``neo`` when the descriptor says so (hcp-deployer-version or a Neo-only type)."""
    parameters = data.get("parameters")
    if isinstance(parameters, dict) and "hcp-deployer-version" in parameters:
        return "neo"
    for section in ("modules", "resources"):
        items = data.get(section)
        if isinstance(items, list):
            for item in items:
                kind = item.get("type") if isinstance(item, dict) else None
                if isinstance(kind, str) and kind.startswith(NEO_ONLY_TYPES):
                    return "neo"
    return "generic"
