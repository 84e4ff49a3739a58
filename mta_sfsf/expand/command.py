"""``mta-sfsf expand``: validate, then turn ``sfsf-outbound-connections`` into the deployable
descriptor (minimal diff), ``plan.json`` and ``RUNBOOK.md``.

Nothing is written when validation finds an error (or, with ``--strict``, a warning). The outputs
are built in memory first, checked, then written (``--check`` compares instead, ``--diff`` prints
the descriptor's change); the input is never modified.
"""
import hashlib
import json
import os
import sys
from typing import BinaryIO, Dict, List, NamedTuple, Optional, TextIO, Tuple, Union

from ..descriptor import edit
from . import landscape
from .connections import PARAMETER, modules_with_connections, parse, plain
from ..descriptor.load import (MTAR_DESCRIPTOR, UTF8_BOM, Descriptor, descriptor_in,
                               extension_files, load)
from ..config import Settings, settings
from ..diagnostics import declared, exit_code
from ..errors import MtaSfsfError, OutputError, UsageError
from .plan import MODES, OPERATOR, Plan, build, leftover_warnings, performer, sensitive_values
from ..report import FORMATS, default_format, reporter
from ..rules import findings
from ..rules.suppress import Silencer
from ..rules.outbound import TOOL_KEYS
from ..descriptor.yaml_io import load_values
from ..descriptor.tree import YMap

PLAN_FILE, RUNBOOK_FILE, DESCRIPTOR_FILE = "plan.json", "RUNBOOK.md", "mtad.yaml"
# What expand last wrote into an output folder: each file's SHA-256 ("files"; a file there that
# matches neither its entry nor the new output was written by someone else: not replaced without
# --force), and what the runbook was rendered from ("rendered": runbook.rendering_digest).
MANIFEST_FILE = ".mta-sfsf-manifest.json"
CHUNK = 1 << 20  # files are read and copied in pieces of this size
MAX_RUNBOOK = 64 << 20  # a runbook larger than this is someone else's file, not reused
RUNBOOK_TEMPLATE = "RUNBOOK.md.j2"


class SafetyError(MtaSfsfError):
    """The rewritten descriptor is not what was intended: a bug, so nothing is written."""

    exit_code = 3


class StreamedOutput:
    """An output written by streaming (an ``.mtar``): never held in memory as a whole."""

    def write_to(self, stream: BinaryIO) -> None:
        raise NotImplementedError

    def check_written(self, path: str) -> None:
        """Raise SafetyError when the file just written is not what was intended."""

    def digest(self) -> str:
        sink = _HashingSink()
        self.write_to(sink)  # type: ignore[arg-type]
        return sink.hash.hexdigest()


class CopiedFile(StreamedOutput):
    """An input archive with nothing to change: copied byte for byte."""

    def __init__(self, source: str) -> None:
        self.source = source

    def write_to(self, stream: BinaryIO) -> None:
        import shutil

        with open(self.source, "rb") as handle:
            shutil.copyfileobj(handle, stream, CHUNK)


class RewrittenArchive(StreamedOutput):
    """An input archive whose ``META-INF/mtad.yaml`` gets new bytes; other entries copied raw."""

    def __init__(self, source: str, descriptor: bytes) -> None:
        self.source, self.descriptor = source, descriptor

    def write_to(self, stream: BinaryIO) -> None:
        from ..descriptor import mtar_rewrite  # zipfile: only for an archive

        with open(self.source, "rb") as handle:
            mtar_rewrite.rewrite(handle, MTAR_DESCRIPTOR, self.descriptor, stream, self.source)

    def check_written(self, path: str) -> None:
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                ok = archive.read(MTAR_DESCRIPTOR) == self.descriptor
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise SafetyError(f"the rewritten {self.source} does not read back ({exc}); "
                              "nothing written") from None
        if not ok:
            raise SafetyError(f"the rewritten {self.source} does not hold the intended "
                              f"{MTAR_DESCRIPTOR}; nothing written")


Output = Union[bytes, StreamedOutput]


class _HashingSink:
    def __init__(self) -> None:
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return len(data)


class ExpandOptions(NamedTuple):
    path: str
    extensions: List[str] = []
    outdir: str = "out"
    host: Optional[str] = None
    account: Optional[str] = None
    mode: str = "auto"
    check: bool = False
    diff: bool = False
    templates: Optional[str] = None
    format: str = ""  # empty: the configuration's, else github inside GitHub Actions, else text
    strict: bool = False
    platform: str = ""  # empty: the configuration's, else auto
    color: str = "auto"
    quiet: bool = False
    ignore: List[str] = []  # codes to silence, besides the configuration's
    config: Optional[str] = None  # this configuration file instead of the one found
    no_config: bool = False
    force: bool = False  # replace output files even when mta-sfsf did not write them


