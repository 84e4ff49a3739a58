"""Command line: parse options, hand a typed options object to the library, return its exit code.

Exit codes: 0 ok; 1 findings, failed checks or "would change"; 2 usage error or unreadable input;
3 internal error (a bug: please report it); 130 interrupted.
"""
import argparse
import gc
import importlib
import os
import sys
from typing import Callable, List, NamedTuple, Optional, Tuple

from . import __version__
from .errors import MtaSfsfError
from .report import FORMATS, default_format

# Subcommand -> (module, options class, run function); imported only when chosen, so that
# ``validate`` never pays for jinja2 or requests.
COMMANDS = {
    "validate": ("mta_sfsf.validate", "ValidateOptions", "run"),
    "expand": ("mta_sfsf.expand.command", "ExpandOptions", "run"),
    "verify": ("mta_sfsf.online.verify", "VerifyOptions", "run"),
    "simulate-event": ("mta_sfsf.online.simulate", "SimulateOptions", "run"),
    "sandbox": ("mta_sfsf.online.sandbox", "SandboxOptions", "run"),
    "schema": ("mta_sfsf.schema", "SchemaOptions", "run"),
}
OFFLINE = ("validate", "expand")


def _extensions(value: str) -> List[str]:
    """``-e a.mtaext,b.mtaext`` as ``neo deploy-mta`` accepts it."""
    return [part.strip() for part in value.split(",") if part.strip()]


class _ExtendList(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        current = list(getattr(namespace, self.dest) or [])
        current.extend(values)
        setattr(namespace, self.dest, current)


def _add_extensions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-e", "--extension", dest="extensions", action=_ExtendList,
                        type=_extensions, default=[], metavar="EXT",
                        help="extension descriptor (.mtaext); repeat it or give a comma-separated "
                             "list, as neo deploy-mta -e does")


def _add_format(parser: argparse.ArgumentParser, formats=FORMATS) -> None:
    parser.add_argument("--format", choices=formats, default=None,
                        help="report format, on standard output (default: github inside GitHub "
                             "Actions, else text)")


def _add_text_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the text format: auto (default) on a terminal, unless "
                             "NO_COLOR is set; FORCE_COLOR colours without one")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print the findings only, no summary line")


def _add_platform(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--platform", choices=("auto", "neo", "generic"), default="auto",
                        help="rule profile; auto picks neo when the descriptor has "
                             "hcp-deployer-version or a Neo-only module type")


def _add_online(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--token-url", metavar="URL",
                        help="get tokens here instead of the plan's token URL (e.g. the sandbox)")
    parser.add_argument("--app-url", metavar="URL",
                        help="send requests to this application instead (e.g. a local app)")
    parser.add_argument("--payload", metavar="FILE",
                        help="JSON event to send instead of the sample built from the fields")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="connect and read timeout of each request (default 10)")


class _Formatter(argparse.HelpFormatter):
    """Help at a fixed width unless COLUMNS says otherwise: argparse's default asks the terminal,
    which imports shutil (and with it bz2 and lzma) on every run, help or not. Descriptions are
    wrapped; an epilog (examples, exit codes) keeps its lines."""

    def __init__(self, prog: str) -> None:
        columns = os.environ.get("COLUMNS", "")
        super().__init__(prog, width=int(columns) - 2 if columns.isdigit() and int(columns) > 40
                         else 98)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("examples:"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _codes(value: str) -> List[str]:
    """``--ignore N016,R006``; the codes are checked where the configuration's are."""
    return [part.strip() for part in value.split(",") if part.strip()]


def _add_config(parser: argparse.ArgumentParser) -> None:
    """Silencing codes and the configuration file; --format and --platform left empty when not
    given, so that the configuration's apply."""
    parser.add_argument("--ignore", action=_ExtendList, type=_codes, default=[],
                        metavar="CODES", help="silence these codes (comma-separated; adds to "
                                              "the configuration's ignore)")
    files = parser.add_mutually_exclusive_group()
    files.add_argument("--config", metavar="FILE",
                       help="read this configuration file (.mta-sfsf.toml or pyproject.toml) "
                            "instead of the nearest one from the current folder upwards")
    files.add_argument("--no-config", action="store_true", help="read no configuration file")
    parser.set_defaults(format="", platform="")


def _validate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="mtad.yaml, mta.yaml, an .mtar, or - for standard input")
    _add_extensions(p)
    _add_format(p)
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    _add_platform(p)
    _add_text_options(p)
    _add_config(p)


