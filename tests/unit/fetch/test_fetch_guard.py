"""The address guard: which URLs we refuse to contact, and why."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from scraper.errors import BlockedAddressError, ConfigError, PermanentFetchError
from scraper.fetch import check_url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1/",  # short form the C resolver expands to 127.0.0.1
        "http://0x7f.0.0.1/",  # hex octet
        "http://0177.1/",  # octal
        "http://2130706433/",  # one 32-bit number
        "http://0x7f000001/",
        "http://127.0.0.1./",  # trailing dot
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
        "http://[::ffff:7f00:1]/",
        "http://[64:ff9b::a00:1]/",  # NAT64 around 10.0.0.1
        "http://[2002:c0a8:101::]/",  # 6to4 around 192.168.1.1
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1:8080/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
        "http://[fe80::1%25eth0]/",  # link-local with zone id
        "http://[fc00::1]/",  # unique local
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://0.0.0.0/",
        "http://0/",
        "http://[::]/",
        "http://224.0.0.1/",  # multicast
        "http://[ff02::1]/",
        "http://240.0.0.1/",  # reserved
        "http://255.255.255.255/",
        "http://localhost/",
        "http://LOCALHOST./",
        "http://api.localhost:3000/",
    ],
)
def test_non_public_hosts_are_blocked(url: str) -> None:
    with pytest.raises(BlockedAddressError) as info:
        check_url(url, [])
    assert info.value.url == url
    assert info.value.reason == "blocked_address"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/news/1",
        "http://93.184.216.34/",
        "http://[2606:2800:220:1:248:1893:25c8:1946]/",
        "https://xn--bcher-kva.de/",
        "https://bücher.de/",
        "http://example.org:8080/x?y=1#z",
        "http://1e100.net/",  # looks numeric at the start, but is a name
    ],
)
def test_public_hosts_pass(url: str) -> None:
    check_url(url, [])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "scheme 'file'"),
        ("ftp://example.org/x", "scheme 'ftp'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("example.org/news", "scheme 'none'"),
        ("http:///path-only", "no host"),
        ("https://user:secret@example.org/", "credentials"),
        ("https://token@example.org/", "credentials"),
        ("http://example.org:99999/", "invalid port"),
        ("http://[::1/", "invalid URL"),
        ("http://example.org\\@127.0.0.1/", "credentials"),  # httpx reads host 127.0.0.1
        ("http://256.1.1.1/", "(?i)invalid IPv4"),
        ("http://0177.0.0.1/", "(?i)invalid IPv4"),  # httpx refuses 4-digit octets itself
        ("http://1.2.3.4.5/", "invalid IPv4"),
        ("http://10.0.0.x1.5/", "invalid IPv4"),
    ],
)
def test_malformed_urls_are_permanent_errors(url: str, message: str) -> None:
    with pytest.raises(PermanentFetchError, match=message):
        check_url(url, [])


def test_allow_private_opens_only_the_listed_networks() -> None:
    allow = ["127.0.0.0/8", "10.0.0.0/24"]
    check_url("http://127.0.0.1:8000/", allow)
    check_url("http://127.1/", allow)
    check_url("http://[::ffff:127.0.0.1]/", allow)
    check_url("http://localhost:8000/", allow)
    check_url("http://10.0.0.7/", allow)
    with pytest.raises(BlockedAddressError):
        check_url("http://10.0.1.7/", allow)
    with pytest.raises(BlockedAddressError):
        check_url("http://169.254.169.254/", allow)


def test_invalid_allow_private_entry_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="allow_private"):
        check_url("http://example.org/", ["not-a-network"])


def test_resolution_is_off_unless_asked_for() -> None:
    check_url("http://internal.example.org/", [])  # no lookup, so no way to know


def test_resolved_addresses_are_all_checked() -> None:
    looked_up: list[str] = []

    def resolve(host: str) -> Iterable[str]:
        looked_up.append(host)
        return ["93.184.216.34", "10.0.0.5"]

    with pytest.raises(BlockedAddressError, match=r"internal\.example\.org \(10\.0\.0\.5\)"):
        check_url("http://internal.example.org/", [], resolve=resolve)
    assert looked_up == ["internal.example.org"]

    check_url("http://internal.example.org/", ["10.0.0.0/8"], resolve=resolve)
    check_url("http://public.example.org/", [], resolve=lambda host: ["93.184.216.34"])
