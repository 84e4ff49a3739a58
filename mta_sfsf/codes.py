"""Every code the tool reports, with its severity and summary, collected from the layers that
declare them: the table the README lists and the reports' rule metadata read."""
from __future__ import annotations

from typing import Dict, Tuple


def all_codes() -> Dict[str, Tuple[str, str]]:
    """code -> (severity, one-line summary), in the order the layers run: reading, the extension
    chain, the rule families, silencing, then expand's plan."""
    from . import diagnostics
    from .descriptor import chain
    from .expand import plan
    from .rules import RULE_MODULES, suppress

    table: Dict[str, Tuple[str, str]] = {}
    for module in (diagnostics, chain, *RULE_MODULES, suppress, plan):
        table.update(module.CODES)
    return table
