"""The trafilatura adapter: its shortened cascade must give what trafilatura's own gives."""

from __future__ import annotations

from copy import copy

import pytest
import trafilatura
from lxml import etree
from lxml.html import HtmlElement, fromstring
from trafilatura import main_extractor, xpaths
from trafilatura.baseline import html2txt

from scraper.extract._xpaths import by_name, guarded, guarded_rules
from scraper.extract.content import (
    _FULL_OPTIONS,
    _OPTIONS,
    _RAW_TREE_PRUNE,
    _REMOVE_COMMENTS,
    _blocks,
    _page_length,
    _parsed,
    extract_blocks,
)

SENTENCE = "The council voted on Tuesday to keep the library open on Sundays for another year. "
MORE = (
    "Residents queued at the town hall to speak for and against the longer hours, said the clerk. "
)

# what follows the article: most of the page's text in shapes the extractors judge differently
SHAPES = {
    "comment thread": "<div id='comments'>"
    + "".join(f"<div class='comment'><p>{MORE * 2}</p></div>" for _ in range(5))
    + "</div>",
    "disqus thread": "<div id='disqus_thread'>"
    + "".join(f"<div><p>{MORE * 2}</p></div>" for _ in range(5))
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


def _beside_the_article(story: str, lead: str = SENTENCE * 5) -> str:
    """A page of ``lead`` in an <article> and ``story`` beside it, its tags left open."""
    return f"<html><body><div><article><p>{lead}</p></article><div class='body'>{story}"


_VIDEO = "<p>Watch <iframe src='https://vimeo.com/1'></iframe> now.</p>"
# pages where readability's text is over twice trafilatura's; on the last two only with what
# its round trip adds: the closing tags after a <plaintext> start turned into text, "VIDEO"
# written between spaces (a word and a space more)
_READABILITY_WINS = {
    "a story beside the article": _beside_the_article(
        "".join(f"<p>{MORE * 3}</p>" for _ in range(30)), SENTENCE * 38
    ),
    "text past a plaintext tag": _beside_the_article(
        f"<p>{MORE}</p>" * 4 + "<p>Also<plaintext>tail words"
    ),
    "videos between words": _beside_the_article(
        f"<p>{MORE}</p>" * 3 + _VIDEO * 12, SENTENCE * 5 + "w" * 45
    ),
}


@pytest.mark.parametrize("name", sorted(_READABILITY_WINS))
def test_readability_still_wins_where_trafilatura_would_take_it(name: str) -> None:
    """Full mode skips readability only when it could not win: here it wins, and is run."""
    html = _READABILITY_WINS[name]
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


# id, class and style values the rules look for, some in both orders (``@id|@class`` reads
# whichever comes first in the source)
_MARKS = [
    "", "class='share-box'", "id='related-posts'", "class='story' id='main'",
    "id='main' class='story'", "class='comment-list' id='x'", "id='x' class='comment-list'",
    "style='visibility: hidden'", "id='x' style='color: red'", "class='Sidebar'",
    "class='article-body'", "id='article-content'", "class='FullText'", "class='comment-list'",
    "class='post'", "class='content'", "id='mainbar'", "class='infinite-scroll'",
    "class='wp-caption'", "id='Teaser'", "role='navigation'", "class='hide-print'",
    "class='elementor-share-buttons'", "id='infinite-scroll' class='a'",
]  # fmt: skip
_TAGS = ["div", "section", "article", "main", "p", "span", "list", "item", "ul", "aside"]


def _rules_page() -> HtmlElement:
    """Every mark on every tag the rules name, nested two deep, with an <h1> here and there
    (the raw-tree prune spares boxes holding one)."""
    parts = []
    for i, mark in enumerate(_MARKS):
        outer, inner = _TAGS[i % len(_TAGS)], _TAGS[(3 * i + 1) % len(_TAGS)]
        heading = "<h1>Title</h1>" if i % 4 == 0 else ""
        parts.append(
            f"<{outer} {mark}>{heading}<{inner} {mark}>{SENTENCE}</{inner}>"
            + "".join(f"<{tag} {mark}>x</{tag}>" for tag in _TAGS)
            + f"</{outer}>"
        )
    return fromstring("<html><body>" + "".join(parts) + "</body></html>")


def _running(name: str) -> list[etree.XPath]:
    """What our extraction runs for trafilatura's rule list ``name``."""
    pruning = {
        "RAW_TREE_PRUNE_XPATH": _RAW_TREE_PRUNE,
        "REMOVE_COMMENTS_AND_LISTS_XPATH": _REMOVE_COMMENTS,
    }
    if name in pruning:
        return pruning[name]
    with guarded_rules():
        rules: list[etree.XPath] = getattr(main_extractor, name)
    return rules


@pytest.mark.parametrize(
    "name",
    [
        "BODY_XPATH",
        "OVERALL_DISCARD_XPATH",
        "TEASER_DISCARD_XPATH",
        "DISCARD_IMAGE_ELEMENTS",
        "REMOVE_COMMENTS_AND_LISTS_XPATH",
        "RAW_TREE_PRUNE_XPATH",
    ],
)
def test_rewritten_rules_select_what_trafilaturas_select(name: str) -> None:
    """Each rewritten rule selects trafilatura's elements; BODY_XPATH, of which trafilatura
    reads the first element only, the same first element."""
    own = getattr(xpaths, name)
    ours = _running(name)
    assert any(o.path != t.path for o, t in zip(ours, own, strict=True))  # rewritten
    read = slice(1) if name == "BODY_XPATH" else slice(None)
    page = _rules_page()
    elements = [*page.iter("div", "section", "article", "main", "ul", "body")]
    selected = 0
    for theirs, mine in zip(own, ours, strict=True):
        for context in elements:
            expected = theirs(context)
            assert mine(context)[read] == expected[read]
            selected += len(expected)
    assert selected >= 5  # the page holds what they look for


def test_names_are_moved_only_where_position_does_not_count() -> None:
    kept = [
        ".//*[self::div or self::p][2]",
        ".//*[self::div][@id][last()]",
        ".//*[self::div][position() < 3]",
        ".//*[self::div][count(p)]",  # a number: the count-th div under each parent
        "(.//*[self::div][@id])[2]",
        ".//*[self::div][@id][1]",  # the first under each parent: kept unless first_only
        ".//div[@id]",
    ]
    for path in kept:
        assert by_name(path) == path
    assert by_name(".//*[self::div or self::p][@id][not(.//h1)]") == (
        "descendant::div[@id][not(.//h1)] | descendant::p[@id][not(.//h1)]"
    )
    assert by_name(".//*[self::div or self::p][@id][1]", first_only=True) == (
        "(descendant::div[@id][1] | descendant::p[@id][1])[1]"
    )
    assert by_name("(.//*[self::div][re:test(@id, '[ab]')])[1]") == (
        "(descendant::div[re:test(@id, '[ab]')][1])[1]"
    )


# p elements one to a parent, then two: what counts as the first or second differs
_SIBLINGS = fromstring(
    "<html><body><div><p n='1' d='1'>a</p></div>"
    "<div><p n='1' d='1'>b</p><p>c</p></div></body></html>"
)


@pytest.mark.parametrize(
    "predicate", ["2", "last()", "position() < 2", "count(b) + 1", "@n div @d", "$n"]
)
def test_a_predicate_read_by_position_keeps_the_name_test(predicate: str) -> None:
    """Under ``.//*`` a position counts among a parent's children, under ``descendant::``
    among all the named elements: on this page the two select differently, so the rule is
    left as it is."""
    path = f".//*[self::p][{predicate}]"
    assert by_name(path) == path
    moved = etree.XPath(f"descendant::p[{predicate}]")
    assert moved(_SIBLINGS, n=1) != etree.XPath(path)(_SIBLINGS, n=1)


def test_a_pattern_matching_the_empty_string_is_asked_of_every_element() -> None:
    """``re:test`` reads "" where the attribute is absent, which '^$' matches: no guard."""
    page = fromstring(
        "<html><body><div>a</div><div class='b'>b</div><div class=''>c</div></body></html>"
    )
    own = etree.XPath(
        ".//div[re:test(@class, '^$')]", namespaces={"re": "http://exslt.org/regular-expressions"}
    )
    (ours,) = guarded([own])
    assert [div.text for div in ours(page)] == [div.text for div in own(page)] == ["a", "c"]


def test_guarded_rules_are_put_back() -> None:
    extract_blocks(f"<html><body><article><p>{SENTENCE * 20}</p></article></body></html>")
    assert main_extractor.OVERALL_DISCARD_XPATH is xpaths.OVERALL_DISCARD_XPATH
    assert main_extractor.BODY_XPATH is xpaths.BODY_XPATH


@pytest.mark.parametrize(
    "body",
    [
        f"<p>{SENTENCE}</p>",
        "<div>one\xa0\xa0two\u2003three</div><p>four\tfive\n\nsix</p>",
        "<ul><li>a</li><li>b</li></ul><table><tr><td>c</td><td>d</td></tr></table>",
        "<div><span>run</span><span>together</span><br>after\u3000a\u2028break</div>",
        "<p>\xa0</p><p> \x85 </p><div>\xa0x\xa0</div>",
        "<aside>left out by html2txt</aside><p>kept</p><footer>also left out</footer>",
    ],
)
def test_page_length_is_never_under_trafilaturas(body: str) -> None:
    """The page measure bounds trafilatura's own from above, so a result it lets through (no
    readability run, no recall retry) is one trafilatura would keep too."""
    html = f"<html><body>{body}</body></html>"
    tree = _parsed(html)
    assert not isinstance(tree, str)
    assert _page_length(tree) >= len(html2txt(html)) > 0
