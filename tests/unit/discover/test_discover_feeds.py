"""Feeds to article links: every feed dialect a news site publishes, and hostile XML."""

from __future__ import annotations

import json
import time

import pytest

from scraper.discover.feeds import parse_feed
from scraper.errors import DocumentError

BASE = "https://news.example/feeds/main.xml"

RSS_091 = b"""<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old</title><link>https://news.example/</link>
<item><title>First story</title><link>https://news.example/a/first</link></item>
</channel></rss>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>RDF</title><link>https://news.example/</link></channel>
<item rdf:about="https://news.example/a/rdf"><title>RDF story</title>
<link>https://news.example/a/rdf</link><dc:date>2024-05-01T09:30:00+02:00</dc:date></item>
</rdf:RDF>"""

RSS_20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Main</title><link>https://news.example/</link>
<item><title>  Council   votes </title><link>/a/council?utm_source=rss</link>
<pubDate>Wed, 01 May 2024 09:00:00 GMT</pubDate></item>
<item><title>Guid only</title><guid isPermaLink="true">https://news.example/a/guid</guid></item>
<item><title>No link at all</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:x</id>
<updated>2024-05-01T09:00:00Z</updated>
<entry><title>Atom story</title><link rel="alternate" href="https://news.example/a/atom"/>
<id>urn:1</id><updated>2024-05-02T10:00:00Z</updated></entry>
</feed>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON",
        "items": [
            {
                "id": "1",
                "url": "https://news.example/a/json",
                "title": "JSON story",
                "date_published": "2024-05-03T08:00:00+00:00",
            },
            {"id": "2", "external_url": "/a/external"},
            {"id": "3", "content_text": "no link"},
        ],
    }
).encode()


def test_rss_091() -> None:
    [item] = parse_feed(RSS_091, BASE)
    assert (item.url, item.title) == ("https://news.example/a/first", "First story")


def test_rss_10_rdf_with_dublin_core_date() -> None:
    [item] = parse_feed(RSS_10, BASE)
    assert item.url == "https://news.example/a/rdf"
    assert item.published == "2024-05-01T07:30:00+00:00"


def test_rss_20_resolves_links_tidies_titles_and_uses_permalink_guids() -> None:
    items = parse_feed(RSS_20, BASE)
    assert [i.url for i in items] == [
        "https://news.example/a/council?utm_source=rss",
        "https://news.example/a/guid",
    ]
    assert items[0].title == "Council votes"
    assert items[0].published == "2024-05-01T09:00:00+00:00"


def test_atom() -> None:
    [item] = parse_feed(ATOM, BASE)
    assert (item.url, item.title) == ("https://news.example/a/atom", "Atom story")
    assert item.published == "2024-05-02T10:00:00+00:00"


def test_json_feed() -> None:
    items = parse_feed(JSON_FEED, BASE)
    assert [i.url for i in items] == [
        "https://news.example/a/json",
        "https://news.example/a/external",
    ]
    assert items[0].published == "2024-05-03T08:00:00+00:00"


@pytest.mark.parametrize(
    "content",
    [b"<html><body>not a feed</body></html>", b'{"version": 1}', b"{not json", b""],
)
def test_not_a_feed_is_an_error(content: bytes) -> None:
    with pytest.raises(DocumentError):
        parse_feed(content, BASE)


def test_billion_laughs_and_external_entities_are_refused_at_once(laughs_subset: str) -> None:
    laughs = (
        f'<?xml version="1.0"?><!DOCTYPE r [{laughs_subset}'
        '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<rss version="2.0"><channel><item><title>&l9;&xxe;</title>'
        "<link>https://news.example/a/safe</link></item></channel></rss>"
    ).encode()
    started = time.monotonic()
    with pytest.raises(DocumentError, match="DTD"):
        parse_feed(laughs, BASE)
    assert time.monotonic() - started < 0.1


def test_a_public_doctype_without_declarations_is_fine() -> None:
    netscape = RSS_091.replace(
        b"<rss",
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"\n'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss',
    )
    [item] = parse_feed(netscape, BASE)
    assert item.url == "https://news.example/a/first"


def test_a_feed_given_as_bytes_is_never_taken_for_a_file_name() -> None:
    with pytest.raises(DocumentError):
        parse_feed(b"/etc/hostname", BASE)
