"""A loopback news site, a config pointing at it, and helpers to run and read the dataset."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from scraper.config import Config, load_config
from tests.integration.run.site import (
    Site,
    article_html,
    atom,
    gzipped,
    news_sitemap,
    paragraphs,
    rss,
    sitemap_index,
    urlset,
)

FETCH_SETTINGS = """
[fetch]
allow_private = ["127.0.0.1/32"]   # the address guard stays on: only loopback's 127.0.0.1 passes
per_host_delay = 0
per_host_concurrency = 8
concurrency = 8
retries = 0
timeout = 10
"""


def iso_now(offset: float = 0) -> str:
    return datetime.fromtimestamp(time.time() + offset, UTC).isoformat(timespec="seconds")


@dataclass
class Gazette:
    """The site's articles and the documents that list them, rebuilt after every change."""

    site: Site
    titles: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, list[str]] = field(default_factory=dict)
    lastmods: dict[str, str] = field(default_factory=dict)
    in_rss: list[str] = field(default_factory=list)
    in_atom: list[str] = field(default_factory=list)
    in_news: list[str] = field(default_factory=list)
    in_sitemap: list[str] = field(default_factory=list)
    on_listing: list[str] = field(default_factory=list)
    undated: set[str] = field(default_factory=set)

    def add(self, slug: str, *, where: tuple[str, ...] = ("sitemap",)) -> None:
        self.titles[slug] = f"Story {slug.replace('-', ' ').title()}"
        self.bodies[slug] = paragraphs(slug)
        self.lastmods[slug] = iso_now(-86_400)
        for place in where:
            getattr(self, f"in_{place}" if place != "listing" else "on_listing").append(slug)
        self.publish()

    def change(self, slug: str, *, lastmod: bool = False) -> None:
        """Add a paragraph; ``lastmod`` also moves the page's sitemap lastmod to now."""
        self.bodies[slug] = [*self.bodies[slug], *paragraphs(slug + "-update", 1)]
        if lastmod:
            self.lastmods[slug] = iso_now(1)
        self.publish()

    def path(self, slug: str) -> str:
        return f"/news/{slug}"

    def publish(self) -> None:
        site = self.site
        for slug, body in self.bodies.items():
            published = None if slug in self.undated else "2024-05-01T09:00:00+00:00"
            site.set(
                self.path(slug),
                article_html(
                    self.titles[slug],
                    body,
                    canonical=site.url(self.path(slug)),
                    published=published,
                ),
            )
        rss_items = [
            (self.path(s) + "?utm_source=rss&utm_medium=feed", self.titles[s]) for s in self.in_rss
        ]
        site.set("/rss.xml", rss(site, rss_items), "application/rss+xml")
        site.set(
            "/atom.xml",
            atom(site, [(self.path(s), self.titles[s]) for s in self.in_atom]),
            "application/atom+xml",
        )
        news = [(self.path(s), self.titles[s], "2024-04-30T08:00:00+00:00") for s in self.in_news]
        site.set("/sitemaps/news.xml", news_sitemap(site, news), "application/xml")
        pages = [(self.path(s), self.lastmods[s]) for s in self.in_sitemap]
        site.set("/sitemaps/pages.xml.gz", gzipped(urlset(site, pages)), "application/gzip")
        site.set(
            "/sitemap_index.xml",
            sitemap_index(site, ["/sitemaps/news.xml", "/sitemaps/pages.xml.gz"]),
            "application/xml",
        )
        site.set(
            "/robots.txt",
            f"User-agent: *\nAllow: /\nSitemap: {site.url('/sitemap_index.xml')}\n".encode(),
            "text/plain",
        )
        links = "".join(
            f'<li><a href="{self.path(s)}">{self.titles[s]}</a></li>' for s in self.on_listing
        )
        site.set(
            "/world/",
            (
                "<!doctype html><html><head><title>World</title></head><body><nav>"
                "<a href='/tag/politics/'>Politics</a> <a href='/category/world/'>World</a></nav>"
                f"<ul>{links}<li><a href='/video/clip-1'>Watch: the flood</a></li></ul>"
                "</body></html>"
            ).encode(),
        )


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture
def gazette(site: Site) -> Gazette:
    """Eight articles: two in RSS (one linked with utm_ parameters), two in Atom, two in the
    news sitemap, all but the listing's in the gzipped sitemap, two on the /world/ listing."""
    paper = Gazette(site)
    paper.undated.add("quiet-harbour")  # only the news sitemap dates it
    for slug, where in [
        ("bridge-vote", ("rss", "sitemap")),
        ("school-budget", ("rss", "sitemap")),
        ("ferry-strike", ("atom", "sitemap")),
        ("winter-market", ("atom", "sitemap")),
        ("quiet-harbour", ("news", "sitemap")),
        ("museum-roof", ("news", "sitemap")),
        ("forest-fire", ("listing",)),
        ("river-survey", ("listing",)),
    ]:
        paper.add(slug, where=where)
    return paper


def write_config(path: Path, site: Site, extra: str = "") -> Path:
    path.write_text(
        FETCH_SETTINGS
        + f"""
[[sources]]
name = "gazette"
feeds = ["{site.url("/rss.xml")}", "{site.url("/atom.xml")}"]
pages = ["{site.url("/world/")}"]
discover_sitemaps = true
exclude = ["/video/"]
{extra}
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def config_path(tmp_path: Path, site: Site) -> Path:
    return write_config(tmp_path / "sources.toml", site)


@pytest.fixture
def config(config_path: Path) -> Config:
    return load_config(config_path)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def article_lines(data_dir: Path) -> list[bytes]:
    """Every line of every article file, checking that none is torn."""
    lines: list[bytes] = []
    for path in sorted((data_dir / "articles").glob("*.jsonl")):
        raw = path.read_bytes()
        assert not raw or raw.endswith(b"\n"), f"{path}: torn final line"
        lines.extend(raw.splitlines())
    return lines


def articles(data_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in article_lines(data_dir)]


def rejects(data_dir: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in sorted((data_dir / "rejects").glob("*.jsonl"))
        for line in path.read_bytes().splitlines()
    ]
