"""Literal secrets in the deployment descriptor, on every platform. SAP's Neo documentation: "Any
sensitive data should be placed within the MTA extension descriptor".

A non-empty literal text of a password-, secret-, token- or key-like parameter or property in the
deployment descriptor (not in an ``.mtaext``) is reported (N020), and so is every literal inside a
list or map under such a name (``tokens: [...]``, ``password: {value: ...}``), and every value
tagged ``!sensitive`` (the v3 format's secret marker, read as a string: multiapps-common
``tags/YamlTaggedObjectsConstructor.SecureConstruct.construct``), whatever its name; each is
reported where it is written; the message never shows the value (nor does any other finding: the
text of a ``!sensitive`` value is hidden in every message), and a literal that an extension
descriptor overrides is still reported: it still sits in the file. In the Neo profile N020 is an
error; elsewhere it is a warning, since the Cloud Foundry and XSA deployer accepts a literal
password and SAP's words are "should". A number or a boolean is never a secret
(``MAX_TOKENS: 4096``). A name is sensitive when its last word (words split at
``-``, ``_``, ``.`` and camelCase) ends with ``password``, ``passwd``, ``pwd``, ``passphrase``,
``secret``, ``token``, ``apikey``, ``privatekey``, ``secretkey`` or ``accesskey``, or its last two
words are ``<q> key`` with ``q`` one of api, private, secret, access, client, signing, encryption,
master, shared, account, subscription; a plural (``tokens``, ``api-keys``) counts too. So
``public-key``, ``key``, ``key-store``, ``token-url`` and ``password-policy`` are not. References
(``${...}``, ``~{...}``) and ``<placeholders>`` are fine; the ``sfsf-outbound-connections`` subtree
is the outbound rules' (F013).
"""
from __future__ import annotations

from typing import Any, Set

from ..diagnostics import declare, format_path
from ..descriptor.sensitive import is_sensitive_name
from ..descriptor.yaml_io import Sensitive
from ..descriptor.tree import YMap, YSeq, value_loc

CODES = declare({
    "N020": ("error", "a literal password, secret, token or key in the deployment descriptor"),
})

SENSITIVE_HINT = ("Any sensitive data should be placed within the MTA extension descriptor: leave "
                  "the value empty here and set it in an .mtaext, or use a reference such as "
                  "~{resource/property}")

def _is_literal(value: Any) -> bool:
    if not isinstance(value, str):
        return False  # a number or a boolean is a setting, not a credential
    text = value.strip()
    if not text or "${" in text or "~{" in text:
        return False
    return not (text.startswith("<") and text.endswith(">"))  # a template's <placeholder>


def check(ctx) -> None:
    """Walk the deployment descriptor as written, not the merged view: a literal that an
    extension overrides still sits in the file (and in version control)."""
    main = ctx.descriptor.main
    if main.kind == "mtaext" or not isinstance(main.data, YMap):
        return  # an extension descriptor is where such values belong
    seen: Set[int] = set()
    stack = [(main.data, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, YMap):
            for key, value in node.items():
                if isinstance(value, (YMap, YSeq)):
                    if isinstance(key, str) and is_sensitive_name(key):
                        _report_nested_secrets(ctx, key, value, path + (key,), main.file)
                    elif key != "sfsf-outbound-connections":
                        stack.append((value, path + (key,)))
                elif (type(value) is Sensitive or isinstance(key, str)
                      and is_sensitive_name(key)) and _is_literal(value) \
                        and value_loc(node, key).file == main.file:
                    _report(ctx, node, key, f"\"{key}\" has a literal value in the deployment "
                            "descriptor" + _TAGGED * (type(value) is Sensitive), path + (key,))
        elif isinstance(node, YSeq):
            for index, item in enumerate(node):
                if isinstance(item, (YMap, YSeq)):
                    stack.append((item, path + (index,)))
                elif type(item) is Sensitive and _is_literal(item) \
                        and value_loc(node, index).file == main.file:
                    _report(ctx, node, index, "a value tagged !sensitive is written in the "
                            "deployment descriptor", path + (index,))


def _report_nested_secrets(ctx, name: str, top: Any, top_path: tuple, file: str) -> None:
    """Every literal inside the list or map under the secret-like ``name``, where it is written
    (its own walk: an aliased node seen elsewhere under a harmless name still counts here)."""
    seen: Set[int] = set()
    stack = [(top, top_path)]
    while stack:  # iterative: the nesting depth is the author's
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        entries = node.items() if isinstance(node, YMap) else enumerate(node)
        for key, value in entries:
            if isinstance(value, (YMap, YSeq)):
                stack.append((value, path + (key,)))
            elif _is_literal(value) and value_loc(node, key).file == file:
                inside = format_path(path[len(top_path) - 1:] + (key,))
                _report(ctx, node, key, f"\"{name}\" has a literal value in the deployment "
                        f"descriptor (at {inside})", path + (key,))


_TAGGED = " (tagged !sensitive)"


def _report(ctx, container: Any, key: Any, message: str, path: tuple) -> None:
    """N020, with the message led by the element (``module "app": ...``): an error in the Neo
    profile, a warning elsewhere."""
    ctx.report("N020", container, key, ctx.named(path, message), path, hint=SENSITIVE_HINT,
               severity="error" if ctx.platform == "neo" else "warning")
