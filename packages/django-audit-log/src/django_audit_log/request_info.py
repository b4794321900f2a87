"""What a request tells about its origin: client IP (proxy-aware), user agent, request id."""

from __future__ import annotations

import functools
import ipaddress
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django_audit_log import conf

_IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+=/-]{1,128}")
USER_AGENT_MAX = 512


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[_IPNetwork, ...]:
    # Invalid entries are reported by the system check audit_log.E001 and ignored here.
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return tuple(networks)


def trusted_networks() -> tuple[_IPNetwork, ...]:
    return _networks(tuple(str(entry) for entry in conf.get("AUDIT_LOG_TRUSTED_PROXIES")))


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(ip: Any, networks: Iterable[_IPNetwork]) -> bool:
    return any(ip.version == network.version and ip in network for network in networks)


def client_ip(meta: dict[str, Any]) -> str | None:
    """The client's IP address.

    ``REMOTE_ADDR`` is the peer that opened the connection, the only address nobody can forge.
    ``X-Forwarded-For`` is read only when that peer is a trusted proxy, from right to left: each
    trusted proxy vouches for the hop before it, and the first hop that is not a trusted proxy
    is the client. Anything left of it was written by the client and is not believed.
    """
    remote = _parse_ip(meta.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(remote, networks):
        return str(remote)
    hops = [hop for hop in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        ip = _parse_ip(hop)
        if ip is None:  # garbage: nobody trusted vouches for what lies to the left
            break
        client = ip
        if not _trusted(ip, networks):
            break
    return str(client)


def request_id_of(meta: dict[str, Any]) -> str:
    """The caller's request id when it is a sane token, otherwise a newly generated one."""
    header = conf.get("AUDIT_LOG_REQUEST_ID_HEADER")
    given = meta.get("HTTP_" + header.upper().replace("-", "_"), "")
    if isinstance(given, str) and _SANE_REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def user_agent_of(meta: dict[str, Any]) -> str:
    return str(meta.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX]
