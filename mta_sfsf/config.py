"""The configuration file: which codes to silence, and defaults for ``--strict``, ``--platform``
and ``--format``.

- Found from the current folder upwards; the nearest wins, and nothing merges (as ruff and black
  do). In one folder, ``.mta-sfsf.toml`` (keys at its top level) wins over ``pyproject.toml``
  (keys under ``[tool.mta-sfsf]``), as ruff's ``.ruff.toml`` wins over its ``pyproject.toml``; a
  ``pyproject.toml`` without that table is passed over. ``--config FILE`` names one instead,
  ``--no-config`` uses none.
- Keys: ``ignore`` (a list of codes), ``per-file-ignores`` (a table of glob -> list of codes;
  globs relative to the configuration file's folder, or, without a ``/``, a file name anywhere),
  ``strict`` (true/false), ``platform`` and ``format``. The command line wins over the file;
  ``--ignore`` adds to ``ignore``.
- Anything else is an error naming the file (exit 2): an unknown key, a value of the wrong type,
  an unknown code.

``tomllib`` is imported only when a configuration file is read: most runs have none.
"""
from __future__ import annotations

import os
import re
from typing import Callable, FrozenSet, Iterable, Optional, Sequence, Tuple

from .errors import UsageError

FILE_NAME = ".mta-sfsf.toml"
PYPROJECT = "pyproject.toml"
TABLE = "mta-sfsf"  # [tool.mta-sfsf]
KEYS = ("ignore", "per-file-ignores", "strict", "platform", "format")
PLATFORMS = ("auto", "neo", "generic")
# A pyproject.toml is parsed only when a line opens the table: most name the tool at most as a
# dependency. (A pattern, compiled by ``re`` only for a file that names the tool at all.)
_OPENS_TABLE = r"""^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*(?:mta-sfsf|"mta-sfsf"|'mta-sfsf')[ \t]*[\].]"""


class Config:
    """A configuration as read (a plain class: a NamedTuple costs start-up time on every run)."""

    __slots__ = ("file", "ignore", "per_file_ignores", "strict", "platform", "format")

    def __init__(self, file: Optional[str] = None, ignore: FrozenSet[str] = frozenset(),
                 per_file_ignores: Tuple[Tuple[str, FrozenSet[str]], ...] = (),
                 strict: Optional[bool] = None, platform: Optional[str] = None,
                 format: Optional[str] = None) -> None:
        self.file = file  # where it was read; None: no configuration
        self.ignore = ignore
        self.per_file_ignores = per_file_ignores  # (glob, codes), matched as ``matches`` says
        self.strict = strict
        self.platform = platform
        self.format = format

    def ignored_in(self, file: str) -> FrozenSet[str]:
        """The codes ``per-file-ignores`` silences in ``file`` (a name as reports print it)."""
        if not self.per_file_ignores or file.startswith("<"):
            return frozenset()
        path = file.split("!/", 1)[0]  # a descriptor inside an .mtar: the archive's path
        folder = os.path.dirname(os.path.abspath(self.file or "."))
        relative = os.path.relpath(os.path.abspath(path), folder).replace(os.sep, "/")
        found: FrozenSet[str] = frozenset()
        for pattern, codes in self.per_file_ignores:
            if matches(pattern, relative):
                found |= codes
        return found


def matches(pattern: str, relative: str) -> bool:
    """A glob against a path relative to the configuration's folder: ``*`` and ``?`` stay within
    one folder, ``**`` crosses folders, ``[...]`` is a set; a pattern without ``/`` is a file
    name anywhere, a pattern ending in ``/`` everything below that folder."""
    pattern = pattern[2:] if pattern.startswith("./") else pattern
    if "/" not in pattern:
        relative = relative.rsplit("/", 1)[-1]
    elif pattern.endswith("/"):
        pattern += "**"
    return _glob(pattern).match(relative) is not None


def _glob(pattern: str) -> "re.Pattern[str]":
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:[^/]*/)*")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        elif pattern[index] == "[" and "]" in pattern[index + 2:]:
            end = pattern.index("]", index + 2)
            body = pattern[index + 1:end]
            body = "^" + body[1:] if body.startswith("!") else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            index = end + 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out) + r"\Z")


