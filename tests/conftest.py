"""Shared test helpers."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Real-world descriptors from public repositories (not shipped here): the acceptance tests that
# read them skip when the folder is absent.
CORPUS = Path(os.environ.get("MTA_SFSF_CORPUS", ROOT.parent / "shared" / "corpus"))
SAMPLE = ROOT / "sample-mta"

# A Neo descriptor with one Java module, whose parameters a test appends to.
JAVA_MODULE_HEAD = """\
_schema-version: '3.1'
ID: com.example.t
version: 1.0.0
parameters:
  hcp-deployer-version: '1.2.0'
modules:
  - name: app
    type: com.sap.java
    parameters:
      name: app
"""


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Only loopback answers here, as on a machine without a network: a host name fails at once
    instead of waiting for a resolver that may be slow to say so (each verify of a plan would
    otherwise spend seconds resolving the real Neo hosts it names)."""
    import socket

    resolve = socket.getaddrinfo

    def loopback_only(host, *args, **kwargs):
        if host not in ("127.0.0.1", "::1", "localhost", b"127.0.0.1", b"localhost", None):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (tests: offline)")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)


@pytest.fixture
def check(tmp_path):
    """``check(source, name="mtad.yaml", extensions={"x.mtaext": text})`` -> sorted
    [(code, line, column, path)], the one-line way to test a rule."""
    from mta_sfsf.validate import check as validate

    def run(source: str, name: str = "mtad.yaml", extensions: dict = None, platform: str = "auto"):
        main = tmp_path / name
        main.write_text(source, encoding="utf-8")
        ext_paths = []
        for ext_name, text in (extensions or {}).items():
            (tmp_path / ext_name).write_text(text, encoding="utf-8")
            ext_paths.append(str(tmp_path / ext_name))
        _, diagnostics = validate(str(main), ext_paths, platform)
        return [(d.code, d.line, d.column, d.path) for d in diagnostics]

    return run


def calls(function, *args, **kwargs) -> int:
    """How many Python and C function calls ``function(*args, **kwargs)`` makes: a count of work
    that, unlike the clock, does not depend on what else the machine is doing (so a test can tell
    linear from quadratic by comparing two sizes)."""
    import sys

    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        function(*args, **kwargs)
    finally:
        sys.setprofile(None)
    return count


def rule_context(tmp_path, text: str, platform: str = "generic"):
    """The rules' Context for a descriptor ``text``, read from a file as validate reads it."""
    from mta_sfsf.descriptor.load import load
    from mta_sfsf.rules import Context

    path = tmp_path / f"descriptor-{len(text)}.yaml"
    path.write_text(text, encoding="utf-8")
    return Context(load(str(path), []), platform)


def linear_contexts(tmp_path, rule, descriptor, platform: str = "generic"):
    """Run ``rule`` over ``descriptor(250)`` and ``descriptor(1000)`` (texts of that many
    modules) and return both contexts, after checking that four times the modules cost less than
    five times the calls: linear work costs about four, a pairwise scan sixteen."""
    small, large = (rule_context(tmp_path, descriptor(count), platform) for count in (250, 1000))
    assert calls(rule, large) < 5 * calls(rule, small)
    return small, large


def run_cli(capsys, *argv: str, crash_expected: bool = False):
    """``mta-sfsf *argv`` in process -> (exit code, stdout, stderr); a crash (exit 3, a
    traceback) fails the test unless ``crash_expected``."""
    from mta_sfsf.cli import main

    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, err
    assert crash_expected or "internal error" not in err, err
    return code, out, err


@pytest.fixture(autouse=True, scope="session")
def _template_cache(tmp_path_factory):
    """expand's compiled-template cache goes to a folder of the test run, not the user's."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous
