"""What RUNBOOK.md is made from: the context its template sees, the Markdown-safe ways a value
is printed (the ``|md``, ``|code`` and ``|shell`` filters, see ``render``), and the digest that
tells whether a runbook rendered earlier is still the one expand would render now.

Nothing here needs Jinja2: an up-to-date runbook is not rendered again, and then ``expand`` never
imports it (its import costs about as much as all of ``validate``).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import sys
from typing import List, Optional

from .. import __version__

# Where the shipped templates are: inside the installed package, or beside it in a checkout.
_HERE = os.path.dirname(os.path.abspath(__file__))
_TEMPLATE_FOLDERS = (os.path.join(os.path.dirname(_HERE), "templates"),
                     os.path.join(os.path.dirname(os.path.dirname(_HERE)), "templates"))
# The code a runbook's text depends on besides the templates: this module (context, filters),
# render.py (the Jinja2 options), the SAP pages it links, the landscape rules its commands use.
_RENDERING_CODE = ("runbook.py", "render.py", "sap_pages.py", "landscape.py")


def shipped_templates() -> Optional[str]:
    """The folder of the shipped templates, or None when they are not files (a zipped install)."""
    for folder in _TEMPLATE_FOLDERS:
        if os.path.isfile(os.path.join(folder, "RUNBOOK.md.j2")):
            return folder
    return None


def rendering_digest(plan: dict, invocation: dict) -> Optional[str]:
    """A SHA-256 of everything the runbook of ``plan`` is rendered from with the shipped
    templates: the plan, how expand was called, the templates, the rendering code, the installed
    Jinja2 and the Python version. Two renderings with one digest are byte for byte the same;
    None when a source cannot be read (then the runbook is always rendered)."""
    from importlib.machinery import PathFinder

    folder = shipped_templates()
    jinja2 = PathFinder.find_spec("jinja2")
    if folder is None or jinja2 is None or not jinja2.origin:
        return None
    digest = hashlib.sha256(json.dumps([__version__, sys.version, plan, invocation],
                                       sort_keys=True, ensure_ascii=True).encode("ascii"))
    try:
        sources = [os.path.join(folder, name) for name in sorted(os.listdir(folder))
                   if name.endswith(".j2")]
        for path in [*sources, *(os.path.join(_HERE, name) for name in _RENDERING_CODE),
                     jinja2.origin]:
            with open(path, "rb") as handle:
                data = handle.read()
            digest.update(f"{os.path.basename(path)} {len(data)}\n".encode() + data)
    except OSError:
        return None
    return digest.hexdigest()


_OUTPUT_LABELS = {"client_id": "ID", "client_secret": "Secret",
                  "configuration_name": "Configuration Name", "certificate": "certificate file",
                  "name": "Name", "integration_name": "Name", "rest_api_url": "REST API URL"}


# Line breaks (every kind Python's splitlines knows, which covers CommonMark's) become a space;
# other C0/C1 controls, DEL and bidirectional overrides become visible escapes, so neither a
# renderer nor a terminal showing the file acts on them.
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(32), *range(0x7F, 0xA0)] if c != 0x09}
_CONTROLS.update({c: f"\\u{c:04x}" for c in [0x200E, 0x200F, *range(0x202A, 0x202F),
                                               *range(0x2066, 0x206A)]})
_CONTROLS[0x09] = " "
# Inline metacharacters. A value is never at the start of a line (templates print it after some
# text, and line breaks are gone), so block markers such as "1.", "-" or ">" need no escape; "#"
# does, as a heading's closing sequence; "<" covers HTML and autolinks, "[" links and images.
_MARKDOWN = re.compile(r"([\\`*_\[\]<#|~&])")


def md_one_line(value: object) -> str:
    """``value`` as text on one line for Markdown: line breaks become one space (an escape such as
    ``\\n`` would print literally), other control characters a visible ``\\xNN``."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return _LINE_BREAKS.sub(" ", text).translate(_CONTROLS)


def md_inline(value: object) -> str:
    """Running Markdown text showing ``value`` literally."""
    return _MARKDOWN.sub(r"\\\1", md_one_line(value))


def code(value: object, cell: bool = False) -> str:
    """A code span showing ``value`` literally, whatever backticks it holds."""
    text = md_one_line(value)
    if cell:
        text = text.replace("|", "\\|")
    if not text.strip():
        return "*(empty)*" if not text else f"`{text}`"
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space from each end when both have one; pad when an end is a space
    # or a backtick, so the value's own first and last characters survive.
    pad = " " if text[0] in " `" or text[-1] in " `" else ""
    return f"{fence}{pad}{text}{pad}{fence}"



def runbook_context(plan: dict, invocation: Optional[dict] = None) -> dict:
    """What RUNBOOK.md.j2 sees: the plan, step numbers, SAP's pages, the mta-sfsf commands that
    check this plan (complete, as run from where expand ran), and ``show`` for one field value.

    ``invocation``: ``plan`` (the plan file's path), ``deployable`` (the deployable descriptor's)
    and ``extensions`` (the ``-e`` files), as expand was given them.
    """
    from .sap_pages import all_pages

    invocation = invocation or {}
    plan_path = invocation.get("plan", "plan.json")
    extensions = list(invocation.get("extensions", []))
    numbers = {step["id"]: n for n, step in enumerate(plan["steps"], 1)}
    titles = {step["id"]: step["title"] for step in plan["steps"]}

    def show(field: dict, brief: bool = False, cell: bool = False) -> str:
        """One field's value as Markdown; ``cell`` when it goes into a table cell."""
        def c(value: object) -> str:
            return code(value, cell)

        if "value" in field:
            out = c(field["value"])
            if brief:
                return out
            if field.get("derived"):
                how = md_inline(field["derived"])  # an inference says so itself
                return out + (f" ({how})" if how.startswith("inferred") else
                              f" (derived: {how})")
            if field.get("sap"):
                return out + f" (SAP's *{md_inline(field['sap'])}*)"
            return out
        if "from" in field:
            source = field["from"]
            label = _OUTPUT_LABELS.get(source["output"], source["output"])
            return (f"the *{md_inline(label)}* from step {numbers.get(source['step'], '?')} "
                    f"({md_inline(titles.get(source['step'], source['step']))})")
        if "secret" in field:
            return secret_source(field["secret"], cell)
        if "placeholder" in field:
            if brief:
                return f"**{c(field['placeholder'])}**"
            reason = md_inline(field.get("reason", ""))
            return f"**{c(field['placeholder'])}**: {reason}".rstrip(": ")
        return c(json.dumps(field))

    integration_names = [i for c in plan["connections"] for i in c["integrations"]]
    connections = []
    for connection in plan["connections"]:
        steps = [dict(s, number=numbers[s["id"]]) for s in plan["steps"]
                 if s["connection"] == connection["name"]]
        connections.append(dict(connection, step_list=steps, **_commands(
            connection, steps, plan["landscape"], plan_path, extensions, integration_names)))
    deployable = invocation.get("deployable", "mtad.yaml")
    return {"plan": plan, "connections": connections, "show": show, "numbers": numbers,
            "pages": all_pages(), "deployable": deployable,
            "archive": deployable.lower().endswith(".mtar"), "extensions": extensions,
            "validate_command": shell_command("mta-sfsf", "validate", deployable,
                                              *_extension_args(extensions)),
            "deployer_connections": [c for c in connections
                                     if c["performed_by"] == "neo-deployer"],
            "operator_connections": [c for c in connections if c["performed_by"] == "operator"]}


def shell_command(*words: str) -> str:
    """A command line with every word POSIX-quoted, on one line (it is printed in a code block,
    which a line break could end)."""
    return md_one_line(" ".join(shlex.quote(str(word)) for word in words))


def _extension_args(extensions: List[str]) -> List[str]:
    return [part for path in extensions for part in ("-e", path)]


