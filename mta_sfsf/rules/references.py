"""references rules (to be written)."""
from __future__ import annotations

CODES: dict = {}


def check(ctx) -> None:
    return None