def _expand_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="mtad.yaml or an .mtar")
    _add_extensions(p)
    p.add_argument("-o", "--output", dest="outdir", required=True, metavar="OUTDIR",
                   help="folder for the outputs (created if missing)")
    p.add_argument("--host", default=os.environ.get("MTA_SFSF_HOST"),
                   help="Neo region host, e.g. eu2.hana.ondemand.com (env MTA_SFSF_HOST)")
    p.add_argument("--account", default=os.environ.get("MTA_SFSF_ACCOUNT"), metavar="SUBACCOUNT",
                   help="Neo subaccount technical name (env MTA_SFSF_ACCOUNT)")
    p.add_argument("--mode", choices=("auto", "deployer", "runbook"), default="auto",
                   help="auto (default): the Neo deployer gets only the SAML connections SAP "
                        "documents for it, you create the others from the runbook; deployer: it "
                        "gets every connection; runbook: you perform every step")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if OUTDIR differs from what would be written")
    p.add_argument("--diff", action="store_true",
                   help="print a unified diff of the deployable descriptor")
    p.add_argument("--templates", metavar="DIR",
                   help="folder whose templates override the shipped ones, by name")
    _add_format(p)
    p.add_argument("--strict", action="store_true", help="warnings stop the expansion too")
    p.add_argument("--force", action="store_true",
                   help="replace files in OUTDIR that mta-sfsf did not write there (by default "
                        "a file that differs from what it last wrote is kept and nothing is "
                        "written)")
    _add_platform(p)
    _add_text_options(p)
    _add_config(p)


def _verify_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("plan", metavar="PLAN.json", help="the plan.json that expand wrote")
    _add_extensions(p)
    p.add_argument("--connection", dest="connections", action="append", default=[],
                   metavar="NAME", help="check only this connection (repeatable)")
    _add_online(p)
    p.add_argument("--send-event", action="store_true",
                   help="also deliver the sample event with a valid token (opt-in)")
    p.add_argument("--platform-url", metavar="URL",
                   help="Neo platform API base for the application state check (default "
                        "https://api.<host>; the check runs only when MTA_SFSF_PLATFORM_CLIENT_ID "
                        "and MTA_SFSF_PLATFORM_CLIENT_SECRET are set)")
    _add_format(p, ("text", "json", "github"))  # verify's verdicts have these three


def _simulate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("plan", metavar="PLAN.json", help="the plan.json that expand wrote")
    p.add_argument("--integration", required=True, metavar="NAME",
                   help="the integration whose event to send (CONNECTION/NAME when ambiguous)")
    _add_extensions(p)
    _add_online(p)
    p.add_argument("--count", type=int, default=1, metavar="N",
                   help="send the event N times (default 1)")


def _sandbox_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free)")
    p.add_argument("--client", dest="clients", action="append", default=[], metavar="ID",
                   help="client ID to accept; its secret comes from the environment or a file")
    p.add_argument("--token-lifetime", type=int, default=3600, metavar="SECONDS",
                   help="lifetime of the tokens it issues (default 3600)")
    p.add_argument("--secret-file", metavar="FILE",
                   help="client secrets, one client-id:secret per line (instead of "
                        "MTA_SFSF_SANDBOX_SECRET_<ID>)")


def _schema_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", choices=("mtad", "mtaext"), default="mtad",
                   help="deployment descriptor (mtad.yaml, the default) or extension descriptor "
                        "(.mtaext)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the schema to FILE instead of standard output")


# The exit codes every command shares; a command may word one of them its own way.
_COMMON_EXITS = ("2  usage error, or an input that cannot be read at all",
                 "3  internal error (a bug: please report it with the command you ran)",
                 "130  interrupted (Ctrl-C)")


class Subcommand(NamedTuple):
    summary: str  # the one line of the command list
    add_arguments: Callable[[argparse.ArgumentParser], None]
    description: str
    examples: Tuple[str, ...]  # command lines a test parses; "$ " lines are other commands
    exits: Tuple[str, ...]  # "code  meaning", the command's own 0 and 1 first

    def epilog(self) -> str:
        own = {line.split("  ", 1)[0] for line in self.exits}
        exits = self.exits + tuple(line for line in _COMMON_EXITS
                                   if line.split("  ", 1)[0] not in own)
        width = max(len(line.split("  ", 1)[0]) for line in exits)
        return ("examples:\n" + "".join(f"  {line}\n" for line in self.examples)
                + "\nexit codes:\n" + "".join(
                    "  {:<{}}  {}\n".format(*line.split("  ", 1)[:1], width,
                                            line.split("  ", 1)[1]) for line in exits))


