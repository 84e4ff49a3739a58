"""The Jinja2 environment for generated documents: undefined names are errors (a typo in a
template must not silently print nothing), no autoescaping (Markdown, not HTML), trailing newlines
kept. A user's template folder comes first, so any shipped template can be overridden by name.

Descriptor values are anyone's text, so one rule holds for every value a template prints:

- ``|md``: running text. Line breaks and other control characters become one space (or a visible
  ``\\xNN``), and Markdown's inline metacharacters are backslash-escaped, so a value can neither
  start a heading, list or code block nor open emphasis, a link, HTML or a table cell.
- ``|code``: a code span. Same one-line rule; the fence is one backtick longer than the longest
  backtick run in the value, so the value cannot close it. ``|code(cell=True)`` inside a table
  also escapes ``|``, which GitHub's tables split on even inside code spans.
- ``|shell``: a value on a command line, POSIX-quoted (``shlex.quote``); the whole command then
  goes through ``|code``.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import sys
from pathlib import Path
from typing import Any, Callable, List, Optional, Tuple

import jinja2

from ..errors import UsageError
from .runbook import code, md_inline, shipped_templates


def _shipped_loader() -> jinja2.BaseLoader:
    """The shipped templates: files beside the package (installed, or a checkout), else read
    through importlib.resources (a zipped install)."""
    folder = shipped_templates()
    if folder is not None:
        return jinja2.FileSystemLoader(folder)
    from importlib.resources import files

    return _TraversableLoader(files("mta_sfsf.templates"))


class _TraversableLoader(jinja2.BaseLoader):
    """Reads templates through importlib.resources (works for zipped installs too)."""

    def __init__(self, root: Any) -> None:
        self.root = root

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> Tuple[str, Optional[str], Callable[[], bool]]:
        node = self.root
        for part in template.split("/"):
            node = node.joinpath(part)
        if not node.is_file():
            raise jinja2.TemplateNotFound(template)
        return node.read_text(encoding="utf-8"), None, lambda: True

    def list_templates(self) -> List[str]:
        return sorted(p.name for p in self.root.iterdir() if p.name.endswith(".j2"))


# How templates compile; the bytecode cache is keyed by these too.
_OPTIONS = dict(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
                trim_blocks=True, lstrip_blocks=True)


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs (compiling costs more than all else ``expand``
    does on a small descriptor). A template's entry is found by its name and file and used only
    while its source is unchanged (jinja2 checks a hash of it); the folder's name holds the
    jinja2 and Python versions and the compile options. A cache that cannot be read or written
    is skipped: the template is compiled as without one."""

    def load_bytecode(self, bucket: Any) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable or damaged (unpickling, unmarshalling): compile again
            bucket.reset()

    def dump_bytecode(self, bucket: Any) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _cache_dir() -> Optional[str]:
    """``$XDG_CACHE_HOME/mta-sfsf/templates-<key>`` (``~/.cache`` by default), made private to
    the user; None when it cannot be, or when another user could write to it."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    options = repr(sorted((key, getattr(value, "__name__", value))
                          for key, value in _OPTIONS.items()))
    key = hashlib.sha256(f"{jinja2.__version__} {sys.version} {options}".encode()).hexdigest()
    folder = os.path.join(base, "mta-sfsf", f"templates-{key[:16]}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.stat(folder)
    except (OSError, ValueError):
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None  # compiled code from here runs: nobody else may have written it
    return folder


def environment(user_dir: Optional[str] = None) -> jinja2.Environment:
    loaders: List[jinja2.BaseLoader] = []
    if user_dir:
        if not Path(user_dir).is_dir():
            raise UsageError(f"--templates {user_dir}: not a folder")
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(_shipped_loader())
    folder = _cache_dir()
    cache = _BytecodeCache(folder) if folder is not None else None
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), bytecode_cache=cache,
                             **_OPTIONS)
    env.filters["tojson_compact"] = lambda v: json.dumps(v, ensure_ascii=False)
    env.filters["md"] = md_inline
    env.filters["code"] = code
    env.filters["shell"] = lambda v: shlex.quote(str(v))
    return env


def render(name: str, context: dict, user_dir: Optional[str] = None) -> str:
    """Render template ``name``; template faults are usage errors with the template's place."""
    try:
        text = environment(user_dir).get_template(name).render(**context)
        # Macros leave runs of blank lines; Markdown needs at most one.
        return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(f"template {exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise UsageError(f"template {name}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise UsageError(f"template not found: {exc.name}") from None
