"""Misspelt deployer parameters (every profile but Neo's).

The MTA deployer ignores parameters it does not know, so ``memroy: 512M`` deploys the module with
the default memory and nobody is told. A parameter of a module, resource or required dependency
whose name is one slip away from a parameter the Cloud Foundry and XSA deployer supports is an
error naming the parameter it most likely meant (S011): the same letters in another case or with
``_`` for ``-`` (``config_path``), or, for names of six letters or more, one letter wrong, missing,
added or two swapped (``memroy``, ``disk-qouta``), but not a plural beside a singular. Anything else the deployer does not know is the
module type's business and is not reported, nor is a name the descriptor uses as a
``${placeholder}`` (the user's own parameter). Neo descriptors are checked against SAP's Neo
parameter tables instead (N008).
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from ..diagnostics import declare
from ..descriptor.tree import YMap
from .common import indexed_maps

CODES = declare({
    "S011": ("error", "a parameter one slip away from a deployer parameter, which the deployer "
                      "would silently ignore"),
})

# The parameters of the MTA deployer for Cloud Foundry and XSA (cloudfoundry/multiapps-controller,
# SupportedParameters): modules, resources and required dependencies.
DEPLOYER_PARAMETERS = frozenset("""
app-name domain domains default-host host hosts default-port port ports keep-existing-routes route
routes idle-routes tcp tcps command buildpack buildpacks stack health-check-timeout
health-check-type health-check-http-endpoint health-check-invocation-timeout
readiness-health-check-type readiness-health-check-http-endpoint
readiness-health-check-invocation-timeout readiness-health-check-interval upload-timeout
disk-quota memory instances enable-ssh no-hostname no-route route-path idle-port idle-domain
idle-host idle-ports idle-domains idle-hosts create-user-provided-service
user-provided-service-name user-provided-service-config dependency-type tasks
restart-on-env-change vcap-application vcap-services user-provided docker execute-app
success-marker failure-marker stop-app no-start check-deploy-id register-service-url service-name
service-url create-service-broker service-broker-name service-broker-user
service-broker-password service-broker-url service-broker-space-scoped config config-path
managed env-var-name service service-plan service-alternatives service-provider service-version
service-tags service-keys service-key service-key-name default-container-name default-xsappname type
ignore-update-errors skip-service-updates fail-on-service-update provider-nid version provider-id
target filter visibility mta-version mta-id mta-module mta-provides-dependency shared
syslog-drain-url app-features stage-timeout start-timeout task-execution-timeout
""".split())

_MIN_FUZZY = 6  # shorter names have too many honest neighbours (port2, hosts)


def check(ctx) -> None:
    if ctx.platform == "neo":
        return
    used = _placeholders(ctx.descriptor.main.text)
    for section in ("modules", "resources"):
        for index, element in indexed_maps(ctx.data.get(section)):
            owner = (section, index)
            label = ctx.element(owner)
            _check_parameters(ctx, element, owner, label, used)
            for req_index, requirement in indexed_maps(element.get("requires")):
                _check_parameters(ctx, requirement, owner + ("requires", req_index),
                                  f"{label}, required dependency \"{requirement.get('name')}\"",
                                  used)


def _check_parameters(ctx, element: YMap, path: tuple, label: str, used: set) -> None:
    parameters = element.get("parameters")
    if not isinstance(parameters, YMap):
        return
    for key in parameters:
        if key in DEPLOYER_PARAMETERS or key in used or not isinstance(key, str):
            continue
        meant = meant_parameter(key, DEPLOYER_PARAMETERS)
        if meant:
            ctx.report("S011", parameters, key, f"{label}: unknown parameter \"{key}\": the "
                       f"deployer ignores it, so \"{meant}\" keeps its default",
                       path + ("parameters", key), hint=f"did you mean \"{meant}\"?", at_key=True)


def meant_parameter(name: str, known: Iterable[str]) -> Optional[str]:
    """The known name that ``name`` is one slip away from, if exactly one is."""
    folded = name.lower().replace("_", "-")
    if folded != name and folded in known:
        return folded
    if len(name) < _MIN_FUZZY:
        return None
    # A plural beside a singular (service-key, service-keys) is another parameter, not a slip.
    near = sorted(k for k in known if one_slip(folded, k) and not _plural_pair(folded, k))
    return near[0] if len(near) == 1 else None


def _plural_pair(a: str, b: str) -> bool:
    return a == b + "s" or b == a + "s"


def one_slip(a: str, b: str) -> bool:
    """One letter wrong, missing or added, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1:]


def _placeholders(text: str) -> set:
    """The names the descriptor uses as ``${name}``: parameters of the user's own."""
    return set(_PLACEHOLDER.findall(text))


_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