def discover(folder: str) -> Optional[str]:
    """The nearest configuration file from ``folder`` upwards (os.path, not pathlib: validate
    starts without pathlib)."""
    current = os.path.abspath(folder)
    while True:
        candidate = os.path.join(current, FILE_NAME)
        if os.path.isfile(candidate):
            return candidate
        candidate = os.path.join(current, PYPROJECT)
        if os.path.isfile(candidate):
            text = _read_text(candidate)
            if TABLE in text and re.search(_OPENS_TABLE, text, re.M) and \
                    _table(candidate) is not None:  # not just text in a string that looked so
                return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def load(explicit: Optional[str], disabled: bool, known: Callable[[str], bool],
         formats: Sequence[str]) -> Config:
    """The configuration in effect: ``explicit`` (``--config``), none when ``disabled``
    (``--no-config``), else the one found from the current folder upwards."""
    if disabled:
        return Config()
    if explicit is not None:
        if not os.path.isfile(explicit):
            raise UsageError(f"--config {explicit}: no such file")
        path = explicit
    else:
        found = discover(os.getcwd())
        if found is None:
            return Config()
        path = found
    table = _table(path)
    if table is None:
        raise UsageError(f"{path}: has no [tool.{TABLE}] table")
    return _parse(table, path, known, formats)


def codes(values: Iterable[str], where: str, known: Callable[[str], bool]) -> FrozenSet[str]:
    """Codes as written (any case), each checked to exist."""
    found = set()
    for value in values:
        if not isinstance(value, str):
            raise UsageError(f"{where}: {value!r} is not a code such as \"N020\"")
        code = value.strip().upper()
        if not known(code):
            raise UsageError(f"{where}: unknown code {value.strip()!r} (see the README's code "
                             "table)")
        found.add(code)
    return frozenset(found)


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") \
            from None


def _table(path: str) -> Optional[dict]:
    """The settings table of a configuration file (None: a pyproject.toml without one)."""
    import tomllib

    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    if os.path.basename(path) != PYPROJECT:
        return data
    table = data.get("tool", {}).get(TABLE) if isinstance(data.get("tool"), dict) else None
    if table is not None and not isinstance(table, dict):
        raise UsageError(f"{path}: tool.{TABLE} must be a table")
    return table


def _parse(table: dict, file: str, known: Callable[[str], bool], formats: Sequence[str]) -> Config:
    prefix = f"[tool.{TABLE}] " if os.path.basename(file) == PYPROJECT else ""
    unknown = [key for key in table if key not in KEYS]
    if unknown:
        raise UsageError(f"{file}: {prefix}unknown key {unknown[0]!r} (known: "
                         f"{', '.join(KEYS)})")

    def where(key: str) -> str:
        return f"{file}: {prefix}{key}"

    def code_list(value, key: str) -> FrozenSet[str]:
        if not isinstance(value, list):
            raise UsageError(f"{where(key)} must be a list of codes, such as [\"N020\"]")
        return codes(value, where(key), known)

    ignore = code_list(table["ignore"], "ignore") if "ignore" in table else frozenset()
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise UsageError(f"{where('per-file-ignores')} must be a table of glob = [codes]")
    for glob in per_file:
        try:
            matches(glob, "")
        except re.error as exc:  # a set such as [z-a]
            raise UsageError(f"{where('per-file-ignores')}: {glob!r} is not a glob ({exc})") \
                from None
    per_file_ignores = tuple((glob, code_list(value, f"per-file-ignores.{glob!r}"))
                             for glob, value in per_file.items())
    strict = table.get("strict")
    if strict is not None and not isinstance(strict, bool):
        raise UsageError(f"{where('strict')} must be true or false")
    choices = {"platform": PLATFORMS, "format": tuple(formats)}
    for key, allowed in choices.items():
        if key in table and table[key] not in allowed:
            raise UsageError(f"{where(key)} must be one of {', '.join(allowed)}, not "
                             f"{table[key]!r}")
    return Config(file, ignore, per_file_ignores, strict, table.get("platform"),
                  table.get("format"))


class Settings:
    """What a command runs with: the command line over the configuration over the defaults."""

    __slots__ = ("config", "ignore", "format", "platform", "strict")

    def __init__(self, config: Config, ignore: FrozenSet[str], format: str, platform: str,
                 strict: bool) -> None:
        self.config, self.ignore, self.format = config, ignore, format
        self.platform, self.strict = platform, strict


def settings(options, known: Callable[[str], bool], formats: Sequence[str],
             default_format: str) -> Settings:
    """``options`` has ``config``, ``no_config``, ``ignore`` (codes), and ``format`` and
    ``platform`` empty when not given; ``--strict`` can only add."""
    config = load(options.config, options.no_config, known, formats)
    return Settings(config, config.ignore | codes(options.ignore, "--ignore", known),
                    options.format or config.format or default_format,
                    options.platform or config.platform or "auto",
                    bool(options.strict or config.strict))
