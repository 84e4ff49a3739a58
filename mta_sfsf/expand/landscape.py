"""Neo regions and hosts, and the URLs the tool derives from a host and a subaccount.

Hosts come from SAP's "Regions and Hosts Available for the Neo Environment". The URL forms:

- token endpoint: ``https://oauthasservices-<subaccount>.<host>/oauth2/api/v1/token``, the form the
  cockpit shows under Security > OAuth > Branding > OAuth URLs (inferred from SAP's screenshot; a
  connection's ``token-url`` overrides it);
- Java application URL: ``https://<application><subaccount>.<host>``, the form of the ``urls`` and
  ``accessPoints`` in SAP's Java ALM API examples (``https://myappmysubaccount.hana.ondemand.com``).
"""
from __future__ import annotations

import re
from typing import Dict, Optional

from ..errors import UsageError

# host -> (technical key, region)
NEO_HOSTS: Dict[str, tuple] = {
    "hana.ondemand.com": ("neo-eu1", "Europe (Rot)"),
    "eu1.hana.ondemand.com": ("neo-eu1", "Europe (Rot)"),
    "eu2.hana.ondemand.com": ("neo-eu2", "Europe (Frankfurt)"),
    "eu3.hana.ondemand.com": ("neo-eu3", "Europe (Amsterdam)"),
    "us1.hana.ondemand.com": ("neo-us1", "US East (Ashburn)"),
    "us2.hana.ondemand.com": ("neo-us2", "US West (Chandler)"),
    "us3.hana.ondemand.com": ("neo-us3", "US East (Sterling)"),
    "us4.hana.ondemand.com": ("neo-us4", "US West (Colorado Springs)"),
    "ap1.hana.ondemand.com": ("neo-ap1", "Australia (Sydney)"),
    "br1.hana.ondemand.com": ("neo-br1", "Brazil (São Paulo)"),
    "ca1.hana.ondemand.com": ("neo-ca1", "Canada (Toronto)"),
    "jp1.hana.ondemand.com": ("neo-jp1", "Japan (Tokyo)"),
    "sa1.hana.ondemand.com": ("neo-sa1", "Kingdom of Saudi Arabia (Riyadh)"),
    "ae1.hana.ondemand.com": ("neo-ae1", "UAE (Dubai)"),
    "cn1.platform.sapcloud.cn": ("neo-cn1", "China (Shanghai)"),
}

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")
# Neo subaccount technical names: letters and digits, starting with a letter (at most 30).
_ACCOUNT = re.compile(r"^[a-z][a-z0-9]{0,29}$")


def normalize_host(host: Optional[str]) -> Optional[str]:
    """A host as given on the command line, lower-cased; a malformed one is a usage error.

    ``https://eu2.hana.ondemand.com/`` is accepted (a common paste) and reduced to its host.
    """
    if host is None or not host.strip():
        return None
    value = host.strip().lower()
    value = re.sub(r"^https?://", "", value).rstrip("/")
    if not _HOST.match(value):
        raise UsageError(f"--host {host!r} is not a host name; give a Neo region host such as "
                         "eu2.hana.ondemand.com")
    return value


def is_known_host(host: str) -> bool:
    return host in NEO_HOSTS


def normalize_account(account: Optional[str]) -> Optional[str]:
    """A subaccount technical name; anything that cannot be one is a usage error."""
    if account is None or not account.strip():
        return None
    value = account.strip()
    if not _ACCOUNT.match(value.lower()):
        raise UsageError(f"--account {account!r} is not a Neo subaccount technical name (letters "
                         "and digits, starting with a letter, at most 30 characters)")
    return value.lower()


def token_url(host: str, account: str) -> str:
    return f"https://oauthasservices-{account}.{host}/oauth2/api/v1/token"


def app_url(application: str, host: str, account: str) -> str:
    return f"https://{application.lower()}{account}.{host}"


def cockpit_url(host: str) -> Optional[str]:
    """The cockpit SAP's "Regions and Hosts" page links for a region host (Europe (Rot), both
    ``hana.ondemand.com`` and ``eu1.hana.ondemand.com``: ``https://account.hana.ondemand.com``);
    None for a host that page does not list."""
    if host not in NEO_HOSTS:
        return None
    if NEO_HOSTS[host][0] == "neo-eu1":
        return "https://account.hana.ondemand.com/cockpit"
    return f"https://account.{host}/cockpit"


def token_url_mismatch(url: str, host: Optional[str], account: Optional[str]) -> Optional[str]:
    """What a connection's ``token-url`` names when it is not the token endpoint of ``--account``
    on ``--host`` (``oauthasservices-<account>.<host>``), or None when it matches (or cannot be
    compared)."""
    match = re.match(r"^[a-z][a-z0-9+.-]*://([^/?#:@]+)", url.strip().lower())
    if not match or not (host or account):
        return None
    name = match.group(1)
    label, _, rest = name.partition(".")
    subaccount = label[len("oauthasservices-"):] if label.startswith("oauthasservices-") else ""
    if not subaccount:
        return f"host {name}, not an oauthasservices-<subaccount> token endpoint"
    if host and rest != host:
        return f"subaccount {subaccount} on {rest}, not --host {host}"
    if account and subaccount != account:
        return f"subaccount {subaccount}, not --account {account}"
    return None