def run(options: ExpandOptions, out: Optional[TextIO] = None, err: Optional[TextIO] = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    if options.mode not in MODES:
        raise UsageError(f"--mode {options.mode!r}: choose {', '.join(MODES)}")
    host = landscape.normalize_host(options.host)
    account = landscape.normalize_account(options.account)
    if options.templates and not os.path.isdir(options.templates):
        raise UsageError(f"--templates {options.templates}: not a folder")
    known = declared().__contains__  # expand has loaded every layer that declares codes
    chosen = settings(options, known, FORMATS, default_format())
    descriptor = load(options.path, options.extensions)
    silencer = Silencer([descriptor.main, *descriptor.extensions], chosen.ignore, chosen.config,
                        known)
    diagnostics, suppressed = silencer.apply(findings(descriptor, chosen.platform)
                                             + silencer.problems)
    _refuse_other_kinds(options.path, descriptor)
    files = 1 + len(extension_files(options.extensions))  # as validate counts the files it read
    if exit_code(diagnostics, strict=False) or descriptor.merged is None:
        _report(options, chosen, descriptor, diagnostics, files, out, err, suppressed)
        err.write("mta-sfsf: nothing written: fix the errors first\n")
        return 1
    connections = parse(descriptor.merged, descriptor.main.file)
    plan = build(descriptor.merged, connections, options.mode, host, account)
    main = descriptor.main
    paths = removal_paths(main.data, options.mode)
    plan.warnings.extend(leftover_warnings(main.data, edit.removed(plain(main.data), paths),
                                           connections, options.mode))
    warnings, more = silencer.apply(plan.warnings)
    diagnostics = sorted(set(diagnostics) | set(warnings) | set(sensitive_values(plan)))
    _report(options, chosen, descriptor, diagnostics, files, out, err, suppressed + more)
    if exit_code(diagnostics, strict=False):
        err.write("mta-sfsf: nothing written: fix the errors first\n")
        return 1
    if exit_code(diagnostics, chosen.strict):
        err.write("mta-sfsf: nothing written: warnings fail with --strict\n")
        return 1

    old_text, new_text = deployable_text(descriptor, options.mode)
    manifest = _read_manifest(options.outdir)
    outputs, rendered = build_outputs(options, descriptor, plan, old_text, new_text, manifest)
    targets = {name: os.path.join(options.outdir, name) for name in outputs}
    _refuse_overwriting_inputs(options, targets.values())

    if options.diff:
        import difflib

        name = _descriptor_output_name(options.path)
        out.writelines(difflib.unified_diff(
            old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
            fromfile=descriptor.main.file, tofile=os.path.join(options.outdir, name)))
    if options.check:
        changed = [path for name, path in targets.items() if _differs(path, outputs[name])]
        for path in changed:
            err.write(f"would {'change' if os.path.exists(path) else 'create'} {path}\n")
        return 1 if changed else 0
    if options.diff:
        return 0
    first = next(iter(targets.values()))
    files = manifest["files"]
    if not options.force:
        _refuse_replacing_others_files(targets, outputs, files)
    try:
        _make_folder(options.outdir)
    except OSError as exc:
        raise OutputError(f"cannot write {first}: {exc.strerror or exc}") from None
    for name, data in outputs.items():
        try:
            _write_atomically(targets[name], data)
        except OSError as exc:  # permissions, disk full, a folder where the file should be
            raise OutputError(f"cannot write {targets[name]}: {exc.strerror or exc}") from None
        files[name] = _file_hash(targets[name])
    try:
        _write_atomically(os.path.join(options.outdir, MANIFEST_FILE), json.dumps(
            {"format": "mta-sfsf-manifest", "version": 1, "files": files, "rendered": rendered},
            indent=2, sort_keys=True).encode("utf-8") + b"\n")
    except OSError as exc:
        raise OutputError(f"cannot write {MANIFEST_FILE} in {options.outdir}: "
                          f"{exc.strerror or exc}") from None
    if not options.quiet:
        err.write(f"mta-sfsf: wrote {', '.join(targets.values())} ({len(plan.connections)} "
                  f"connection(s), {len(plan.steps)} step(s))\n")
    return 0


def _report(options: ExpandOptions, chosen: Settings, descriptor: Descriptor, diagnostics,
            files: int, out: TextIO, err: TextIO, suppressed: int) -> None:
    """The findings on standard output, or on standard error when --diff owns standard output:
    one document per stream."""
    sources = {doc.file: doc.text for doc in [descriptor.main, *descriptor.extensions]}
    reporter(chosen.format)(diagnostics, files, err if options.diff else out, err,
                            sources=sources, color=options.color, quiet=options.quiet,
                            strict=chosen.strict, suppressed=suppressed)


def deployable_text(descriptor: Descriptor, mode: str) -> Tuple[str, str]:
    """(the main descriptor's text, the deployable text), the latter checked by a re-parse."""
    main = descriptor.main
    paths = removal_paths(main.data, mode)
    if not paths:
        return main.text, main.text
    try:
        new_text = edit.remove_keys(main.text, main.data, paths)
    except edit.EditError as exc:
        raise SafetyError(f"cannot rewrite {main.file} safely ({exc}); nothing written") from None
    # The safety net: the rewritten text, read again, must be the intended descriptor.
    if load_values(new_text) != edit.removed(plain(main.data), paths):
        raise SafetyError(f"the rewritten {main.file} would not be the intended descriptor; "
                          "nothing written (please report this with the descriptor's layout)")
    return main.text, new_text


def removal_paths(data: object, mode: str) -> List[tuple]:
    """What to remove from the main descriptor for ``mode``: the connections an operator creates
    (the whole parameter when that is all of them), and the tool's own keys of the others."""
    paths: List[tuple] = []
    if not isinstance(data, YMap):
        return paths
    for index, module, entries in modules_with_connections(data):
        parameters = module["parameters"]
        base = ("modules", index, "parameters")
        items = entries if isinstance(entries, list) else []
        by_operator = [position for position, entry in enumerate(items)
                       if not isinstance(entry, dict)
                       or performer(mode, str(entry.get("type"))) == OPERATOR]
        if mode == "runbook" or len(by_operator) == len(items):
            only_key = len(parameters) == 1
            paths.append(("modules", index, "parameters") if only_key and "parameters" in
                         getattr(module, "spans", {}) else base + (PARAMETER,))
            continue
        paths.extend(base + (PARAMETER, position) for position in by_operator)
        for position, entry in enumerate(items):
            if position not in by_operator:
                paths.extend(base + (PARAMETER, position, key)
                             for key in sorted(TOOL_KEYS) if key in entry)
    return paths


def build_outputs(options: ExpandOptions, descriptor: Descriptor, plan: Plan, old_text: str,
                  new_text: str, manifest: dict) -> Tuple[Dict[str, Output], Dict[str, str]]:
    """The outputs by file name, and what the runbook was rendered from (for the manifest). A
    runbook expand wrote earlier from the very same sources is kept as it is, not rendered
    again: the text would be byte for byte the same."""
    from .runbook import rendering_digest

    outputs: Dict[str, Output] = {}
    name = _descriptor_output_name(options.path)
    outputs[name] = _descriptor_bytes(options.path, descriptor, old_text, new_text)
    outputs[PLAN_FILE] = plan.to_json().encode("utf-8")
    invocation = {"plan": os.path.join(options.outdir, PLAN_FILE),
                  "deployable": os.path.join(options.outdir, name),
                  "extensions": list(dict.fromkeys(options.extensions))}
    plan_data = plan.as_dict()
    digest = None if options.templates else rendering_digest(plan_data, invocation)
    runbook = None
    if digest is not None and manifest["rendered"].get(RUNBOOK_FILE) == digest:
        runbook = _unchanged(os.path.join(options.outdir, RUNBOOK_FILE),
                             manifest["files"].get(RUNBOOK_FILE))
    if runbook is None:
        from .render import render
        from .runbook import runbook_context

        runbook = render(RUNBOOK_TEMPLATE, runbook_context(plan_data, invocation),
                         options.templates).encode("utf-8")
    outputs[RUNBOOK_FILE] = runbook
    return outputs, ({RUNBOOK_FILE: digest} if digest is not None else {})


def _unchanged(path: str, recorded: Optional[str]) -> Optional[bytes]:
    """The bytes of ``path`` when their SHA-256 is ``recorded`` (what expand wrote there), else
    None (no such regular file, or changed since)."""
    if recorded is None or not os.path.isfile(path):  # a pipe there would block the read
        return None
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(size + 1) if size <= MAX_RUNBOOK else b""
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == recorded else None


def _descriptor_output_name(path: str) -> str:
    if path != "-" and path.lower().endswith(".mtar"):
        return os.path.basename(path)
    return DESCRIPTOR_FILE


def _descriptor_bytes(path: str, descriptor: Descriptor, old_text: str, new_text: str) -> Output:
    if descriptor.main.archive is not None and new_text == old_text:
        return CopiedFile(path)
    # The text as read plus its byte-order mark are the input's bytes: unchanged means identical.
    data = (UTF8_BOM if descriptor.main.bom else b"") + new_text.encode("utf-8")
    return data if descriptor.main.archive is None else RewrittenArchive(path, data)


def _refuse_other_kinds(path: str, descriptor: Descriptor) -> None:
    """Only a deployment descriptor becomes the deployable one: an extension descriptor or a
    development descriptor written out as ``mtad.yaml`` would not deploy (and may hold secrets)."""
    kind, shown = descriptor.main.kind, descriptor.main.file
    if kind == "mtaext":
        raise UsageError(f"{shown} is an extension descriptor; pass the deployment descriptor "
                         f"(mtad.yaml or the .mtar) as PATH and this one with -e "
                         f"{path if path != '-' else 'FILE'}")
    if kind != "mtad":
        raise UsageError(f"{shown} is a development descriptor (mta.yaml); build the MTA archive "
                         "(mbt build) and pass the .mtar, or its META-INF/mtad.yaml")


def _files_read(path: str) -> Optional[str]:
    """The file actually read for ``path``: a folder's descriptor, else the file (or archive)."""
    if path == "-":
        return None
    if os.path.isdir(path):
        from pathlib import Path

        found = descriptor_in(Path(path))
        return str(found) if found is not None else None
    return path


def _refuse_overwriting_inputs(options: ExpandOptions, targets) -> None:
    inputs = [_files_read(options.path)] + extension_files(options.extensions)
    real_inputs = {os.path.realpath(p) for p in inputs if p is not None}
    for target in targets:
        if os.path.realpath(target) in real_inputs:
            raise UsageError(f"{target} is an input; choose another output folder (-o)")


def _differs(path: str, data: Output) -> bool:
    """Whether the file at ``path`` (if any) differs from ``data``, reading it in chunks."""
    if not isinstance(data, bytes):
        return _file_hash(path) != data.digest()
    try:
        with open(path, "rb") as handle:
            return handle.read(len(data) + 1) != data
    except OSError:
        return True


def _file_hash(path: str) -> Optional[str]:
    """The SHA-256 of the file at ``path``, or None when there is none (or it cannot be read)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _read_manifest(folder: str) -> dict:
    """What expand last wrote in ``folder``: ``files`` (file name -> SHA-256) and ``rendered``
    (file name -> the digest of its sources); both empty when there is no readable manifest
    (then every existing output file counts as someone else's)."""
    try:
        with open(os.path.join(folder, MANIFEST_FILE), "rb") as handle:
            data = json.loads(handle.read(1024 * 1024).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        data = None
    data = data if isinstance(data, dict) else {}
    return {key: {k: v for k, v in data[key].items() if isinstance(k, str) and isinstance(v, str)}
            if isinstance(data.get(key), dict) else {} for key in ("files", "rendered")}


def _refuse_replacing_others_files(targets: Dict[str, str], outputs: Dict[str, "Output"],
                                   manifest: Dict[str, str]) -> None:
    """An existing output file is replaced only when it is what expand last wrote there (or
    already what it would write now)."""
    for name, path in targets.items():
        if not os.path.isfile(path):  # none yet; a folder in its place fails when written
            continue
        found = _file_hash(path)
        if found is not None and (manifest.get(name) == found or not _differs(path, outputs[name])):
            continue
        raise OutputError(f"{path} exists and is not what mta-sfsf last wrote there (edited by "
                          "hand, or another tool's file); nothing written: move it away, choose "
                          "another folder (-o), or pass --force to replace it")


def _make_folder(folder: str) -> None:
    """Create the output folder; a file in its place (or its parents') is named, not guessed at
    from the system's ENOTDIR/EEXIST wording."""
    path = os.path.abspath(folder)
    shown = folder
    while True:
        if os.path.exists(path) and not os.path.isdir(path):
            raise OSError(f"{shown} is not a folder")
        parent = os.path.dirname(path)
        if parent == path or os.path.isdir(parent):
            break
        path, shown = parent, os.path.dirname(shown) or parent
    os.makedirs(folder, exist_ok=True)


def _mode_for(path: str) -> int:
    """An existing output keeps its mode; a new one gets the usual 0666 minus the umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _temporary_file(folder: str) -> Tuple[int, str]:
    """A new file of this user's only, under an unguessable name in ``folder`` (as
    tempfile.mkstemp makes one: the exclusive create refuses a name that exists, a link
    included; the tempfile module would load shutil and random on every run)."""
    for _ in range(100):
        path = os.path.join(folder, f".mta-sfsf-{os.urandom(8).hex()}")
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                           | getattr(os, "O_BINARY", 0), 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _write_atomically(path: str, data: Output) -> None:
    folder = os.path.dirname(path) or "."
    handle, temp = _temporary_file(folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, bytes):
                stream.write(data)
            else:
                data.write_to(stream)
        if not isinstance(data, bytes):
            data.check_written(temp)
        os.chmod(temp, _mode_for(path))
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
