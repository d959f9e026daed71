"""A whole ``scraper run`` against the fault server: every fault of issue 5 in one mix.

The fault server (tests/integration/fetch/faultserver.py) plays many hosts on
loopback. One RSS feed lists every URL of the mix: healthy articles, pages
that fail once and then work, hosts that keep failing, tarpits, bombs, binary
files, robots.txt refusals, redirects into the internal network, numeric
address tricks. The run's fetcher reaches the server only through the guarded
transport with ``allow_private = 127.0.0.1/32``; 127.0.0.2, where the server
listens too, stands for the internal network and must see no request.

    python bench/faults.py                 # the whole run (scraper.pipeline.run)
    python bench/faults.py --copies 20     # more healthy and flaky pages in the mix

Prints the URLs, records written, failures by reason, records lost (must be
0), duplicates (must be 0), peak RSS and the requests the server saw for
targets that must never be fetched (must be 0); exits 1 if a must is broken.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scraper.config import Config, FetchConfig, RunConfig, SourceConfig  # noqa: E402
from scraper.fetch.transport import GuardedTransport  # noqa: E402
from scraper.pipeline import run  # noqa: E402
from scraper.sinks import DataDir  # noqa: E402
from tests.integration.fetch import faults as fs  # noqa: E402

DEFERRED = {"transient", "deferred", "circuit_open", "robots_unreachable"}
INTERNAL = {"internal.test": [fs.REFUSED_ADDRESS], "metadata.test": ["169.254.169.254"]}


@dataclass(frozen=True)
class Case:
    url: str
    kind: str
    record: bool
    """True: the URL must end as a record (it works, perhaps after retries)."""
    forbidden: bool = False
    """True: the server must never see a request for it."""


def article(n: int) -> bytes:
    words = " ".join(f"word{(n * 7 + i) % 97}" for i in range(60))
    paragraphs = "".join(
        f"<p>Story {n}, paragraph {i}: the council met again and {words}.</p>" for i in range(4)
    )
    return (
        f"<html><head><title>Story number {n}</title></head><body><article><h1>Story {n}</h1>"
        f"{paragraphs}</article></body></html>"
    ).encode()


def build_mix(server: fs.FaultServer, copies: int) -> list[Case]:
    """Routes on the server and the cases they make, with what each must end as."""
    cases: list[Case] = []
    n = 0

    def add(host: str, path: str, handler: fs.Handler, kind: str, record: bool) -> None:
        cases.append(Case(server.route(host, path, handler), kind, record))

    def good(host: str, kind: str = "ok", wrap: fs.Handler | None = None) -> None:
        nonlocal n
        n += 1
        handler = fs.page(article(n))
        add(host, f"/story/{n}", fs.sequence(wrap, handler) if wrap else handler, kind, True)

    flaky = [
        ("503 then ok", fs.status(503)),
        ("reset then ok", fs.reset),
        ("cut body then ok", fs.truncated()),
        ("cut chunks then ok", fs.cut_chunked()),
    ]
    for copy in range(copies):
        for host in ("news-a.test", "news-b.test", "news-c.test"):
            good(host)
            kind, fault = flaky[(copy + len(host)) % len(flaky)]
            good(host, kind, fault)  # hosts that fail now and then, not in a row
        n += 1
        add("news-c.test", f"/gz/{n}", fs.encoded(article(n), ["gzip"]), "gzip", True)
        n += 1
        add("news-c.test", f"/br/{n}", fs.encoded(article(n), ["gzip", "br"]), "gzip+br", True)
    good("busy.test", "Retry-After 1 then ok", fs.status(429, [("Retry-After", "1")]))
    for i in range(6):
        add("down.test", f"/{i}", fs.status(500), "host keeps failing", False)
    add("later.test", "/p", fs.status(503, [("Retry-After", "3600")]), "Retry-After 1 h", False)
    for code in (404, 410, 401, 403):
        add("gone.test", f"/{code}", fs.status(code), f"HTTP {code}", False)
    add("tarpit.test", "/silent", fs.silent, "sends nothing", False)
    add("tarpit.test", "/drip", fs.drip(0.2), "drips", False)
    for encoding in ("gzip", "deflate", "br"):
        add("bomb.test", f"/{encoding}", fs.bomb(encoding, 256), f"{encoding} bomb", False)
    add("bomb.test", "/endless", fs.endless(), "endless body", False)
    add("bomb.test", "/three", fs.encoded(article(0), ["gzip", "br", "gzip"]), "3 encodings", False)
    add("bomb.test", "/zstd", fs.encoded(article(0), ["zstd"]), "unknown encoding", False)
    add("files.test", "/report", fs.page(b"%PDF-1.7\n" + b"\0" * 4000), "PDF as HTML", False)
    add("files.test", "/photo", fs.page(b"\x89PNG\r\n" * 500, "image/png"), "PNG", False)
    _robots_cases(server, cases)
    _guard_cases(server, cases)
    cases.append(Case(f"http://nxdomain.example:{server.port}/p", "unknown host", False))
    cases.append(Case(f"http://refused.test:{fs.closed_port()}/p", "connection refused", False))
    return cases


def _robots_cases(server: fs.FaultServer, cases: list[Case]) -> None:
    server.route("robots.test", "/robots.txt", fs.page(b"User-agent: *\nDisallow: /private/\n"))
    server.route("robots.test", "/private/p", fs.page(article(9001)))
    cases.append(Case(server.url("robots.test", "/private/p"), "robots disallow", False, True))
    server.route("norobots.test", "/robots.txt", fs.status(503))
    server.route("norobots.test", "/p", fs.page(article(9002)))
    cases.append(Case(server.url("norobots.test", "/p"), "robots.txt 503", False, True))
    server.route("lazy.test", "/robots.txt", fs.page(b"User-agent: *\nCrawl-delay: 3600\n"))
    server.route("lazy.test", "/p", fs.page(article(9003)))
    cases.append(Case(server.url("lazy.test", "/p"), "Crawl-delay 1 h", False, True))


def _guard_cases(server: fs.FaultServer, cases: list[Case]) -> None:
    port = server.port
    for target, kind in [
        (f"http://{fs.REFUSED_ADDRESS}:{port}/admin", "redirect to 127.0.0.2"),
        (f"http://internal.test:{port}/admin", "redirect to a name for 127.0.0.2"),
        (f"http://metadata.test:{port}/latest", "redirect to 169.254.169.254"),
        ("file:///etc/passwd", "redirect to file:"),
    ]:
        path = f"/to/{len(cases)}"
        cases.append(Case(server.route("hop.test", path, fs.redirect(target)), kind, False))
    for host in ("2130706434", "0x7f.2", "[::ffff:127.0.0.2]", "internal.test"):
        cases.append(Case(f"http://{host}:{port}/admin", f"direct {host}", False, True))


def feed(cases: list[Case]) -> bytes:
    items = "".join(
        f"<item><title>{escape(c.kind)}</title><link>{escape(c.url)}</link></item>" for c in cases
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>faults</title>'
        f"<link>http://hub.test/</link>{items}</channel></rss>"
    ).encode()


def peak_rss_mb() -> int:
    """This process's peak RSS so far (VmHWM on Linux, else ru_maxrss)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) // 1024 if match else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=5, help="healthy/flaky pages per kind")
    args = parser.parse_args()

    server = fs.FaultServer().start()
    try:
        cases = build_mix(server, args.copies)
        feed_url = server.route(
            "hub.test", "/feed.xml", fs.page(feed(cases), "application/rss+xml")
        )
        server.route("hub.test", "/robots.txt", fs.status(404))
        fetch = FetchConfig(
            allow_private=["127.0.0.1/32"],
            timeout=2.0,
            connect_timeout=1.0,
            retries=2,
            backoff_base=0.05,
            backoff_max=0.5,
            per_host_delay=0.02,
            max_retry_after=5.0,
            breaker_cooldown=60.0,  # over max_retry_after: a dead host is deferred to next run
        )
        config = Config(
            fetch=fetch,
            run=RunConfig(extract_processes=2),
            sources=[SourceConfig(name="faults", feeds=[feed_url])],
        )
        transport = GuardedTransport(
            allow_private=fetch.allow_private, resolve=fs.loopback_resolver(INTERNAL)
        )
        with tempfile.TemporaryDirectory() as tmp:
            before = peak_rss_mb()
            started = time.monotonic()
            stats = run(config, Path(tmp), transport=transport)
            seconds = time.monotonic() - started
            data = DataDir(Path(tmp))
            records = _jsonl(data.article_files())
            rejects = _jsonl(sorted(data.rejects.glob("*.jsonl")))
        print(f"peak RSS before the run:    {before} MB (imports, fault server, bombs made)")
        return report(server, cases, stats.as_dict(), records, rejects, seconds)
    finally:
        server.stop()


