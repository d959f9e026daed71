"""Issue 5, the address and scheme guard (SSRF): checked on every hop, at connection time.

127.0.0.2 stands for every address the guard must refuse: the fault server
listens there too, so "refused" is proven by an empty request log, and no
test ever sends a packet beyond loopback.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pytest

from scraper.errors import BlockedAddressError, FetchError, PermanentFetchError
from scraper.fetch import Fetcher, Resolve
from tests.integration.fetch import faults as fs
from tests.integration.fetch.faultserver import REFUSED_ADDRESS, FaultServer
from tests.integration.fetch.helpers import fast_config, fetch_one, run_with


def refused_seen(server: FaultServer) -> list[fs.Request]:
    return [r for r in server.requests() if r.address == REFUSED_ADDRESS]


@pytest.mark.parametrize(
    "target",
    [
        "file:///etc/passwd",
        "ftp://a.test/x",
        "data:text/html,<p>hi",
        "gopher://a.test/",
        "ws://a.test/",
    ],
)
def test_redirects_to_other_schemes_are_refused(server: FaultServer, target: str) -> None:
    url = server.route("a.test", "/p", fs.redirect(target))

    with pytest.raises(PermanentFetchError, match=r"unsupported URL scheme|invalid redirect"):
        fetch_one(url)
    assert len(server.requests()) == 1


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.2",
        "2130706434",  # 127.0.0.2 as one decimal number
        "0x7f.2",  # hex, two parts
        "0177.0.0.2",  # octal
        "127.2",
        "[::ffff:127.0.0.2]",  # IPv4-mapped IPv6
        "a.test@127.0.0.2",  # user@host confusion: the host is the part after @
    ],
)
def test_numeric_and_disguised_loopback_targets_are_refused(server: FaultServer, host: str) -> None:
    url = f"http://{host}:{server.port}/admin"

    with pytest.raises((BlockedAddressError, PermanentFetchError)) as info:
        fetch_one(url, fast_config(retries=0))

    message = str(info.value)
    assert (
        isinstance(info.value, BlockedAddressError)
        or "credentials" in message
        or (
            "invalid" in message  # httpx itself will not parse 0177.0.0.2
        )
    )
    assert refused_seen(server) == []


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.2",
        "169.254.169.254",
        "10.0.0.5",
        "192.168.1.1",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "::ffff:169.254.169.254",
        "fc00::1",
    ],
)
def test_names_resolving_to_non_public_addresses_are_refused_before_connecting(
    server: FaultServer, address: str
) -> None:
    resolve = fs.loopback_resolver({"internal.test": [address]})

    with pytest.raises(BlockedAddressError, match=r"internal\.test") as info:
        fetch_one(server.url("internal.test", "/admin"), resolve=resolve)

    assert str(ipaddress.ip_address(address)) in str(info.value)
    assert info.value.url == server.url("internal.test", "/admin")
    assert server.requests() == []


def test_one_bad_address_among_good_ones_refuses_the_name(server: FaultServer) -> None:
    resolve = fs.loopback_resolver({"mixed.test": ["127.0.0.1", REFUSED_ADDRESS]})

    with pytest.raises(BlockedAddressError):
        fetch_one(server.url("mixed.test", "/p"), resolve=resolve)
    assert server.requests() == []


def rebinding() -> Resolve:
    """Public-looking (allowed) on the first lookup, internal on every lookup after."""
    answers: list[str] = []

    async def resolve(host: str, port: int) -> Sequence[str]:
        answers.append(host)
        return ["127.0.0.1"] if len(answers) == 1 else [REFUSED_ADDRESS]

    return resolve


def test_dns_rebinding_between_hops_is_caught_at_connection_time(server: FaultServer) -> None:
    server.route("rebind.test", "/p", fs.redirect("/admin"))
    server.route("rebind.test", "/admin", fs.page(b"<p>secret</p>"))

    with pytest.raises(BlockedAddressError, match=REFUSED_ADDRESS.replace(".", r"\.")):
        fetch_one(server.url("rebind.test", "/p"), fast_config(retries=0), resolve=rebinding())

    assert [r.path for r in server.requests()] == ["/p"]
    assert refused_seen(server) == []


@pytest.mark.parametrize(
    "target", ["http://127.0.0.2:{port}/admin", "http://internal.test:{port}/"]
)
def test_redirects_into_the_internal_network_are_refused(server: FaultServer, target: str) -> None:
    url = server.route("a.test", "/p", fs.redirect(target.format(port=server.port)))
    resolve = fs.loopback_resolver({"internal.test": [REFUSED_ADDRESS]})

    with pytest.raises(BlockedAddressError):
        fetch_one(url, resolve=resolve)
    assert refused_seen(server) == []


def test_without_allow_private_even_the_test_server_is_out_of_reach(server: FaultServer) -> None:
    url = server.route("a.test", "/p", fs.page())

    with pytest.raises(BlockedAddressError, match=r"a\.test \(127\.0\.0\.1\)"):
        fetch_one(url, fast_config(allow_private=[]))
    assert server.requests() == []


def test_redirect_loops_and_long_chains_end_with_a_reason(server: FaultServer) -> None:
    server.route("a.test", "/loop1", fs.redirect(f"http://b.test:{server.port}/loop2"))
    server.route("b.test", "/loop2", fs.redirect(f"http://a.test:{server.port}/loop1"))
    for n in range(6):
        server.route("a.test", f"/hop{n}", fs.redirect(f"/hop{n + 1}"))
    server.route("a.test", "/hop5", fs.page())
    server.route("a.test", "/hop6", fs.page())

    with pytest.raises(PermanentFetchError, match="redirect loop"):
        fetch_one(server.url("a.test", "/loop1"))
    assert fetch_one(server.url("a.test", "/hop0")).final_url.endswith("/hop5")  # 5 hops: fine
    with pytest.raises(PermanentFetchError, match=r"too many redirects \(more than 4\)"):
        fetch_one(server.url("a.test", "/hop0"), fast_config(max_redirects=4))


SECRET_HEADERS = {"Authorization": "Bearer s3cret", "X-Api-Key": "k-123"}


async def set_cookie_and_redirect(request: fs.Request, conn: fs.Conn) -> None:
    await conn.send(302, b"", [("Location", "/next"), ("Set-Cookie", "sid=abc; Path=/")])


def test_credentials_and_cookies_stay_on_their_origin(server: FaultServer) -> None:
    server.route("a.test", "/p", set_cookie_and_redirect)
    server.route("a.test", "/next", fs.redirect(server.url("b.test", "/elsewhere")))
    server.route("b.test", "/elsewhere", fs.page())
    config = fast_config(headers=SECRET_HEADERS)

    result = fetch_one(server.url("a.test", "/p"), config)

    assert result.final_url == server.url("b.test", "/elsewhere")
    first, same_origin, other_origin = server.requests()
    assert first.headers["authorization"] == "Bearer s3cret"
    assert same_origin.headers["authorization"] == "Bearer s3cret"
    assert same_origin.headers["x-api-key"] == "k-123"
    assert same_origin.headers["cookie"] == "sid=abc"  # the chain's own cookie, same origin
    for name in ("authorization", "x-api-key", "cookie", "proxy-authorization"):
        assert name not in other_origin.headers


@pytest.mark.parametrize("keep", [False, True])
def test_cookies_are_kept_between_pages_only_when_asked(server: FaultServer, keep: bool) -> None:
    async def sets_cookie(request: fs.Request, conn: fs.Conn) -> None:
        await conn.send(200, fs.HTML, [("Content-Type", "text/html"), ("Set-Cookie", "sid=1")])

    server.route("a.test", "/first", sets_cookie)
    server.route("a.test", "/second", fs.page())
    urls = [server.url("a.test", "/first"), server.url("a.test", "/second")]

    async def both(fetcher: Fetcher) -> None:
        for url in urls:
            await fetcher.fetch(url)

    run_with(both, fast_config(keep_cookies=keep))

    second = server.requests("a.test", "/second")[0]
    assert ("cookie" in second.headers) is keep


def test_every_refusal_is_a_fetch_error_with_the_url(server: FaultServer) -> None:
    for url in ("file:///etc/passwd", f"http://127.0.0.2:{server.port}/"):
        with pytest.raises(FetchError) as info:
            fetch_one(url)
        assert info.value.url == url
