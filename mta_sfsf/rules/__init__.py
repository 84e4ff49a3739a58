"""Rule families, one module each. A rule module has ``CODES`` (code -> (severity, summary)) and
``check(ctx)``, which reports findings through ``ctx.report``; its docstring is its documentation.
What the families share, and how every message is worded, is in ``common.py``; the checks the two
``sfsf-*`` families (``sfsf``, ``outbound``) share are in ``parameter_checks.py``.
"""
from __future__ import annotations

from typing import Any, Iterator, List, Optional, Tuple

from ..diagnostics import Diagnostic, Path, make
from ..descriptor.yaml_io import SENSITIVE_PLACES, SENSITIVE_VALUES, CyclicGCPaused
from ..descriptor.tree import YMap, YSeq, key_loc, value_loc
from . import (controller_parameters, deploy_order, literal_secrets, misspelt_parameters, neo,
               outbound, references, sfsf, structure)
from .common import element_of
from .neo import detect_platform

RULE_MODULES = (structure, references, deploy_order, misspelt_parameters, controller_parameters,
                neo, literal_secrets, sfsf, outbound)


class Context:
    """What a rule sees: the merged descriptor, the platform profile, and a place to report."""

    def __init__(self, descriptor, platform: str) -> None:
        self.descriptor = descriptor
        self.data: YMap = descriptor.merged
        self.platform = platform  # "neo" or "generic"
        self.kind = descriptor.main.kind  # "mtad", "mta" (development) or "mtaext"
        # schema v2 has no hooks, deployed-after, processed-after or *-metadata
        self.schema_v3 = (descriptor.main.schema_major or "3") not in ("1", "2")
        self.diagnostics: List[Diagnostic] = []

    def report(self, code: str, container: Any, key: Any, message: str, path: Path,
               hint: Optional[str] = None, at_key: bool = False,
               severity: Optional[str] = None) -> None:
        """Report at ``container[key]`` (or at the key itself with ``at_key``); ``severity``
        overrides the code's, for a code whose weight depends on the profile."""
        loc = key_loc(container, key) if at_key else value_loc(container, key)
        self.diagnostics.append(make(code, loc, message, path, hint, severity))

    def element(self, path: Path) -> str:
        """``module "app"`` for a key path inside that module ("" outside modules and resources),
        the start of most messages."""
        return element_of(self.data, path)

    def named(self, path: Path, message: str) -> str:
        """``message`` led by the element ``path`` lies in: ``module "app": ...``."""
        element = self.element(path)
        return f"{element}: {message}" if element else message

    def items(self, section: str) -> Iterator[Tuple[int, YMap]]:
        """The mappings of ``modules`` or ``resources`` with their indexes; other shapes skipped."""
        seq = self.data.get(section) if isinstance(self.data, YMap) else None
        if isinstance(seq, YSeq):
            for index, item in enumerate(seq):
                if isinstance(item, YMap):
                    yield index, item


def findings(descriptor, platform: str = "auto") -> List[Diagnostic]:
    """Every finding about a loaded descriptor: what reading and the chain found, then every rule
    family (``auto`` picks the platform from the descriptor), sorted by place, each once."""
    diagnostics = list(descriptor.diagnostics)
    if descriptor.merged is not None:
        chosen = detect_platform(descriptor.merged) if platform == "auto" else platform
        diagnostics.extend(run(descriptor, chosen))
    if SENSITIVE_VALUES:
        diagnostics = [_hide_sensitive(d) for d in diagnostics]
    return sorted(set(diagnostics))


def run(descriptor, platform: str) -> List[Diagnostic]:
    """All rule families over one (merged) descriptor."""
    ctx = Context(descriptor, platform)
    if isinstance(ctx.data, YMap):
        with CyclicGCPaused():  # rules build paths and findings; any cycle is collected after
            for module in RULE_MODULES:
                module.check(ctx)
    return ctx.diagnostics


def _hide_sensitive(diagnostic: Diagnostic) -> Diagnostic:
    """A finding without the text of any ``!sensitive`` value: a value of four characters or
    more wherever it appears (as ``secrets.redact`` does), a shorter one where it stands quoted
    in a finding at its own place (so that "on" elsewhere stays readable)."""
    from ..secrets import REDACTED  # loaded already: reading the tag remembered the value

    message, hint = diagnostic.message, diagnostic.hint
    hidden = [(value, REDACTED) for value in SENSITIVE_VALUES if len(value) >= 4]
    here = SENSITIVE_PLACES.get((diagnostic.file, diagnostic.line, diagnostic.column))
    if here:
        hidden.append((f'"{here}"', f'"{REDACTED}"'))
    for value, replacement in hidden:
        message = message.replace(value, replacement)
        hint = hint.replace(value, replacement) if hint else hint
    if message == diagnostic.message and hint == diagnostic.hint:
        return diagnostic
    return diagnostic._replace(message=message, hint=hint)
