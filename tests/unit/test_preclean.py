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
