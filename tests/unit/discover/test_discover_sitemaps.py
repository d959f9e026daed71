"""Sitemaps to article links: urlset, index, news, gzip, text; hostile XML stays harmless."""

from __future__ import annotations

import gzip
import time

import pytest

from scraper.discover.sitemaps import (
    MAX_URLS,
    gunzip_capped,
    parse_sitemap,
    robots_sitemaps,
)
from scraper.errors import DocumentError

BASE = "https://news.example/sitemap.xml"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

URLSET = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {NS}>
  <url><loc> https://news.example/a/one </loc><lastmod>2024-05-01</lastmod></url>
  <url><loc>/a/two</loc></url>
  <url><lastmod>2024-05-01</lastmod></url>
</urlset>""".encode()

INDEX = f"""<?xml version="1.0"?><sitemapindex {NS}>
<sitemap><loc>https://news.example/s/1.xml.gz</loc><lastmod>2024-05-02</lastmod></sitemap>
<sitemap><loc>https://news.example/s/2.xml</loc></sitemap></sitemapindex>""".encode()

NEWS = f"""<?xml version="1.0"?>
<urlset {NS} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example/a/news</loc><news:news>
<news:publication><news:name>N</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2024-05-01T08:00:00+00:00</news:publication_date>
<news:title>Harbour  reopens</news:title></news:news></url></urlset>""".encode()


def test_urlset_with_lastmod_and_relative_locations() -> None:
    sitemap = parse_sitemap(URLSET, BASE)
    assert sitemap.kind == "urlset"
    assert [(e.url, e.lastmod) for e in sitemap.entries] == [
        ("https://news.example/a/one", "2024-05-01"),
        ("https://news.example/a/two", None),
    ]


def test_index_lists_child_sitemaps() -> None:
    sitemap = parse_sitemap(INDEX, BASE)
    assert sitemap.kind == "index"
    assert [e.url for e in sitemap.entries] == [
        "https://news.example/s/1.xml.gz",
        "https://news.example/s/2.xml",
    ]


def test_news_sitemap_gives_title_and_publication_date() -> None:
    [entry] = parse_sitemap(NEWS, BASE).entries
    assert entry.title == "Harbour reopens"
    assert entry.published == "2024-05-01T08:00:00+00:00"


def test_gzip_and_plain_text_sitemaps() -> None:
    assert parse_sitemap(gzip.compress(URLSET), BASE).entries[0].url.endswith("/a/one")
    text = b"https://news.example/a/1\n\nhttps://news.example/a/2\n"
    assert [e.url for e in parse_sitemap(text, BASE).entries] == [
        "https://news.example/a/1",
        "https://news.example/a/2",
    ]


def test_more_than_50000_urls_are_cut_and_said_so() -> None:
    urls = "".join(f"<url><loc>https://news.example/a/{i}</loc></url>" for i in range(MAX_URLS + 5))
    sitemap = parse_sitemap(f"<urlset {NS}>{urls}</urlset>".encode(), BASE)
    assert len(sitemap.entries) == MAX_URLS
    assert sitemap.truncated


@pytest.mark.parametrize(
    "content", [b"<html><body>hi</body></html>", b"", b"\x1f\x8bnot gzip at all", b"plain words"]
)
def test_not_a_sitemap_is_an_error(content: bytes) -> None:
    with pytest.raises(DocumentError):
        parse_sitemap(content, BASE)


def test_billion_laughs_is_harmless_and_fast(laughs_subset: str) -> None:
    laughs = (
        f'<?xml version="1.0"?><!DOCTYPE u [{laughs_subset}]>'
        f"<urlset {NS}><url><loc>https://news.example/a/&l9;</loc></url></urlset>"
    ).encode()
    started = time.monotonic()
    try:
        entries = parse_sitemap(laughs, BASE).entries
    except DocumentError:
        entries = []
    assert time.monotonic() - started < 0.5
    assert all(len(e.url) < 200 for e in entries)


def test_external_entities_are_never_read() -> None:
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f"<urlset {NS}><url><loc>https://news.example/a/&x;</loc></url>"
        "<url><loc>https://news.example/a/fine</loc></url></urlset>"
    ).encode()
    entries = parse_sitemap(xxe, BASE).entries
    assert "root:" not in "".join(e.url for e in entries)
    assert entries[-1].url == "https://news.example/a/fine"


def test_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    with pytest.raises(DocumentError, match="over 1000 bytes"):
        gunzip_capped(bomb, limit=1000)


def test_robots_txt_sitemap_lines() -> None:
    robots = (
        b"User-agent: *\nDisallow: /private/\n"
        b"Sitemap: https://news.example/sitemap_index.xml\n"
        b"sitemap:/news-sitemap.xml # relative\nSitemap: https://news.example/sitemap_index.xml\n"
    )
    assert robots_sitemaps(robots, "https://news.example/robots.txt") == [
        "https://news.example/sitemap_index.xml",
        "https://news.example/news-sitemap.xml",
    ]