def _jsonl(paths: list[Path]) -> list[dict[str, object]]:
    return [json.loads(line) for path in paths for line in path.read_text().splitlines()]


def report(
    server: fs.FaultServer,
    cases: list[Case],
    stats: dict[str, object],
    records: list[dict[str, object]],
    rejects: list[dict[str, object]],
    seconds: float,
) -> int:
    recorded = Counter(str(r["url"]) for r in records)
    must = [c for c in cases if c.record]
    lost = [c for c in must if c.url not in recorded]
    duplicates = (
        sum(n - 1 for n in recorded.values()) + len(records) - len({r["id"] for r in records})
    )
    forbidden = {(fs_host(c.url), fs_path(c.url)) for c in cases if c.forbidden}
    seen_forbidden = [
        r
        for r in server.requests()
        if r.address == fs.REFUSED_ADDRESS or (r.host, r.path) in forbidden
    ]
    own = peak_rss_mb()
    reasons = stats.get("reasons", {})
    why = {str(r["url"]): f"{r['stage']}:{r['reason']}" for r in rejects}
    print(f"{'case':36} outcome")
    for kind in dict.fromkeys(c.kind for c in cases):
        ends = Counter(
            "record" if c.url in recorded else why.get(c.url, "no outcome")
            for c in cases
            if c.kind == kind
        )
        print(f"  {kind:34} " + ", ".join(f"{k} x{v}" for k, v in sorted(ends.items())))
    print(f"URLs in the feed:           {len(cases)} ({len(must)} must become records)")
    print(f"records written:            {len(records)}")
    print(
        f"run outcomes:               new={stats.get('new')} failed={stats.get('failed')} "
        f"dropped={stats.get('dropped')} (found {stats.get('found')})"
    )
    print("failed/dropped by reason:")
    for reason, count in sorted(dict(reasons).items()):  # type: ignore[call-overload]
        print(f"  {reason:40} {count}")
    deferred = sum(
        count
        for reason, count in dict(reasons).items()  # type: ignore[call-overload]
        if reason.split(":")[-1] in DEFERRED
    )
    print(f"deferred to the next run:   {deferred} (retried then, not lost)")
    print(
        f"records lost:               {len(lost)}" + "".join(f"\n  {c.kind}: {c.url}" for c in lost)
    )
    print(f"duplicates:                 {duplicates}")
    print(f"peak RSS:                   {own} MB (run process, fault server included)")
    print(f"requests seen for refused or disallowed targets: {len(seen_forbidden)}")
    for r in seen_forbidden:
        print(f"  {r.address} {r.host}{r.path}")
    print(f"run took:                   {seconds:.1f} s; requests served: {len(server.requests())}")
    ok = not lost and not duplicates and not seen_forbidden and own < 200
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def fs_host(url: str) -> str:
    return url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)[0].lower()


def fs_path(url: str) -> str:
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


if __name__ == "__main__":
    sys.exit(main())
