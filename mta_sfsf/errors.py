"""One small exception family.

`UsageError` and `InputError` are expected failures that end the program with exit code 2 and a
one-line message. Anything else that escapes is a bug: the CLI boundary turns it into exit 3.
Findings about a descriptor are never exceptions; they are `Diagnostic` values.
"""
from __future__ import annotations


class MtaSfsfError(Exception):
    """An expected failure, reported as one line without a traceback."""

    exit_code = 2


class UsageError(MtaSfsfError):
    """The command line asks for something impossible."""


class InputError(MtaSfsfError):
    """An input cannot be read at all (missing file, broken archive, ...)."""


class OutputError(MtaSfsfError):
    """An output cannot be written (the folder is a file, no permission, disk full, ...)."""