SUBCOMMANDS = {
    "validate": Subcommand(
        "report every problem in descriptors, with file:line:col", _validate_arguments,
        "Report every problem in MTA deployment descriptors (mtad.yaml), development "
        "descriptors (mta.yaml), .mtar archives and extension descriptors (.mtaext) at once, "
        "each with file:line:col, a stable code, the key path and a hint. The README lists "
        "every code.",
        ("mta-sfsf validate sample-mta/mtad.yaml -e sample-mta/sample.mtaext",
         "mta-sfsf validate build/app.mtar --format json > findings.json",
         "mta-sfsf validate mtad.yaml -e ci.mtaext --format sarif > mta-sfsf.sarif",
         "mta-sfsf validate mtad.yaml --strict --platform neo",
         "cat mtad.yaml | mta-sfsf validate -"),
        ("0  no errors (warnings allowed unless --strict)",
         "1  errors found, or a warning with --strict")),
    "expand": Subcommand(
        "write the deployable descriptor, plan.json and RUNBOOK.md", _expand_arguments,
        "Turn sfsf-outbound-connections into the deployable descriptor (a minimal change of "
        "yours, inside a new .mtar when PATH is one), a plan.json and a RUNBOOK.md in OUTDIR. "
        "Nothing is written while the descriptor has errors.",
        ("mta-sfsf expand sample-mta/mtad.yaml -e sample-mta/sample.mtaext -o out "
         "--host eu2.hana.ondemand.com --account mysubaccount",
         "mta-sfsf expand build/app.mtar -o deploy --mode runbook --host eu2.hana.ondemand.com "
         "--account mysubaccount",
         "mta-sfsf expand sample-mta/mtad.yaml -o out --check --diff"),
        ("0  wrote the outputs, or --check found them current",
         "1  errors in the descriptor (or warnings with --strict), or --check found "
         "differences",
         "2  usage error, an input that cannot be read at all, or an output that "
         "cannot be written")),
    "verify": Subcommand(
        "check the plan's wiring against the live endpoints", _verify_arguments,
        "Check each connection of a plan.json against the live endpoints, as SuccessFactors "
        "would call them: the token endpoint with the client's credentials, then the app's "
        "REST API URL. Secrets come from -e extension descriptors or the environment "
        "(MTA_SFSF_CLIENT_SECRET_<CONNECTION>), never from arguments.",
        ("mta-sfsf verify out/plan.json -e sample-mta/sample.mtaext",
         "mta-sfsf verify out/plan.json -e sample-mta/sample.mtaext --token-url "
         "http://127.0.0.1:8765/oauth2/api/v1/token --app-url http://127.0.0.1:8080 "
         "--send-event",
         "mta-sfsf verify deploy/plan.json --connection BenefitsEvents --format github"),
        ("0  every checkable step verified",
         "1  a check failed")),
    "simulate-event": Subcommand(
        "do what the SuccessFactors integration would do", _simulate_arguments,
        "Get a token as the outbound OAuth configuration does and POST the integration's JSON "
        "event to the REST API URL, printing status, latency and a redacted excerpt of each "
        "answer. Client credentials connections only. An event is never retried.",
        ("mta-sfsf simulate-event out/plan.json --integration JobTitleChanged "
         "-e sample-mta/sample.mtaext --token-url http://127.0.0.1:8765/oauth2/api/v1/token "
         "--app-url http://127.0.0.1:8080 --count 3",
         "mta-sfsf simulate-event out/plan.json --integration BenefitsEvents/JobTitleChanged "
         "--payload event.json"),
        ("0  a token, and a 2xx answer to every event",
         "1  no token, or an event was not accepted")),
    "sandbox": Subcommand(
        "a local stand-in for a Neo subaccount's OAuth service", _sandbox_arguments,
        "Serve a Neo-like OAuth token endpoint (client credentials), tokeninfo and "
        "introspection on 127.0.0.1 only, until Ctrl-C. Client secrets come from "
        "MTA_SFSF_SANDBOX_SECRET_<ID> or --secret-file, never from arguments.",
        ("$ export MTA_SFSF_SANDBOX_SECRET_MY_CLIENT='any-local-secret'",
         "mta-sfsf sandbox --client my-client --port 8765",
         "mta-sfsf sandbox --secret-file secrets.txt --client a --client b --token-lifetime 60"),
        ("0  stopped with Ctrl-C, its normal end",
         "130  not used: Ctrl-C is how the sandbox stops",
         "2  usage error (such as a client without a secret), an unreadable "
         "--secret-file, or a port that cannot be used")),
    "schema": Subcommand(
        "print a JSON Schema of a Neo descriptor, for editors", _schema_arguments,
        "Print a JSON Schema (draft-07) of a whole SAP BTP Neo deployment descriptor or "
        "extension descriptor, built from the tables validate checks with: module and resource "
        "types, every parameter of com.sap.java, java.tomcat and com.sap.hcp.html5, the sfsf-* "
        "parameters and sfsf-outbound-connections. Point an editor's YAML language server at "
        "it for completion and checks as you type; validate checks more.",
        ("mta-sfsf schema -o .vscode/mtad.schema.json",
         "mta-sfsf schema --kind mtaext > mtaext.schema.json"),
        ("0  printed or wrote the schema",
         "2  usage error, or FILE cannot be written")),
}


