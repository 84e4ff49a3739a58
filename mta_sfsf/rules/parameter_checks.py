"""The checks the ``sfsf-*`` parameter families share (``sfsf.py``: SAP's parameters;
``outbound.py``: ``sfsf-outbound-connections``), so that both word their findings alike: an
unknown key with a "did you mean" hint (F002), a missing key (F004), a wrong type (F001), a value
outside a list (F003), and text that is empty, not one line of printable text, too long or made of
other characters than allowed (F007). Not a rule family: it has no ``check``.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Iterator, Optional, Tuple

from ..diagnostics import Path, declare
from ..descriptor.tree import YMap
from .common import MAX_NAME, did_you_mean, has_placeholder, one_of

# The codes reported through these checks; each family's ``CODES`` includes them.
SHARED_CODES = declare({
    "F001": ("error", "an sfsf-* parameter, or one of its keys, has the wrong type"),
    "F002": ("error", "an unknown key in an sfsf-* parameter"),
    "F003": ("error", "a value that is not one of the allowed ones (connection type, "
                      "role-provider)"),
    "F004": ("error", "a required key of an sfsf-* parameter is missing"),
    "F007": ("error", "an empty or malformed text value (control characters, too long, bad "
                      "characters)"),
})

SFSF_MODULE_TYPES = ("com.sap.java", "java.tomcat")

_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# What breaks "one line of printable text": C0 and C1 controls, DEL, zero-width and direction
# marks, line and paragraph separators, bidi embeddings, overrides and isolates, the BOM. The JSON
# Schema's one-line pattern is built from the same class (tests/test_sfsf.py compares them).
NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                          r"\u2060-\u2069\ufeff]")


def java_modules(ctx) -> Iterator[Tuple[YMap, Path]]:
    """The parameters of each Java module (the only ones with ``sfsf-*`` parameters), with their
    key path; modules without a parameters map are skipped."""
    for index, module in ctx.items("modules"):
        if module.get("type") not in SFSF_MODULE_TYPES:
            continue
        parameters = module.get("parameters")
        if isinstance(parameters, YMap):
            yield parameters, ("modules", index, "parameters")


class ParameterChecks:
    """Checks of one Java module's parameters; every message is led by where it applies."""

    def __init__(self, ctx, parameters: YMap, base: Path) -> None:
        self.ctx = ctx
        self.parameters = parameters
        self.base = base

    def report(self, code: str, container: Any, key: Any, message: str, path: Path,
               hint: Optional[str] = None, at_key: bool = False) -> None:
        """Report with the message led by the element: ``module "app", sfsf-connections[0]:
        ...``."""
        self.ctx.report(code, container, key, f"{self.where(path)}: {message}", path, hint=hint,
                        at_key=at_key)

    def where(self, path: Path) -> str:
        """The label of the module, and of the list entry, ``path`` lies in."""
        if path[:len(self.base)] != self.base:
            return self.ctx.element(path) or "the descriptor"
        text, rest = self.ctx.element(self.base), path[len(self.base):]
        if len(rest) < 2 or not isinstance(rest[1], int):
            return text
        return f"{text}, {self.entry(rest[0], rest[1], rest[2:])}"

    def entry(self, parameter: str, index: int, inner: Path) -> str:
        """The label of entry ``index`` of the list ``parameter``; ``inner`` is the rest of the
        path inside the entry."""
        return f"{parameter}[{index}]"

    # ------------------------------------------------------------ generic checks

    def unknown_keys(self, node: YMap, allowed: Iterable[str], path: Path, what: str) -> None:
        allowed = frozenset(allowed)
        for key in node:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or "use one of: " + ", ".join(sorted(allowed))
                self.report("F002", node, key, f"unknown key \"{key}\"", path + (key,),
                            hint=hint, at_key=True)

    def missing(self, node: YMap, required: Iterable[str], parent: Any, index: Any, path: Path,
                what: str) -> None:
        for key in required:
            if key not in node:
                self.report("F004", parent, index, f"\"{key}\" is missing ({what})", path,
                            hint=f"add {key}: ...")

    def wrong_type(self, container: Any, key: Any, path: Path, message: str,
                   hint: Optional[str] = None) -> None:
        self.report("F001", container, key, message, path, hint=hint)

    def enum(self, node: YMap, key: str, allowed: Tuple[str, ...], path: Path) -> Optional[str]:
        value = node[key]
        if not isinstance(value, str):
            self.wrong_type(node, key, path, f"\"{key}\" must be one of: " + ", ".join(allowed))
            return None
        if value in allowed:
            return value
        hint = did_you_mean(value, allowed) or "use " + one_of(allowed)
        self.report("F003", node, key, f"\"{key}\" is \"{value}\"; allowed: " + one_of(allowed),
                    path, hint=hint)
        return None

    def text(self, node: YMap, key: str, path: Path, max_length: Optional[int] = MAX_NAME,
             pattern: Optional["re.Pattern[str]"] = None, pattern_text: str = "",
             multiline: bool = False, may_be_empty: bool = False) -> Optional[str]:
        """A string key: type, non-empty, one line of printable text, length, characters."""
        value = node[key]
        if not isinstance(value, str):
            self.wrong_type(node, key, path, f"\"{key}\" must be a string")
            return None
        problem = None
        if not value.strip() and may_be_empty:
            return value
        if not value.strip():
            problem = "must not be empty"
        elif (_CONTROL_BUT_LINES if multiline else NOT_ONE_LINE).search(value):
            problem = ("must not contain control characters" if multiline else "must be one line "
                       "of printable text (no line breaks, control, zero-width or bidirectional "
                       "formatting characters)")
        elif has_placeholder(value):
            return value  # resolved at deploy time; the references rules check it
        elif max_length is not None and len(value) > max_length:
            problem = f"is {len(value)} characters long; at most {max_length} are allowed"
        elif pattern is not None and not pattern.match(value):
            problem = f"may contain only {pattern_text}"
        if problem:
            one_line = problem.startswith("must be one line")
            self.report("F007", node, key, f"\"{key}\" {problem}", path,
                        hint="write it on one line (a folded block, '>-', joins lines into one)"
                        if one_line else None)
            return None
        return value

    def name_value_pairs(self, node: YMap, key: str, path: Path, scalars: bool) -> None:
        """A map of names to scalars (``scalars``) or to strings."""
        pairs = node[key]
        kind = "scalar" if scalars else "string"
        if not isinstance(pairs, YMap):
            self.wrong_type(node, key, path, f"\"{key}\" must be a map of names to {kind} values")
            return
        for name, value in pairs.items():
            ok = (isinstance(value, (str, int, float, bool)) if scalars
                  else isinstance(value, str) and value.strip() != "")
            if not ok:
                self.wrong_type(pairs, name, path + (name,), f"\"{name}\" in \"{key}\" must be "
                                f"a {'scalar' if scalars else 'non-empty string'}")
