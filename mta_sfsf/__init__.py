"""mta-sfsf: validate and expand SAP BTP Neo MTA descriptors for SuccessFactors outbound OAuth.

The public API: ``check`` (validate one descriptor), ``Diagnostic``, and the CLI's ``main``.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "check", "Diagnostic", "main"]


def __getattr__(name: str):
    # Lazy, so that importing the package for one command loads nothing another command needs.
    if name == "check":
        from .validate import check
        return check
    if name == "Diagnostic":
        from .diagnostics import Diagnostic
        return Diagnostic
    if name == "main":
        from .cli import main
        return main
    raise AttributeError(name)