def _commands(connection: dict, steps: List[dict], landscape: dict, plan_path: str,
              extensions: List[str], integration_names: List[str]) -> dict:
    """The mta-sfsf commands that check one connection, and only those that can work for its
    type and who performs it (a command that can only answer "not checkable" is left out):

    - ``verify`` when something of it is checkable: a client-credentials client an operator
      registered (token request), or an integration (its REST API URL must refuse a request
      without a token);
    - ``simulate-event`` per integration of a client-credentials connection an operator set up
      (a SAML token needs a user assertion; the deployer's client secret is in nobody's files).

    A command is left out, too, when a URL it needs is a placeholder, or when the token URL is
    not the plan's subaccount's (verify sends no secret there). ``env`` lists the variables the
    commands read that the runbook cannot fill in.
    """
    from .landscape import token_url_mismatch

    secret = connection["client_secret"].get("secret", {})
    extension_args = _extension_args(extensions) if secret.get("locator") else []
    client_credentials = connection["type"] == "OAuth2ClientCredentials"
    by_operator = connection["performed_by"] == "operator"
    token = connection["token_url"].get("value")
    token_usable = isinstance(token, str) and not token_url_mismatch(
        token, landscape.get("host"), landscape.get("account"))
    rest_known = {s["fields"]["Name"]["value"]: "value" in s["fields"]["REST API URL"]
                  for s in steps if s["kind"] == "sfsf-integration"}
    checks_client = client_credentials and by_operator and token_usable
    blocked = client_credentials and by_operator and not token_usable
    env = []
    if checks_client:
        if "placeholder" in connection["client_id"]:
            env.append(connection["client_id"].get("env"))
        if not extension_args:
            env.append(secret.get("env"))
    verify = None
    if (checks_client or rest_known) and not blocked and all(rest_known.values()):
        verify = shell_command("mta-sfsf", "verify", plan_path, *extension_args,
                               "--connection", connection["name"])
    simulate = {}
    if checks_client:
        for name in (n for n in connection["integrations"] if rest_known.get(n)):
            wanted = name if integration_names.count(name) == 1 else \
                f"{connection['name']}/{name}"
            simulate[name] = shell_command("mta-sfsf", "simulate-event", plan_path,
                                           "--integration", wanted, *extension_args)
    gap = ""
    if blocked and isinstance(token, str):
        gap = ("`mta-sfsf verify` sends the client secret only to the token endpoint of the "
               "plan's subaccount, which this token URL is not (warning P009)")
    elif blocked or not all(rest_known.values()):
        gap = ("`mta-sfsf verify` can check this once the plan knows the token URL and the REST "
               "API URLs: expand again with `--host` and `--account`")
    return {"verify_command": verify, "simulate_commands": simulate,
            "command_env": [e for e in env if e], "checks_client": checks_client,
            "command_gap": gap}


def secret_source(secret: dict, cell: bool = False) -> str:
    """Where a secret's value comes from, in words: never a value to type."""
    env = code(secret.get("env"), cell)
    if secret.get("generated_by") == "neo-deployer":
        return (f"set by the Neo deployer (inferred: SAP does not document who sets it, nor any "
                f"way to read it); never written here; if you know it, keep it in {env}")
    if secret.get("generated_by") == "operator":
        return f"a password of your choice, never written here; keep it in {env} for `mta-sfsf verify`"
    where = "the value your extension descriptor gives"
    if secret.get("locator"):
        where += " " + _locator_words(secret["locator"], cell)
    else:
        where += f" the descriptor's {code(secret.get('reference'), cell)}"
    return where + f" (or the environment variable {env}); never written here"


def _locator_words(locator: list, cell: bool = False) -> str:
    """``["resources", {"name": "r"}, "properties", "p"]`` as "property `p` of resource `r`"."""
    names = [part.get("name") if isinstance(part, dict) else part for part in locator]
    if len(names) == 4 and names[0] == "resources":
        return f"to property {code(names[3], cell)} of resource {code(names[1], cell)}"
    if len(names) == 6 and names[2] == "provides":
        return (f"to property {code(names[5], cell)} that module {code(names[1], cell)} "
                f"provides as {code(names[3], cell)}")
    if len(names) == 4 and names[0] == "modules":
        return f"to parameter {code(names[3], cell)} of module {code(names[1], cell)}"
    if len(names) == 2 and names[0] == "parameters":
        return f"to the global parameter {code(names[1], cell)}"
    return f"at {code(_locator_text(locator), cell)}"


def _locator_text(locator: list) -> str:
    out = ""
    for part in locator:
        if isinstance(part, dict):
            out += f"[name={part.get('name')}]"
        else:
            out += f".{part}" if out else str(part)
    return out
