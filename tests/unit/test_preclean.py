"""Pre-cleaning: which container is read directly as the story, and what comes with it."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.preclean import Harvest, preclean

SENTENCE = "The council voted on Tuesday to keep the library open on Sundays for another year. "
BIO = "Ann Lee has covered the town hall for the Tribune since 2015 and writes about schools. "


def _page(story_box: str, beside: str, intro: str = "") -> Harvest:
    paragraphs = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(6))
    html = (
        "<html><body><article><div class='layout'><h1>Library stays open on Sundays</h1>"
        f"{intro}<div class='{story_box}'>{paragraphs}</div>{beside}</div></article>"
        "</body></html>"
    )
    return preclean(LexborHTMLParser(html), "https://example.org/news/library")


def _names(harvest: Harvest) -> tuple[str | None, list[str | None]]:
    story = harvest.story.attributes.get("class") if harvest.story is not None else None
    return story, [node.attributes.get("class") for node in harvest.lead]


def test_the_story_beside_an_author_box_is_read_directly_with_its_intro() -> None:
    """Wrappers holding the story, an intro above it and an author box below: the story's
    own container is read, the intro comes with it, the author box stays out."""
    harvest = _page(
        "story-text",
        beside=f"<div class='writer'><h3>Ann Lee</h3><p>{BIO}</p></div>",
        intro=f"<div class='article-intro'>{SENTENCE * 2}</div>",
    )
    assert _names(harvest) == ("story-text", ["article-intro"])


def test_more_prose_beside_the_story_than_a_widget_holds_is_left_to_the_extractor() -> None:
    harvest = _page("story-text", beside=f"<div class='more'><p>{SENTENCE * 12}</p></div>")
    assert harvest.story is None


def test_unnamed_text_above_the_story_is_left_to_the_extractor() -> None:
    """Prose above the story that is neither a lede nor named as one: unclear, not guessed."""
    harvest = _page("story-text", beside="", intro=f"<div class='box'>{SENTENCE * 3}</div>")
    assert harvest.story is None


def test_a_thread_of_comments_longer_than_the_story_is_not_taken_for_it() -> None:
    comments = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(12))
    harvest = _page("story-text", beside=f"<div class='comments'>{comments}</div>")
    assert _names(harvest)[0] != "comments"


def test_an_author_box_inside_the_story_is_furniture() -> None:
    paragraphs = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(6))
    html = (
        f"<html><body><article><h1>Library</h1><div class='text'>{paragraphs}"
        f"<div class='post-author'><h4>Ann Lee</h4><p>{BIO}</p></div></div></article></body></html>"
    )
    harvest = preclean(LexborHTMLParser(html), "https://example.org/news/library")
    assert [(d.reason, d.detail[:7]) for d in harvest.dropped] == [("class:author", "Ann Lee")]


def _cleaned(body: str) -> tuple[str, Harvest]:
    tree = LexborHTMLParser(f"<html><body>{body}</body></html>")
    harvest = preclean(tree, "https://example.org/news/library")
    return (tree.body.text(deep=True, separator=" ") if tree.body else ""), harvest


def test_navigation_inside_a_wrapper_that_stays_goes_with_its_many_named_items() -> None:
    """The story's wrapper is named like a sidebar and stays (it holds the story); the menu
    inside it still goes, whole, with the names of its items never judged one by one."""
    items = "".join(
        f"<li class='menu-item menu-item-{i}'><a href='/s/{i}'>Section {i}</a></li>"
        for i in range(30)
    )
    paragraphs = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(6))
    text, harvest = _cleaned(
        f"<div class='l-sidebar-layout'><nav><ul>{items}</ul></nav>"
        f"<article><h1>Library stays open</h1>{paragraphs}</article></div>"
    )
    assert "Section 7" not in text and SENTENCE.strip() in text
    assert [d.reason for d in harvest.dropped if d.stage == "preclean"] == ["tag:nav"]


def test_a_page_header_holding_navigation_goes_though_the_navigation_goes_first() -> None:
    paragraphs = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(6))
    text, _ = _cleaned(
        "<article><header><nav><a href='/'>Home</a></nav><span>Town Tribune Edition</span></header>"
        f"<h1>Library stays open</h1>{paragraphs}</article>"
    )
    assert "Town Tribune Edition" not in text and SENTENCE.strip() in text


def test_a_navigation_box_holding_the_story_stays() -> None:
    paragraphs = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(6))
    text, _ = _cleaned(f"<nav class='main'><h1>Library stays open</h1>{paragraphs}</nav>")
    assert SENTENCE.strip() in text
