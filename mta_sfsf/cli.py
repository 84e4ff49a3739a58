"""Command line: parse options, hand a typed options object to the library, return its exit code.

Exit codes: 0 ok; 1 findings, failed checks or "would change"; 2 usage error or unreadable input;
3 internal error (a bug: please report it); 130 interrupted.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import List, Optional

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
}


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


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="report format (default: github inside GitHub Actions, else text)")


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


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help at a fixed width unless COLUMNS says otherwise: argparse's default asks the terminal,
    which imports shutil (and with it bz2 and lzma) on every run, help or not."""

    def __init__(self, prog: str) -> None:
        columns = os.environ.get("COLUMNS", "")
        super().__init__(prog, width=int(columns) - 2 if columns.isdigit() and int(columns) > 40
                         else 98)


def _validate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="mtad.yaml, mta.yaml, an .mtar, or - for standard input")
    _add_extensions(p)
    _add_format(p)
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    _add_platform(p)


def _expand_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="mtad.yaml or an .mtar")
    _add_extensions(p)
    p.add_argument("-o", "--output", dest="outdir", required=True, metavar="OUTDIR",
                   help="folder for the outputs (created if missing)")
    p.add_argument("--host", default=os.environ.get("MTA_SFSF_HOST"),
                   help="Neo region host, e.g. eu2.hana.ondemand.com (env MTA_SFSF_HOST)")
    p.add_argument("--account", default=os.environ.get("MTA_SFSF_ACCOUNT"), metavar="SUBACCOUNT",
                   help="Neo subaccount technical name (env MTA_SFSF_ACCOUNT)")
    p.add_argument("--mode", choices=("deployer", "runbook"), default="deployer",
                   help="deployer: the Neo deployer performs the OAuth client and outbound "
                        "configuration; runbook: an operator performs every step")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if OUTDIR differs from what would be written")
    p.add_argument("--diff", action="store_true",
                   help="print a unified diff of the deployable descriptor")
    p.add_argument("--templates", metavar="DIR",
                   help="folder whose templates override the shipped ones, by name")
    _add_format(p)
    p.add_argument("--strict", action="store_true", help="warnings stop the expansion too")
    _add_platform(p)


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
    _add_format(p)


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


# Subcommand -> (one-line help, the function that adds its arguments).
SUBCOMMANDS = {
    "validate": ("report every problem in descriptors, with file:line:col", _validate_arguments),
    "expand": ("write the deployable descriptor, plan.json and RUNBOOK.md", _expand_arguments),
    "verify": ("check the plan's wiring against the live endpoints", _verify_arguments),
    "simulate-event": ("do what the SuccessFactors integration would do", _simulate_arguments),
    "sandbox": ("a local stand-in for a Neo subaccount's OAuth service", _sandbox_arguments),
}


def build_parser(only: Optional[str] = None) -> argparse.ArgumentParser:
    """The whole parser, or (``only``) one whose other subcommands carry just their name and help:
    a run builds the options of the command it runs and no other."""
    parser = argparse.ArgumentParser(
        prog="mta-sfsf", formatter_class=_Formatter,
        description="Validate and expand SAP BTP Neo MTA descriptors for SuccessFactors "
                    "outbound OAuth connections.")
    parser.add_argument("--version", action="version", version=f"mta-sfsf {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (summary, add_arguments) in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                           formatter_class=_Formatter)
        if only is None or only == name:
            add_arguments(p)
    return parser


def _field_names(options_class) -> tuple:
    """Options are NamedTuples where start-up matters (validate), dataclasses elsewhere."""
    if hasattr(options_class, "_fields"):
        return options_class._fields
    import dataclasses

    return tuple(f.name for f in dataclasses.fields(options_class))


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    module_name, class_name, function_name = COMMANDS[args.command]
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
