"""``mta-sfsf validate``: read each descriptor with its extension chain, run every rule family,
report every finding at once, sorted by file and position.

Extension descriptors come from ``-e`` (the chain the user states) or among the paths (any
``*.mtaext``, as a pre-commit hook passes them), which join the descriptor they extend in their
folder or the nearest above, as alternatives: every chain to a leaf is validated on its own
(``descriptor.pairing``).
"""
import sys
from typing import Dict, List, NamedTuple, Optional, TextIO, Tuple

from .config import settings
from .descriptor.load import Descriptor, Document, extension_files, load, read_document
from .descriptor.pairing import MAX_CHAINS, Group, alternatives, assign, is_extension
from .descriptor.tree import value_loc
from .diagnostics import Diagnostic, declared, exit_code, make
from .errors import InputError
from .report import FORMATS, default_format, reporter
from .rules import findings
from .rules.suppress import Silencer


class ValidateOptions(NamedTuple):
    paths: List[str]
    extensions: List[str] = []
    format: str = ""  # empty: the configuration's, else github inside GitHub Actions, else text
    strict: bool = False
    platform: str = ""  # empty: the configuration's, else auto
    color: str = "auto"
    quiet: bool = False
    ignore: List[str] = []  # codes to silence, besides the configuration's
    config: Optional[str] = None  # this configuration file instead of the one found
    no_config: bool = False


def check(path: str, extensions: Optional[List[str]] = None,
          platform: str = "auto") -> Tuple[Descriptor, List[Diagnostic]]:
    """Load one descriptor with its extension chain and return it with all its diagnostics,
    sorted by place."""
    descriptor = load(path, extensions or [])
    return descriptor, findings(descriptor, platform)


class _Inputs:
    """Reads every input once; an unreadable one is reported as one line and skipped."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.unreadable = 0
        self.files = 0
        self.sources: Dict[str, str] = {}  # display name -> text, for the reports
        self.documents: List[Document] = []  # every file read, for its silencing comments

    def read(self, path: str) -> Optional[Tuple[Document, List[Diagnostic]]]:
        try:
            result = read_document(path)
        except InputError as exc:
            self.err.write(f"mta-sfsf: error: {exc}\n")
            self.unreadable += 1
            return None
        self.files += 1
        self.sources[result[0].file] = result[0].text
        self.documents.append(result[0])
        return result

    def extensions(self, paths: List[str], diagnostics: List[Diagnostic]) -> List[Document]:
        """The extension descriptors that parsed; the findings of all go to ``diagnostics``."""
        documents = []
        for path in paths:
            read = self.read(path)
            if read is not None:
                diagnostics.extend(read[1])
                if read[0].data is not None:
                    documents.append(read[0])
        return documents


def known(code: str) -> bool:
    """A code some command reports (expand's P codes too, for a configuration both share)."""
    return code in declared() or code in _all_codes()  # the table only for a code not yet declared


def run(options: ValidateOptions, out: Optional[TextIO] = None, err: Optional[TextIO] = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    chosen = settings(options, known, FORMATS, default_format())
    platform = chosen.platform
    inputs = _Inputs(err)
    paths = list(dict.fromkeys(options.paths))
    stated_paths = extension_files(list(options.extensions))
    diagnostics: List[Diagnostic] = []
    stated = inputs.extensions(stated_paths, diagnostics)
    loose = inputs.extensions([p for p in paths if is_extension(p) and p not in stated_paths],
                              diagnostics)
    groups = []
    for path in paths:
        if not is_extension(path):
            read = inputs.read(path)
            if read is not None:
                groups.append(Group(path, read))
    alone = assign(groups, stated, loose)
    for group in groups:
        if group.found:  # found for an extension descriptor: read there, not here
            inputs.files += 1
            inputs.sources.setdefault(group.document.file, group.document.text)
            inputs.documents.append(group.document)
    for ext in alone:
        diagnostics.extend(_alone(ext, platform, "no deployment descriptor was given and none "
                                  "is beside it"))
    for group in groups:
        chains, left_over = alternatives(group)
        diagnostics.extend(_chains(group, chains, platform))
        for ext in left_over:
            diagnostics.extend(_alone(ext, platform, f"{group.path} has more than {MAX_CHAINS} "
                                      "alternative chains"))
    silencer = Silencer(inputs.documents, chosen.ignore, chosen.config, known)
    diagnostics, suppressed = silencer.apply(diagnostics + silencer.problems)
    reporter(chosen.format)(diagnostics, inputs.files, out, err, sources=inputs.sources,
                            codes=_all_codes, color=options.color, quiet=options.quiet,
                            strict=chosen.strict, suppressed=suppressed)
    if inputs.unreadable:
        return 2
    return exit_code(diagnostics, chosen.strict)


def _alone(ext: Document, platform: str, why: str) -> List[Diagnostic]:
    """An extension descriptor checked without its descriptor, as far as that goes."""
    warning = make("X011", value_loc(ext.data, "extends"),
                   f"extension descriptor {ext.file} is checked on its own: {why}, so its "
                   "chain to "
                   f"\"{ext.data.get('extends')}\" is not checked", ("extends",),
                   hint=f"validate it with its descriptor: mta-sfsf validate mtad.yaml -e {ext.file}")
    return [warning] + findings(load(ext.file, main=(ext, []), extensions=([], [])), platform)


def _chains(group: Group, chains: List[List[Document]], platform: str) -> List[Diagnostic]:
    """Every chain of one descriptor validated on its own. With several chains, a finding that
    not every chain has names the chains it comes from; the others are reported once, as is."""
    results = []
    for chain in chains:
        descriptor = load(group.path, main=group.read, extensions=(group.stated + chain, []))
        name = " -> ".join([descriptor.main.file] + [ext.file for ext in descriptor.extensions])
        results.append((name, findings(descriptor, platform)))
    if len(results) == 1:
        return results[0][1]
    chains_of: Dict[Diagnostic, List[str]] = {}
    for name, found in results:
        for diagnostic in found:
            chains_of.setdefault(diagnostic, []).append(name)
    named = []
    for diagnostic, names in chains_of.items():
        if len(names) < len(results):
            label = "chain" if len(names) == 1 else "chains"
            diagnostic = diagnostic._replace(
                message=f"{diagnostic.message} ({label}: {', '.join(names)})")
        named.append(diagnostic)
    return named


def _all_codes() -> dict:
    """The full code table, loaded only when a report asks for it (SARIF's rules): it imports
    every layer, expand's plan too."""
    from .codes import all_codes

    return all_codes()