def command_parser(name: str) -> argparse.ArgumentParser:
    """One subcommand's parser, with that command's options and no other's."""
    command = SUBCOMMANDS[name]
    parser = argparse.ArgumentParser(prog=f"mta-sfsf {name}", description=command.description,
                                     epilog=command.epilog(), formatter_class=_Formatter)
    command.add_arguments(parser)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The whole parser: every subcommand with its options (help, a mistyped command)."""
    parser = argparse.ArgumentParser(
        prog="mta-sfsf", formatter_class=_Formatter,
        description="Validate and expand SAP BTP Neo MTA descriptors for SuccessFactors "
                    "outbound OAuth connections.")
    parser.add_argument("--version", action="version", version=f"mta-sfsf {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, command in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=command.summary, description=command.description,
                           epilog=command.epilog(), formatter_class=_Formatter)
        command.add_arguments(p)
    return parser


def parse_arguments(argv: List[str]) -> argparse.Namespace:
    """The options of a command line. A run names its command first, and then only that
    command's parser is built: each parser costs argparse translation look-ups on the file
    system, about a tenth of validate's start-up for the whole set."""
    if argv and argv[0] in SUBCOMMANDS:
        args = command_parser(argv[0]).parse_args(argv[1:])
        args.command = argv[0]
        return args
    return build_parser().parse_args(argv)


def _field_names(options_class) -> tuple:
    """Options are NamedTuples where start-up matters (validate), dataclasses elsewhere."""
    if hasattr(options_class, "_fields"):
        return options_class._fields
    import dataclasses

    return tuple(f.name for f in dataclasses.fields(options_class))


def _escape_unencodable() -> None:
    """A character the console cannot encode (a lone surrogate, or an arrow on a cp1252 console)
    is printed as a backslash escape instead of stopping the run."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    _escape_unencodable()
    args = parse_arguments(argv)
    module_name, class_name, function_name = COMMANDS[args.command]
    # The offline commands build large trees that hold no reference cycles, and end soon: the
    # cyclic collector would only rescan them (a second a run at 10,000 modules).
    collect = gc.isenabled() and args.command in OFFLINE
    if collect:
        gc.disable()
    try:
        module = importlib.import_module(module_name)
        options_class = getattr(module, class_name)
        if getattr(args, "format", "absent") is None:
            args.format = default_format()
        names = set(_field_names(options_class))
        options = options_class(**{k: v for k, v in vars(args).items() if k in names})
        return getattr(module, function_name)(options)
    except MtaSfsfError as exc:
        sys.stderr.write(f"mta-sfsf: error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("mta-sfsf: interrupted\n")
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # the one boundary for bugs; no message text, it may hold data
        import traceback

        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{os.path.basename(frame.filename)}:{frame.lineno}"
        sys.stderr.write(f"mta-sfsf: internal error ({type(exc).__name__} at {where}); please "
                         "report it with the command you ran\n")
        return 3
    finally:
        if collect:
            gc.enable()


def console() -> None:
    """The installed ``mta-sfsf`` command (and ``python -m mta_sfsf``): ``main``, its output
    flushed, then the process ends at once. Python's own shutdown would first collect every
    object the run left behind, which the system frees anyway: about a tenth of a ``validate``
    run on a small descriptor. By then every file is written and closed; the normal shutdown is
    kept only while another thread still runs."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # a reader that went away, as ``main`` answers it
        code = code or 1
    except OSError:
        sys.exit(code or 1)
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    console()
