"""A small news site on loopback for whole-run tests: articles, feeds, sitemaps, robots.txt.

Routes are plain bytes the test can change between runs; every response
carries an ETag and Last-Modified, and conditional requests get a 304, so a
test can see what a second run asked for and what it cost. The query string
is ignored when routing, as a real site ignores ``?utm_source=...``.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import random
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit

WORDS = """
    council harbour river budget school bridge market weather railway election farmers
    library museum hospital volunteers festival teachers drivers residents inspectors
    engineers ferry station mayor district plan report survey project winter summer
    village city county province coast valley mountain forest field garden street square
""".split()  # noqa: SIM905 - a word list reads better as prose


def paragraphs(seed: str, count: int = 5) -> list[str]:
    """Deterministic, varied prose: sentences of ordinary words, different for each seed."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        sentences = []
        for _ in range(4):
            words = [rng.choice(WORDS) for _ in range(rng.randint(9, 14))]
            sentences.append(" ".join(words).capitalize() + ".")
        out.append(" ".join(sentences))
    return out


def article_html(
    title: str | None,
    body: list[str],
    *,
    canonical: str | None = None,
    published: str | None = "2024-05-01T09:00:00+00:00",
) -> bytes:
    head = [f"<title>{title} - Loopback Gazette</title>" if title else ""]
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    heading = f"<h1>{title}</h1>" if title else ""
    text = "".join(f"<p>{p}</p>" for p in body)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"{''.join(head)}</head><body><nav><a href='/'>Home</a> <a href='/world/'>World</a></nav>"
        f"<article>{heading}{text}</article><footer>© Loopback Gazette</footer></body></html>"
    ).encode()


_clock = itertools.count(int(time.time()) - 86_400, 10)


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    last_modified: str = field(default_factory=lambda: formatdate(next(_clock), usegmt=True))

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client killed mid-response (the crash tests do that) is no error here."""


@dataclass(frozen=True)
class Seen:
    path: str
    query: str
    headers: dict[str, str]
    status: int


@dataclass
class Site:
    """The server's routes and request log; ``url(path)`` builds absolute links."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    base: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        with self._lock:
            old = self.routes.get(path)
            if old is None or old.body != body or old.content_type != content_type:
                self.routes[path] = Route(body, content_type, old.delay if old else 0.0)

    def set_delay(self, delay: float, prefix: str = "/") -> None:
        with self._lock:
            for path, route in self.routes.items():
                if path.startswith(prefix):
                    route.delay = delay

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            route = self.routes.get(parts.path)
        status = 200 if route else 404
        if route is not None:
            if "if-none-match" in headers:  # it takes precedence over If-Modified-Since
                unchanged = headers["if-none-match"] == route.etag
            else:
                unchanged = headers.get("if-modified-since") == route.last_modified
            status = 304 if unchanged else 200
        with self._lock:
            self.requests.append(Seen(parts.path, parts.query, headers, status))
        if route and route.delay:
            time.sleep(route.delay)
        handler.send_response(status)
        if route is None:
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        handler.send_header("ETag", route.etag)
        handler.send_header("Last-Modified", route.last_modified)
        if status == 304:
            handler.end_headers()
            return
        handler.send_header("Content-Type", route.content_type)
        handler.send_header("Content-Length", str(len(route.body)))
        handler.end_headers()
        handler.wfile.write(route.body)

    def start(self) -> Self:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site._answer(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server = server
        self.base = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()


# --- the documents a news site publishes ---------------------------------------------------


def rss(site: Site, items: list[tuple[str, str]]) -> bytes:
    """RSS 2.0 with ``(path, title)`` items."""
    entries = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link>"
        f"<pubDate>Wed, 01 May 2024 09:00:00 GMT</pubDate></item>"
        for path, title in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
        f"<link>{site.url('/')}</link>{entries}</channel></rss>"
    ).encode()


def atom(site: Site, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f'<entry><title>{title}</title><link rel="alternate" href="{site.url(path)}"/>'
        f"<id>{site.url(path)}</id><updated>2024-05-01T09:00:00Z</updated></entry>"
        for path, title in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Gazette</title><id>{site.url('/')}</id><updated>2024-05-01T09:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


def urlset(site: Site, pages: list[tuple[str, str | None]]) -> bytes:
    """A sitemap of ``(path, lastmod)``."""
    urls = "".join(
        f"<url><loc>{site.url(path)}</loc>"
        + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        + "</url>"
        for path, lastmod in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def news_sitemap(site: Site, pages: list[tuple[str, str, str]]) -> bytes:
    """A Google News sitemap of ``(path, title, publication date)``."""
    urls = "".join(
        f"<url><loc>{site.url(path)}</loc><news:news><news:publication>"
        "<news:name>Gazette</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{date}</news:publication_date><news:title>{title}</news:title>"
        "</news:news></url>"
        for path, title, date in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    ).encode()


def sitemap_index(site: Site, paths: list[str]) -> bytes:
    maps = "".join(f"<sitemap><loc>{site.url(p)}</loc></sitemap>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>'
    ).encode()


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)
