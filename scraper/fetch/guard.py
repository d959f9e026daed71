"""Refuse URLs we must not contact: odd schemes, credentials, private addresses.

The fetcher calls ``check_url`` on every hop, so a public page cannot redirect
us into the local network. Hosts are read with ``httpx.URL``, the same parser
the client uses, so the guard and the connection agree on the host.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from urllib.parse import unquote

import httpx

from scraper.errors import BlockedAddressError, ConfigError, PermanentFetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str], Iterable[str]]
"""Maps a host name to the addresses it resolves to (strings)."""

ALLOWED_SCHEMES = frozenset({"http", "https"})
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOCALHOST_ADDRESSES = (ipaddress.IPv4Address("127.0.0.1"), ipaddress.IPv6Address("::1"))


def check_url(
    url: str | httpx.URL, allow_private: Sequence[str] = (), *, resolve: Resolver | None = None
) -> None:
    """Raise unless ``url`` (text, or parsed by httpx) is an http(s) URL we may contact.

    ``PermanentFetchError`` for a bad scheme, a missing host, credentials in the
    URL or an invalid port; ``BlockedAddressError`` for a host that is (or, with
    ``resolve``, resolves to) a non-public address outside ``allow_private``.
    """
    if isinstance(url, httpx.URL):  # parsed already by the caller
        parsed, url = url, str(url)
    else:
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise PermanentFetchError(f"invalid URL: {exc}", url=url) from exc
    if parsed.scheme not in ALLOWED_SCHEMES:
        shown = parsed.scheme or "none"
        raise PermanentFetchError(f"unsupported URL scheme {shown!r}", url=url)
    host = parsed.host.rstrip(".").lower()
    if not host:
        raise PermanentFetchError("URL has no host", url=url)
    if parsed.userinfo:
        raise PermanentFetchError("URL contains credentials", url=url)
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise PermanentFetchError(f"invalid port {parsed.port}", url=url)

    allowed = _networks(tuple(allow_private))
    if host == "localhost" or host.endswith(".localhost"):
        if not any(_in_networks(addr, allowed) for addr in _LOCALHOST_ADDRESSES):
            raise BlockedAddressError(f"refusing to fetch local host {host}", url=url)
        return
    literal = parse_ip_literal(host, url=url)
    if literal is not None:
        _check_address(literal, allowed, url=url, host=host)
        return
    if resolve is not None:
        for text in resolve(host):
            address = parse_ip_literal(text, url=url)
            if address is None:
                raise BlockedAddressError(f"{host} resolved to non-address {text!r}", url=url)
            _check_address(address, allowed, url=url, host=host)


def parse_ip_literal(host: str, *, url: str | None = None) -> IPAddress | None:
    """The address a host string denotes as a literal, or None for a host name.

    Accepts the forms the C resolver accepts too: ``127.1``, ``0x7f.0.0.1``,
    ``0177.0.0.1``, ``2130706433`` and IPv6 with a zone id.
    """
    if ":" in host:
        text = unquote(host.strip("[]")).split("%", 1)[0]
        try:
            return ipaddress.IPv6Address(text)
        except ValueError as exc:
            raise PermanentFetchError(f"invalid IPv6 address {host!r}", url=url) from exc
    return _parse_ipv4(host, url=url)


def _parse_ipv4(host: str, *, url: str | None) -> ipaddress.IPv4Address | None:
    """WHATWG-style IPv4 parsing: 1-4 dot-separated decimal, octal or hex numbers."""
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts.pop()
    numbers = [_ipv4_number(part) for part in parts]
    if not numbers or numbers[-1] is None:
        return None  # does not end in a number: a host name
    if len(numbers) > 4 or any(n is None for n in numbers):
        raise PermanentFetchError(f"invalid IPv4 address {host!r}", url=url)
    values = [n for n in numbers if n is not None]
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        raise PermanentFetchError(f"invalid IPv4 address {host!r}", url=url)
    total = last
    for index, value in enumerate(head):
        total += value << (8 * (3 - index))
    return ipaddress.IPv4Address(total)


def _ipv4_number(part: str) -> int | None:
    if part[:2].lower() == "0x":
        digits, base = part[2:] or "0", 16
    elif len(part) > 1 and part.startswith("0"):
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    if not digits or not all(c in "0123456789abcdef"[:base] for c in digits.lower()):
        return None
    return int(digits, base)


@lru_cache(maxsize=1024)  # asked for every request to a literal address; the answer never changes
def is_public(address: IPAddress) -> bool:
    """True for a globally routable unicast address (embedded IPv4 is checked too)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not is_public(embedded):
            return False
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def check_address(
    address: IPAddress, allow_private: Sequence[str] = (), *, host: str, url: str | None = None
) -> None:
    """Raise ``BlockedAddressError`` unless ``address`` is public or inside ``allow_private``."""
    _check_address(address, _networks(tuple(allow_private)), url=url, host=host)


def _check_address(
    address: IPAddress, allowed: tuple[IPNetwork, ...], *, url: str | None, host: str
) -> None:
    if is_public(address) or _in_networks(address, allowed):
        return
    where = host if host == str(address) else f"{host} ({address})"
    raise BlockedAddressError(f"refusing to fetch non-public address {where}", url=url)


def _in_networks(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    candidates: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        candidates.append(address.ipv4_mapped)
    return any(c.version == n.version and c in n for c in candidates for n in networks)


@lru_cache(maxsize=32)
def _networks(specs: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    try:
        return tuple(ipaddress.ip_network(spec, strict=False) for spec in specs)
    except ValueError as exc:
        raise ConfigError(f"allow_private: {exc}") from exc
