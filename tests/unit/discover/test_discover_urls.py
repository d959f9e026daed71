"""URL hygiene: what we fetch, and when two URLs are one article."""

from __future__ import annotations

import pytest

from scraper.discover.urls import UrlFilter, clean_url, url_key


@pytest.mark.parametrize(
    ("url", "cleaned"),
    [
        (
            "https://News.Example:443/a/story?utm_source=rss&utm_medium=x&id=5#comments",
            "https://news.example/a/story?id=5",
        ),
        ("https://news.example/a/story?fbclid=abc&gclid=d", "https://news.example/a/story"),
        ("https://news.example/a/story?amp=1", "https://news.example/a/story"),
        ("https://news.example/a/story/?b=2&a=1", "https://news.example/a/story/?a=1&b=2"),
        ("file:///tmp/page.html", "file:///tmp/page.html"),
    ],
)
def test_clean_url(url: str, cleaned: str) -> None:
    assert clean_url(url) == cleaned


def test_variants_of_one_article_share_a_key() -> None:
    variants = [
        "https://news.example/a/story",
        "https://news.example/a/story/",
        "https://news.example/a/story/amp",
        "https://news.example/a/story/amp/",
        "https://news.example/a/story?utm_campaign=x",
        "https://news.example/a/story?outputType=amp",
        "https://amp.news.example/a/story",
        "https://NEWS.example/a/story#top",
    ]
    assert {url_key(v) for v in variants} == {"https://news.example/a/story"}
    assert url_key("https://news.example/a/story.amp.html") == url_key(
        "https://news.example/a/story.html"
    )


def test_different_articles_keep_different_keys() -> None:
    assert url_key("https://news.example/a/story?id=1") != url_key(
        "https://news.example/a/story?id=2"
    )
    assert url_key("https://news.example/A/Story") != url_key("https://news.example/a/story")
    assert url_key("http://news.example/a") != url_key("https://news.example/a")


def test_filters_take_substrings_and_prefixed_regexes() -> None:
    rules = UrlFilter(include=["/news/", "re:/20\\d\\d/"], exclude=["/video/"])
    assert rules.why_not("https://x.example/news/story") is None
    assert rules.why_not("https://x.example/2024/story") is None
    assert rules.why_not("https://x.example/about") == "matches no include pattern"
    assert rules.why_not("https://x.example/news/video/1") == "matches exclude pattern '/video/'"
    assert UrlFilter([], []).why_not("https://x.example/anything") is None
