"""The bound on readability's text: never under what readability returns, and its cut
leaves readability's result as it was."""

from __future__ import annotations

from copy import copy

import pytest
from lxml.etree import tostring
from trafilatura.external import try_readability
from trafilatura.utils import trim

from scraper.extract.content import _parsed
from scraper.extract.readability_reach import readability_reach

STORY = "".join(
    f"<p>Paragraph {i} of the story, long enough to be scored by readability, says the clerk.</p>"
    for i in range(8)
)
PAGES = {
    "story with sidebar and comments": f"<div class='main'>{STORY}</div>"
    "<div class='sidebar'><p>Most read: a list of other stories worth a click today.</p></div>"
    "<div id='comments'><p>First! What a story this is, I read it twice today.</p></div>",
    "code kept raw": f"<div class='post'>{STORY}<xmp>if (a < b && c > d) {{ x &= 1; }}</xmp></div>",
    "embedded video": f"<article>{STORY}<iframe src='https://www.youtube.com/embed/x'></iframe>"
    "<iframe src='https://example.org/ad'></iframe></article>",
    # "VIDEO" written into a run of spaces splits it in two: a word and a space longer
    "video between words": f"<article>{STORY}<p>Watch <iframe src='https://vimeo.com/1'>"
    "</iframe> now, says the clerk, and then again.</p></article>",
    "no paragraphs": "<div>" + "<span>loose words in a row, </span>" * 40 + "</div>",
    "table cells": "<table><tr>"
    + "<td>A cell with enough words to count here.</td>" * 9
    + "</tr></table>",
    # readability drops scripts before its cut, the bound's cut comes first: the same either way
    "scripts in and beside cut boxes": f"<div class='main'>{STORY}<script>var a = 1;</script>"
    "<div class='sidebar'><script>var b;</script>Most read</div>after the box"
    "<script class='comment-js'>var c;</script>and after the script</div>",
    # written back as <xmp/>, <title/>: lxml's parser (libxml2 2.14) ends them there, where
    # an HTML5 parser would take what follows as their text
    "empty raw-text elements": f"<div class='post'><xmp></xmp>{STORY}<noembed></noembed>"
    "<svg><title></title></svg><p>The end of the story, told in a closing line.</p></div>",
    # the round trip turns the closing tags after it into text: no bound
    "text after a plaintext tag": f"<div class='story'>{STORY}<p>Also<plaintext>tail words</div>",
    "nested boxes": "<div class='footer-wrap article-body'><div class='menu'>Home News</div>"
    f"<section>{STORY}</section></div><footer class='foot'>Imprint &amp; contact</footer>",
}


def _readability_text(html: str, cut: bool) -> tuple[int, bytes]:
    tree = _parsed(html)
    assert not isinstance(tree, str)
    if cut:
        readability_reach(tree)
    result = try_readability(tree)
    return len(trim(tostring(result, method="text", encoding="utf-8").decode())), tostring(result)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_reach_is_never_under_readabilitys_text(name: str) -> None:
    html = f"<html><body>{PAGES[name]}</body></html>"
    tree = _parsed(html)
    assert not isinstance(tree, str)
    reach = readability_reach(copy(tree))
    length, _ = _readability_text(html, cut=False)
    assert reach >= length > 0


@pytest.mark.parametrize("name", sorted(PAGES))
def test_readability_gives_the_same_after_the_cut(name: str) -> None:
    html = f"<html><body>{PAGES[name]}</body></html>"
    assert _readability_text(html, cut=True) == _readability_text(html, cut=False)


def test_the_cut_tightens_the_bound() -> None:
    """Comments and sidebars readability would drop anyway no longer count."""
    html = f"<html><body>{PAGES['story with sidebar and comments']}</body></html>"
    tree = _parsed(html)
    assert not isinstance(tree, str)
    whole = len(" ".join(tree.text_content().split()))
    assert readability_reach(tree) < whole - 100
