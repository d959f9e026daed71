"""Issue 5, size and decompression: max_bytes holds on the decoded body, memory stays flat."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from scraper.errors import PermanentFetchError, TooLargeError
from tests.integration.fetch import faults as fs
from tests.integration.fetch.faultserver import FaultServer
from tests.integration.fetch.helpers import fast_config, fetch_one

REPO = Path(__file__).resolve().parents[3]
BIG_HTML = b"<html><body>" + b"<p>words and more words</p>\n" * 4000 + b"</body></html>"


async def huge_content_length(request: fs.Request, conn: fs.Conn) -> None:
    await conn.head(200, [("Content-Type", "text/html"), ("Content-Length", str(10**12))])
    await fs.drip(0.01)(request, conn)


def test_a_huge_content_length_is_refused_before_reading(server: FaultServer) -> None:
    url = server.route("a.test", "/p", huge_content_length)

    started = time.monotonic()
    with pytest.raises(TooLargeError, match=r"Content-Length 1000000000000 bytes is over") as info:
        fetch_one(url)

    assert time.monotonic() - started < 1.0
    assert info.value.reason == "too_large"
    assert len(server.requests("a.test")) == 1  # too large is not retried


def test_an_endless_body_is_cut_at_the_cap(server: FaultServer) -> None:
    url = server.route("a.test", "/p", fs.endless())

    with pytest.raises(TooLargeError, match="body is over the 1000000-byte limit"):
        fetch_one(url, fast_config(max_bytes=1_000_000))


@pytest.mark.parametrize("encodings", [["gzip"], ["deflate"], ["br"], ["gzip", "br"], ["x-gzip"]])
def test_compressed_pages_are_decoded(server: FaultServer, encodings: list[str]) -> None:
    url = server.route("a.test", "/p", fs.encoded(BIG_HTML, encodings))

    assert fetch_one(url).content == BIG_HTML


def test_raw_deflate_without_zlib_header_is_decoded(server: FaultServer) -> None:
    import zlib

    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = packer.compress(BIG_HTML) + packer.flush()

    async def raw_deflate(request: fs.Request, conn: fs.Conn) -> None:
        await conn.send(200, body, [("Content-Type", "text/html"), ("Content-Encoding", "deflate")])

    assert fetch_one(server.route("a.test", "/p", raw_deflate)).content == BIG_HTML


def test_the_cap_is_on_decoded_bytes(server: FaultServer) -> None:
    url = server.route("a.test", "/p", fs.encoded(BIG_HTML, ["gzip"]))

    with pytest.raises(TooLargeError):
        fetch_one(url, fast_config(max_bytes=len(BIG_HTML) - 1))
    assert fetch_one(url, fast_config(max_bytes=len(BIG_HTML))).content == BIG_HTML


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_a_bomb_is_stopped_at_the_cap(server: FaultServer, encoding: str) -> None:
    url = server.route("a.test", "/p", fs.bomb(encoding, 256))

    started = time.monotonic()
    with pytest.raises(TooLargeError, match="body is over the 2000000-byte limit"):
        fetch_one(url, fast_config(max_bytes=2_000_000))
    assert time.monotonic() - started < 2.0


def test_more_than_two_encodings_or_an_unknown_one_is_refused(server: FaultServer) -> None:
    three = server.route("a.test", "/three", fs.encoded(BIG_HTML, ["gzip", "deflate", "gzip"]))
    unknown = server.route("a.test", "/zstd", fs.encoded(BIG_HTML, ["zstd"]))

    with pytest.raises(PermanentFetchError, match="refusing 3 stacked content encodings"):
        fetch_one(three)
    with pytest.raises(PermanentFetchError, match="unsupported content encoding 'zstd'"):
        fetch_one(unknown)
    assert len(server.requests("a.test")) == 2  # neither was retried


def test_a_corrupt_compressed_body_is_refused(server: FaultServer) -> None:
    async def corrupt(request: fs.Request, conn: fs.Conn) -> None:
        body = b"\x1f\x8b\x08\x00" + b"\xff" * 200
        await conn.send(200, body, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])

    with pytest.raises(PermanentFetchError, match="cannot decode the response body"):
        fetch_one(server.route("a.test", "/p", corrupt))


def test_a_cut_compressed_stream_is_never_a_partial_page(server: FaultServer) -> None:
    whole = fs.compress(BIG_HTML, "gzip")

    async def cut(request: fs.Request, conn: fs.Conn) -> None:
        await conn.send(
            200, whole[:-200], [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
        )

    url = server.route("a.test", "/p", fs.sequence(cut, fs.encoded(BIG_HTML, ["gzip"])))

    assert fetch_one(url).content == BIG_HTML  # the cut stream was retried, not used


_RSS_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, re
    from scraper.config import FetchConfig
    from scraper.errors import TooLargeError
    from scraper.fetch import Fetcher
    from tests.integration.fetch import faults as fs

    server = fs.FaultServer().start()
    config = FetchConfig(allow_private=["127.0.0.1/32"], respect_robots=False, retries=0,
                         per_host_delay=0)
    urls = [server.route("bomb.test", f"/{e}", fs.bomb(e, 256)) for e in ("gzip", "deflate", "br")]

    def peak_mb():  # VmHWM: unlike ru_maxrss it does not inherit the parent's peak
        status = open("/proc/self/status").read()
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024

    before = peak_mb()

    async def main():
        outcomes = []
        async with Fetcher(config, resolve=fs.loopback_resolver()) as fetcher:
            for url in urls:
                try:
                    await fetcher.fetch(url)
                    outcomes.append("fetched")
                except TooLargeError as exc:
                    outcomes.append(exc.reason)
        return outcomes

    outcomes = asyncio.run(main())
    server.stop()
    print(json.dumps({"outcomes": outcomes, "before_mb": before, "peak_mb": peak_mb()}))
    """
)


def test_bombs_leave_memory_flat() -> None:
    """256 MiB bombs, default 10 MB cap, in a fresh process: peak RSS stays under 200 MB."""
    done = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert report["outcomes"] == ["too_large"] * 3
    assert report["peak_mb"] < 200, report
    assert report["peak_mb"] - report["before_mb"] < 60, report
