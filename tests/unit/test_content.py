"""The trafilatura adapter: its shortened cascade must give what trafilatura's own gives."""

from __future__ import annotations

from copy import copy

import pytest
import trafilatura
from lxml import etree

from scraper.extract.content import _FULL_OPTIONS, _OPTIONS, _blocks, extract_blocks

SENTENCE = "The council voted on Tuesday to keep the library open on Sundays for another year. "
MORE = (
    "Residents queued at the town hall to speak for and against the longer hours, said the clerk. "
)

# what follows the article: most of the page's text in shapes the extractors judge differently
SHAPES = {
    "comment thread": "<div id='comments'>"
    + "".join(f"<div class='comment'><p>{MORE * 2}</p></div>" for _ in range(5))
    + "</div>",
    "follow-up stories": "<div class='infinite-scroll-next'>"
    + "".join(f"<article><p>{MORE * 4}</p><p>{MORE * 3}</p></article>" for _ in range(3))
    + "</div>",
    "text in spans": "<div>" + "".join(f"<span>{MORE * 3}</span>" for _ in range(30)) + "</div>",
    "text in divs": "<div class='post'>"
    + "".join(f"<div>{MORE * 3}</div>" for _ in range(30))
    + "</div>",
    "text set with line breaks": "<section><div class='text'>"
    + "<br><br>".join(MORE * 3 for _ in range(30))
    + "</div></section>",
    "a table of prose": "<table><tr>"
    + "".join(f"<td>{MORE * 3}</td>" for _ in range(30))
    + "</tr></table>",
}


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "full"])
@pytest.mark.parametrize("sentences", [1, 4])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_blocks_are_trafilaturas_own(shape: str, sentences: int, fast: bool) -> None:
    """Long results skip trafilatura's copies and its recall check; short ones take its whole
    cascade (its rescue finds the text of a one-sentence article's page): either way the
    blocks are those of ``bare_extraction``."""
    lead = SENTENCE * sentences
    html = f"<html><body><article><p>{lead}</p></article>{SHAPES[shape]}</body></html>"
    options = _OPTIONS if fast else _FULL_OPTIONS
    reference = trafilatura.bare_extraction(html, options=copy(options))
    assert reference is not None
    blocks = extract_blocks(html, fast=fast)
    assert blocks == _blocks(reference.body)
    assert blocks


def test_a_page_without_text_gives_no_blocks() -> None:
    assert extract_blocks("<html><body><div><img src='a.png'></div></body></html>") == []


def test_readability_still_wins_where_trafilatura_would_take_it() -> None:
    """Full mode skips readability only when it could not win: here the story beside the
    ``<article>`` is more than twice as long, and readability's text is taken."""
    story = "".join(f"<p>{MORE * 3}</p>" for _ in range(30))
    html = (
        f"<html><body><div class='main'><article><p>{SENTENCE * 38}</p></article></div>"
        f"<div>{story}</div></body></html>"
    )
    reference = trafilatura.bare_extraction(html, options=copy(_FULL_OPTIONS))
    assert reference is not None
    blocks = extract_blocks(html, fast=False)
    assert blocks == _blocks(reference.body)
    assert any(b.text.startswith("Residents queued") for b in blocks)


def test_paragraphs_kept_inside_a_box_stay_paragraphs() -> None:
    """trafilatura keeps a <div> around paragraphs it found in one: each stays a paragraph,
    not one run-together line ("...she asked.Question 1: ...")."""
    body = etree.fromstring(
        "<body><p>Opening paragraph.</p><div>Loose words<lb/>after a break"
        "<p>Question 1: what changed?</p><list><item>an item</item></list>"
        "<p>Answer with <hi>stress</hi> kept in line.</p>tail text</div></body>"
    )
    assert [(b.kind, b.text) for b in _blocks(body)] == [
        ("p", "Opening paragraph."),
        ("p", "Loose words"),
        ("p", "after a break"),
        ("p", "Question 1: what changed?"),
        ("item", "an item"),
        ("p", "Answer with stress kept in line."),
        ("p", "tail text"),
    ]


def test_guarded_rules_select_what_trafilaturas_select() -> None:
    from lxml.html import fromstring
    from trafilatura import main_extractor, xpaths

    from scraper.extract._xpaths import guarded

    marks = [
        "", "class='share-box'", "id='related-posts'", "class='story' id='main'",
        "style='visibility: hidden'", "id='x' style='color: red'", "class='Sidebar'",
        "class='article-body'", "id='article-content'", "class='fulltext'", "class='comment-list'",
    ]  # fmt: skip
    page = fromstring(
        "<html><body>"
        + "".join(f"<div {m}><p {m}>{SENTENCE}</p><span {m}>x</span></div>" for m in marks)
        + "</body></html>"
    )
    selected = 0
    for name in ("BODY_XPATH", "OVERALL_DISCARD_XPATH", "REMOVE_COMMENTS_AND_LISTS_XPATH"):
        own = getattr(xpaths, name)
        for theirs, ours in zip(own, guarded(own), strict=True):
            assert ours.path != theirs.path or "re:test" not in theirs.path
            assert ours(page) == theirs(page)
            selected += len(ours(page))
    assert selected > 10  # the page holds what they look for
    extract_blocks(f"<html><body><article><p>{SENTENCE * 20}</p></article></body></html>")
    assert main_extractor.OVERALL_DISCARD_XPATH is xpaths.OVERALL_DISCARD_XPATH  # put back
