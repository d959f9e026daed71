"""Listing pages: the article links on a section front, one level, same site."""

from __future__ import annotations

from scraper.discover.links import listing_links

PAGE = b"""<html><head><base href="https://www.news.example/world/"></head><body>
<nav><a href="/">Home</a> <a href="/tag/politics/">Politics</a>
<a href="/category/world">World</a> <a href="/page/2">Older</a> <a href="/login">Log in</a></nav>
<a href="2024/05/harbour-reopens?utm_source=front">Harbour reopens</a>
<a href="https://news.example/2024/05/bridge-vote">Bridge vote</a>
<a href="/2024/05/harbour-reopens#comments">12 comments</a>
<a href="https://elsewhere.example/2024/05/other">Elsewhere</a>
<a href="/files/report.pdf">Report (PDF)</a> <a href="/img/photo.jpg">Photo</a>
<a href="mailto:desk@news.example">Mail</a> <a href="javascript:void(0)">Menu</a>
<a href="/feed">RSS</a> <a href="#top">Top</a>
</body></html>"""


def test_article_links_only_in_page_order_each_once() -> None:
    links = listing_links(PAGE, "https://www.news.example/world/")
    assert links == [
        "https://www.news.example/world/2024/05/harbour-reopens",
        "https://news.example/2024/05/bridge-vote",
        "https://www.news.example/2024/05/harbour-reopens",
    ]


def test_the_listing_itself_is_not_a_link() -> None:
    page = b'<a href="/world/">World</a><a href="/world/story-1">Story</a>'
    assert listing_links(page, "https://news.example/world/") == [
        "https://news.example/world/story-1"
    ]
